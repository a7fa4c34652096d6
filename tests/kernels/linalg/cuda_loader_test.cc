// The CUDA twins' loader: without a GPU, driver or cuBLAS it must return nullptr with a reason and never
// crash; with one (not available here) it must agree with plain CPU loops. Also the dlopen wrapper.
#include <doctest/doctest.h>

#include <Eigen/Eigenvalues>
#include <cmath>
#include <string>
#include <vector>

#include "kernels/linalg/device_linalg.h"
#include "kernels/linalg/shared_library.h"

namespace {

using csc::linalg::CudaLinalg;
using csc::linalg::Op;
using csc::linalg::Triangle;

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

// Only reached on a machine with a usable GPU: gemm (with epilogue), syrk and eigh against loops/Eigen.
void check_device(const CudaLinalg& cuda) {
  const std::size_t m = 5, n = 4, k = 3;
  std::vector<double> a(m * k), b(k * n), c(m * n, NAN), bias = {0.5, -0.5, 1.0, 0.0};
  for (std::size_t i = 0; i < a.size(); ++i) a[i] = std::sin(static_cast<double>(i));
  for (std::size_t i = 0; i < b.size(); ++i) b[i] = std::cos(static_cast<double>(i));
  cuda.gemm(Op::none, Op::none, m, n, k, 2.0, a.data(), k, b.data(), n, 0.0, c.data(), n,
            {bias.data(), csc::linalg::Activation::relu});
  for (std::size_t i = 0; i < m; ++i)
    for (std::size_t j = 0; j < n; ++j) {
      double s = 0;
      for (std::size_t p = 0; p < k; ++p) s += a[i * k + p] * b[p * n + j];
      CHECK(c[i * n + j] == doctest::Approx(std::max(0.0, 2 * s + bias[j])));
    }
  std::vector<double> g(k * k, -1.0);
  cuda.syrk(Triangle::lower, Op::transpose, k, m, 1.0, a.data(), k, 0.0, g.data(), k);
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j < k; ++j) {
      double s = 0;
      for (std::size_t r = 0; r < m; ++r) s += a[r * k + i] * a[r * k + j];
      CHECK(g[i * k + j] == (j <= i ? doctest::Approx(s) : doctest::Approx(-1.0)));
    }
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = i + 1; j < k; ++j) g[i * k + j] = g[j * k + i];
  std::vector<double> w(k), v(k * k);
  cuda.eigh(Triangle::lower, k, g.data(), k, w.data(), v.data(), k);
  const Eigen::Map<Eigen::Matrix<double, -1, -1, Eigen::RowMajor>> gram(g.data(), k, k);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> reference(gram);
  for (std::size_t i = 0; i < k; ++i) CHECK(w[i] == doctest::Approx(reference.eigenvalues()(i)));
}

}  // namespace

TEST_CASE("the CUDA loader returns an instance or a reason, never crashes, and caches its answer") {
  std::string reason;
  const CudaLinalg* cuda = CudaLinalg::load(reason);
  std::string again;
  CHECK(CudaLinalg::load(again) == cuda);
  if (cuda == nullptr) {
    MESSAGE("CUDA linalg unavailable: " << reason);
    CHECK_FALSE(reason.empty());
    CHECK(again == reason);
    CHECK((reason == "not compiled in" || starts_with(reason, "no CUDA device") ||
           starts_with(reason, "unavailable: ")));
  } else {
    MESSAGE("CUDA linalg on " << cuda->device());
    check_device(*cuda);
  }
}

TEST_CASE("SharedLibrary reports a missing library and a missing symbol as reasons") {
  std::string reason;
  CHECK(csc::linalg::SharedLibrary::open("libcsc-no-such-library.so.7", reason) == nullptr);
  CHECK(starts_with(reason, "unavailable: libcsc-no-such-library.so.7 not found ("));

  reason.clear();
  const auto libm = csc::linalg::SharedLibrary::open("libm.so.6", reason);
  REQUIRE(libm != nullptr);
  CHECK(reason.empty());
  double (*cosine)(double) = nullptr;
  REQUIRE(libm->bind(cosine, "cos", reason));
  CHECK(cosine(0.0) == 1.0);
  void (*missing)() = nullptr;
  CHECK_FALSE(libm->bind(missing, "csc_no_such_symbol", reason));
  CHECK_FALSE(static_cast<bool>(missing));
  CHECK(reason == "unavailable: libm.so.6 has no csc_no_such_symbol");
}
