// The map between theta and the optimiser's free vector under --fix and --tie.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "kernels/fit/free_params.h"

using namespace csc::fit;

TEST_CASE("all five parameters free by default; one-term laws have three") {
  const FreeParams all(2, ParamConstraints{});
  CHECK(all.dim() == 5);
  const double v[5] = {1, 2, 3, 4, 5};
  CHECK(all.expand(v) == Theta{1, 2, 3, 4, 5});
  const FreeParams one(1, ParamConstraints{});
  CHECK(one.dim() == 3);
  CHECK_FALSE(one.is_free(kLogB));
  CHECK_FALSE(one.is_free(kBeta));
}

TEST_CASE("fixed parameters keep their value and get no gradient") {
  ParamConstraints c;
  c.fixed[kLogE] = 0.5;
  const FreeParams free(2, c);
  CHECK(free.dim() == 4);
  const double v[4] = {10, 20, 30, 40};
  const Theta theta = free.expand(v);
  CHECK(theta == Theta{10, 20, 0.5, 30, 40});
  double back[4];
  free.gather(theta, back);
  CHECK(back[3] == 40);
  double g[4];
  free.reduce_gradient(Theta{1, 2, 3, 4, 5}, g);
  CHECK(g[0] == 1);
  CHECK(g[2] == 4);
}

TEST_CASE("tied alpha = beta share one slot and their gradients add") {
  ParamConstraints c;
  c.tie_alpha_beta = true;
  const FreeParams free(2, c);
  CHECK(free.dim() == 4);
  CHECK(free.slot(kAlpha) == free.slot(kBeta));
  CHECK(free.owns_slot(kAlpha));
  CHECK_FALSE(free.owns_slot(kBeta));
  const double v[4] = {1, 2, 3, 0.3};
  const Theta theta = free.expand(v);
  CHECK(theta[kAlpha] == 0.3);
  CHECK(theta[kBeta] == 0.3);
  double g[4];
  free.reduce_gradient(Theta{0, 0, 0, 1.5, 2.5}, g);
  CHECK(g[3] == 4.0);
}

TEST_CASE("impossible constraints are rejected") {
  ParamConstraints tie_fixed;
  tie_fixed.tie_alpha_beta = true;
  tie_fixed.fixed[kBeta] = 0.3;
  CHECK_THROWS_AS(FreeParams(2, tie_fixed), std::invalid_argument);
  ParamConstraints tie_one;
  tie_one.tie_alpha_beta = true;
  CHECK_THROWS_AS(FreeParams(1, tie_one), std::invalid_argument);
  ParamConstraints all;
  for (auto& f : all.fixed) f = 1.0;
  CHECK_THROWS_AS(FreeParams(2, all), std::invalid_argument);
  ParamConstraints nan;
  nan.fixed[kLogA] = NAN;
  CHECK_THROWS_AS(FreeParams(2, nan), std::invalid_argument);
  CHECK_THROWS_AS(FreeParams(3, ParamConstraints{}), std::invalid_argument);
}
