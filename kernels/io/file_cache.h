// The page cache around one file: how much of it is resident (mincore), dropping it (posix_fadvise
// DONTNEED, this file only, never machine-wide) and loading it (reading it through).
#pragma once

#include <cstdint>
#include <functional>

namespace csc::io {

// Fraction of the file's pages resident in the page cache, in [0, 1]; -1 when mincore is unavailable.
double resident_fraction(int fd, std::uint64_t size);

// Drops the file's clean pages from the page cache; with `flush_first` it fsyncs so dirty pages are
// clean and can be dropped too. Throws IoError.
void evict_from_page_cache(int fd, bool flush_first);

// Reads the file through once so its pages are resident. `stop` is polled between chunks. Throws IoError.
void load_into_page_cache(int fd, std::uint64_t size, const std::function<bool()>& stop);

}  // namespace csc::io
