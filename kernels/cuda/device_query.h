// Asks the statically linked CUDA runtime for devices; compiled only when CUDA is (see kernels/backend.cc).
#pragma once

#include "kernels/backend.h"

namespace csc::cuda {

// Fills compiled/runtime/driver/devices/reason; never aborts (no driver = zero devices + reason).
CudaStatus query_devices();

}  // namespace csc::cuda
