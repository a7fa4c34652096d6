// The out-of-core fit (blocks of rows, one pass) gives the in-memory answer, also for large offsets.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "kernels/pca/fit.h"
#include "kernels/pca/streaming_fit.h"
#include "tests/kernels/pca/sklearn_reference.h"
#include "tests/kernels/pca/synthetic.h"

namespace {

csc::pca::PcaModel stream(const csc::pca::test::Matrix& m, std::size_t block, const csc::pca::FitOptions& options) {
  csc::pca::StreamingFit fit(m.cols);
  for (std::size_t begin = 0; begin < m.rows; begin += block)
    fit.add_block(m.values.data() + begin * m.cols, std::min(block, m.rows - begin), m.cols);
  CHECK(fit.count() == m.rows);
  return fit.finish(options);
}

}  // namespace

TEST_CASE("streaming fit of MAGIC matches scikit-learn for any block size") {
  namespace ref = csc::pca::reference;
  const auto magic = csc::pca::test::magic();
  csc::pca::FitOptions options;
  options.n_components = 3;
  for (std::size_t block : {1u, 7u, 1000u, 19020u, 50000u}) {
    CAPTURE(block);
    const auto model = stream(magic, block, options);
    REQUIRE(model.n_components == 3);
    for (std::size_t i = 0; i < 3; ++i) {
      CHECK(model.explained_variance_ratio[i] == doctest::Approx(ref::magic_k3::kExplainedVarianceRatio[i]).epsilon(1e-6));
      CHECK(model.singular_values[i] == doctest::Approx(ref::magic_k3::kSingularValues[i]).epsilon(1e-6));
    }
    CHECK(model.noise_variance == doctest::Approx(ref::magic_k3::kNoiseVariance).epsilon(1e-6));
    for (std::size_t j = 0; j < 10; ++j) CHECK(std::abs(model.components[j] - ref::magic_k3::kComponent0[j]) < 1e-6);
  }
  options.n_components = 5;
  options.scale = true;
  const auto scaled = stream(magic, 4096, options);
  for (std::size_t i = 0; i < 5; ++i)
    CHECK(scaled.explained_variance_ratio[i] ==
          doctest::Approx(ref::magic_scaled::kExplainedVarianceRatio[i]).epsilon(1e-6));
}

TEST_CASE("streaming fit keeps its accuracy when the columns sit far from zero (1e6 + unit noise)") {
  auto m = csc::pca::test::planted(3000, 8, {4.0, 1.0}, 0.5, 99);
  for (double& v : m.values) v += 1e6;
  csc::pca::FitOptions options;
  options.n_components = 3;
  auto x = m.values;
  const auto in_memory = csc::pca::fit_in_place(x.data(), m.rows, m.cols, m.cols, options);
  const auto streamed = stream(m, 256, options);
  for (std::size_t i = 0; i < 3; ++i)
    CHECK(streamed.explained_variance[i] == doctest::Approx(in_memory.explained_variance[i]).epsilon(1e-8));
}

TEST_CASE("streaming fit without centring matches the in-memory one") {
  const auto m = csc::pca::test::planted(500, 6, {3.0}, 0.4, 5);
  csc::pca::FitOptions options;
  options.n_components = 2;
  options.center = false;
  auto x = m.values;
  const auto in_memory = csc::pca::fit_in_place(x.data(), m.rows, m.cols, m.cols, options);
  const auto streamed = stream(m, 64, options);
  for (std::size_t i = 0; i < 2; ++i)
    CHECK(streamed.explained_variance_ratio[i] == doctest::Approx(in_memory.explained_variance_ratio[i]).epsilon(1e-9));
  CHECK(streamed.solver_reason.find("out of core") != std::string::npos);
}

TEST_CASE("streaming fit: bad input") {
  csc::pca::StreamingFit fit(2);
  const double one[] = {1.0, 2.0};
  fit.add_block(one, 1, 2);
  CHECK_THROWS_AS(fit.finish({}), std::invalid_argument);  // one sample
  const double nan_row[] = {1.0, NAN};
  CHECK_THROWS_AS(fit.add_block(nan_row, 1, 2), std::invalid_argument);
  CHECK_THROWS_AS(csc::pca::StreamingFit(3).finish({}), std::invalid_argument);  // nothing added
}
