// Target-independent planning for the packed GEMM/SYRK engine: the problem description, cache block
// sizes from the machine's caches, how threads split C, and the reusable packing buffers.
#pragma once

#include <cstddef>

#include "kernels/linalg/gemm.h"

namespace csc::linalg::cpu {

// Which micro-tiles of C a product may touch: all of them (GEMM) or one triangle (SYRK).
enum class TileMask { all, lower, upper };

template <class T>
struct GemmProblem {
  Op op_a = Op::none;
  Op op_b = Op::none;
  std::size_t m = 0, n = 0, k = 0;
  T alpha = 1;
  const T* a = nullptr;
  std::size_t lda = 0;
  const T* b = nullptr;
  std::size_t ldb = 0;
  T beta = 0;
  T* c = nullptr;
  std::size_t ldc = 0;
  const T* bias = nullptr;
  Activation activation = Activation::identity;
  TileMask mask = TileMask::all;
  // C has room for whole micro-tiles past m x n (rows up to a multiple of MR, ldc a multiple of NR) and
  // nobody reads the other triangle: every tile is stored whole, without masking.
  bool c_takes_whole_tiles = false;

  bool has_epilogue() const { return bias != nullptr || activation != Activation::identity; }
};

// A rectangle of C (rows [i0, i1), columns [j0, j1)) and the slice [p0, p1) of the k dimension.
struct Region {
  std::size_t i0, i1, j0, j1, p0, p1;
};

// kc: depth of a packed panel (the MR x kc sliver of A stays in L1); nc: columns of the packed B
// block (kc x nc stays in L2); mc: rows of the packed A block.
struct Blocking {
  std::size_t kc, mc, nc;
};

// mr/nr: the micro-tile; elem: sizeof(T); k, rows, cols: the extent one thread will cover.
Blocking choose_blocking(std::size_t mr, std::size_t nr, std::size_t elem, std::size_t k, std::size_t rows,
                         std::size_t cols);

// One thread's packing area, in elements of `elem` bytes: the A block (mc x kc) plus slack for the
// packing's whole-vector stores that spill past a sliver (up to one 256-byte vector), then the B
// block (kc x nc); both start on 64-element boundaries.
inline std::size_t packed_a_elems(const Blocking& bk, std::size_t elem) {
  return (bk.mc * bk.kc + 256 / elem + 63) / 64 * 64;
}
inline std::size_t pack_stride(const Blocking& bk, std::size_t elem) {
  return packed_a_elems(bk, elem) + (bk.kc * bk.nc + 63) / 64 * 64;
}

// Threads worth using for `flops` floating-point operations (at most omp_get_max_threads()).
int threads_for(double flops);

// Splits [0, n) into `parts` nearly equal ranges whose bounds are multiples of `unit` (except n).
// Returns the bounds of part `index`.
void split_range(std::size_t n, std::size_t unit, std::size_t parts, std::size_t index, std::size_t* begin,
                 std::size_t* end);

// Factor `threads` = rows x cols, splitting an m x n product so that the largest per-thread share of
// padded micro-tiles (mr x nr) is smallest; ties go to the split with less packing.
void choose_grid(std::size_t m, std::size_t n, std::size_t mr, std::size_t nr, int threads, int* rows,
                 int* cols);

// A 64-byte-aligned scratch area owned by the calling thread, grown on demand and kept for the
// next call (GEMMs come in loops; re-faulting fresh pages every call costs more than small products).
void* scratch(std::size_t bytes);

}  // namespace csc::linalg::cpu
