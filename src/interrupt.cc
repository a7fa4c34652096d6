// The SIGINT/SIGTERM handler: an async-signal-safe atomic exchange, read by interrupted(); the
// second signal cleans up temporary outputs and re-raises with the default action.
#include "src/interrupt.h"

#include <signal.h>

#include <atomic>

#include "src/error.h"
#include "src/output_file.h"

namespace csc {
namespace {

std::atomic<int> g_signal{0};
static_assert(std::atomic<int>::is_always_lock_free, "the handler may only touch lock-free atomics");

extern "C" void on_signal(int signal_number) {
  if (g_signal.exchange(signal_number, std::memory_order_relaxed) == 0) return;
  // Only async-signal-safe calls from here: unlink, signal, raise. The raised signal is blocked
  // until this handler returns, then ends the process as if no handler had been installed.
  io::remove_pending_outputs();
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

}  // namespace

void install_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  for (int signal_number : {SIGINT, SIGTERM}) {
    struct sigaction previous {};
    if (sigaction(signal_number, nullptr, &previous) != 0 || previous.sa_handler == SIG_IGN) continue;
    sigaction(signal_number, &action, nullptr);
  }
}

bool interrupted() { return g_signal.load(std::memory_order_relaxed) != 0; }

void throw_if_interrupted() {
  const int signal_number = g_signal.load(std::memory_order_relaxed);
  if (signal_number == SIGTERM) throw Error(ExitCode::interrupted, "terminated (SIGTERM)");
  if (signal_number != 0) throw Error(ExitCode::interrupted, "interrupted");
}

}  // namespace csc
