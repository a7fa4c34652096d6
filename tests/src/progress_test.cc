// Tests of the stderr progress bar: silent off a terminal, drawn and erased on one, thread-safe counting.
#include <doctest/doctest.h>

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "src/progress.h"

namespace {

std::string read_file(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string out;
  char buffer[4096];
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) out.append(buffer, n);
  return out;
}

// A pseudo-terminal: the slave end looks like a terminal to isatty(); what is written to it can be
// read from the master end.
struct Pty {
  int master = -1;
  std::FILE* slave = nullptr;
  Pty() {
    master = ::posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || ::grantpt(master) != 0 || ::unlockpt(master) != 0) return;
    const int fd = ::open(::ptsname(master), O_RDWR | O_NOCTTY);
    if (fd >= 0) slave = ::fdopen(fd, "w");
  }
  ~Pty() {
    if (slave) std::fclose(slave);
    if (master >= 0) ::close(master);
  }
  std::string drain() const {
    std::string out;
    char buffer[4096];
    pollfd p{master, POLLIN, 0};
    while (::poll(&p, 1, 50) > 0 && (p.revents & POLLIN)) {
      const ssize_t n = ::read(master, buffer, sizeof buffer);
      if (n <= 0) break;
      out.append(buffer, static_cast<std::size_t>(n));
    }
    return out;
  }
};

}  // namespace

TEST_CASE("progress: nothing is written when the stream is not a terminal or the bar is disabled") {
  std::FILE* file = std::tmpfile();
  REQUIRE(file);
  {
    csc::Progress p("work", 100, true, {.stream = file, .min_interval_s = 0, .initial_delay_s = 0});
    CHECK(!p.active());
    for (int i = 0; i < 100; ++i) p.advance();
    CHECK(p.done() == 100);
  }
  CHECK(read_file(file).empty());
  std::fclose(file);

  Pty pty;
  REQUIRE(pty.slave);
  {
    csc::Progress p("work", 100, false, {.stream = pty.slave, .min_interval_s = 0, .initial_delay_s = 0});
    CHECK(!p.active());
    p.advance(50);
  }
  CHECK(pty.drain().empty());
}

TEST_CASE("progress: on a terminal the bar is drawn, then erased") {
  Pty pty;
  REQUIRE(pty.slave);
  {
    csc::Progress p("crunching", 10, true, {.stream = pty.slave, .min_interval_s = 0, .initial_delay_s = 0});
    CHECK(p.active());
    p.advance(4);
    const std::string shown = pty.drain();
    CHECK(shown.find("crunching") != std::string::npos);
    CHECK(shown.find("40%") != std::string::npos);
    CHECK(shown.find("4/10") != std::string::npos);
    p.finish();
    CHECK(pty.drain() == "\r\x1b[2K");
    p.advance(1);  // after finish: counted, not drawn
    CHECK(p.done() == 5);
  }
  CHECK(pty.drain().empty());  // the destructor does not erase twice

  // Work shorter than the initial delay never shows a bar, and leaves nothing to erase.
  {
    csc::Progress p("quick", 10, true, {.stream = pty.slave, .min_interval_s = 0.1, .initial_delay_s = 60});
    p.advance(10);
  }
  CHECK(pty.drain().empty());
}

TEST_CASE("progress: advance() from many threads counts every unit") {
  Pty pty;
  REQUIRE(pty.slave);
  csc::Progress p("threads", 400000, true, {.stream = pty.slave, .min_interval_s = 0, .initial_delay_s = 0});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100000; ++i) p.advance();
    });
  }
  std::thread reader([&] { pty.drain(); });  // keep the terminal's buffer from filling up
  for (auto& t : threads) t.join();
  p.finish();
  reader.join();
  CHECK(p.done() == 400000);
}

TEST_CASE("progress: the line shows percent, counts, rate and ETA within the width") {
  const std::string line = csc::format_progress_line("pca: covariance", 42, 100, 2.0, 100);
  CHECK(line.find("pca: covariance") == 0);
  CHECK(line.find(" 42%") != std::string::npos);
  CHECK(line.find("42/100") != std::string::npos);
  CHECK(line.find("21/s") != std::string::npos);
  CHECK(line.find("ETA 0:03") != std::string::npos);  // 58 left at 21/s: 2.76 s, rounded up
  CHECK(line.find('[') != std::string::npos);
  CHECK(line.size() <= 99);

  for (int width : {1, 10, 30, 45, 80}) {
    CAPTURE(width);
    const std::string narrow = csc::format_progress_line("a rather long label for a progress bar", 5, 10, 1.0, width);
    CHECK(narrow.size() <= static_cast<std::size_t>(std::max(width - 1, 1)));
  }
  const std::string unicode = csc::format_progress_line("ρσ label ∑∑∑∑∑∑∑∑∑∑∑∑∑∑", 5, 10, 1.0, 40);
  CHECK(unicode.find("ETA") != std::string::npos);

  const std::string unknown = csc::format_progress_line("scan", 1500, 0, 3.0, 80);
  CHECK(unknown.find('%') == std::string::npos);
  CHECK(unknown.find("1.5k") != std::string::npos);
  CHECK(unknown.find("500/s") != std::string::npos);

  CHECK(csc::format_progress_line("x", 0, 10, 1.0, 80).find("ETA --:--") != std::string::npos);
  CHECK(csc::format_progress_line("x", 20, 10, 1.0, 80).find("100%") != std::string::npos);
}

TEST_CASE("progress: durations and counts are short") {
  CHECK(csc::format_duration(5) == "0:05");
  CHECK(csc::format_duration(754) == "12:34");
  CHECK(csc::format_duration(3725) == "1:02:05");
  CHECK(csc::format_duration(-1) == "--:--");
  CHECK(csc::format_count(950) == "950");
  CHECK(csc::format_count(4200) == "4.2k");
  CHECK(csc::format_count(42000) == "42k");
  CHECK(csc::format_count(1.3e6) == "1.3M");
  CHECK(csc::format_count(2.5) == "2.5");
  CHECK(csc::format_count(999.7) == "1.0k");
}
