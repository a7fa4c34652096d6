// Reading the I/O stack's state: statfs/statx/stat, /proc/self/mountinfo, /sys/dev/block, /proc/meminfo,
// /proc/pressure/io; and the findings a user should read before trusting a benchmark.
#include "kernels/io/diagnose.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

#include "kernels/io/file_cache.h"
#include "kernels/io/io_error.h"
#include "kernels/io/test_file.h"
#include "kernels/io/units.h"
#include "kernels/platform/uring_probe.h"

namespace csc::io {

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::string text;
  std::getline(in, text);
  return text;
}

long read_long(const std::string& path) {
  const std::string text = read_text(path);
  if (text.empty()) return -1;
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  return end == text.c_str() ? -1 : v;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
  while (!s.empty() && s.front() == ' ') s.erase(0, 1);
  return s;
}

const char* type_from_magic(std::uint64_t magic) {
  switch (magic) {
    case 0xEF53: return "ext4";
    case 0x58465342: return "xfs";
    case 0x9123683E: return "btrfs";
    case 0x01021994: return "tmpfs";
    case 0x858458f6: return "ramfs";
    case 0x794c7630: return "overlay";
    case 0x6969: return "nfs";
    case 0xFF534D42: return "cifs";
    case 0x65735546: return "fuse";
    case 0x01021997: return "9p";
    case 0x2fc12fc1: return "zfs";
    case 0xF2F52010: return "f2fs";
    case 0x4d44: return "vfat";
    default: return "unknown";
  }
}

// mountinfo line: id parent major:minor root mountpoint options ... - fstype source superoptions
void fill_mount(FilesystemInfo& fs, const std::string& real_path) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  const std::string dev = std::to_string(fs.device_major) + ":" + std::to_string(fs.device_minor);
  std::size_t best = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, devno, root, point, options, token;
    fields >> id >> parent >> devno >> root >> point >> options;
    while (fields >> token && token != "-") {}
    std::string type, source;
    fields >> type >> source;
    const bool prefix = real_path == point || point == "/" ||
                        (real_path.rfind(point, 0) == 0 && real_path.size() > point.size() && real_path[point.size()] == '/');
    if (devno == dev && prefix && point.size() >= best) {
      best = point.size();
      fs.mount_point = point;
      fs.mount_source = source;
      fs.mount_options = options;
      fs.type = type;
    }
  }
}

bool cpu_has_hypervisor_flag() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("flags", 0) == 0) return line.find(" hypervisor") != std::string::npos;
  return false;
}

}  // namespace

bool memory_filesystem(const FilesystemInfo& fs) { return fs.type == "tmpfs" || fs.type == "ramfs"; }

FilesystemInfo filesystem_info(const std::string& path) {
  FilesystemInfo fs;
  struct statfs sfs {};
  struct stat st {};
  if (statfs(path.c_str(), &sfs) != 0 || stat(path.c_str(), &st) != 0)
    throw IoError(errno, path + ": " + errno_text(errno));
  fs.magic = static_cast<std::uint64_t>(sfs.f_type);
  fs.block_size = static_cast<std::uint64_t>(sfs.f_bsize);
  fs.total_bytes = static_cast<std::uint64_t>(sfs.f_blocks) * sfs.f_bsize;
  fs.available_bytes = static_cast<std::uint64_t>(sfs.f_bavail) * sfs.f_bsize;
  fs.device_major = major(st.st_dev);
  fs.device_minor = minor(st.st_dev);
  char real[PATH_MAX];
  fill_mount(fs, realpath(path.c_str(), real) ? std::string(real) : path);
  if (fs.type.empty()) fs.type = type_from_magic(fs.magic);
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    fs.dio = direct_io_alignment(fd);
    close(fd);
  }
  return fs;
}

BlockDeviceInfo block_device_info(unsigned major_number, unsigned minor_number) {
  BlockDeviceInfo dev;
  if (major_number == 0) return dev;  // anonymous device: tmpfs, overlay, nfs...
  dev.id = std::to_string(major_number) + ":" + std::to_string(minor_number);
  char real[PATH_MAX];
  if (!realpath(("/sys/dev/block/" + dev.id).c_str(), real)) return dev;
  std::string sys = real;
  dev.present = true;
  if (access((sys + "/partition").c_str(), F_OK) == 0) {
    dev.partition = sys.substr(sys.rfind('/') + 1);
    sys = sys.substr(0, sys.rfind('/'));
  }
  dev.name = sys.substr(sys.rfind('/') + 1);
  dev.model = trim(read_text(sys + "/device/model"));
  dev.vendor = trim(read_text(sys + "/device/vendor"));
  const std::string queue = sys + "/queue/";
  std::istringstream schedulers(read_text(queue + "scheduler"));
  for (std::string s; schedulers >> s;) {
    if (s.front() == '[') {
      s = s.substr(1, s.size() - 2);
      dev.scheduler = s;
    }
    dev.schedulers.push_back(s);
  }
  dev.read_ahead_kb = read_long(queue + "read_ahead_kb");
  dev.max_sectors_kb = read_long(queue + "max_sectors_kb");
  dev.logical_block_size = read_long(queue + "logical_block_size");
  dev.physical_block_size = read_long(queue + "physical_block_size");
  dev.nr_requests = read_long(queue + "nr_requests");
  dev.rotational = static_cast<int>(read_long(queue + "rotational"));
  const long sectors = read_long(sys + "/size");
  if (sectors > 0) dev.size_bytes = static_cast<std::uint64_t>(sectors) * 512;

  const std::string model = dev.model + " " + dev.vendor;
  if (dev.vendor == "0x1af4" || dev.name.rfind("vd", 0) == 0) {
    dev.virtual_disk = true, dev.virtual_reason = "virtio disk";
  } else if (dev.name.rfind("xvd", 0) == 0) {
    dev.virtual_disk = true, dev.virtual_reason = "Xen disk";
  } else if (model.find("QEMU") != std::string::npos || model.find("VMware") != std::string::npos ||
             model.find("Virtual") != std::string::npos || model.find("Elastic Block Store") != std::string::npos) {
    dev.virtual_disk = true, dev.virtual_reason = "model \"" + trim(model) + "\"";
  } else if (dev.name.rfind("loop", 0) == 0) {
    dev.virtual_disk = true, dev.virtual_reason = "loop device backed by a file";
  } else if (dev.name.rfind("zram", 0) == 0) {
    dev.virtual_disk = true, dev.virtual_reason = "compressed RAM (zram)";
  } else if (cpu_has_hypervisor_flag()) {
    dev.virtual_disk = true, dev.virtual_reason = "running under a hypervisor";
  }
  return dev;
}

DirectIoProbe probe_direct_io(const std::string& path, bool is_file, bool simulate_refusal) {
  DirectIoProbe probe;
  int fd = -1;
  std::optional<TestFile> scratch;
  if (is_file) {
    fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } else {
    try {
      scratch.emplace(TestFile::create(path, false));
      fd = scratch->fd();
    } catch (const IoError& e) {
      probe.reason = std::string("no probe file: ") + e.what();
      return probe;
    }
  }
  if (fd < 0) {
    probe.reason = errno_text(errno);
    return probe;
  }
  probe.tested = true;
  const int direct = simulate_refusal ? -1 : open(("/proc/self/fd/" + std::to_string(fd)).c_str(), O_RDONLY | O_DIRECT | O_CLOEXEC);
  if (direct >= 0) {
    probe.supported = true;
    probe.alignment = direct_io_alignment(direct);
    close(direct);
  } else {
    probe.reason = simulate_refusal ? "EINVAL (Invalid argument) (simulated by CSC_IOBENCH_SIMULATE_DIRECT_EINVAL)"
                                    : errno_text(errno);
  }
  if (!probe.alignment.known) probe.alignment = direct_io_alignment(fd);
  if (is_file) close(fd);
  return probe;
}

MemoryState memory_state() {
  MemoryState m;
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (in >> key >> kib) {
    std::getline(in, unit);
    const std::uint64_t bytes = kib * 1024;
    if (key == "MemTotal:") m.total_bytes = bytes;
    else if (key == "MemAvailable:") m.available_bytes = bytes;
    else if (key == "Dirty:") m.dirty_bytes = bytes;
    else if (key == "Writeback:") m.writeback_bytes = bytes;
  }
  return m;
}

IoPressure io_pressure() {
  IoPressure p;
  std::FILE* f = std::fopen("/proc/pressure/io", "r");
  if (f == nullptr) return p;
  char kind[8];
  double a10, a60, a300;
  unsigned long long total;
  while (std::fscanf(f, "%7s avg10=%lf avg60=%lf avg300=%lf total=%llu\n", kind, &a10, &a60, &a300, &total) == 5) {
    p.available = true;
    if (std::string(kind) == "some") p.some_avg10 = a10, p.some_avg60 = a60;
    else p.full_avg10 = a10, p.full_avg60 = a60;
  }
  std::fclose(f);
  return p;
}

Diagnosis diagnose(const std::string& path, bool simulate_uring_refusal, bool simulate_direct_refusal) {
  Diagnosis d;
  d.path = path;
  d.filesystem = filesystem_info(path);
  struct stat st {};
  stat(path.c_str(), &st);
  d.is_file = S_ISREG(st.st_mode);
  d.device = block_device_info(d.filesystem.device_major, d.filesystem.device_minor);
  d.memory = memory_state();
  d.pressure = io_pressure();
  if (d.is_file) {
    d.residency.applicable = true;
    d.residency.size_bytes = static_cast<std::uint64_t>(st.st_size);
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      d.residency.fraction = resident_fraction(fd, d.residency.size_bytes);
      close(fd);
    }
  }
  d.direct_io = probe_direct_io(path, d.is_file, simulate_direct_refusal);
  if (simulate_uring_refusal) {
    d.uring_reason = "io_uring_queue_init: Operation not permitted (simulated by CSC_IOBENCH_SIMULATE_URING_EPERM)";
  } else {
    const auto probe = csc::platform::probe_io_uring();
    d.uring_usable = probe.usable;
    d.uring_reason = probe.reason;
  }
  d.findings = diagnosis_findings(d);
  return d;
}

std::vector<Finding> diagnosis_findings(const Diagnosis& d) {
  std::vector<Finding> out;
  const FilesystemInfo& fs = d.filesystem;
  const BlockDeviceInfo& dev = d.device;
  if (memory_filesystem(fs))
    out.push_back({"tmpfs_direct", "O_DIRECT on " + fs.type + " does not bypass RAM: the files live in the page cache, "
                                   "so every number measured here is a memory number, not a disk number"});
  if (d.direct_io.tested && !d.direct_io.supported)
    out.push_back({"direct_refused", "O_DIRECT is refused here (" + d.direct_io.reason +
                                         "): --direct jobs run buffered, through the page cache"});
  if (fs.type == "overlay")
    out.push_back({"overlay", "overlay filesystem (a container's writable layer): I/O goes through overlayfs to the "
                              "layer below; benchmark a bind-mounted volume to measure the disk itself"});
  if (fs.type == "nfs" || fs.type == "nfs4" || fs.type == "cifs" || fs.type == "9p" || fs.type.rfind("fuse", 0) == 0 ||
      fs.type == "virtiofs")
    out.push_back({"remote_fs", fs.type + " is a network or userspace filesystem: latency includes the network or "
                                          "the daemon serving it, and O_DIRECT may be ignored"});
  if (dev.present && dev.virtual_disk && dev.rotational == 1)
    out.push_back({"virtual_rotational", "rotational=1 on a virtual disk (" + dev.virtual_reason +
                                             "): the flag describes nothing real; the host's storage and cache decide "
                                             "how this disk behaves"});
  else if (dev.present && dev.virtual_disk)
    out.push_back({"virtual_disk", "virtual disk (" + dev.virtual_reason +
                                       "): the host may cache it, so O_DIRECT reaches the host, not necessarily a device"});
  if (dev.present && dev.rotational == 0 && dev.name.rfind("nvme", 0) == 0 && !dev.scheduler.empty() &&
      dev.scheduler != "none")
    out.push_back({"nvme_scheduler", "I/O scheduler " + dev.scheduler + " on NVMe: 'none' is usual; a scheduler adds "
                                                                       "CPU work per request at high IOPS"});
  if (dev.present && dev.read_ahead_kb >= 1024)
    out.push_back({"large_readahead", "read_ahead_kb=" + std::to_string(dev.read_ahead_kb) +
                                          ": buffered sequential reads fetch far ahead; buffered random reads can pull "
                                          "more from the device than they asked for (compare device_read_bytes)"});
  const double dirty = static_cast<double>(d.memory.dirty_bytes + d.memory.writeback_bytes);
  if (dirty > 256.0 * (1 << 20) || (d.memory.total_bytes && dirty > 0.05 * static_cast<double>(d.memory.total_bytes)))
    out.push_back({"dirty_memory", format_bytes(dirty) + " of dirty page cache waiting for writeback: write "
                                                         "benchmarks started now compete with it"});
  if (d.pressure.available && d.pressure.some_avg10 >= 5.0) {
    char text[160];
    std::snprintf(text, sizeof text,
                  "I/O pressure: some task was stalled on I/O %.0f%% of the last 10 s (PSI); other work is using the "
                  "storage, so results will be noisy",
                  d.pressure.some_avg10);
    out.push_back({"io_pressure", text});
  }
  if (d.residency.applicable && d.residency.fraction >= 0.9 && d.residency.size_bytes > 0) {
    char text[200];
    std::snprintf(text, sizeof text,
                  "the file is %.0f%% resident in the page cache: buffered reads of it will not touch the device "
                  "(use --cache cold or --direct)",
                  100.0 * d.residency.fraction);
    out.push_back({"file_cached", text});
  }
  if (!d.uring_usable)
    out.push_back({"uring_refused", "io_uring is refused here (" + d.uring_reason +
                                        "): Docker 25+'s default seccomp profile and kernel.io_uring_disabled do this; "
                                        "csc iobench falls back to its threadpool engine"});
  return out;
}

}  // namespace csc::io
