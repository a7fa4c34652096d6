// fill_spectrum, components_for_variance, the sign rule and the solver choice, against hand values.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/pca/sign_rule.h"
#include "kernels/pca/solver_choice.h"
#include "kernels/pca/spectrum.h"

using csc::pca::Solver;

TEST_CASE("fill_spectrum: scikit-learn's definitions") {
  csc::pca::PcaModel model;
  model.n_samples = 11;  // n - 1 = 10
  model.n_features = 4;
  model.total_variance = 10.0;
  const std::vector<double> squared{50.0, 30.0, -1e-15};
  csc::pca::fill_spectrum(model, squared);
  CHECK(model.n_components == 3);
  CHECK(model.explained_variance == std::vector<double>{5.0, 3.0, 0.0});
  CHECK(model.explained_variance_ratio == std::vector<double>{0.5, 0.3, 0.0});
  CHECK(model.singular_values[0] == doctest::Approx(std::sqrt(50.0)));
  CHECK(model.singular_values[2] == 0.0);
  CHECK(model.noise_variance == doctest::Approx((10.0 - 8.0) / (4 - 3)));
  model.n_features = 3;  // K == min(n, d): nothing left over
  csc::pca::fill_spectrum(model, squared);
  CHECK(model.noise_variance == 0.0);
}

TEST_CASE("components_for_variance: smallest K whose cumulative ratio exceeds the target") {
  const std::vector<double> ratios{0.5, 0.25, 0.125, 0.125};
  CHECK(csc::pca::components_for_variance(ratios, 0.4) == 1);
  CHECK(csc::pca::components_for_variance(ratios, 0.5) == 2);  // exceeds, not reaches (searchsorted right)
  CHECK(csc::pca::components_for_variance(ratios, 0.8) == 3);
  CHECK(csc::pca::components_for_variance(ratios, 1.0) == 4);
  CHECK(csc::pca::components_for_variance(std::vector<double>{0.3, 0.3}, 0.9) == 0);
  CHECK(csc::pca::cumulative_sum(ratios) == std::vector<double>{0.5, 0.75, 0.875, 1.0});
}

TEST_CASE("sign rule: the largest-magnitude entry of each row becomes positive (first on ties)") {
  std::vector<double> rows{0.1, -0.9, 0.3,   // flipped
                           0.5, -0.5, 0.0,   // tie: first wins, positive, kept
                           -0.5, 0.5, 0.0};  // tie: first wins, negative, flipped
  csc::pca::apply_sign_rule(rows.data(), 3, 3);
  CHECK(rows == std::vector<double>{-0.1, 0.9, -0.3, 0.5, -0.5, 0.0, 0.5, -0.5, 0.0});
  CHECK_FALSE(std::signbit(rows[8]));  // a zero loading is written as 0, not -0
}

TEST_CASE("solver choice: auto by shape, explicit requests honoured") {
  using csc::pca::choose_solver;
  using csc::pca::default_power_iterations;
  CHECK(default_power_iterations(10, 100000, 100) == 4);
  CHECK(default_power_iterations(9, 100000, 100) == 7);
  CHECK(choose_solver(Solver::automatic, 200, 50, 5, 10, 7).solver == Solver::svd);     // tiny
  CHECK(choose_solver(Solver::automatic, 1797, 64, 10, 10, 7).solver == Solver::gram);  // digits
  CHECK(choose_solver(Solver::automatic, 100000, 100, 10, 10, 4).solver == Solver::gram);
  CHECK(choose_solver(Solver::automatic, 20000, 1000, 50, 10, 7).solver == Solver::gram);
  const auto wide = choose_solver(Solver::automatic, 500, 100000, 5, 10, 7);
  CHECK(wide.solver == Solver::gram);
  CHECK(wide.gram_of_samples);
  // 40 G multiply-adds for X Xᵀ against 1.5 x 19.2 G for block Krylov at its depth limit: krylov.
  CHECK(choose_solver(Solver::automatic, 2000, 20000, 20, 10, 7).solver == Solver::krylov);
  CHECK(choose_solver(Solver::automatic, 2000, 20000, 50, 10, 7).solver == Solver::gram);  // 40 G vs 1.5 x 38 G
  CHECK(choose_solver(Solver::automatic, 100000, 20000, 10, 10, 7).solver == Solver::krylov);
  CHECK(choose_solver(Solver::krylov, 100000, 20000, 0, 10, 7).solver == Solver::gram);
  CHECK(choose_solver(Solver::randomized, 2000, 20000, 20, 10, 7).solver == Solver::randomized);
  CHECK(choose_solver(Solver::automatic, 100000, 2000, 0, 10, 7).solver == Solver::gram);  // --variance
  CHECK(choose_solver(Solver::automatic, 100000, 20000, 0, 10, 7).solver == Solver::svd);  // Gram > 1 GiB
  CHECK(choose_solver(Solver::randomized, 100000, 20000, 0, 10, 7).solver == Solver::gram);
  CHECK(choose_solver(Solver::svd, 100000, 100, 10, 10, 7).solver == Solver::svd);
  CHECK_FALSE(choose_solver(Solver::automatic, 100000, 100, 10, 10, 4).reason.empty());
  CHECK(csc::pca::parse_solver("randomized") == Solver::randomized);
  CHECK_THROWS_AS(csc::pca::parse_solver("arpack"), std::invalid_argument);
}

TEST_CASE("solver choice with a CUDA device: the Gram solver on it where that pays, else the CPU's choice") {
  const std::string gpu = "GPU 0";
  auto with_device = [&](Solver requested, std::size_t n, std::size_t d, std::size_t k, bool forced) {
    return csc::pca::choose_solver_with_device(requested, n, d, k, 10, 7, forced, gpu);
  };
  // 20000 x 1000: XᵀX is 1e10 multiply-adds, the threshold; the 2000 x 20000 case's X Xᵀ 4e10 replaces
  // the CPU's randomized choice.
  auto mid = with_device(Solver::automatic, 20000, 1000, 50, false);
  CHECK(mid.on_device);
  CHECK(mid.solver == Solver::gram);
  CHECK_FALSE(mid.gram_of_samples);
  CHECK(mid.reason == "CUDA device: eigenvectors of XᵀX (d×d), formed on GPU 0 (10 G multiply-adds)");
  auto wide = with_device(Solver::automatic, 2000, 20000, 20, false);
  CHECK(wide.on_device);
  CHECK(wide.solver == Solver::gram);
  CHECK(wide.gram_of_samples);
  // Below the threshold: the CPU, unless --device cuda forces the device.
  auto tall = with_device(Solver::automatic, 100000, 100, 10, false);
  CHECK_FALSE(tall.on_device);
  CHECK(tall.reason.find("too small to pay for GPU 0") != std::string::npos);
  CHECK(with_device(Solver::automatic, 100000, 100, 10, true).on_device);
  auto tiny = with_device(Solver::automatic, 200, 50, 5, true);  // svd on the CPU; forced: gram on the device
  CHECK(tiny.solver == Solver::gram);
  CHECK(tiny.on_device);
  // An explicit gram keeps its side; svd and randomized have no device path; Gram > 1 GiB stays home.
  auto gram = with_device(Solver::gram, 1797, 64, 10, true);
  CHECK(gram.on_device);
  CHECK(gram.reason == "requested: eigenvectors of XᵀX (d×d), formed on GPU 0");
  CHECK_FALSE(with_device(Solver::svd, 100000, 100, 10, true).on_device);
  CHECK_FALSE(with_device(Solver::randomized, 2000, 20000, 20, true).on_device);
  auto huge = with_device(Solver::automatic, 100000, 20000, 10, true);
  CHECK_FALSE(huge.on_device);
  CHECK(huge.solver == Solver::krylov);
  CHECK(huge.reason.find("would exceed 1 GiB, so the CPU") != std::string::npos);
}
