// Modes and the small result helpers of job.h.
#include "kernels/io/job.h"

namespace csc::io {

namespace {
constexpr std::pair<Mode, const char*> kModes[] = {
    {Mode::read, "read"}, {Mode::write, "write"}, {Mode::randread, "randread"},
    {Mode::randwrite, "randwrite"}, {Mode::randrw, "randrw"}};
}  // namespace

const char* mode_name(Mode mode) {
  for (const auto& [m, name] : kModes)
    if (m == mode) return name;
  return "?";
}

std::optional<Mode> parse_mode(std::string_view name) {
  for (const auto& [m, text] : kModes)
    if (name == text) return m;
  return std::nullopt;
}

bool mode_reads(Mode mode) { return mode == Mode::read || mode == Mode::randread || mode == Mode::randrw; }
bool mode_writes(Mode mode) { return mode == Mode::write || mode == Mode::randwrite || mode == Mode::randrw; }
bool mode_random(Mode mode) { return mode == Mode::randread || mode == Mode::randwrite || mode == Mode::randrw; }

void DirectionStats::merge(const DirectionStats& other) {
  ios += other.ios;
  bytes += other.bytes;
  lat.merge(other.lat);
  slat.merge(other.slat);
  clat.merge(other.clat);
}

DirectionStats JobResult::total() const {
  DirectionStats all = read;
  all.merge(write);
  return all;
}

}  // namespace csc::io
