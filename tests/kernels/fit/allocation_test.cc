// Compute-optimal and inference-aware allocation against published and independently computed numbers.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "kernels/fit/allocation.h"

using namespace csc::fit;

TEST_CASE("Sardana & Frankle's test vector with Hoffmann's rounded parameters") {
  // Sardana & Frankle 2023 ("Beyond Chinchilla-Optimal"), with E 1.69, A 406.4, B 410.7, alpha 0.34,
  // beta 0.28: target loss 2.0177 and 2e12 inference tokens give N = 8.02e9, D_tr = 1.75e12 and
  // 1.163e23 FLOPs, against 1.294e23 for the Chinchilla-optimal 13B model. SciPy 1.17.1 brentq on the
  // same root (xtol 1e-14): N = 8020667889, D_tr = 1.748621581e12, total 1.162333494e23; Chinchilla-
  // optimal N = 1.299737458e10, D = 9.914924395e11, total with inference 1.293102901e23.
  const auto opt = inference_optimal(kHoffmann2022, 2.0177, 2e12);
  REQUIRE(opt);
  CHECK(opt->n == doctest::Approx(8020667889.0).epsilon(1e-8));
  CHECK(opt->d_train == doctest::Approx(1.748621581e12).epsilon(1e-8));
  CHECK(opt->total_flops == doctest::Approx(1.162333494e23).epsilon(1e-8));
  CHECK(opt->n == doctest::Approx(8.02e9).epsilon(1e-3));
  CHECK(opt->d_train == doctest::Approx(1.75e12).epsilon(1e-2));
  CHECK(opt->total_flops == doctest::Approx(1.163e23).epsilon(1e-3));
  CHECK(opt->train_flops + opt->inference_flops == doctest::Approx(opt->total_flops));
  // The model reaches the target loss.
  CHECK(law_loss(kHoffmann2022, opt->n, opt->d_train) == doctest::Approx(2.0177).epsilon(1e-12));

  const auto chinchilla = inference_optimal(kHoffmann2022, 2.0177, 0);
  REQUIRE(chinchilla);
  CHECK(chinchilla->n == doctest::Approx(1.299737458e10).epsilon(1e-8));
  CHECK(chinchilla->d_train == doctest::Approx(9.914924395e11).epsilon(1e-8));
  CHECK(6 * chinchilla->n * chinchilla->d_train + 2 * chinchilla->n * 2e12 == doctest::Approx(1.294e23).epsilon(1e-3));
}

TEST_CASE("inference_optimal has no answer at or below the irreducible loss") {
  CHECK_FALSE(inference_optimal(kHoffmann2022, 1.69, 1e12));
  CHECK_FALSE(inference_optimal(kHoffmann2022, 1.5, 1e12));
  CHECK_FALSE(inference_optimal(kHoffmann2022, 2.0, -1));
  LawParams flat = kHoffmann2022;
  flat.beta = 0;
  CHECK_FALSE(inference_optimal(flat, 2.0, 1e12));
}

TEST_CASE("compute_optimal follows Hoffmann et al.'s closed form") {
  // numpy 2.4.6 from the formulas of issue 5 (G = (alpha A / (beta B))^(1 / (alpha + beta)), ...)
  // at C = 5.76e23: G = 1.344710643, a = 0.4516129032, b = 0.5483870968, N = 3.218985915e10,
  // D = 2.982305687e12, loss 1.930748102.
  const ComputeOptimal opt = compute_optimal(kHoffmann2022, 5.76e23);
  CHECK(opt.G == doctest::Approx(1.344710643).epsilon(1e-9));
  CHECK(opt.a == doctest::Approx(0.4516129032).epsilon(1e-9));
  CHECK(opt.b == doctest::Approx(0.5483870968).epsilon(1e-9));
  CHECK(opt.n_opt == doctest::Approx(3.218985915e10).epsilon(1e-9));
  CHECK(opt.d_opt == doctest::Approx(2.982305687e12).epsilon(1e-9));
  CHECK(opt.loss == doctest::Approx(1.930748102).epsilon(1e-9));
  CHECK(opt.tokens_per_parameter == doctest::Approx(opt.d_opt / opt.n_opt));
  CHECK(6 * opt.n_opt * opt.d_opt == doctest::Approx(5.76e23).epsilon(1e-12));
  // The closed form is the minimum of L along 6 N D = C: nudging N either way costs loss.
  const auto loss_at = [&](double n) { return law_loss(kHoffmann2022, n, 5.76e23 / (6 * n)); };
  CHECK(loss_at(opt.n_opt * 1.01) > opt.loss);
  CHECK(loss_at(opt.n_opt / 1.01) > opt.loss);
}

TEST_CASE("compute_optimal is NaN for a degenerate law") {
  LawParams bad = kHoffmann2022;
  bad.B = 0;
  CHECK(std::isnan(compute_optimal(bad, 1e21).n_opt));
  CHECK(std::isnan(compute_optimal(kHoffmann2022, -1).n_opt));
}
