// A progress bar on stderr for long loops: drawn only on a terminal and when enabled (no --quiet),
// at most ten redraws a second, erased when done; advance() is cheap and safe from OpenMP threads.
//
// Usage:
//   Progress progress("pca: covariance", n_blocks, inv.show_progress());
//   for (...) { ...; progress.advance(); throw_if_interrupted(); }
//   progress.finish();   // or let the destructor erase the line (also on an exception)
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace csc {

class Progress {
 public:
  struct Options {
    std::FILE* stream = stderr;      // drawn only when this stream is a terminal
    double min_interval_s = 0.1;     // at most ten redraws a second
    double initial_delay_s = 0.5;    // work that ends sooner never shows a bar
  };

  // total = 0 when the amount of work is unknown: count and rate only, no bar, percentage or ETA.
  Progress(std::string label, std::uint64_t total, bool enabled);
  Progress(std::string label, std::uint64_t total, bool enabled, Options options);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Adds n units of work done. Any thread may call it; one atomic add, and a clock read while a
  // redraw is due; whichever thread finds the redraw due draws, the others carry on.
  void advance(std::uint64_t n = 1);
  // Erases the bar; later advance() calls only count.
  void finish();

  bool active() const { return enabled_; }
  std::uint64_t done() const { return done_.load(std::memory_order_relaxed); }

 private:
  void draw(std::uint64_t done, double elapsed_s);
  double elapsed_s() const;

  std::string label_;
  std::uint64_t total_;
  Options options_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  std::atomic<std::uint64_t> done_{0};
  std::atomic<std::int64_t> next_draw_ns_;
  std::atomic_flag drawing_ = ATOMIC_FLAG_INIT;
  std::atomic<bool> finished_{false};
  bool drawn_ = false;  // guarded by drawing_
};

// One progress line fitted to `width` columns, e.g.
// "pca: covariance  [=========>          ]  42%  4.2k/10k  1.3k/s  ETA 0:05".
std::string format_progress_line(std::string_view label, std::uint64_t done, std::uint64_t total, double elapsed_s,
                                 int width);
// "0:05", "12:34", "1:02:03"; "--:--" when unknown (negative or not finite).
std::string format_duration(double seconds);
// "950", "4.2k", "42k", "1.3M": three significant digits at most.
std::string format_count(double n);

}  // namespace csc
