// syrk() and symmetrize(): one triangle of X^T X or X X^T with the packed GEMM engine, split across
// threads by k (private partial Gram matrices, summed at the end) or by balanced bands of the triangle.
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include "kernels/linalg/cpu/gemm_engine.h"
#include "kernels/linalg/syrk.h"

namespace csc::linalg {
namespace {

// Splitting k costs one private n x n partial per thread; worth it while those stay small and k is
// long enough that every thread gets several panels.
constexpr std::size_t kMaxPartialBytes = 64u << 20;
constexpr std::size_t kMinSliceK = 256;

std::size_t round_up(std::size_t v, std::size_t unit) { return (v + unit - 1) / unit * unit; }

// Every thread computes the whole triangle over its slice of k into a private partial; the partials
// are then summed into C with alpha and beta. This is the shape of covariance matrices (k = rows of
// data in the hundreds of thousands, n = features in the hundreds), where splitting C leaves threads
// with too little of it.
template <class T>
void split_k(const cpu::GemmProblem<T>& pr, cpu::TileShape tile, int threads) {
  const cpu::Blocking bk = cpu::choose_blocking(tile.mr, tile.nr, sizeof(T), (pr.k + threads - 1) / threads, pr.n, pr.n);
  const std::size_t stride = cpu::pack_stride(bk, sizeof(T));
  // Partials padded to whole micro-tiles, so diagonal and ragged tiles need no masked stores.
  const std::size_t ld_partial = round_up(pr.n, tile.nr);
  const std::size_t partial = round_up(round_up(pr.n, tile.mr) * ld_partial, 64);
  T* buffers = static_cast<T*>(cpu::scratch(static_cast<std::size_t>(threads) * (stride + partial) * sizeof(T)));

#pragma omp parallel num_threads(threads)
  {
    const int team = omp_get_num_threads();
    const int t = omp_get_thread_num();
    T* own = buffers + static_cast<std::size_t>(t) * (stride + partial);
    cpu::GemmProblem<T> part = pr;
    part.c = own + stride;
    part.ldc = ld_partial;
    part.c_takes_whole_tiles = true;
    part.alpha = T(1);
    part.beta = T(0);
    cpu::Region rg{0, pr.n, 0, pr.n, 0, 0};
    cpu::split_range(pr.k, 1, team, t, &rg.p0, &rg.p1);
    cpu::run_region(part, rg, bk, own);
#pragma omp barrier
    // Sum the partials row by row (k is only split when every slice is non-empty, so every thread
    // wrote its whole triangle).
#pragma omp for schedule(dynamic, 16)
    for (std::size_t i = 0; i < pr.n; ++i) {
      const std::size_t begin = pr.mask == cpu::TileMask::upper ? i : 0;
      const std::size_t end = pr.mask == cpu::TileMask::lower ? i + 1 : pr.n;
      T* row = pr.c + i * pr.ldc;
      const T* first = buffers + stride + i * ld_partial;
      for (std::size_t j = begin; j < end; ++j) {
        T sum = first[j];
        for (int s = 1; s < team; ++s) sum += first[static_cast<std::size_t>(s) * (stride + partial) + j];
        row[j] = pr.beta == T(0) ? pr.alpha * sum : pr.alpha * sum + pr.beta * row[j];
      }
    }
  }
}

// Threads take bands of rows holding equal shares of the triangle: rows [0, r) of the lower triangle
// hold r^2/2 elements, so band t ends at n*sqrt((t+1)/T); the upper triangle mirrors this from the bottom.
template <class T>
void split_rows(const cpu::GemmProblem<T>& pr, cpu::TileShape tile, int threads) {
  const cpu::Blocking bk = cpu::choose_blocking(tile.mr, tile.nr, sizeof(T), pr.k, (pr.n + threads - 1) / threads, pr.n);
  const std::size_t stride = cpu::pack_stride(bk, sizeof(T));
  T* buffers = static_cast<T*>(cpu::scratch(static_cast<std::size_t>(threads) * stride * sizeof(T)));

#pragma omp parallel num_threads(threads)
  {
    const int team = omp_get_num_threads();
    const int t = omp_get_thread_num();
    const auto bound = [&](int s) -> std::size_t {
      if (s <= 0) return 0;
      if (s >= team) return pr.n;
      const double share = static_cast<double>(s) / team;
      const double rows = pr.mask == cpu::TileMask::upper ? pr.n * (1.0 - std::sqrt(1.0 - share)) : pr.n * std::sqrt(share);
      return std::min(pr.n, (static_cast<std::size_t>(rows) + tile.mr / 2) / tile.mr * tile.mr);
    };
    cpu::Region rg{bound(t), bound(t + 1), 0, pr.n, 0, pr.k};
    if (pr.mask == cpu::TileMask::lower) rg.j1 = rg.i1;
    if (pr.mask == cpu::TileMask::upper) rg.j0 = rg.i0;
    if (rg.i0 < rg.i1) cpu::run_region(pr, rg, bk, buffers + static_cast<std::size_t>(t) * stride);
  }
}

template <class T>
void syrk_checked(Triangle tri, Op op, std::size_t n, std::size_t k, T alpha, const T* x, std::size_t ldx, T beta,
                  T* c, std::size_t ldc) {
  const std::size_t x_cols = op == Op::transpose ? n : k;
  if (n > 0 && k > 0) {
    if (ldx < x_cols)
      throw std::invalid_argument("syrk: leading dimension of X (" + std::to_string(ldx) +
                                  ") is smaller than its row width (" + std::to_string(x_cols) + ")");
    if (x == nullptr) throw std::invalid_argument("syrk: X is null but not empty");
  }
  if (n == 0) return;
  if (ldc < n)
    throw std::invalid_argument("syrk: leading dimension of C (" + std::to_string(ldc) +
                                ") is smaller than its order (" + std::to_string(n) + ")");
  if (c == nullptr) throw std::invalid_argument("syrk: C is null but not empty");

  cpu::GemmProblem<T> pr;
  // X^T X = op(A) op(B) with A = B = X: op(A) = X^T reads X transposed, op(B) = X reads it as is.
  pr.op_a = op == Op::transpose ? Op::transpose : Op::none;
  pr.op_b = op == Op::transpose ? Op::none : Op::transpose;
  pr.m = n;
  pr.n = n;
  pr.k = k;
  pr.alpha = alpha;
  pr.a = x;
  pr.lda = ldx;
  pr.b = x;
  pr.ldb = ldx;
  pr.beta = beta;
  pr.c = c;
  pr.ldc = ldc;
  pr.mask = tri == Triangle::lower ? cpu::TileMask::lower : cpu::TileMask::upper;
  if (k == 0 || alpha == T(0)) return cpu::scale_only(pr);

  const cpu::TileShape tile = cpu::tile_shape<T>();  // also settles the dispatch before threads start
  const double flops = static_cast<double>(n) * static_cast<double>(n + 1) * static_cast<double>(k);
  const int threads = cpu::threads_for(flops);
  if (threads > 1 && k >= n && k >= kMinSliceK * static_cast<std::size_t>(threads) &&
      static_cast<std::size_t>(threads) * n * n * sizeof(T) <= kMaxPartialBytes) {
    split_k(pr, tile, threads);
  } else {
    split_rows(pr, tile, threads);
  }
}

template <class T>
void symmetrize_checked(Triangle filled, std::size_t n, T* c, std::size_t ldc) {
  if (n == 0) return;
  if (c == nullptr) throw std::invalid_argument("symmetrize: C is null but not empty");
  if (ldc < n)
    throw std::invalid_argument("symmetrize: leading dimension of C (" + std::to_string(ldc) +
                                ") is smaller than its order (" + std::to_string(n) + ")");
  // Blocks of 64 x 64 keep the strided side of the copy in cache.
  constexpr std::size_t kBlock = 64;
  for (std::size_t ib = 0; ib < n; ib += kBlock)
    for (std::size_t jb = 0; jb <= ib; jb += kBlock)
      for (std::size_t i = ib; i < std::min(n, ib + kBlock); ++i)
        for (std::size_t j = jb; j < std::min(i, jb + kBlock); ++j) {
          if (filled == Triangle::lower)
            c[j * ldc + i] = c[i * ldc + j];
          else
            c[i * ldc + j] = c[j * ldc + i];
        }
}

template <class T>
void accumulate_gram_rows_checked(const T* y, std::size_t rows, std::size_t dim, T* c, PrefetchRange next) {
  if (rows == 0 || dim == 0) return;
  const GramRowsLayout layout = gram_rows_layout<T>(dim);
  if (y == nullptr || c == nullptr) throw std::invalid_argument("accumulate_gram_rows: null buffer");
  if (reinterpret_cast<std::uintptr_t>(y) % layout.align != 0)
    throw std::invalid_argument("accumulate_gram_rows: Y is not aligned to " + std::to_string(layout.align) + " bytes");
  cpu::accumulate_gram_rows(y, rows, dim, layout.ld, c, layout.ldc, static_cast<const char*>(next.begin), next.bytes);
}

}  // namespace

template <class T>
GramRowsLayout gram_rows_layout(std::size_t dim) {
  const cpu::TileShape tile = cpu::tile_shape<T>();
  const std::size_t lanes = tile.nr / 2;  // the micro-tile is two vectors wide
  const std::size_t align = std::min<std::size_t>(lanes * sizeof(T), 64);
  // B panels reach round_up(dim, nr); A slivers end at dim and start up to mr - 1 columns before 0.
  const std::size_t shift = round_up(dim, tile.mr) - dim;
  const std::size_t ld = round_up(round_up(dim, tile.nr), lanes);
  return GramRowsLayout{ld, round_up(shift, align / sizeof(T)), round_up(dim, tile.mr), round_up(dim, tile.nr),
                        shift, align};
}
template GramRowsLayout gram_rows_layout<float>(std::size_t);
template GramRowsLayout gram_rows_layout<double>(std::size_t);

void accumulate_gram_rows(const float* y, std::size_t rows, std::size_t dim, float* c, PrefetchRange next) {
  accumulate_gram_rows_checked(y, rows, dim, c, next);
}
void accumulate_gram_rows(const double* y, std::size_t rows, std::size_t dim, double* c, PrefetchRange next) {
  accumulate_gram_rows_checked(y, rows, dim, c, next);
}

void syrk(Triangle tri, Op op, std::size_t n, std::size_t k, float alpha, const float* x, std::size_t ldx,
          float beta, float* c, std::size_t ldc) {
  syrk_checked(tri, op, n, k, alpha, x, ldx, beta, c, ldc);
}

void syrk(Triangle tri, Op op, std::size_t n, std::size_t k, double alpha, const double* x,
          std::size_t ldx, double beta, double* c, std::size_t ldc) {
  syrk_checked(tri, op, n, k, alpha, x, ldx, beta, c, ldc);
}

void symmetrize(Triangle filled, std::size_t n, float* c, std::size_t ldc) { symmetrize_checked(filled, n, c, ldc); }
void symmetrize(Triangle filled, std::size_t n, double* c, std::size_t ldc) { symmetrize_checked(filled, n, c, ldc); }

}  // namespace csc::linalg
