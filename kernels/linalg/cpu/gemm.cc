// gemm(): argument checks, then the small-product path or the packed engine with threads splitting C.
#include <omp.h>

#include <stdexcept>
#include <string>

#include "kernels/linalg/cpu/gemm_engine.h"
#include "kernels/linalg/cpu/skinny.h"
#include "kernels/linalg/gemm.h"

namespace csc::linalg {
namespace {

// Products this small cost less than packing one panel: plain loops, one thread.
constexpr double kSmallProductFlops = 2.0 * 16 * 16 * 16;

// A stored matrix of rows x cols with leading dimension ld, for the checks every entry point makes.
void check_matrix(const char* name, const void* data, std::size_t rows, std::size_t cols, std::size_t ld) {
  if (rows == 0 || cols == 0) return;
  if (ld < cols)
    throw std::invalid_argument(std::string("gemm: leading dimension of ") + name + " (" + std::to_string(ld) +
                                ") is smaller than its row width (" + std::to_string(cols) + ")");
  if (data == nullptr) throw std::invalid_argument(std::string("gemm: ") + name + " is null but not empty");
}

// Threads split C into a grid of rectangles, each computed independently with private packing
// buffers: no barriers, and tall/skinny shapes still give every thread a share.
template <class T>
void run(const cpu::GemmProblem<T>& pr) {
  if (pr.k == 0 || pr.alpha == T(0)) return cpu::scale_only(pr);
  const double flops = 2.0 * static_cast<double>(pr.m) * static_cast<double>(pr.n) * static_cast<double>(pr.k);
  if (flops <= kSmallProductFlops) return cpu::small_gemm(pr);
  if (cpu::skinny_suits(pr)) return cpu::skinny_gemm(pr);

  const cpu::TileShape tile = cpu::tile_shape<T>();  // also settles the dispatch before threads start
  const int threads = cpu::threads_for(flops);
  int grid_rows = 1, grid_cols = 1;
  cpu::choose_grid(pr.m, pr.n, tile.mr, tile.nr, threads, &grid_rows, &grid_cols);
  const cpu::Blocking bk = cpu::choose_blocking(tile.mr, tile.nr, sizeof(T), pr.k, (pr.m + grid_rows - 1) / grid_rows,
                                                (pr.n + grid_cols - 1) / grid_cols);
  const std::size_t stride = cpu::pack_stride(bk, sizeof(T));
  T* buffers = static_cast<T*>(cpu::scratch(static_cast<std::size_t>(threads) * stride * sizeof(T)));

#pragma omp parallel num_threads(threads)
  {
    const int t = omp_get_thread_num();
    int rows = grid_rows, cols = grid_cols;
    const int team = omp_get_num_threads();  // can be fewer than asked (nesting, thread limits)
    if (team != threads) cpu::choose_grid(pr.m, pr.n, tile.mr, tile.nr, team, &rows, &cols);
    cpu::Region rg{0, 0, 0, 0, 0, pr.k};
    cpu::split_range(pr.m, tile.mr, rows, t / cols, &rg.i0, &rg.i1);
    cpu::split_range(pr.n, tile.nr, cols, t % cols, &rg.j0, &rg.j1);
    if (rg.i0 < rg.i1 && rg.j0 < rg.j1) cpu::run_region(pr, rg, bk, buffers + static_cast<std::size_t>(t) * stride);
  }
}

template <class T>
void gemm_checked(Op op_a, Op op_b, std::size_t m, std::size_t n, std::size_t k, T alpha, const T* a,
                  std::size_t lda, const T* b, std::size_t ldb, T beta, T* c, std::size_t ldc,
                  const Epilogue<T>& epilogue) {
  const bool ta = op_a == Op::transpose, tb = op_b == Op::transpose;
  check_matrix("A", a, ta ? k : m, ta ? m : k, lda);
  check_matrix("B", b, tb ? n : k, tb ? k : n, ldb);
  check_matrix("C", c, m, n, ldc);
  if (m == 0 || n == 0) return;
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
  run(pr);
}

}  // namespace

void gemm(Op op_a, Op op_b, std::size_t m, std::size_t n, std::size_t k, float alpha, const float* a,
          std::size_t lda, const float* b, std::size_t ldb, float beta, float* c, std::size_t ldc,
          const Epilogue<float>& epilogue) {
  gemm_checked(op_a, op_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue);
}

void gemm(Op op_a, Op op_b, std::size_t m, std::size_t n, std::size_t k, double alpha, const double* a,
          std::size_t lda, const double* b, std::size_t ldb, double beta, double* c, std::size_t ldc,
          const Epilogue<double>& epilogue) {
  gemm_checked(op_a, op_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, epilogue);
}

}  // namespace csc::linalg
