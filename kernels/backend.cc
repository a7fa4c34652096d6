// The device registry: the only file that knows whether CUDA was compiled in (CSC_WITH_CUDA).
#include "kernels/backend.h"

#if CSC_WITH_CUDA
#include "kernels/cuda/device_query.h"
#endif

namespace csc {

const char* device_name(Device device) { return device == Device::cuda ? "cuda" : "cpu"; }

const CudaStatus& cuda_status() {
  static const CudaStatus status = [] {
#if CSC_WITH_CUDA
    return cuda::query_devices();
#else
    CudaStatus none;
    none.reason = "CUDA support not compiled in (configure with -DCSC_CUDA=ON on a machine with nvcc)";
    return none;
#endif
  }();
  return status;
}

std::optional<Device> resolve_device(const std::string& request, std::string& reason) {
  const CudaStatus& cuda = cuda_status();
  const bool usable = cuda.compiled && !cuda.devices.empty();
  if (request == "cpu") return Device::cpu;
  if (request == "cuda") {
    if (usable) return Device::cuda;
    reason = "no usable CUDA device: " + cuda.reason;
    return std::nullopt;
  }
  if (request == "auto") return usable ? Device::cuda : Device::cpu;
  reason = "unknown device '" + request + "' (auto, cpu or cuda)";
  return std::nullopt;
}

}  // namespace csc
