// The grid of starts, one L-BFGS run per start, and the deterministic choice of the best.
#include "kernels/fit/multistart_fit.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "kernels/fit/huber_lse_objective.h"

namespace csc::fit {

namespace {

// The order of Besiroglu et al.'s itertools.product(alpha, beta, e, a, b): the last varies fastest.
constexpr std::array<int, kParamCount> kGridOrder = {kAlpha, kBeta, kLogE, kLogA, kLogB};

struct GridLayout {
  std::array<const std::vector<double>*, kParamCount> axis{};  // null for entries with no axis
  std::size_t count = 1;
};

GridLayout layout(const FreeParams& free, const StartGrid& grid) {
  GridLayout out;
  for (int j : kGridOrder) {
    if (!free.owns_slot(j)) continue;
    if (grid.values[j].empty()) throw std::invalid_argument("fit_start_grid: empty grid axis");
    out.axis[j] = &grid.values[j];
    out.count *= grid.values[j].size();
  }
  return out;
}

Theta start_point(const GridLayout& grid, std::size_t index) {
  Theta theta{};
  for (int k = kParamCount - 1; k >= 0; --k) {
    const int j = kGridOrder[k];
    if (!grid.axis[j]) continue;
    const auto& values = *grid.axis[j];
    theta[j] = values[index % values.size()];
    index /= values.size();
  }
  return theta;
}

}  // namespace

StartGrid hoffmann_start_grid() {
  StartGrid grid;
  grid.values[kAlpha] = grid_axis(0, 2, 0.5);
  grid.values[kBeta] = grid_axis(0, 2, 0.5);
  grid.values[kLogE] = grid_axis(-1, 1, 0.5);
  grid.values[kLogA] = grid_axis(0, 25, 5);
  grid.values[kLogB] = grid_axis(0, 25, 5);
  return grid;
}

std::vector<double> grid_axis(double first, double last, double step) {
  if (!std::isfinite(first) || !std::isfinite(last) || !std::isfinite(step) || !(step > 0) || last < first)
    throw std::invalid_argument("grid_axis: need finite first <= last and step > 0");
  const double steps = std::floor((last - first) / step + 1e-9);
  if (steps >= 10000) throw std::invalid_argument("grid_axis: more than 10000 values");
  std::vector<double> values;
  for (int i = 0; i <= static_cast<int>(steps); ++i) values.push_back(first + i * step);
  return values;
}

namespace {

// One L-BFGS run on `points` (double or single precision) from `start`.
template <class Points>
StartOutcome minimize_from(const Points& points, const LseFitSetup& setup, const FreeParams& free,
                           const LbfgsOptions& options, const Theta& start) {
  double x[kLbfgsMaxDim];
  free.gather(start, x);
  const auto objective = [&](const double* v, double* g) {
    Theta grad;
    const double f = huber_lse_objective(points, setup.terms, free.expand(v), setup.huber_delta, &grad);
    free.reduce_gradient(grad, g);
    return f;
  };
  const LbfgsResult run = minimize_lbfgs(objective, x, free.dim(), options);
  return {free.expand(x), run.objective, run.evaluations, run.status};
}

}  // namespace

StartOutcome fit_from_start(const LogPoints& points, const LseFitSetup& setup, const Theta& start) {
  return minimize_from(points, setup, FreeParams(setup.terms, setup.constraints), setup.lbfgs, start);
}

std::size_t start_count(const LseFitSetup& setup, const StartGrid& grid) {
  return layout(FreeParams(setup.terms, setup.constraints), grid).count;
}

MultiStartResult fit_start_grid(const LogPoints& points, const LseFitSetup& setup, const StartGrid& grid,
                                int threads, double best_tolerance) {
  const FreeParams free(setup.terms, setup.constraints);
  const GridLayout starts = layout(free, grid);
  const long long count = static_cast<long long>(starts.count);
  std::vector<StartOutcome> outcomes(starts.count);
  const int team = threads > 0 ? threads : omp_get_max_threads();
  if (!setup.single_precision_phase) {
#pragma omp parallel for schedule(dynamic, 8) num_threads(team) if (team > 1)
    for (long long s = 0; s < count; ++s)
      outcomes[s] = minimize_from(points, setup, free, setup.lbfgs, start_point(starts, s));
  } else {
    // Phase 1, single precision: every start to (near) its minimum at twice the SIMD width.
    const LogPointsF single = to_single(points);
#pragma omp parallel for schedule(dynamic, 8) num_threads(team) if (team > 1)
    for (long long s = 0; s < count; ++s)
      outcomes[s] = minimize_from(single, setup, free, setup.single_precision_lbfgs, start_point(starts, s));
    // Phase 2, double precision: polish the starts that ended near the best (the others cannot come within
    // best_tolerance of it: the single-precision objective is good to about 1e-5 relative).
    double rough_best = INFINITY;
    for (const StartOutcome& o : outcomes) rough_best = std::min(rough_best, o.objective);
    std::vector<long long> near;
    for (long long s = 0; s < count; ++s)
      if (outcomes[s].objective <= rough_best + setup.polish_margin * std::abs(rough_best)) near.push_back(s);
    const long long polish = static_cast<long long>(near.size());
#pragma omp parallel for schedule(dynamic, 4) num_threads(team) if (team > 1)
    for (long long k = 0; k < polish; ++k) {
      StartOutcome& o = outcomes[near[k]];
      const int rough_evaluations = o.evaluations;
      o = minimize_from(points, setup, free, setup.lbfgs, o.theta);
      o.evaluations += rough_evaluations;
    }
    // The rest keep their single-precision objective, which ranks them but is not reported.
  }

  MultiStartResult result;
  result.starts = starts.count;
  for (std::size_t s = 0; s < starts.count; ++s) {
    const StartOutcome& o = outcomes[s];
    result.evaluations += o.evaluations;
    if (!std::isfinite(o.objective)) {
      ++result.failed_starts;
      continue;
    }
    if (o.objective < result.objective) result.objective = o.objective, result.best_start = s;
  }
  if (!std::isfinite(result.objective)) return result;
  result.theta = outcomes[result.best_start].theta;
  double x[kLbfgsMaxDim];
  free.gather(start_point(starts, result.best_start), x);
  result.best_start_point = free.expand(x);
  result.best_starts_on_edge.fill(true);
  for (std::size_t s = 0; s < starts.count; ++s) {
    if (!(outcomes[s].objective - result.objective <= best_tolerance * std::abs(result.objective))) continue;
    ++result.starts_at_best;
    const Theta point = start_point(starts, s);
    for (int j = 0; j < kParamCount; ++j) {
      const auto* axis = starts.axis[j];
      const bool on_edge = axis && axis->size() > 1 && (point[j] == axis->front() || point[j] == axis->back());
      if (!on_edge) result.best_starts_on_edge[j] = false;
    }
  }
  return result;
}

}  // namespace csc::fit
