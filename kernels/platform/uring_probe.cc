// A one-entry ring created and torn down to see whether the kernel lets this process use io_uring.
#include "kernels/platform/uring_probe.h"

#include <liburing.h>

#include <cstring>

namespace csc::platform {

UringProbe probe_io_uring() {
  io_uring ring;
  int rc = io_uring_queue_init(1, &ring, 0);
  if (rc < 0) return {false, std::string("io_uring_queue_init: ") + std::strerror(-rc)};
  io_uring_queue_exit(&ring);
  return {true, ""};
}

}  // namespace csc::platform
