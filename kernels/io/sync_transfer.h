// One request done with pread/pwrite, looping over short transfers and EINTR: psync and the thread
// pool's workers share it.
#pragma once

#include <cstdint>

#include "kernels/io/engine.h"

namespace csc::io {

// Bytes moved (fewer than requested only at end of file), or -errno.
std::int64_t sync_transfer(int fd, const IoRequest& request);

}  // namespace csc::io
