// Projector: scores, whitening, reconstruction errors and reconstructions against plain loops.
#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>
#include <vector>

#include "kernels/pca/fit.h"
#include "kernels/pca/transform.h"
#include "tests/kernels/pca/synthetic.h"

namespace {

using csc::pca::PcaModel;

PcaModel fit(std::vector<double> x, std::size_t n, std::size_t d, std::size_t k, bool scale) {
  csc::pca::FitOptions options;
  options.n_components = k;
  options.scale = scale;
  return csc::pca::fit_in_place(x.data(), n, d, d, options);
}

}  // namespace

TEST_CASE("transform: scores, errors and reconstruction follow the definitions") {
  const std::size_t n = 500, d = 12, k = 3;
  const auto m = csc::pca::test::planted(n, d, {9.0, 4.0, 1.0}, 0.3, 11);
  for (bool scale : {false, true})
    for (bool whiten : {false, true}) {
      CAPTURE(scale);
      CAPTURE(whiten);
      const PcaModel model = fit(m.values, n, d, k, scale);
      csc::pca::Projector<double> projector(model, whiten);
      std::vector<double> a = m.values;
      std::vector<double> scores(n * k), errors(n), recon(n * d);
      projector.transform(a.data(), n, d, false, scores.data(), errors.data(), recon.data());
      double sum_errors = 0;
      for (std::size_t i = 0; i < n; ++i) {
        std::vector<double> centred(d), back(d, 0.0);
        for (std::size_t j = 0; j < d; ++j) centred[j] = (m.values[i * d + j] - model.mean[j]) / model.scale[j];
        for (std::size_t c = 0; c < k; ++c) {
          double s = 0;
          for (std::size_t j = 0; j < d; ++j) s += centred[j] * model.components[c * d + j];
          for (std::size_t j = 0; j < d; ++j) back[j] += s * model.components[c * d + j];
          const double expected = whiten ? s / std::sqrt(model.explained_variance[c]) : s;
          CHECK(scores[i * k + c] == doctest::Approx(expected).epsilon(1e-10).scale(1.0));
        }
        double e = 0;
        for (std::size_t j = 0; j < d; ++j) {
          e += (centred[j] - back[j]) * (centred[j] - back[j]);
          CHECK(recon[i * d + j] == doctest::Approx(back[j] * model.scale[j] + model.mean[j]).epsilon(1e-10));
        }
        CHECK(errors[i] == doctest::Approx(e).epsilon(1e-8).scale(1e-12));
        sum_errors += errors[i];
      }
      // The discarded variance is what the reconstruction misses: sum of errors = (n - 1) * noise * (d - k).
      CHECK(sum_errors == doctest::Approx(model.noise_variance * (n - 1) * (d - k)).epsilon(1e-9));
      if (whiten) {
        // Whitened scores have unit sample variance.
        for (std::size_t c = 0; c < k; ++c) {
          double ss = 0;
          for (std::size_t i = 0; i < n; ++i) ss += scores[i * k + c] * scores[i * k + c];
          CHECK(ss / (n - 1) == doctest::Approx(1.0).epsilon(1e-9));
        }
      }
    }
}

TEST_CASE("transform: all components reconstruct the data exactly (float and double)") {
  const std::size_t n = 300, d = 7;
  const auto m = csc::pca::test::planted(n, d, {5.0, 2.0}, 0.5, 3);
  const PcaModel model = fit(m.values, n, d, d, false);
  REQUIRE(model.n_components == d);
  csc::pca::Projector<float> projector(model, false);
  std::vector<float> a(m.values.begin(), m.values.end());
  std::vector<float> scores(n * d), recon(n * d);
  std::vector<double> errors(n);
  projector.transform(a.data(), n, d, false, scores.data(), errors.data(), recon.data());
  for (std::size_t i = 0; i < n * d; ++i) CHECK(recon[i] == doctest::Approx(m.values[i]).epsilon(1e-5));
  for (double e : errors) CHECK(e < 1e-8);
}

TEST_CASE("transform: a zero-variance component is whitened to 0, not divided by 0") {
  // Rank-1 data in 3 columns: components 2 and 3 have zero variance.
  const std::size_t n = 50, d = 3;
  std::vector<double> x(n * d);
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j < d; ++j) x[i * d + j] = static_cast<double>(i) * static_cast<double>(j + 1);
  const PcaModel model = fit(x, n, d, 3, false);
  csc::pca::Projector<double> projector(model, true);
  CHECK(projector.whitening_clipped());
  std::vector<double> a = x, scores(n * 3);
  projector.transform(a.data(), n, d, false, scores.data(), nullptr, nullptr);
  for (double s : scores) CHECK(std::isfinite(s));
}

TEST_CASE("Projector rejects a model whose arrays do not match its sizes") {
  PcaModel model;
  model.n_features = 2;
  model.n_components = 1;
  model.components = {1.0};
  CHECK_THROWS_AS(csc::pca::Projector<double>(model, false), std::invalid_argument);
}

TEST_CASE("transform: data left preprocessed by the fit and raw data give the same scores") {
  const std::size_t n = 400, d = 9;
  const auto m = csc::pca::test::planted(n, d, {6.0, 2.0}, 0.3, 21);
  for (auto solver : {csc::pca::Solver::gram, csc::pca::Solver::svd, csc::pca::Solver::randomized,
                       csc::pca::Solver::krylov}) {
    CAPTURE(csc::pca::solver_name(solver));
    csc::pca::FitOptions options;
    options.n_components = 3;
    options.solver = solver;
    options.scale = true;
    std::vector<double> fitted = m.values;
    bool preprocessed = true;
    const PcaModel model = csc::pca::fit_in_place(fitted.data(), n, d, d, options, &preprocessed);
    // The Gram solver on XᵀX reads the data once and leaves it; the others centre it in place.
    CHECK(preprocessed == (solver != csc::pca::Solver::gram));
    csc::pca::Projector<double> projector(model, false);
    std::vector<double> raw = m.values, from_fit(n * 3), from_raw(n * 3);
    projector.transform(fitted.data(), n, d, preprocessed, from_fit.data(), nullptr, nullptr);
    projector.transform(raw.data(), n, d, false, from_raw.data(), nullptr, nullptr);
    for (std::size_t i = 0; i < n * 3; ++i) CHECK(from_fit[i] == doctest::Approx(from_raw[i]).epsilon(1e-12).scale(1.0));
  }
}

TEST_CASE("transform: wide float rows, split in chunks of a few rows, follow the definitions") {
  // 3000 float columns: chunks of 43 rows (512 KiB), so 100 rows take three, the last one short.
  const std::size_t n = 100, d = 3000, k = 4;
  const auto m = csc::pca::test::planted(n, d, {25.0, 9.0, 4.0, 1.0}, 0.1, 3);
  const PcaModel model = fit(m.values, n, d, k, false);
  csc::pca::Projector<float> projector(model, false);
  std::vector<float> a(m.values.begin(), m.values.end());
  std::vector<float> scores(n * k), recon(n * d);
  std::vector<double> errors(n);
  projector.transform(a.data(), n, d, false, scores.data(), errors.data(), recon.data());
  std::size_t bad_scores = 0, bad_errors = 0, bad_recon = 0;
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<double> centred(d), back(d, 0.0);
    for (std::size_t j = 0; j < d; ++j) centred[j] = static_cast<float>(m.values[i * d + j]) - static_cast<float>(model.mean[j]);
    double norm = 0;
    for (double c : centred) norm += c * c;
    for (std::size_t c = 0; c < k; ++c) {
      double s = 0;
      for (std::size_t j = 0; j < d; ++j) s += centred[j] * static_cast<float>(model.components[c * d + j]);
      for (std::size_t j = 0; j < d; ++j) back[j] += s * static_cast<float>(model.components[c * d + j]);
      bad_scores += std::abs(scores[i * k + c] - s) > 1e-5 * std::sqrt(norm);
    }
    double e = 0;
    for (std::size_t j = 0; j < d; ++j) {
      e += (centred[j] - back[j]) * (centred[j] - back[j]);
      bad_recon += std::abs(recon[i * d + j] - (back[j] + model.mean[j])) > 1e-5 * (1 + std::abs(model.mean[j]));
    }
    bad_errors += std::abs(errors[i] - e) > 1e-4 * e;
  }
  CHECK(bad_scores == 0);
  CHECK(bad_errors == 0);
  CHECK(bad_recon == 0);
}
