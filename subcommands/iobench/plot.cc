// Latency buckets regrouped to 8 per octave (log-spaced, so a log x axis shows equal widths) as the
// percentage of requests; bandwidth per log interval as lines.
#include "subcommands/iobench/plot.h"

#include <algorithm>
#include <cmath>

#include "src/plot_svg.h"

namespace csc {

namespace {

constexpr double kBinsPerOctave = 8;

struct Bins {
  std::vector<double> edges_us;
  std::vector<double> percent;
};

Bins latency_bins(const io::LatencyHistogram& h) {
  Bins bins;
  if (h.count() == 0) return bins;
  const double lo_us = std::max(0.01, static_cast<double>(h.min_ns()) / 1000.0);
  const double hi_us = std::max(lo_us * 1.01, static_cast<double>(h.max_ns() + 1) / 1000.0);
  const double first = std::floor(std::log2(lo_us) * kBinsPerOctave);
  const double last = std::ceil(std::log2(hi_us) * kBinsPerOctave);
  for (double k = first; k <= last; ++k) bins.edges_us.push_back(std::exp2(k / kBinsPerOctave));
  bins.percent.assign(bins.edges_us.size() - 1, 0.0);
  for (const auto& b : h.nonempty_buckets()) {
    const double mid_us = (static_cast<double>(b.low_ns) + static_cast<double>(b.width_ns - 1) / 2.0) / 1000.0;
    auto it = std::upper_bound(bins.edges_us.begin(), bins.edges_us.end(), mid_us);
    std::size_t i = it == bins.edges_us.begin() ? 0 : static_cast<std::size_t>(it - bins.edges_us.begin()) - 1;
    i = std::min(i, bins.percent.size() - 1);
    bins.percent[i] += 100.0 * static_cast<double>(b.count) / static_cast<double>(h.count());
  }
  return bins;
}

}  // namespace

std::string iobench_plot_svg(const std::vector<io::JobResult>& results, const std::string& title) {
  plot::Figure fig(2, 1);
  fig.suptitle(title);
  plot::Panel& lat = fig.panel(0);
  lat.title("latency (issue to completion)").x_label("latency (µs)").y_label("% of requests").x_scale(plot::Scale::log10);
  plot::Panel& bw = fig.panel(1);
  bw.title("bandwidth over time").x_label("time since measuring began (s)").y_label("MiB/s");
  for (const auto& r : results) {
    const io::DirectionStats all = r.total();
    const Bins bins = latency_bins(all.lat);
    if (!bins.percent.empty()) lat.histogram(bins.edges_us, bins.percent, {.label = r.spec.name + " (" + r.engine + ")"});
    std::vector<double> t, mib;
    for (const auto& s : r.timeline) {
      if (s.length_s <= 0) continue;
      t.push_back(s.end_s);
      mib.push_back(static_cast<double>(s.bytes) / s.length_s / 1048576.0);
    }
    if (!t.empty()) bw.line(t, mib, {.label = r.spec.name, .markers = t.size() < 40});
  }
  if (results.size() == 1 && results[0].ios()) {
    const io::LatencyHistogram& h = results[0].total().lat;
    lat.vline(h.percentile_ns(50) / 1000.0, {.label = "p50"});
    lat.vline(h.percentile_ns(99) / 1000.0, {.label = "p99", .dash = plot::Dash::dotted});
  }
  return fig.render();
}

}  // namespace csc
