// What O_DIRECT needs on this file: statx(STATX_DIOALIGN) (Linux 6.1+, filesystems that report it).
#pragma once

#include <cstdint>

namespace csc::io {

struct DioAlignment {
  bool known = false;            // the kernel and filesystem reported it
  std::uint32_t memory = 0;      // buffer address alignment; 0 with known = no O_DIRECT on this file
  std::uint32_t offset = 0;      // file offset and length alignment
};

DioAlignment direct_io_alignment(int fd);

}  // namespace csc::io
