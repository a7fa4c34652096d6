// CUDA device discovery through the static cudart, which dlopens libcuda.so.1 only at run time.
#include <cuda_runtime.h>

#include <string>

#include "kernels/cuda/device_query.h"

namespace csc::cuda {

CudaStatus query_devices() {
  CudaStatus status;
  status.compiled = true;
  cudaRuntimeGetVersion(&status.runtime_version);
  if (cudaDriverGetVersion(&status.driver_version) != cudaSuccess) status.driver_version = 0;
  int count = 0;
  cudaError_t error = cudaGetDeviceCount(&count);
  if (error != cudaSuccess) {
    cudaGetLastError();  // clear the sticky error so later calls start clean
    status.reason = std::string(cudaGetErrorName(error)) + ": " + cudaGetErrorString(error);
    return status;
  }
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) continue;
    status.devices.push_back({i, prop.name, prop.totalGlobalMem, prop.major, prop.minor, prop.multiProcessorCount});
  }
  if (status.devices.empty()) status.reason = "the driver reports no CUDA device";
  return status;
}

}  // namespace csc::cuda
