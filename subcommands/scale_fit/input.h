// csc scale-fit's data: the columns of FILE chosen by --n/--d/--c/--loss (or --x/--y), checked for
// values a logarithm can take, D derived from C when only C and N are given, the highest losses dropped;
// or, with no FILE, synthetic data generated from Hoffmann et al.'s published law.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "src/report.h"
#include "subcommands/scale_fit/options.h"

namespace csc {

struct ScaleFitData {
  std::vector<double> n, d, loss;  // power models: n holds x, loss holds y, d is empty
  std::string source;              // the path, "<stdin>" or "embedded"
  bool embedded = false;
  std::string description;         // for embedded data: how it was generated
  Json columns = Json::object();   // role -> the column read for it
  bool d_from_compute = false;     // D = C / (6 N)
  std::size_t rows = 0;            // rows read
  std::vector<double> dropped_losses;
};

// Throws csc::Error: usage for contradictory column options, bad_input (exit 3) for values that are
// not positive, too few rows or unknown columns, each located at file:line.
ScaleFitData load_scale_fit_data(const ScaleFitOptions& options, ScaleModel model, std::size_t parameters,
                                 std::uint64_t seed);

}  // namespace csc
