// Hoffmann et al.'s Approach 3 fitting procedure: L-BFGS from every point of a grid of starting values
// (4500 by default), the start with the lowest objective wins. Starts are spread over OpenMP threads;
// the winner is chosen afterwards by (objective, start index), so it does not depend on the thread count.
#pragma once

#include <array>
#include <cstddef>
#include <vector>

#include "kernels/fit/free_params.h"
#include "kernels/fit/lbfgs.h"
#include "kernels/fit/log_points.h"
#include "kernels/fit/scaling_law.h"

namespace csc::fit {

// The values each theta entry starts from; entries that are not free are ignored.
struct StartGrid {
  std::array<std::vector<double>, kParamCount> values;
};

// Hoffmann et al.'s grid: alpha, beta in {0, 0.5, ..., 2}, e in {-1, -0.5, ..., 1}, a, b in {0, 5, ..., 25}.
StartGrid hoffmann_start_grid();

// first, first + step, ... up to last (inclusive within rounding). Throws std::invalid_argument when
// step <= 0, last < first, a value is not finite, or the axis would exceed 10000 values.
std::vector<double> grid_axis(double first, double last, double step);

struct LseFitSetup {
  int terms = 2;              // 2: E + A/N^alpha + B/D^beta; 1: E + A/x^alpha
  double huber_delta = 1e-3;  // +infinity: least squares
  ParamConstraints constraints;
  LbfgsOptions lbfgs;         // the double-precision runs
  // fit_start_grid runs every start in single precision first (until float rounding stops it), then
  // polishes in double precision the starts whose objective came within polish_margin (relative) of
  // the best. On the Chinchilla points and 60 bootstrap resamples of them this finds the optimum of
  // double precision throughout to 1e-13 at less than half the cost; fewer starts end within 1 ppm of
  // it (about 630 of 4500 instead of 1030), since a start crawling along a flat valley stops where
  // float can no longer see progress.
  bool single_precision_phase = true;
  LbfgsOptions single_precision_lbfgs = {.relative_decrease = 1e-8, .max_line_search = 20};
  double polish_margin = 1e-2;
};

struct StartOutcome {
  Theta theta{};
  double objective = INFINITY;
  int evaluations = 0;
  LbfgsStatus status = LbfgsStatus::non_finite_start;
};

// One double-precision L-BFGS run from `start` (fixed entries are taken from the setup's constraints).
StartOutcome fit_from_start(const LogPoints& points, const LseFitSetup& setup, const Theta& start);

struct MultiStartResult {
  Theta theta{};
  double objective = INFINITY;
  std::size_t starts = 0;
  std::size_t best_start = 0;      // index in the grid's order: alpha, beta, e, a, b (b varies fastest)
  Theta best_start_point{};
  std::size_t starts_at_best = 0;  // starts whose objective is within best_tolerance (relative) of the best
  std::size_t failed_starts = 0;   // starts where the objective was not finite
  long long evaluations = 0;
  // Per theta entry: every start that reached the best began on the lowest or highest grid value.
  std::array<bool, kParamCount> best_starts_on_edge{};
};

std::size_t start_count(const LseFitSetup& setup, const StartGrid& grid);

// threads: 0 = OpenMP's default, 1 = serial (inside an already parallel bootstrap).
MultiStartResult fit_start_grid(const LogPoints& points, const LseFitSetup& setup, const StartGrid& grid,
                                int threads, double best_tolerance = 1e-6);

}  // namespace csc::fit
