// Cache-derived block sizes, thread splits and the per-thread scratch of the packed GEMM/SYRK engine.
#include "kernels/linalg/cpu/gemm_plan.h"

#include <omp.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <memory>
#include <new>

namespace csc::linalg::cpu {
namespace {

struct CacheSizes {
  std::size_t l1, l2;
};

// Per-core data cache sizes; sysconf reports 0 or -1 where it does not know (some VMs, non-glibc
// systems lack the names altogether), and then typical sizes stand in.
std::size_t cache_size(int level, long fallback, long lo, long hi) {
  long bytes = -1;
#if defined(_SC_LEVEL1_DCACHE_SIZE) && defined(_SC_LEVEL2_CACHE_SIZE)
  bytes = sysconf(level == 1 ? _SC_LEVEL1_DCACHE_SIZE : _SC_LEVEL2_CACHE_SIZE);
#else
  (void)level;
#endif
  return static_cast<std::size_t>(std::clamp(bytes > 0 ? bytes : fallback, lo, hi));
}

CacheSizes cache_sizes() {
  static const CacheSizes sizes{cache_size(1, 32 << 10, 16 << 10, 256 << 10),
                                cache_size(2, 512 << 10, 128 << 10, 8 << 20)};
  return sizes;
}

std::size_t round_down(std::size_t v, std::size_t unit) { return std::max(unit, v / unit * unit); }
std::size_t round_up(std::size_t v, std::size_t unit) { return (v + unit - 1) / unit * unit; }

// Splits `total` into blocks of at most `max_block` that are nearly equal and multiples of `unit`, so
// the last block is not a sliver.
std::size_t balanced_block(std::size_t total, std::size_t max_block, std::size_t unit) {
  if (total <= max_block) return round_up(std::max<std::size_t>(total, 1), unit);
  const std::size_t blocks = (total + max_block - 1) / max_block;
  return std::min(max_block, round_up((total + blocks - 1) / blocks, unit));
}

// Share of L1 for the MR x kc sliver of A (the rest holds the streaming B sliver and C), share of
// L2 for the kc x nc block of B, and the byte budget of the packed A block (it streams from L3 or
// memory once per B block, which is cheap: each A sliver is reused for nc/NR micro-tiles).
constexpr double kL1ShareA = 0.5;
constexpr double kL2ShareB = 0.5;
constexpr std::size_t kBytesA = 4u << 20;

}  // namespace

Blocking choose_blocking(std::size_t mr, std::size_t nr, std::size_t elem, std::size_t k, std::size_t rows,
                         std::size_t cols) {
  const CacheSizes caches = cache_sizes();
  const std::size_t kc_max = std::clamp<std::size_t>(
      round_down(static_cast<std::size_t>(caches.l1 * kL1ShareA) / (mr * elem), 8), 64, 1024);
  const std::size_t kc = balanced_block(k, kc_max, 8);
  const std::size_t nc_max = round_down(static_cast<std::size_t>(caches.l2 * kL2ShareB) / (kc * elem), nr);
  const std::size_t mc_max = round_down(kBytesA / (kc * elem), mr);
  return Blocking{kc, balanced_block(rows, mc_max, mr), balanced_block(cols, nc_max, nr)};
}

int threads_for(double flops) {
  // Below ~8 MFLOP (~0.1 ms) per thread, sharing the work costs more than it saves. The fork/join
  // alone is microseconds, but after a region libgomp's idle workers spin (GOMP_SPINCOUNT, ~20 ms of
  // PAUSE on this Xeon) and on a 2-vCPU VM that spin slowed the serial code that followed 5-8x:
  // `csc pca` of the digits (7.5 MFLOP of SYRK) fitted in 2.3 ms on one thread and 12-19 ms on two.
  constexpr double kMinFlopsPerThread = 8e6;
  const int max_threads = std::max(1, omp_get_max_threads());
  const double useful = std::max(1.0, flops / kMinFlopsPerThread);
  return useful >= max_threads ? max_threads : static_cast<int>(useful);
}

void split_range(std::size_t n, std::size_t unit, std::size_t parts, std::size_t index, std::size_t* begin,
                 std::size_t* end) {
  const std::size_t units = (n + unit - 1) / unit;
  *begin = std::min(n, units * index / parts * unit);
  *end = std::min(n, units * (index + 1) / parts * unit);
}

void choose_grid(std::size_t m, std::size_t n, std::size_t mr, std::size_t nr, int threads, int* rows,
                 int* cols) {
  const auto padded_share = [](std::size_t extent, std::size_t unit, std::size_t parts) {
    const std::size_t units = (extent + unit - 1) / unit;
    return (units + parts - 1) / parts * unit;
  };
  double best_work = std::numeric_limits<double>::infinity(), best_pack = best_work;
  *rows = 1;
  *cols = 1;
  for (int r = 1; r <= threads; ++r) {
    if (threads % r) continue;
    const int c = threads / r;
    const double share_m = static_cast<double>(padded_share(m, mr, r));
    const double share_n = static_cast<double>(padded_share(n, nr, c));
    const double work = share_m * share_n;
    const double pack = share_m + share_n;
    if (work < best_work * 0.999 || (work <= best_work * 1.001 && pack < best_pack)) {
      best_work = work;
      best_pack = pack;
      *rows = r;
      *cols = c;
    }
  }
}

void* scratch(std::size_t bytes) {
  struct Free {
    void operator()(void* p) const { std::free(p); }
  };
  thread_local std::unique_ptr<void, Free> buffer;
  thread_local std::size_t capacity = 0;
  if (bytes > capacity) {
    buffer.reset();
    capacity = 0;
    const std::size_t size = round_up(std::max<std::size_t>(bytes, 1), 4096);
    void* p = std::aligned_alloc(4096, size);
    if (p == nullptr) throw std::bad_alloc();
    buffer.reset(p);
    capacity = size;
  }
  return buffer.get();
}

}  // namespace csc::linalg::cpu
