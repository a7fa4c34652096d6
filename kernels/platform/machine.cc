// Reads the machine description from /proc/cpuinfo, /sys/devices/system/cpu, /proc/meminfo and cgroups.
#include "kernels/platform/machine.h"

#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace csc::platform {
namespace {

std::string read_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// "48K", "1024K", "32768K", "1M" as written in /sys/.../cache/index*/size.
std::size_t parse_size(const std::string& text) {
  std::size_t value = 0, i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') value = value * 10 + (text[i++] - '0');
  if (i < text.size() && (text[i] == 'K' || text[i] == 'k')) value <<= 10;
  if (i < text.size() && (text[i] == 'M' || text[i] == 'm')) value <<= 20;
  return value;
}

// "0-3,8" -> 5
int count_cpu_list(const std::string& list) {
  int count = 0;
  std::stringstream ss(list);
  std::string range;
  while (std::getline(ss, range, ',')) {
    if (range.empty()) continue;
    auto dash = range.find('-');
    count += dash == std::string::npos ? 1 : std::stoi(range.substr(dash + 1)) - std::stoi(range.substr(0, dash)) + 1;
  }
  return count;
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0 || line.rfind("Processor", 0) == 0 || line.rfind("uarch", 0) == 0) {
      auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  }
  return "unknown";
}

std::vector<CacheLevel> caches() {
  std::vector<CacheLevel> levels;
  for (int index = 0; index < 16; ++index) {
    const std::string dir = "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index) + "/";
    const std::string level = read_line(dir + "level");
    if (level.empty()) break;
    CacheLevel cache;
    cache.level = std::stoi(level);
    cache.type = read_line(dir + "type");
    cache.size_bytes = parse_size(read_line(dir + "size"));
    cache.line_bytes = parse_size(read_line(dir + "coherency_line_size"));
    cache.shared_by_cpus = count_cpu_list(read_line(dir + "shared_cpu_list"));
    levels.push_back(cache);
  }
  return levels;
}

std::uint64_t meminfo_bytes(const std::string& key) {
  std::ifstream in("/proc/meminfo");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(key + ":", 0) == 0) return std::stoull(line.substr(key.size() + 1)) * 1024;
  return 0;
}

double cgroup_cpu_limit() {
  std::istringstream in(read_line("/sys/fs/cgroup/cpu.max"));  // "max 100000" or "200000 100000"
  std::string quota;
  double period = 0;
  if (!(in >> quota >> period) || quota == "max" || period <= 0) return 0;
  return std::stod(quota) / period;
}

}  // namespace

Machine describe_machine() {
  Machine machine;
  machine.cpu_model = cpu_model();
  machine.logical_cpus = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  cpu_set_t mask;
  machine.usable_cpus = sched_getaffinity(0, sizeof(mask), &mask) == 0 ? CPU_COUNT(&mask) : machine.logical_cpus;
  machine.cgroup_cpu_limit = cgroup_cpu_limit();
  machine.caches = caches();
  machine.memory_total_bytes = meminfo_bytes("MemTotal");
  machine.memory_available_bytes = meminfo_bytes("MemAvailable");
  machine.page_size = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  utsname names{};
  if (uname(&names) == 0) machine.kernel_release = std::string(names.sysname) + " " + names.release;
  return machine;
}

}  // namespace csc::platform
