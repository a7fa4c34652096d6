// Reading /proc/self/io and getrusage(RUSAGE_SELF).
#include "kernels/io/proc_counters.h"

#include <sys/resource.h>

#include <cstdio>
#include <cstring>

namespace csc::io {

ProcIo read_proc_self_io() {
  ProcIo io;
  std::FILE* f = std::fopen("/proc/self/io", "r");
  if (f == nullptr) return io;
  char key[64];
  unsigned long long value;
  int fields = 0;
  while (std::fscanf(f, "%63[^:]: %llu\n", key, &value) == 2) {
    ++fields;
    if (!std::strcmp(key, "rchar")) io.rchar = value;
    else if (!std::strcmp(key, "wchar")) io.wchar = value;
    else if (!std::strcmp(key, "read_bytes")) io.read_bytes = value;
    else if (!std::strcmp(key, "write_bytes")) io.write_bytes = value;
    else if (!std::strcmp(key, "cancelled_write_bytes")) io.cancelled_write_bytes = value;
  }
  std::fclose(f);
  io.available = fields >= 7;
  return io;
}

ProcIo operator-(const ProcIo& a, const ProcIo& b) {
  auto diff = [](std::uint64_t x, std::uint64_t y) { return x >= y ? x - y : 0; };
  ProcIo d;
  d.available = a.available && b.available;
  d.rchar = diff(a.rchar, b.rchar);
  d.wchar = diff(a.wchar, b.wchar);
  d.read_bytes = diff(a.read_bytes, b.read_bytes);
  d.write_bytes = diff(a.write_bytes, b.write_bytes);
  d.cancelled_write_bytes = diff(a.cancelled_write_bytes, b.cancelled_write_bytes);
  return d;
}

CpuUsage process_cpu_usage() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  CpuUsage u;
  u.user_s = static_cast<double>(ru.ru_utime.tv_sec) + static_cast<double>(ru.ru_utime.tv_usec) * 1e-6;
  u.system_s = static_cast<double>(ru.ru_stime.tv_sec) + static_cast<double>(ru.ru_stime.tv_usec) * 1e-6;
  u.voluntary_switches = ru.ru_nvcsw;
  u.involuntary_switches = ru.ru_nivcsw;
  u.major_faults = ru.ru_majflt;
  u.minor_faults = ru.ru_minflt;
  return u;
}

CpuUsage operator-(const CpuUsage& a, const CpuUsage& b) {
  return {a.user_s - b.user_s,
          a.system_s - b.system_s,
          a.voluntary_switches - b.voluntary_switches,
          a.involuntary_switches - b.involuntary_switches,
          a.major_faults - b.major_faults,
          a.minor_faults - b.minor_faults};
}

}  // namespace csc::io
