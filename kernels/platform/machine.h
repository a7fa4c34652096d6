// A description of the machine csc runs on, read from /proc, /sys and sysconf at run time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace csc::platform {

struct CacheLevel {
  int level = 0;
  std::string type;            // "Data", "Instruction", "Unified"
  std::size_t size_bytes = 0;
  std::size_t line_bytes = 0;
  int shared_by_cpus = 0;      // logical CPUs sharing one instance
};

struct Machine {
  std::string cpu_model;
  int logical_cpus = 0;        // online CPUs
  int usable_cpus = 0;         // in this process's affinity mask
  double cgroup_cpu_limit = 0; // cpu.max quota/period, 0 when unlimited or unknown
  std::vector<CacheLevel> caches;
  std::uint64_t memory_total_bytes = 0;
  std::uint64_t memory_available_bytes = 0;
  std::size_t page_size = 0;
  std::string kernel_release;
};

Machine describe_machine();

}  // namespace csc::platform
