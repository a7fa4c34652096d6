// column_scatter: shifted, chunked Gram accumulation with per-thread partial sums.
#include "kernels/pca/column_scatter.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <new>
#include <stdexcept>

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
  return std::clamp<std::size_t>((std::size_t{40} << 10) / (std::max<std::size_t>(padded_width, 1) * element), 64, 1024);
}
// Float partial Gram matrices are flushed to double after this many rows.
constexpr std::size_t kFloatFlushRows = 8192;
// Below this many multiply-adds per thread, another thread costs more than it saves (linalg's
// threads_for explains why: libgomp's idle spin slows what follows on small VMs).
constexpr double kMinMultiplyAddsPerThread = 4e6;

template <class T>
struct Partial {
  std::size_t rows = 0;
  std::vector<double> sum_x;    // of x (exact for float data): the mean
  std::vector<double> sum;      // of (x - shift) as stored in T, which the Gram sees: the scatter's correction
  std::vector<double> gram;     // lower triangle of sum (x - shift)(x - shift)ᵀ, d×d
  std::vector<T> min, max;
};

template <class T>
void accumulate_range(const T* x, std::size_t begin, std::size_t end, std::size_t d, std::size_t ld,
                      const std::vector<T>& shift, Partial<T>& p) {
  const linalg::GramRowsLayout layout = linalg::gram_rows_layout<T>(d);
  const std::size_t chunk = std::min(chunk_rows(layout.ld, sizeof(T)), end - begin);
  // The front margin and padding columns stay zero (shift_rows writes d per row); C's padding is scratch.
  hwy::AlignedFreeUniquePtr<T[]> buffer = hwy::AllocateAligned<T>(layout.y_front + chunk * layout.ld);
  hwy::AlignedFreeUniquePtr<T[]> c = hwy::AllocateAligned<T>(layout.c_rows * layout.ldc);
  if (!buffer || !c) throw std::bad_alloc();
  std::fill_n(buffer.get(), layout.y_front + chunk * layout.ld, T(0));
  std::fill_n(c.get(), layout.c_rows * layout.ldc, T(0));
  T* const centred = buffer.get() + layout.y_front;
  // Double data sum in C throughout; float data over at most kFloatFlushRows rows, then in double.
  std::size_t pending = 0;  // rows summed in C since the last flush
  auto flush = [&] {
    for (std::size_t i = 0; i < d; ++i)
      for (std::size_t j = 0; j <= i; ++j) {
        T& sum = c[(i + layout.c_shift) * layout.ldc + j];
        p.gram[i * d + j] += static_cast<double>(sum);
        sum = T(0);
      }
    pending = 0;
  };
  for (std::size_t start = begin; start < end; start += chunk) {
    const std::size_t rows = std::min(chunk, end - start);
    shift_rows(x + start * ld, rows, d, ld, shift.data(), centred, layout.ld, p.min.data(), p.max.data(),
               p.sum_x.data(), p.sum.data());
    // While this chunk's product runs, the next chunk's rows come in from memory.
    const std::size_t next_rows = std::min(chunk, end - (start + rows));
    const linalg::PrefetchRange next =
        next_rows == 0 ? linalg::PrefetchRange{} : linalg::PrefetchRange{x + (start + rows) * ld, ((next_rows - 1) * ld + d) * sizeof(T)};
    linalg::accumulate_gram_rows(centred, rows, d, c.get(), next);
    pending += rows;
    if (sizeof(T) == 4 && pending >= kFloatFlushRows) flush();
  }
  if (pending > 0) flush();
  p.rows += end - begin;
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

  const int max_threads = std::max(1, omp_get_max_threads());
  const double multiply_adds = static_cast<double>(n) * static_cast<double>(d) * static_cast<double>(d + 1) / 2;
  const int threads = static_cast<int>(std::clamp<double>(multiply_adds / kMinMultiplyAddsPerThread, 1, max_threads));
  std::vector<Partial<T>> partials(static_cast<std::size_t>(threads));
  for (Partial<T>& p : partials) {
    p.sum_x.assign(d, 0.0);
    p.sum.assign(d, 0.0);
    p.gram.assign(d * d, 0.0);
    p.min.assign(d, std::numeric_limits<T>::infinity());
    p.max.assign(d, -std::numeric_limits<T>::infinity());
  }
#pragma omp parallel num_threads(threads)
  {
    const int team = omp_get_num_threads();
    for (int t = omp_get_thread_num(); t < threads; t += team) {
      const std::size_t begin = n * static_cast<std::size_t>(t) / static_cast<std::size_t>(threads);
      const std::size_t end = n * static_cast<std::size_t>(t + 1) / static_cast<std::size_t>(threads);
      accumulate_range(x, begin, end, d, ld, shift, partials[static_cast<std::size_t>(t)]);
    }
  }

  // Combine in thread order: sum y yᵀ - n m mᵀ with y = x - s as stored and m its mean.
  std::vector<double> sum_x(d, 0.0), sum(d, 0.0), gram(d * d, 0.0);
  for (std::size_t j = 0; j < d; ++j) {
    out.min[j] = INFINITY;
    out.max[j] = -INFINITY;
  }
  for (const Partial<T>& p : partials) {
    for (std::size_t j = 0; j < d; ++j) {
      sum_x[j] += p.sum_x[j];
      sum[j] += p.sum[j];
      out.min[j] = std::min(out.min[j], static_cast<double>(p.min[j]));
      out.max[j] = std::max(out.max[j], static_cast<double>(p.max[j]));
    }
    for (std::size_t i = 0; i < d * d; ++i) gram[i] += p.gram[i];
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
