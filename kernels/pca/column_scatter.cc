// column_scatter: shifted, chunked Gram accumulation over fixed units of rows that threads take as
// they come, added up in unit order.
#include "kernels/pca/column_scatter.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <condition_variable>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <stdexcept>
#include <vector>

#include <hwy/aligned_allocator.h>

#include "kernels/linalg/syrk.h"
#include "kernels/pca/shift_rows.h"

namespace csc::pca {

namespace {

// Rows per chunk: about 40 KiB of padded rows, at least 64 so that each register tile's accumulation
// is long enough to repay loading and storing its part of C. Measured one thread on a Zen 3 VM (per
// row, against the FMA peak): d = 100 runs at 80 % from 64 to 96 rows and 64 % at 219 (96 KiB, the
// earlier rule), d = 1000 at 84-89 % from 48 to 64 rows. Small chunks also stay under glibc's mmap
// threshold: fresh mmapped pages cost ~3 µs each to fault in, a tenth of the digits' fit.
std::size_t chunk_rows(std::size_t padded_width, std::size_t element) {
  const std::size_t row_bytes = std::max<std::size_t>(padded_width, 1) * element;
  return std::clamp<std::size_t>((std::size_t{40} << 10) / row_bytes, 64, 1024);
}
// Threads take fixed units of rows as they come, so that a slower core (another tenant on a VM's
// host, an efficiency core) does less of the work instead of holding up the end: a static half each
// left one thread at ~8.5 ms and the other at ~12 ms on 100000 x 100 on a Zen 3 VM. Each unit's sums
// go to a slot of their own and are added to the totals in unit order, so the result does not depend
// on the number of threads or on who took which unit. A unit is whole chunks, n / 64 rows or more,
// and at most kMaxUnitRows rows, the length of the float sums. Adding a unit's Gram matrix to the
// totals costs, by our estimate of its memory traffic, about as much as kMergeRows rows of its
// products when the matrix sits in L2 and kMergeRowsLarge rows when it does not (d = 1000: 4 MB of
// floats read and 8 MB of doubles updated, ~1 ms, against ~5 ms of products for 512 rows), so units
// are at least 8 times that: on AVX2, 1638 rows for 100000 x 100 and 2048 for 20000 x 1000.
constexpr std::size_t kMaxUnitRows = 8192;
constexpr std::size_t kMergeRows = 64, kMergeRowsLarge = 256;
constexpr std::size_t kL2Bytes = std::size_t{512} << 10;
// Slots are taken from a pool and returned once added: with threads of equal speed only a few are
// ever touched. A thread descheduled for a time slice (~3 ms) holds up the additions, and the others
// go on into fresh slots, as many as fit in this much memory (at least one per thread).
constexpr std::size_t kSlotBytes = std::size_t{64} << 20;
// Below this many multiply-adds per thread, another thread costs more than it saves (linalg's
// threads_for explains why: libgomp's idle spin slows what follows on small VMs).
constexpr double kMinMultiplyAddsPerThread = 4e6;

// Per-column sums in double (exact for float data) and extremes, of a unit or of all rows.
template <class T>
struct ColumnSums {
  std::vector<double> sum_x;  // of x: the mean
  std::vector<double> sum;    // of (x - shift) as stored in T, which the Gram sees: the scatter's correction
  std::vector<T> min, max;

  explicit ColumnSums(std::size_t d) : sum_x(d), sum(d), min(d), max(d) { reset(); }
  void reset() {
    std::fill(sum_x.begin(), sum_x.end(), 0.0);
    std::fill(sum.begin(), sum.end(), 0.0);
    std::fill(min.begin(), min.end(), std::numeric_limits<T>::infinity());
    std::fill(max.begin(), max.end(), -std::numeric_limits<T>::infinity());
  }
  void add(const ColumnSums& other) {
    for (std::size_t j = 0; j < sum.size(); ++j) {
      sum_x[j] += other.sum_x[j];
      sum[j] += other.sum[j];
      min[j] = std::min(min[j], other.min[j]);
      max[j] = std::max(max[j], other.max[j]);
    }
  }
};

// The sums of one unit of rows: the Gram matrix in T, in accumulate_gram_rows' layout (entries it does
// not report are scratch, never cleared), and the column sums.
template <class T>
struct Slot {
  hwy::AlignedFreeUniquePtr<T[]> c;
  ColumnSums<T> columns;
};

template <class T>
struct Totals {
  std::vector<double> gram;  // lower triangle of sum (x - shift)(x - shift)ᵀ, d×d
  ColumnSums<T> columns;
};

// Rows [begin, end) into `slot`, chunk by chunk through `buffer` (the centred chunk, with the layout's
// front margin).
template <class T>
void accumulate_unit(const T* x, std::size_t begin, std::size_t end, std::size_t d, std::size_t ld,
                     const std::vector<T>& shift, const linalg::GramRowsLayout& layout, std::size_t chunk,
                     T* centred, Slot<T>& slot) {
  for (std::size_t start = begin; start < end; start += chunk) {
    const std::size_t rows = std::min(chunk, end - start);
    ColumnSums<T>& sums = slot.columns;
    shift_rows(x + start * ld, rows, d, ld, shift.data(), centred, layout.ld, sums.min.data(), sums.max.data(),
               sums.sum_x.data(), sums.sum.data());
    // While this chunk's product runs, the unit's next chunk comes in from memory.
    const std::size_t next_rows = std::min(chunk, end - (start + rows));
    const linalg::PrefetchRange next =
        next_rows == 0 ? linalg::PrefetchRange{}
                       : linalg::PrefetchRange{x + (start + rows) * ld, ((next_rows - 1) * ld + d) * sizeof(T)};
    linalg::accumulate_gram_rows(centred, rows, d, slot.c.get(), next);
  }
}

// Adds a finished unit to the totals and clears the Gram entries it reported.
template <class T>
void merge(Slot<T>& slot, std::size_t d, const linalg::GramRowsLayout& layout, Totals<T>& totals) {
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = 0; j <= i; ++j) {
      T& sum = slot.c[(i + layout.c_shift) * layout.ldc + j];
      totals.gram[i * d + j] += static_cast<double>(sum);
      sum = T(0);
    }
  totals.columns.add(slot.columns);
}

template <class T>
ColumnScatter scatter_impl(const T* x, std::size_t n, std::size_t d, std::size_t ld) {
  if (ld < d) throw std::invalid_argument("column_scatter: leading dimension smaller than the row width");
  ColumnScatter out;
  out.rows = n;
  out.mean.assign(d, 0.0);
  out.min.assign(d, 0.0);
  out.max.assign(d, 0.0);
  out.scatter.assign(d * d, 0.0);
  if (n == 0 || d == 0) return out;

  // The shift: the mean of the first rows, rounded to T. For float data x - shift is then exact
  // wherever x lies within a factor 2 of it (Sterbenz), and the sums of squares about it stay small.
  const std::size_t head = std::min<std::size_t>(n, 256);
  std::vector<double> head_sum(d, 0.0);
  for (std::size_t i = 0; i < head; ++i)
    for (std::size_t j = 0; j < d; ++j) head_sum[j] += static_cast<double>(x[i * ld + j]);
  std::vector<T> shift(d);
  for (std::size_t j = 0; j < d; ++j) shift[j] = static_cast<T>(head_sum[j] / static_cast<double>(head));
  for (std::size_t j = 0; j < d; ++j)
    if (!std::isfinite(static_cast<double>(shift[j]))) shift[j] = T(0);

  const linalg::GramRowsLayout layout = linalg::gram_rows_layout<T>(d);
  const std::size_t chunk = chunk_rows(layout.ld, sizeof(T));
  const std::size_t slot_bytes = layout.c_rows * layout.ldc * sizeof(T);
  const std::size_t merge_rows = slot_bytes <= kL2Bytes ? kMergeRows : kMergeRowsLarge;
  const std::size_t unit_rows =
      std::max(chunk, std::min(kMaxUnitRows, (std::max(8 * merge_rows, n / 64) + chunk - 1) / chunk * chunk));
  const std::size_t units = (n + unit_rows - 1) / unit_rows;
  const int max_threads = std::max(1, omp_get_max_threads());
  const double multiply_adds = static_cast<double>(n) * static_cast<double>(d) * static_cast<double>(d + 1) / 2;
  const int threads = static_cast<int>(std::clamp<double>(
      std::min(multiply_adds / kMinMultiplyAddsPerThread, static_cast<double>(units)), 1, max_threads));
  const std::size_t slot_limit = std::min(units, std::max<std::size_t>(threads, kSlotBytes / slot_bytes));

  Totals<T> totals{std::vector<double>(d * d, 0.0), ColumnSums<T>(d)};
  // Guarded by `mutex`: slots made so far, the free ones, the finished units waiting for the ones
  // before them (unit -> slot), the next unit to hand out and the next to add.
  std::vector<std::unique_ptr<Slot<T>>> slots;
  std::vector<Slot<T>*> free_slots;
  std::map<std::size_t, Slot<T>*> finished;
  std::size_t next_unit = 0, merged = 0;
  bool failed = false;
  std::mutex mutex;
  std::condition_variable slot_freed;
  const auto make_slot = [&]() -> Slot<T>* {
    auto slot =
        std::make_unique<Slot<T>>(Slot<T>{hwy::AllocateAligned<T>(layout.c_rows * layout.ldc), ColumnSums<T>(d)});
    if (!slot->c) return nullptr;
    std::fill_n(slot->c.get(), layout.c_rows * layout.ldc, T(0));
    slots.push_back(std::move(slot));
    return slots.back().get();
  };
#pragma omp parallel num_threads(threads)
  {
    // The front margin and padding columns stay zero (shift_rows writes d per row).
    hwy::AlignedFreeUniquePtr<T[]> buffer = hwy::AllocateAligned<T>(layout.y_front + chunk * layout.ld);
    if (buffer) std::fill_n(buffer.get(), layout.y_front + chunk * layout.ld, T(0));
    for (;;) {
      std::size_t unit = 0;
      Slot<T>* slot = nullptr;
      {
        std::unique_lock<std::mutex> lock(mutex);
        if (!buffer && !failed) {
          failed = true;
          slot_freed.notify_all();
        }
        if (failed || next_unit == units) break;
        unit = next_unit++;
        slot_freed.wait(lock, [&] { return failed || !free_slots.empty() || slots.size() < slot_limit; });
        if (failed) break;
        if (!free_slots.empty()) {
          slot = free_slots.back();
          free_slots.pop_back();
        } else if ((slot = make_slot()) == nullptr) {
          failed = true;  // the others stop too: this unit will never be added
          slot_freed.notify_all();
          break;
        }
      }
      slot->columns.reset();
      const std::size_t begin = unit * unit_rows, end = std::min(n, begin + unit_rows);
      accumulate_unit(x, begin, end, d, ld, shift, layout, chunk, buffer.get() + layout.y_front, *slot);
      {
        std::lock_guard<std::mutex> lock(mutex);
        finished[unit] = slot;
        for (auto first = finished.begin(); first != finished.end() && first->first == merged;
             first = finished.erase(first), ++merged) {
          merge(*first->second, d, layout, totals);
          free_slots.push_back(first->second);
        }
      }
      slot_freed.notify_all();
    }
  }
  if (failed) throw std::bad_alloc();

  // The scatter about the mean: sum y yᵀ - n m mᵀ with y = x - s as stored and m its mean.
  const std::vector<double>& sum_x = totals.columns.sum_x;
  const std::vector<double>& sum = totals.columns.sum;
  const std::vector<double>& gram = totals.gram;
  for (std::size_t j = 0; j < d; ++j) {
    out.min[j] = static_cast<double>(totals.columns.min[j]);
    out.max[j] = static_cast<double>(totals.columns.max[j]);
  }
  const double rows = static_cast<double>(n);
  std::vector<double> m(d);
  for (std::size_t j = 0; j < d; ++j) {
    m[j] = sum[j] / rows;
    out.mean[j] = sum_x[j] / rows;
    if (!std::isfinite(out.mean[j]) || !std::isfinite(out.min[j]) || !std::isfinite(out.max[j]))
      out.nonfinite_columns.push_back(j);
  }
  for (std::size_t i = 0; i < d; ++i)
    for (std::size_t j = 0; j <= i; ++j) {
      const double s = gram[i * d + j] - rows * m[i] * m[j];
      out.scatter[i * d + j] = s;
      out.scatter[j * d + i] = s;
    }
  return out;
}

}  // namespace

ColumnScatter column_scatter(const float* x, std::size_t n, std::size_t d, std::size_t ld) {
  return scatter_impl(x, n, d, ld);
}
ColumnScatter column_scatter(const double* x, std::size_t n, std::size_t d, std::size_t ld) {
  return scatter_impl(x, n, d, ld);
}

}  // namespace csc::pca
