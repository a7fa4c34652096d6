// Thresholds: below 5% of the bytes from the device is "page cache", above 90% is "device"; more than
// 1.5x from the device than read is amplification worth naming.
#include "kernels/io/job_findings.h"

#include <algorithm>
#include <cstdio>

#include "kernels/io/units.h"

namespace csc::io {

std::string served_from(const JobResult& r, const FilesystemInfo& fs) {
  if (r.read.bytes > 0) {
    if (memory_filesystem(fs)) return "page cache";
    if (!r.device.available) return "unknown";
    const double from_device = static_cast<double>(r.device.read_bytes) / static_cast<double>(r.read.bytes);
    if (from_device < 0.05) return "page cache";
    if (from_device >= 0.9) return "device";
    return "page cache and device";
  }
  if (r.write.bytes > 0) {
    if (memory_filesystem(fs)) return "page cache";
    if (r.direct) return "device";
    const JobSpec& s = r.spec;
    if (s.fsync_every || s.fdatasync_every || s.end_fsync) return "page cache, flushed to the device";
    return "page cache";
  }
  return "unknown";
}

std::vector<Finding> job_findings(const JobResult& r, const FilesystemInfo& fs, const BlockDeviceInfo& device) {
  std::vector<Finding> out;
  const JobSpec& s = r.spec;
  const std::string job = s.name + ": ";
  if (!r.engine_fallback.empty()) out.push_back({"uring_fallback", job + r.engine_fallback});
  if (!r.direct_fallback.empty()) out.push_back({"direct_fallback", job + r.direct_fallback});
  if (s.direct && memory_filesystem(fs))
    out.push_back({"tmpfs_direct", job + "O_DIRECT on " + fs.type + " does not bypass RAM: these are memory numbers, "
                                         "not disk numbers (use --dir on a disk-backed filesystem)"});
  const std::string source = served_from(r, fs);
  if (r.read.bytes > 0 && source == "page cache" && !memory_filesystem(fs)) {
    char text[256];
    std::snprintf(text, sizeof text,
                  "only %s of the %s read came from the device: this measured the page cache (memory), not the "
                  "disk; use --cache cold or --direct",
                  format_bytes(static_cast<double>(r.device.read_bytes)).c_str(),
                  format_bytes(static_cast<double>(r.read.bytes)).c_str());
    out.push_back({"page_cache_result", job + text});
  }
  if (r.read.bytes > 0 && r.device.available && !r.direct &&
      static_cast<double>(r.device.read_bytes) > 1.5 * static_cast<double>(r.read.bytes)) {
    char text[256];
    std::snprintf(text, sizeof text,
                  "the device delivered %.1f× the bytes the job read: readahead%s fetched data nobody asked for "
                  "(buffered random reads); --direct avoids it",
                  static_cast<double>(r.device.read_bytes) / static_cast<double>(r.read.bytes),
                  device.read_ahead_kb >= 0 ? (" (read_ahead_kb=" + std::to_string(device.read_ahead_kb) + ")").c_str()
                                            : "");
    out.push_back({"read_amplification", job + text});
  }
  const EngineOps* engine = find_engine(r.engine);
  const unsigned depth = engine && (engine->capabilities & kCapAsync) ? s.iodepth : 1;
  if (mode_random(s.mode) && s.block_size <= 16384 && depth == 1 && (source == "device" || source == "page cache and device"))
    out.push_back({"random_qd1", job + "random " + format_bytes(static_cast<double>(s.block_size)) +
                                     " at queue depth 1 measures the latency of one request at a time, not what the "
                                     "device can do: try --engine io_uring --iodepth 16 (or more)"});
  if (r.write.bytes > 0 && !r.direct && !memory_filesystem(fs) && !s.fsync_every && !s.fdatasync_every && !s.end_fsync)
    out.push_back({"buffered_writes", job + "buffered writes without --fsync or --end-fsync finish in the page cache; "
                                            "the device gets the data later, so this bandwidth is a memory bandwidth "
                                            "(add --end-fsync, or --direct)"});
  return out;
}

namespace {

double iops_of(const JobResult& r) { return r.elapsed_s > 0 ? static_cast<double>(r.ios()) / r.elapsed_s : 0.0; }

// CPU time per request in µs: what the submission path costs, independent of the device's speed.
double cpu_us_per_io(const JobResult& r) {
  return r.ios() ? (r.cpu.user_s + r.cpu.system_s) * 1e6 / static_cast<double>(r.ios()) : 0.0;
}

const JobResult* by_engine(const std::vector<JobResult>& results, const char* requested) {
  for (const auto& r : results)
    if (r.spec.engine == requested) return &r;
  return nullptr;
}

}  // namespace

std::string compare_lesson(const std::vector<JobResult>& results) {
  if (results.empty()) return "";
  std::string out;
  char text[512];
  const auto best = std::max_element(results.begin(), results.end(),
                                     [](const JobResult& a, const JobResult& b) { return iops_of(a) < iops_of(b); });
  const JobResult* psync = by_engine(results, "psync");
  if (psync && iops_of(*psync) > 0 && &*best != psync) {
    const double ratio = iops_of(*best) / iops_of(*psync);
    if (ratio >= 1.3)
      std::snprintf(text, sizeof text,
                    "%s did %.1fx the IOPS of psync: with %u requests in flight the storage works on several at once, "
                    "while psync waits for each one before it asks for the next. ",
                    best->spec.engine.c_str(), ratio, best->spec.iodepth);
    else
      std::snprintf(text, sizeof text,
                    "All engines are within %.0f%% of psync: here the storage (or the page cache), not the way "
                    "requests are submitted, sets the pace. ",
                    (ratio - 1) * 100);
    out += text;
  }
  const JobResult* uring = by_engine(results, "io_uring");
  const JobResult* pool = by_engine(results, "threadpool");
  if (uring && pool && uring->engine == "io_uring" && uring->ios() && pool->ios()) {
    std::snprintf(text, sizeof text,
                  "io_uring and the thread pool keep the same depth, but io_uring spent %.1f µs of CPU per request "
                  "against %.1f µs, and %ld context switches against %ld: one thread and one system call per batch "
                  "instead of a thread and a wake-up per request. ",
                  cpu_us_per_io(*uring), cpu_us_per_io(*pool), uring->cpu.voluntary_switches + uring->cpu.involuntary_switches,
                  pool->cpu.voluntary_switches + pool->cpu.involuntary_switches);
    out += text;
  } else if (uring && uring->engine != "io_uring") {
    out += "io_uring was refused here, so its row is the thread pool again. ";
  }
  if (const JobResult* mmap = by_engine(results, "mmap"); mmap && mmap->ios()) {
    std::snprintf(text, sizeof text,
                  "mmap reads by page faults (%ld major faults): no system call per request, but each fault blocks "
                  "its thread, so its queue depth is 1%s.",
                  mmap->cpu.major_faults, mmap->spec.direct ? "" : " and every page goes through the page cache");
    out += text;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace csc::io
