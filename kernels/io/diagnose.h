// What stands between an application and the disk for one path: filesystem, mount, the block device
// with its queue settings, page-cache residency of a file, dirty memory, I/O pressure and io_uring,
// read from statfs/statx, /proc and /sys.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "kernels/io/dio_alignment.h"

namespace csc::io {

struct FilesystemInfo {
  std::string type;                 // "ext4", "tmpfs", "overlay"... (from mountinfo, else statfs magic)
  std::uint64_t magic = 0;          // statfs f_type
  std::uint64_t block_size = 0;     // statfs f_bsize
  std::uint64_t total_bytes = 0;
  std::uint64_t available_bytes = 0;
  std::string mount_point;
  std::string mount_source;
  std::string mount_options;
  unsigned device_major = 0, device_minor = 0;  // st_dev
  DioAlignment dio;                 // statx STATX_DIOALIGN of the path (files report it, directories rarely)
};

struct BlockDeviceInfo {
  bool present = false;             // false for tmpfs, overlay, network filesystems (anonymous st_dev)
  std::string id;                   // "254:0"
  std::string name;                 // "vda" (the whole disk when the path is on a partition)
  std::string partition;            // "vda1", or empty
  std::string model;
  std::string vendor;
  std::string scheduler;            // the active one, e.g. "mq-deadline"
  std::vector<std::string> schedulers;
  long read_ahead_kb = -1;
  long max_sectors_kb = -1;
  long logical_block_size = -1;
  long physical_block_size = -1;
  long nr_requests = -1;
  int rotational = -1;
  std::uint64_t size_bytes = 0;
  bool virtual_disk = false;        // virtio, Xen, VMware, a hypervisor underneath...
  std::string virtual_reason;
};

struct MemoryState {
  std::uint64_t total_bytes = 0;
  std::uint64_t available_bytes = 0;
  std::uint64_t dirty_bytes = 0;
  std::uint64_t writeback_bytes = 0;
};

struct IoPressure {
  bool available = false;           // /proc/pressure/io exists (PSI enabled)
  double some_avg10 = 0, some_avg60 = 0, full_avg10 = 0, full_avg60 = 0;
};

struct Residency {
  bool applicable = false;          // the path is a regular file
  std::uint64_t size_bytes = 0;
  double fraction = -1;
};

// Whether O_DIRECT really opens here: the file itself, or a probe file created (and removed) in a directory.
struct DirectIoProbe {
  bool tested = false;              // false when no probe file could be created (read-only directory...)
  bool supported = false;
  std::string reason;               // the errno text when refused or untested
  DioAlignment alignment;           // statx STATX_DIOALIGN of the probed file
};

struct Finding {
  std::string id;                   // stable key, e.g. "tmpfs_direct", documented in csc-iobench(1)
  std::string text;
};

struct Diagnosis {
  std::string path;
  bool is_file = false;
  FilesystemInfo filesystem;
  BlockDeviceInfo device;
  MemoryState memory;
  IoPressure pressure;
  Residency residency;
  DirectIoProbe direct_io;
  bool uring_usable = false;
  std::string uring_reason;
  std::vector<Finding> findings;
};

// Throws IoError when the path cannot be examined (missing, no permission).
FilesystemInfo filesystem_info(const std::string& path);
BlockDeviceInfo block_device_info(unsigned major, unsigned minor);
DirectIoProbe probe_direct_io(const std::string& path, bool is_file, bool simulate_refusal);
MemoryState memory_state();
IoPressure io_pressure();

// Everything above plus the io_uring and O_DIRECT probes (refused on purpose with the simulate flags, the
// test hooks) and findings.
Diagnosis diagnose(const std::string& path, bool simulate_uring_refusal, bool simulate_direct_refusal = false);

// Findings about the machine and the path, from a diagnosis.
std::vector<Finding> diagnosis_findings(const Diagnosis& d);

// True for filesystems that keep file data in RAM only (tmpfs, ramfs): O_DIRECT cannot bypass RAM.
bool memory_filesystem(const FilesystemInfo& fs);

}  // namespace csc::io
