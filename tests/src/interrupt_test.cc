// Tests of the Ctrl-C handler, each in a forked child so that the signals and the process-wide flag
// never touch the test runner.
#include <doctest/doctest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <string>

#include "src/error.h"
#include "src/interrupt.h"
#include "src/output_file.h"

namespace {

// Runs `body` in a child process and returns its wait status.
int in_child(const std::function<int()>& body) {
  const pid_t pid = ::fork();
  if (pid == 0) ::_exit(body());
  int status = 0;
  ::waitpid(pid, &status, 0);
  return status;
}

bool exited_with(int status, int code) { return WIFEXITED(status) && WEXITSTATUS(status) == code; }

// 0 when throw_if_interrupted() throws csc::Error with exit code 130, else a code saying what went wrong.
int throws_interrupted() {
  try {
    csc::throw_if_interrupted();
    return 10;
  } catch (const csc::Error& e) {
    return e.code() == csc::ExitCode::interrupted && static_cast<int>(e.code()) == 130 ? 0 : 11;
  } catch (...) {
    return 12;
  }
}

}  // namespace

TEST_CASE("interrupt: no signal, no interruption") {
  const int status = in_child([] {
    csc::install_interrupt_handler();
    if (csc::interrupted()) return 1;
    try {
      csc::throw_if_interrupted();
    } catch (...) {
      return 2;
    }
    return 0;
  });
  CHECK(exited_with(status, 0));
}

TEST_CASE("interrupt: SIGINT sets the flag and throw_if_interrupted throws with exit code 130") {
  const int status = in_child([] {
    csc::install_interrupt_handler();
    ::raise(SIGINT);
    if (!csc::interrupted()) return 1;
    return throws_interrupted();
  });
  CHECK(exited_with(status, 0));
}

TEST_CASE("interrupt: SIGTERM is handled the same way") {
  const int status = in_child([] {
    csc::install_interrupt_handler();
    ::raise(SIGTERM);
    if (!csc::interrupted()) return 1;
    return throws_interrupted();
  });
  CHECK(exited_with(status, 0));
}

TEST_CASE("interrupt: a second Ctrl-C takes the default action") {
  const int status = in_child([] {
    csc::install_interrupt_handler();
    ::raise(SIGINT);
    if (!csc::interrupted()) return 1;
    ::raise(SIGINT);  // the handler was reset: this one ends the process
    return 2;
  });
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGINT);
}

TEST_CASE("interrupt: the second signal removes temporary outputs before ending the process") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("csc_interrupt_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string destination = (dir / "out.csv").string();
  const int status = in_child([&] {
    csc::install_interrupt_handler();
    csc::io::OutputFile out(destination, false);
    out.write("half a file");
    if (!std::filesystem::exists(out.temp_path())) return 1;
    ::raise(SIGINT);
    ::raise(SIGINT);  // no unwinding from here: the handler itself must clean up
    return 2;
  });
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGINT);
  CHECK(std::filesystem::is_empty(dir));  // neither the temporary file nor the destination
  std::filesystem::remove_all(dir);
}

TEST_CASE("interrupt: a signal ignored at start stays ignored") {
  const int status = in_child([] {
    ::signal(SIGINT, SIG_IGN);  // as a shell does for background jobs
    csc::install_interrupt_handler();
    ::raise(SIGINT);
    return csc::interrupted() ? 1 : 0;
  });
  CHECK(exited_with(status, 0));
}
