// The stderr progress bar: rate-limited drawing from whichever thread finds a redraw due.
#include "src/progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include <fmt/format.h>

namespace csc {
namespace {

constexpr std::string_view kEraseLine = "\r\x1b[2K";

int terminal_width(std::FILE* stream) {
  winsize size{};
  if (::ioctl(::fileno(stream), TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return 80;
}

std::int64_t to_ns(double seconds) { return static_cast<std::int64_t>(seconds * 1e9); }

// Columns taken by UTF-8 text (labels may hold any character; one column per code point).
std::size_t columns(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// The longest prefix of `s` that fits `width` columns, cut at a code point boundary.
std::string fit_columns(std::string_view s, std::size_t width) {
  std::size_t cols = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (cols == width) break;
      ++cols;
    }
  }
  return std::string(s.substr(0, i));
}

}  // namespace

std::string format_duration(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "--:--";
  const auto s = static_cast<long long>(std::ceil(seconds));
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

std::string format_count(double n) {
  if (!std::isfinite(n) || n < 0) return "?";
  static constexpr const char* kUnits[] = {"", "k", "M", "G", "T", "P", "E"};
  std::size_t unit = 0;
  while (n >= 999.5 && unit + 1 < std::size(kUnits)) {
    n /= 1000;
    ++unit;
  }
  if (unit == 0 && n == std::floor(n)) return fmt::format("{:.0f}", n);
  if (n < 9.95) return fmt::format("{:.1f}{}", n, kUnits[unit]);
  return fmt::format("{:.0f}{}", n, kUnits[unit]);
}

std::string format_progress_line(std::string_view label, std::uint64_t done, std::uint64_t total, double elapsed_s,
                                 int width) {
  const auto d = static_cast<double>(done);
  const double rate = elapsed_s > 0 ? d / elapsed_s : 0;
  std::string stats;
  double fraction = 0;
  if (total > 0) {
    fraction = std::min(1.0, d / static_cast<double>(total));
    const double eta = done == 0 ? -1 : done >= total ? 0 : elapsed_s * (static_cast<double>(total) - d) / d;
    stats = fmt::format("{:3.0f}%  {}/{}  {}/s  ETA {}", std::floor(fraction * 100), format_count(d),
                        format_count(static_cast<double>(total)), format_count(rate), format_duration(eta));
  } else {
    stats = fmt::format("{}  {}/s  {}", format_count(d), format_count(rate), format_duration(elapsed_s));
  }
  const std::size_t room = static_cast<std::size_t>(std::max(width - 1, 1));  // the last column would wrap
  const std::size_t label_cols = columns(label);
  const std::size_t fixed = label_cols + 2 + stats.size();
  if (total > 0 && fixed + 2 + 12 <= room) {
    const std::size_t bar = std::min<std::size_t>(room - fixed - 4, 40);  // "[" bar "]" and two spaces
    const auto filled = static_cast<std::size_t>(fraction * static_cast<double>(bar));
    std::string cells(filled, '=');
    if (filled < bar) {
      cells += '>';
      cells.append(bar - filled - 1, ' ');
    }
    return fmt::format("{}  [{}]  {}", label, cells, stats);
  }
  if (fixed <= room) return fmt::format("{}  {}", label, stats);
  if (stats.size() + 4 <= room) return fmt::format("{}  {}", fit_columns(label, room - stats.size() - 2), stats);
  return fit_columns(stats, room);
}

Progress::Progress(std::string label, std::uint64_t total, bool enabled)
    : Progress(std::move(label), total, enabled, Options{}) {}

Progress::Progress(std::string label, std::uint64_t total, bool enabled, Options options)
    : label_(std::move(label)),
      total_(total),
      options_(options),
      enabled_(enabled && options.stream != nullptr && ::isatty(::fileno(options.stream)) == 1),
      start_(std::chrono::steady_clock::now()),
      next_draw_ns_(to_ns(options.initial_delay_s)) {}

Progress::~Progress() { finish(); }

double Progress::elapsed_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::advance(std::uint64_t n) {
  const std::uint64_t done = done_.fetch_add(n, std::memory_order_relaxed) + n;
  if (!enabled_) return;
  const double elapsed = elapsed_s();
  const std::int64_t now = to_ns(elapsed);
  if (now < next_draw_ns_.load(std::memory_order_relaxed)) return;
  if (drawing_.test_and_set(std::memory_order_acquire)) return;  // another thread is drawing
  if (!finished_.load(std::memory_order_relaxed) && now >= next_draw_ns_.load(std::memory_order_relaxed)) {
    next_draw_ns_.store(now + to_ns(options_.min_interval_s), std::memory_order_relaxed);
    draw(done, elapsed);
  }
  drawing_.clear(std::memory_order_release);
}

void Progress::draw(std::uint64_t done, double elapsed) {
  const std::string line = format_progress_line(label_, done, total_, elapsed, terminal_width(options_.stream));
  std::fputs(fmt::format("{}{}", kEraseLine, line).c_str(), options_.stream);
  std::fflush(options_.stream);
  drawn_ = true;
}

void Progress::finish() {
  if (finished_.exchange(true)) return;
  if (!enabled_) return;
  while (drawing_.test_and_set(std::memory_order_acquire)) std::this_thread::yield();
  if (drawn_) {
    std::fputs(std::string(kEraseLine).c_str(), options_.stream);
    std::fflush(options_.stream);
  }
  drawing_.clear(std::memory_order_release);
}

}  // namespace csc
