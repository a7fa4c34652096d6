// The pca fit's CUDA path, run on a host twin: a CudaLinalg whose SYRK is the CPU kernel. No GPU runs
// here, so this checks everything of the device path but cuBLAS itself (tests/kernels/linalg's
// cuda_loader_test checks cuBLAS against loops where a GPU exists): which solver and side go to the
// device, how A is sliced there, the double sums of the slices, the preprocessing, and that the result
// is the CPU fit's.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <Eigen/Eigenvalues>

#include "kernels/linalg/device_linalg.h"
#include "kernels/linalg/gemm.h"
#include "kernels/linalg/syrk.h"
#include "kernels/pca/fit.h"
#include "tests/kernels/pca/synthetic.h"

namespace {

using csc::linalg::Op;
using csc::linalg::Triangle;

// Records every SYRK it is given: the operation and the depth of the slice (k, the summed dimension).
class HostTwin final : public csc::linalg::CudaLinalg {
 public:
  std::string device() const override { return "host twin (device 0)"; }
  mutable std::vector<Op> syrk_ops;
  mutable std::vector<std::size_t> syrk_depths;
  mutable std::size_t other_calls = 0;

 private:
  template <class T>
  void record_syrk(Triangle tri, Op op, std::size_t n, std::size_t k, T alpha, const T* x, std::size_t ldx, T beta,
                   T* c, std::size_t ldc) const {
    syrk_ops.push_back(op);
    syrk_depths.push_back(k);
    csc::linalg::syrk(tri, op, n, k, alpha, x, ldx, beta, c, ldc);
  }
  void gemm_f32(Op, Op, std::size_t, std::size_t, std::size_t, float, const float*, std::size_t, const float*,
                std::size_t, float, float*, std::size_t, const csc::linalg::Epilogue<float>&) const override {
    ++other_calls;
  }
  void gemm_f64(Op, Op, std::size_t, std::size_t, std::size_t, double, const double*, std::size_t, const double*,
                std::size_t, double, double*, std::size_t, const csc::linalg::Epilogue<double>&) const override {
    ++other_calls;
  }
  void syrk_f32(Triangle tri, Op op, std::size_t n, std::size_t k, float alpha, const float* x, std::size_t ldx,
                float beta, float* c, std::size_t ldc) const override {
    record_syrk(tri, op, n, k, alpha, x, ldx, beta, c, ldc);
  }
  void syrk_f64(Triangle tri, Op op, std::size_t n, std::size_t k, double alpha, const double* x, std::size_t ldx,
                double beta, double* c, std::size_t ldc) const override {
    record_syrk(tri, op, n, k, alpha, x, ldx, beta, c, ldc);
  }
  void eigh_f32(Triangle, std::size_t, const float*, std::size_t, float*, float*, std::size_t) const override {
    ++other_calls;
  }
  void eigh_f64(Triangle, std::size_t, const double*, std::size_t, double*, double*, std::size_t) const override {
    ++other_calls;
  }
};

// A planted low-rank matrix (spectrum 40, 10, 4, 1 over noise 0.3², column offsets) as T.
template <class T>
std::vector<T> planted_data(std::size_t n, std::size_t d, std::uint64_t seed) {
  const auto m = csc::pca::test::planted(n, d, {40.0, 10.0, 4.0, 1.0}, 0.3, seed);
  return std::vector<T>(m.values.begin(), m.values.end());
}

// Fits a copy of x (the fit may preprocess it in place).
template <class T>
csc::pca::PcaModel fit_copy(std::vector<T> x, std::size_t n, std::size_t d, const csc::pca::FitOptions& options) {
  return csc::pca::fit_in_place(x.data(), n, d, d, options);
}

// The device fit must be the CPU Gram fit up to rounding: variances, ratios and (sign-ruled) axes.
void check_same_fit(const csc::pca::PcaModel& device, const csc::pca::PcaModel& cpu, double tolerance) {
  REQUIRE(device.n_components == cpu.n_components);
  for (std::size_t i = 0; i < cpu.n_components; ++i) {
    CHECK(device.explained_variance[i] == doctest::Approx(cpu.explained_variance[i]).epsilon(tolerance));
    CHECK(device.explained_variance_ratio[i] == doctest::Approx(cpu.explained_variance_ratio[i]).epsilon(tolerance));
  }
  for (std::size_t e = 0; e < cpu.components.size(); ++e)
    CHECK(std::abs(device.components[e] - cpu.components[e]) <= 100 * tolerance);
}

csc::pca::FitOptions options_on(const HostTwin* twin, bool forced, std::size_t k = 4) {
  csc::pca::FitOptions o;
  o.n_components = k;
  o.device = twin;
  o.force_device = forced;
  return o;
}

// Fits float data x on the twin (forced) and on the CPU's Gram solver: the device fit must have sent
// only SYRKs with `op` and these depths, say so, and give the CPU's answer. Returns the device fit.
csc::pca::PcaModel check_device_gram(const std::vector<float>& x, std::size_t n, std::size_t d, Op op,
                                     const std::vector<std::size_t>& depths) {
  HostTwin twin;
  const auto on_device = fit_copy(x, n, d, options_on(&twin, true));
  CHECK(on_device.device == "host twin (device 0)");
  CHECK(on_device.solver == csc::pca::Solver::gram);
  CHECK(on_device.gram_of_samples == (op == Op::none));
  CHECK(on_device.solver_reason.find("formed on host twin (device 0)") != std::string::npos);
  CHECK(twin.syrk_depths == depths);
  CHECK(std::all_of(twin.syrk_ops.begin(), twin.syrk_ops.end(), [op](Op o) { return o == op; }));
  CHECK(twin.other_calls == 0);

  csc::pca::FitOptions cpu = options_on(nullptr, false);
  cpu.solver = csc::pca::Solver::gram;
  const auto on_cpu = fit_copy(x, n, d, cpu);
  CHECK(on_cpu.device.empty());
  check_same_fit(on_device, on_cpu, 1e-5);
  return on_device;
}

}  // namespace

TEST_CASE("pca on a device, n > d: XᵀX from row slices of 8192 on the device, the CPU fit's answer") {
  const std::size_t n = 20000, d = 40;
  const auto on_device = check_device_gram(planted_data<float>(n, d, 11), n, d, Op::transpose,
                                           {8192, 8192, n - 2 * 8192});
  // And the planted spectrum itself: variances 40+0.09, 10+0.09, ... within sampling error.
  CHECK(on_device.explained_variance[0] == doctest::Approx(40.09).epsilon(0.05));
  CHECK(on_device.explained_variance[3] == doctest::Approx(1.09).epsilon(0.05));
}

TEST_CASE("pca on a device, d > n: XXᵀ from column slices of 8192 on the device, axes as Xᵀu / s") {
  const std::size_t n = 60, d = 9000;
  check_device_gram(planted_data<float>(n, d, 12), n, d, Op::none, {8192, d - 8192});
}

TEST_CASE("pca on a device: double data standardised (--scale) in one slice, the CPU fit's answer to 1e-10") {
  const std::size_t n = 3000, d = 30;
  auto x = planted_data<double>(n, d, 13);
  for (std::size_t i = 0; i < n; ++i) x[i * d + 5] *= 1000;  // a column on another scale
  HostTwin twin;
  csc::pca::FitOptions device = options_on(&twin, true, 6);
  device.scale = true;
  const auto on_device = fit_copy(x, n, d, device);
  CHECK(on_device.device == "host twin (device 0)");
  CHECK(twin.syrk_depths == std::vector<std::size_t>{n});
  csc::pca::FitOptions cpu = options_on(nullptr, false, 6);
  cpu.scale = true;
  cpu.solver = csc::pca::Solver::gram;
  check_same_fit(on_device, fit_copy(x, n, d, cpu), 1e-10);
}

TEST_CASE("pca with a device under --device auto: small Gram matrices and other solvers stay on the CPU") {
  const std::size_t n = 2000, d = 50;
  const auto x = planted_data<float>(n, d, 14);
  HostTwin twin;
  SUBCASE("auto, 2.5 M multiply-adds: too small to pay for the device") {
    const auto model = fit_copy(x, n, d, options_on(&twin, false));
    CHECK(model.device.empty());
    CHECK(model.solver_reason.find("too small to pay for host twin (device 0)") != std::string::npos);
  }
  SUBCASE("--solver randomized with --device cuda: the CPU, and the reason says why") {
    csc::pca::FitOptions o = options_on(&twin, true);
    o.solver = csc::pca::Solver::randomized;
    const auto model = fit_copy(x, n, d, o);
    CHECK(model.device.empty());
    CHECK(model.solver == csc::pca::Solver::randomized);
    CHECK(model.solver_reason.find("only the Gram solver has a CUDA path") != std::string::npos);
  }
  SUBCASE("--solver svd with --device cuda: the CPU") {
    csc::pca::FitOptions o = options_on(&twin, true);
    o.solver = csc::pca::Solver::svd;
    const auto model = fit_copy(x, n, d, o);
    CHECK(model.device.empty());
    CHECK(model.solver == csc::pca::Solver::svd);
  }
  CHECK(twin.syrk_depths.empty());
  CHECK(twin.other_calls == 0);
}
