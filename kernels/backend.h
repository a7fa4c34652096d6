// The device registry: the one place that answers --device and knows whether CUDA was compiled in.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace csc {

enum class Device { cpu, cuda };
const char* device_name(Device device);

struct CudaDeviceInfo {
  int index = 0;
  std::string name;
  std::size_t memory_bytes = 0;
  int compute_major = 0;
  int compute_minor = 0;
  int multiprocessors = 0;
};

struct CudaStatus {
  bool compiled = false;                  // this binary carries CUDA kernels
  int runtime_version = 0;                // CUDA runtime linked in (e.g. 13000), 0 when not compiled
  int driver_version = 0;                 // 0 when no driver is installed
  std::vector<CudaDeviceInfo> devices;    // empty when none is usable
  std::string reason;                     // why there are no devices (empty when there are)
};

// Probed once, on first use; a failed device count means zero devices, never an abort.
const CudaStatus& cuda_status();

// Resolves a --device request ("auto", "cpu", "cuda"). auto = CUDA when compiled in and a device is
// present, else CPU. Returns the device, or nullopt with `reason` set when "cuda" cannot be honoured.
std::optional<Device> resolve_device(const std::string& request, std::string& reason);

}  // namespace csc
