// The recovered variances of planted low-rank + noise data match the planted spectrum.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "kernels/pca/fit.h"
#include "tests/kernels/pca/synthetic.h"

namespace {

// Planted covariance eigenvalues: variances[r] + sigma^2, then sigma^2 (synthetic.h). A sample
// variance from n rows has a relative standard error of sqrt(2 / (n - 1)); 5 of those is the bound.
void check_planted(std::size_t n, std::size_t d, const std::vector<double>& variances, double sigma,
                   csc::pca::Solver solver) {
  const auto m = csc::pca::test::planted(n, d, variances, sigma, 2024);
  std::vector<double> x = m.values;
  csc::pca::FitOptions options;
  options.n_components = variances.size();
  options.solver = solver;
  const auto model = csc::pca::fit_in_place(x.data(), n, d, d, options);
  const double bound = 5 * std::sqrt(2.0 / static_cast<double>(n - 1));
  const double noise = sigma * sigma;
  for (std::size_t r = 0; r < variances.size(); ++r) {
    CAPTURE(r);
    CHECK(model.explained_variance[r] == doctest::Approx(variances[r] + noise).epsilon(bound));
  }
  // The planted directions are DCT-II basis vectors; each recovered component lines up with one.
  for (std::size_t r = 0; r < variances.size(); ++r) {
    double dot = 0;
    for (std::size_t j = 0; j < d; ++j)
      dot += model.components[r * d + j] * std::sqrt(2.0 / d) *
             std::cos(M_PI * (static_cast<double>(j) + 0.5) * static_cast<double>(r + 1) / static_cast<double>(d));
    CHECK(std::abs(dot) > 0.99);
  }
  // Everything beyond the planted rank is noise: scikit-learn's noise variance estimates sigma^2.
  CHECK(model.noise_variance == doctest::Approx(noise).epsilon(bound));
  double total = noise * static_cast<double>(d);
  for (double v : variances) total += v;
  CHECK(model.total_variance == doctest::Approx(total).epsilon(bound));
}

}  // namespace

TEST_CASE("planted spectrum is recovered by every solver") {
  for (auto solver : {csc::pca::Solver::gram, csc::pca::Solver::svd, csc::pca::Solver::randomized,
                       csc::pca::Solver::krylov}) {
    CAPTURE(csc::pca::solver_name(solver));
    check_planted(20000, 30, {40.0, 10.0, 4.0, 1.0}, 0.3, solver);
    check_planted(5000, 300, {100.0, 30.0, 9.0}, 0.2, solver);
  }
}

TEST_CASE("auto keeps a converged block Krylov fit and replaces an unconverged one by the exact Gram solver") {
  // 600 x 3000 with K = 1: the Gram matrix X Xᵀ (0.54 G multiply-adds) costs more than 1.5x block
  // Krylov's 0.32 G at its depth limit, so auto runs block Krylov first.
  const std::size_t n = 600, d = 3000;
  csc::pca::FitOptions options;
  options.n_components = 1;
  {
    // A planted direction far above the noise: the Ritz value settles within the depth limit, the fit stands.
    const auto m = csc::pca::test::planted(n, d, {50.0}, 0.1, 7);
    std::vector<double> x = m.values;
    const auto model = csc::pca::fit_in_place(x.data(), n, d, d, options);
    CHECK(model.solver == csc::pca::Solver::krylov);
    CHECK(model.solver_reason.find("(converged), worst residual") != std::string::npos);
  }
  {
    // Pure noise: the top eigenvalues of the sample covariance crowd together at the Marchenko-Pastur
    // edge, depth 7 leaves a residual above 1e-3, and the exact solver takes over.
    const auto m = csc::pca::test::planted(n, d, {}, 1.0, 8);
    std::vector<double> x = m.values, exact = m.values;
    const auto model = csc::pca::fit_in_place(x.data(), n, d, d, options);
    CHECK(model.solver == csc::pca::Solver::gram);
    CHECK(model.solver_reason.find("so the exact Gram solver instead") != std::string::npos);
    options.solver = csc::pca::Solver::gram;
    const auto reference = csc::pca::fit_in_place(exact.data(), n, d, d, options);
    CHECK(model.explained_variance[0] == doctest::Approx(reference.explained_variance[0]).epsilon(1e-12));
  }
}
