// Counters the kernel keeps for this process: bytes that really went to the block layer
// (/proc/self/io) and CPU time, context switches and page faults (getrusage).
#pragma once

#include <cstdint>

namespace csc::io {

struct ProcIo {
  bool available = false;          // false without /proc or without CONFIG_TASK_IO_ACCOUNTING
  std::uint64_t rchar = 0;         // bytes asked of read syscalls (cache hits included)
  std::uint64_t wchar = 0;
  std::uint64_t read_bytes = 0;    // bytes fetched from the storage layer
  std::uint64_t write_bytes = 0;   // bytes sent (or dirtied, to be sent) to the storage layer
  std::uint64_t cancelled_write_bytes = 0;
};

ProcIo read_proc_self_io();
ProcIo operator-(const ProcIo& after, const ProcIo& before);

struct CpuUsage {
  double user_s = 0;
  double system_s = 0;
  long voluntary_switches = 0;
  long involuntary_switches = 0;
  long major_faults = 0;
  long minor_faults = 0;
};

// The whole process (every thread, io_uring workers included), so jobs are measured one at a time.
CpuUsage process_cpu_usage();
CpuUsage operator-(const CpuUsage& after, const CpuUsage& before);

}  // namespace csc::io
