// statx on a descriptor (AT_EMPTY_PATH) asking for STATX_DIOALIGN.
#include "kernels/io/dio_alignment.h"

#include <fcntl.h>
#include <sys/stat.h>

namespace csc::io {

DioAlignment direct_io_alignment(int fd) {
  struct statx sx {};
  if (statx(fd, "", AT_EMPTY_PATH, STATX_DIOALIGN, &sx) != 0 || !(sx.stx_mask & STATX_DIOALIGN)) return {};
  return {true, sx.stx_dio_mem_align, sx.stx_dio_offset_align};
}

}  // namespace csc::io
