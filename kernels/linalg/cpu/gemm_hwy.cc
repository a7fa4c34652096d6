// GEMM entry points: argument checks, the small-product path and the threaded packed engine per target.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "kernels/linalg/cpu/gemm_hwy.cc"
#include <hwy/foreach_target.h>  // before highway.h
#include <hwy/highway.h>

#include <omp.h>

#include "kernels/linalg/cpu/gemm_engine-inl.h"
#include "kernels/linalg/gemm.h"

HWY_BEFORE_NAMESPACE();
namespace csc::linalg::cpu::HWY_NAMESPACE {

// Products this small cost less than packing one panel: plain loops, one thread.
constexpr double kSmallProductFlops = 2.0 * 16 * 16 * 16;

template <class D, class T = hn::TFromD<D>>
void SmallGemm(D d, const GemmProblem<T>& pr) {
  for (std::size_t i = 0; i < pr.m; ++i) {
    T* HWY_RESTRICT row = pr.c + i * pr.ldc;
    for (std::size_t j = 0; j < pr.n; ++j) {
      T sum = 0;
      for (std::size_t p = 0; p < pr.k; ++p) {
        const T a = pr.op_a == Op::none ? pr.a[i * pr.lda + p] : pr.a[p * pr.lda + i];
        const T b = pr.op_b == Op::none ? pr.b[p * pr.ldb + j] : pr.b[j * pr.ldb + p];
        sum += a * b;
      }
      row[j] = pr.beta == T(0) ? pr.alpha * sum : pr.alpha * sum + pr.beta * row[j];
    }
    if (pr.has_epilogue()) EpilogueRow(d, row, pr.n, pr.bias, pr.activation);
  }
}

// Threads split C into a grid of rectangles, each computed independently with private packing
// buffers: no barriers, and tall/skinny shapes still give every thread a share.
template <class T>
void Gemm(const GemmProblem<T>& pr) {
  const hn::ScalableTag<T> d;
  if (pr.k == 0 || pr.alpha == T(0)) return ScaleOnly(d, pr);
  const double flops = 2.0 * static_cast<double>(pr.m) * static_cast<double>(pr.n) * static_cast<double>(pr.k);
  if (flops <= kSmallProductFlops) return SmallGemm(d, pr);

  const std::size_t NR = kNV * hn::Lanes(d);
  const int threads = threads_for(flops);
  int grid_rows = 1, grid_cols = 1;
  choose_grid(pr.m, pr.n, kMR, NR, threads, &grid_rows, &grid_cols);
  const Blocking bk = choose_blocking(kMR, NR, sizeof(T), pr.k, (pr.m + grid_rows - 1) / grid_rows,
                                      (pr.n + grid_cols - 1) / grid_cols);
  const std::size_t stride = PackStride<T>(bk);
  T* buffers = static_cast<T*>(scratch(static_cast<std::size_t>(threads) * stride * sizeof(T)));

#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num();
    int rows = grid_rows, cols = grid_cols;
    const int team = omp_get_num_threads();  // can be fewer than asked (nesting, thread limits)
    if (team != threads) choose_grid(pr.m, pr.n, kMR, NR, team, &rows, &cols);
    Region rg{0, 0, 0, 0, 0, pr.k};
    split_range(pr.m, kMR, rows, t / cols, &rg.i0, &rg.i1);
    split_range(pr.n, NR, cols, t % cols, &rg.j0, &rg.j1);
    if (rg.i0 < rg.i1 && rg.j0 < rg.j1) {
      RunRegion(d, pr, rg, bk, buffers + static_cast<std::size_t>(t) * stride);
    }
  }
}

void GemmF32(const GemmProblem<float>& pr) { Gemm(pr); }
void GemmF64(const GemmProblem<double>& pr) { Gemm(pr); }

}  // namespace csc::linalg::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
#include <stdexcept>
#include <string>

namespace csc::linalg {
namespace cpu {
HWY_EXPORT(GemmF32);
HWY_EXPORT(GemmF64);
}  // namespace cpu

namespace {

// A stored matrix of rows x cols with leading dimension ld, for the checks every entry point makes.
void check_matrix(const char* name, const void* data, std::size_t rows, std::size_t cols, std::size_t ld) {
  if (rows == 0 || cols == 0) return;
  if (ld < cols)
    throw std::invalid_argument(std::string("gemm: leading dimension of ") + name + " (" + std::to_string(ld) +
                                ") is smaller than its row width (" + std::to_string(cols) + ")");
  if (data == nullptr) throw std::invalid_argument(std::string("gemm: ") + name + " is null but not empty");
}

template <class T>
cpu::GemmProblem<T> make_problem(Op op_a, Op op_b, std::size_t m, std::size_t n, std::size_t k, T alpha,
                                 const T* a, std::size_t lda, const T* b, std::size_t ldb, T beta, T* c,
                                 std::size_t ldc, const Epilogue<T>& epilogue) {
  const bool ta = op_a == Op::transpose, tb = op_b == Op::transpose;
  check_matrix("A", a, ta ? k : m, ta ? m : k, lda);
  check_matrix("B", b, tb ? n : k, tb ? k : n, ldb);
  check_matrix("C", c, m, n, ldc);
  cpu::GemmProblem<T> pr;
  pr.op_a = op_a;
  pr.op_b = op_b;
  pr.m = m;
  pr.n = n;
  pr.k = k;
  pr.alpha = alpha;
  pr.a = a;
  pr.lda = lda;
  pr.b = b;
  pr.ldb = ldb;
  pr.beta = beta;
  pr.c = c;
  pr.ldc = ldc;
  pr.bias = epilogue.bias;
  pr.activation = epilogue.activation;
  return pr;
}

}  // namespace

void gemm(Op op_a, Op op_b, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
          std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc,
          const Epilogue<float>& epilogue) {
  const auto pr = make_problem(op_a, op_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue);
  if (m == 0 || n == 0) return;
  HWY_DYNAMIC_DISPATCH(cpu::GemmF32)(pr);
}

void gemm(Op op_a, Op op_b, std::size_t m, std::size_t n, std::size_t k, double alpha, const double* a,
          std::size_t lda, const double* b, std::size_t ldb, double beta, double* c, std::size_t ldc,
          const Epilogue<double>& epilogue) {
  const auto pr = make_problem(op_a, op_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue);
  if (m == 0 || n == 0) return;
  HWY_DYNAMIC_DISPATCH(cpu::GemmF64)(pr);
}

}  // namespace csc::linalg
#endif  // HWY_ONCE
