// The command table: every subcommand csc has, in one list (see commands.cc for how to add one).
#pragma once

#include <span>
#include <string_view>

#include <CLI/CLI.hpp>

#include "src/invocation.h"

namespace csc {

struct Command {
  std::string_view name;      // as typed: "scale-fit"
  std::string_view summary;   // one line for `csc --help` and csc.1
  void (*setup)(CLI::App& app);   // adds the subcommand's options (and verbs) to its CLI11 app
  void (*run)(Invocation& inv);   // runs it once parsed; fills inv.report()
};

std::span<const Command> commands();

}  // namespace csc
