// The packed GEMM engine's entry points, dispatched to the best SIMD target at run time
// (gemm_engine_hwy.cc). Callers split C into regions and give each thread its own packing buffers.
#pragma once

#include <cstddef>

#include "kernels/linalg/cpu/gemm_plan.h"

namespace csc::linalg::cpu {

// The register tile of the dispatched target: mr rows x nr columns of C per micro-kernel call, nr
// being two vectors of `lanes` values.
struct TileShape {
  std::size_t mr, nr, lanes;
};
template <class T>
TileShape tile_shape();

// Region rg of C += its k-slice of the product (beta on the first slice, the epilogue on the last);
// buffers: pack_stride(bk, sizeof(T)) elements, 64-byte aligned, used by this call only.
void run_region(const GemmProblem<float>& pr, const Region& rg, const Blocking& bk, float* buffers);
void run_region(const GemmProblem<double>& pr, const Region& rg, const Blocking& bk, double* buffers);

// C = beta * C then the epilogue, on the mask's part of C: the whole job when alpha == 0 or k == 0.
void scale_only(const GemmProblem<float>& pr);
void scale_only(const GemmProblem<double>& pr);

// Plain loops for products too small to repay packing; one thread.
void small_gemm(const GemmProblem<float>& pr);
void small_gemm(const GemmProblem<double>& pr);

// C += YᵀY on the register tiles touching the lower triangle, Y read unpacked (see gram_rows_layout in
// kernels/linalg/syrk.h for the padding the caller provides), prefetching the `next_bytes` from
// `next` along the way; one thread.
void accumulate_gram_rows(const float* y, std::size_t rows, std::size_t dim, std::size_t ld, float* c,
                          std::size_t ldc, const char* next, std::size_t next_bytes);
void accumulate_gram_rows(const double* y, std::size_t rows, std::size_t dim, std::size_t ld, double* c,
                          std::size_t ldc, const char* next, std::size_t next_bytes);

}  // namespace csc::linalg::cpu
