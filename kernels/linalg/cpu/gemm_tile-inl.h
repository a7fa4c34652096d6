// The register-tiled micro-kernel shared by the packed GEMM/SYRK engine (gemm_engine_hwy.cc) and the
// skinny-product kernels (skinny_hwy.cc): the tile shape per target, the alpha/beta store and the
// fused bias + activation epilogue.
#if defined(CSC_LINALG_CPU_GEMM_TILE_INL_H_) == defined(HWY_TARGET_TOGGLE)
#ifdef CSC_LINALG_CPU_GEMM_TILE_INL_H_
#undef CSC_LINALG_CPU_GEMM_TILE_INL_H_
#else
#define CSC_LINALG_CPU_GEMM_TILE_INL_H_
#endif

#include <cstddef>

#include <hwy/cache_control.h>
#include <hwy/highway.h>

#include "kernels/linalg/gemm.h"
#include "kernels/linalg/cpu/safe_math-inl.h"
#include "kernels/linalg/cpu/tail-inl.h"

HWY_BEFORE_NAMESPACE();
namespace csc::linalg::cpu::HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;
namespace math = csc::linalg::HWY_NAMESPACE;

// The micro-tile is kMR rows x (2 vectors) columns. Its 2*kMR accumulators, the two B vectors and the
// broadcast A value must fit the register file: 32 vector registers on AVX-512 and AArch64 (14 x 2 +
// 3 = 31), 16 on AVX2/SSE (6 x 2 + 3 = 15). SCALAR has 16 GPR-like slots and no wide FMA to feed.
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL || HWY_ARCH_ARM_A64
constexpr std::size_t kMR = 14;
#elif HWY_TARGET == HWY_SCALAR || HWY_TARGET == HWY_EMU128
constexpr std::size_t kMR = 4;
#else
constexpr std::size_t kMR = 6;
#endif
constexpr std::size_t kNV = 2;  // vectors per micro-tile row: NR = kNV * Lanes(d)

// Upper bound of NR over all targets, for stack tiles.
template <class T>
constexpr std::size_t kMaxNR = kNV * HWY_MAX_BYTES / sizeof(T);

template <class D, class V = hn::Vec<D>>
HWY_INLINE V Activate(D d, Activation activation, V x) {
  switch (activation) {
    case Activation::relu:
      return math::Relu(d, x);
    case Activation::tanh:
      return math::SafeTanh(d, x);
    case Activation::sigmoid:
      return math::Sigmoid(d, x);
    case Activation::identity:
      break;
  }
  return x;
}

// act(x + bias) over a row of n elements (bias may be null), in place. Not inlined: the contrib math
// is large, and one copy per target serves every tile.
template <class D, class T = hn::TFromD<D>>
HWY_NOINLINE void EpilogueRow(D d, T* HWY_RESTRICT row, std::size_t n, const T* HWY_RESTRICT bias,
                            Activation activation) {
  const std::size_t N = hn::Lanes(d);
  std::size_t j = 0;
  for (; j + N <= n; j += N) {
    auto x = hn::LoadU(d, row + j);
    if (bias) x = hn::Add(x, hn::LoadU(d, bias + j));
    hn::StoreU(Activate(d, activation, x), d, row + j);
  }
  if (j < n) {
    auto x = math::LoadTail(d, row + j, n - j);
    if (bias) x = hn::Add(x, math::LoadTail(d, bias + j, n - j));
    math::StoreTail(d, Activate(d, activation, x), row + j, n - j);
  }
}

// Where and how the micro-kernel writes its tile: C_tile = alpha * AB + beta * C_tile (C read only
// when read_c). The epilogue, act(C + bias), runs over the tile afterwards while it is still in L1.
template <class T>
struct TileOut {
  T* c;
  std::size_t ldc;
  T alpha;
  T beta;
  bool read_c;
};

// Row r of the tile: kVectors (1 or 2) vectors, v1 ignored when kVectors is 1.
template <std::size_t kVectors, class D, class V, class T = hn::TFromD<D>>
HWY_INLINE void StoreRow(D d, const TileOut<T>& out, std::size_t r, V v0, V v1) {
  const std::size_t N = hn::Lanes(d);
  T* HWY_RESTRICT row = out.c + r * out.ldc;
  const V alpha = hn::Set(d, out.alpha);
  V x0 = hn::Mul(v0, alpha);
  V x1 = hn::Mul(v1, alpha);
  if (out.read_c) {
    const V beta = hn::Set(d, out.beta);
    x0 = hn::MulAdd(beta, hn::LoadU(d, row), x0);
    if constexpr (kVectors == 2) x1 = hn::MulAdd(beta, hn::LoadU(d, row + N), x1);
  }
  hn::StoreU(x0, d, row);
  if constexpr (kVectors == 2) hn::StoreU(x1, d, row + N);
}

// Rows of the register tile, spelled out: named variables rather than an array keep every
// accumulator in a register (and sizeless SVE vectors cannot live in arrays at all).
#define CSC_GEMM_TILE_ROWS(X) \
  X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13)

// The micro-kernel: for p < kc, the kMR values a[p * a_step + r] (a sliver of A) times the
// kVectors * Lanes values b[p * b_step + j] (a panel of B, vector-aligned), accumulated in registers,
// then stored through `out`. Packed operands step by kMR and NR; accumulate_gram_rows reads rows of
// unpacked data (step ld) and narrows the tile to one vector where that covers the triangle's edge.
template <std::size_t kVectors = kNV, class D, class T = hn::TFromD<D>>
HWY_INLINE void MicroKernel(D d, std::size_t kc, const T* HWY_RESTRICT a, std::size_t a_step, const T* HWY_RESTRICT b,
                            std::size_t b_step, const TileOut<T>& out) {
  static_assert(kMR <= 14, "CSC_GEMM_TILE_ROWS lists 14 rows");
  static_assert(kVectors == 1 || kVectors == 2, "the tile is one or two vectors wide");
  using V = hn::Vec<D>;
  const std::size_t N = hn::Lanes(d);
#define CSC_GEMM_DECLARE(r) [[maybe_unused]] V c##r##_0 = hn::Zero(d), c##r##_1 = hn::Zero(d);
  CSC_GEMM_TILE_ROWS(CSC_GEMM_DECLARE)
#undef CSC_GEMM_DECLARE
#define CSC_GEMM_PREFETCH(r)                              \
  if constexpr (r < kMR) {                                \
    hwy::Prefetch(out.c + r * out.ldc);                   \
    hwy::Prefetch(out.c + r * out.ldc + kVectors * N - 1); \
  }
  CSC_GEMM_TILE_ROWS(CSC_GEMM_PREFETCH)
#undef CSC_GEMM_PREFETCH
  for (std::size_t p = 0; p < kc; ++p) {
    const V b0 = hn::Load(d, b);
    [[maybe_unused]] const V b1 = kVectors == 2 ? hn::Load(d, b + N) : b0;
#define CSC_GEMM_FMA(r)                                                  \
  if constexpr (r < kMR) {                                               \
    const V ar = hn::Set(d, a[r]);                                       \
    c##r##_0 = hn::MulAdd(ar, b0, c##r##_0);                              \
    if constexpr (kVectors == 2) c##r##_1 = hn::MulAdd(ar, b1, c##r##_1); \
  }
    CSC_GEMM_TILE_ROWS(CSC_GEMM_FMA)
#undef CSC_GEMM_FMA
    a += a_step;
    b += b_step;
  }
#define CSC_GEMM_STORE(r) \
  if constexpr (r < kMR) StoreRow<kVectors>(d, out, r, c##r##_0, c##r##_1);
  CSC_GEMM_TILE_ROWS(CSC_GEMM_STORE)
#undef CSC_GEMM_STORE
}
#undef CSC_GEMM_TILE_ROWS

}  // namespace csc::linalg::cpu::HWY_NAMESPACE
HWY_AFTER_NAMESPACE();

#endif  // CSC_LINALG_CPU_GEMM_TILE_INL_H_
