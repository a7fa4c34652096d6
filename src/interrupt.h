// Ctrl-C: SIGINT and SIGTERM only set a flag; long loops poll it at block boundaries and throw, so
// the stack unwinds (temporary output files are removed) and main exits 130. A second signal, for
// loops that never poll or a user who will not wait, removes the pending temporary outputs and then
// takes the default action, ending csc at once.
//
// Usage, in a subcommand's outer loop (never inside an OpenMP region: exceptions must not leave one;
// test interrupted() there and stop early instead):
//   for (std::size_t block = 0; block < blocks; ++block) { throw_if_interrupted(); ... }
#pragma once

namespace csc {

// Installs the handler for SIGINT and SIGTERM (SA_RESTART: interrupted system calls resume). A
// signal ignored when csc started (e.g. SIGINT in a background job of a non-interactive shell)
// stays ignored. Idempotent; main calls it once.
void install_interrupt_handler();

// Whether SIGINT or SIGTERM has arrived since the handler was installed.
bool interrupted();

// Throws csc::Error(ExitCode::interrupted, ...) once a signal has arrived.
void throw_if_interrupted();

}  // namespace csc
