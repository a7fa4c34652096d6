// Parsing fio-style sizes and durations; every unit is binary for sizes, as in fio's kb_base=1024.
#include "kernels/io/units.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace csc::io {

namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  const std::string suffix = lower(std::string_view(end, text.data() + text.size() - end));
  int shift = 0;
  if (suffix.empty() || suffix == "b") {
    shift = 0;
  } else {
    const std::string_view units = "kmgtp";
    const auto unit = units.find(suffix[0]);
    const std::string_view rest = std::string_view(suffix).substr(1);
    if (unit == std::string_view::npos || !(rest.empty() || rest == "b" || rest == "ib")) return std::nullopt;
    shift = 10 * static_cast<int>(unit + 1);
  }
  if (shift > 0 && value > (UINT64_MAX >> shift)) return std::nullopt;
  return value << shift;
}

std::optional<double> parse_duration(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data() || !std::isfinite(value) || value < 0) return std::nullopt;
  const std::string suffix = lower(std::string_view(end, text.data() + text.size() - end));
  if (suffix.empty() || suffix == "s") return value;
  if (suffix == "ms") return value / 1e3;
  if (suffix == "us") return value / 1e6;
  if (suffix == "m" || suffix == "min") return value * 60;
  if (suffix == "h") return value * 3600;
  return std::nullopt;
}

std::string format_bytes(double bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int unit = 0;
  while (unit < 5 && std::fabs(bytes) >= 1024) bytes /= 1024, ++unit;
  char text[48];
  if (unit == 0 || bytes == std::floor(bytes))
    std::snprintf(text, sizeof text, "%.0f %s", bytes, kUnits[unit]);
  else
    std::snprintf(text, sizeof text, "%.3g %s", bytes, kUnits[unit]);
  return text;
}

}  // namespace csc::io
