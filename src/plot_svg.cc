// Renders plot::Figure as standalone SVG 1.1: ranges, layout, ticks, series, legends and colour bars.
#include "src/plot_svg.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <unordered_map>
#include <variant>

#include <fmt/format.h>

#include "src/error.h"
#include "src/plot_text.h"
#include "src/plot_ticks.h"
#include "src/png_indexed.h"

namespace csc::plot {

struct LineSeries {
  std::vector<double> x, y;
  LineStyle style;
};
struct ScatterSeries {
  std::vector<double> x, y;
  ScatterStyle style;
  std::vector<std::size_t> category;   // per point, empty when not categorised
  std::vector<std::string> names;      // category names in order of first appearance
};
struct HistogramSeries {
  std::vector<double> edges, heights;
  HistogramStyle style;
  std::size_t skipped_values = 0;  // non-finite inputs of histogram_of
};
struct HeatmapSeries {
  std::vector<double> values;
  std::size_t rows = 0, cols = 0;
  HeatmapStyle style;
  double x_min = 0, x_max = 0, y_min = 0, y_max = 0;  // resolved cell extents
  bool index_coordinates = false;                     // extents were defaulted: ticks at integers
};
struct RefLine {
  bool horizontal = true;
  double at = 0;
  RefLineStyle style;
};
using Series = std::variant<LineSeries, ScatterSeries, HistogramSeries, HeatmapSeries, RefLine>;

struct Panel::Data {
  std::string title, x_label, y_label;
  Scale x_scale = Scale::linear, y_scale = Scale::linear;
  std::optional<std::pair<double, double>> x_range, y_range;
  LegendPlace legend = LegendPlace::best;
  std::vector<Series> series;
  std::size_t next_color = 0;
};

namespace {

// matplotlib's tab10, the default colour cycle people recognise.
constexpr std::array<const char*, 10> kCycle = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"};

// viridis (van der Walt, Smith and Firing; CC0), matplotlib's 256 entries rounded to 8 bits.
constexpr std::array<std::uint32_t, 256> kViridis = {
    0x440154, 0x440256, 0x450457, 0x450559, 0x46075a, 0x46085c, 0x460a5d, 0x460b5e,
    0x470d60, 0x470e61, 0x471063, 0x471164, 0x471365, 0x481467, 0x481668, 0x481769,
    0x48186a, 0x481a6c, 0x481b6d, 0x481c6e, 0x481d6f, 0x481f70, 0x482071, 0x482173,
    0x482374, 0x482475, 0x482576, 0x482677, 0x482878, 0x482979, 0x472a7a, 0x472c7a,
    0x472d7b, 0x472e7c, 0x472f7d, 0x46307e, 0x46327e, 0x46337f, 0x463480, 0x453581,
    0x453781, 0x453882, 0x443983, 0x443a83, 0x443b84, 0x433d84, 0x433e85, 0x423f85,
    0x424086, 0x424186, 0x414287, 0x414487, 0x404588, 0x404688, 0x3f4788, 0x3f4889,
    0x3e4989, 0x3e4a89, 0x3e4c8a, 0x3d4d8a, 0x3d4e8a, 0x3c4f8a, 0x3c508b, 0x3b518b,
    0x3b528b, 0x3a538b, 0x3a548c, 0x39558c, 0x39568c, 0x38588c, 0x38598c, 0x375a8c,
    0x375b8d, 0x365c8d, 0x365d8d, 0x355e8d, 0x355f8d, 0x34608d, 0x34618d, 0x33628d,
    0x33638d, 0x32648e, 0x32658e, 0x31668e, 0x31678e, 0x31688e, 0x30698e, 0x306a8e,
    0x2f6b8e, 0x2f6c8e, 0x2e6d8e, 0x2e6e8e, 0x2e6f8e, 0x2d708e, 0x2d718e, 0x2c718e,
    0x2c728e, 0x2c738e, 0x2b748e, 0x2b758e, 0x2a768e, 0x2a778e, 0x2a788e, 0x29798e,
    0x297a8e, 0x297b8e, 0x287c8e, 0x287d8e, 0x277e8e, 0x277f8e, 0x27808e, 0x26818e,
    0x26828e, 0x26828e, 0x25838e, 0x25848e, 0x25858e, 0x24868e, 0x24878e, 0x23888e,
    0x23898e, 0x238a8d, 0x228b8d, 0x228c8d, 0x228d8d, 0x218e8d, 0x218f8d, 0x21908d,
    0x21918c, 0x20928c, 0x20928c, 0x20938c, 0x1f948c, 0x1f958b, 0x1f968b, 0x1f978b,
    0x1f988b, 0x1f998a, 0x1f9a8a, 0x1e9b8a, 0x1e9c89, 0x1e9d89, 0x1f9e89, 0x1f9f88,
    0x1fa088, 0x1fa188, 0x1fa187, 0x1fa287, 0x20a386, 0x20a486, 0x21a585, 0x21a685,
    0x22a785, 0x22a884, 0x23a983, 0x24aa83, 0x25ab82, 0x25ac82, 0x26ad81, 0x27ad81,
    0x28ae80, 0x29af7f, 0x2ab07f, 0x2cb17e, 0x2db27d, 0x2eb37c, 0x2fb47c, 0x31b57b,
    0x32b67a, 0x34b679, 0x35b779, 0x37b878, 0x38b977, 0x3aba76, 0x3bbb75, 0x3dbc74,
    0x3fbc73, 0x40bd72, 0x42be71, 0x44bf70, 0x46c06f, 0x48c16e, 0x4ac16d, 0x4cc26c,
    0x4ec36b, 0x50c46a, 0x52c569, 0x54c568, 0x56c667, 0x58c765, 0x5ac864, 0x5cc863,
    0x5ec962, 0x60ca60, 0x63cb5f, 0x65cb5e, 0x67cc5c, 0x69cd5b, 0x6ccd5a, 0x6ece58,
    0x70cf57, 0x73d056, 0x75d054, 0x77d153, 0x7ad151, 0x7cd250, 0x7fd34e, 0x81d34d,
    0x84d44b, 0x86d549, 0x89d548, 0x8bd646, 0x8ed645, 0x90d743, 0x93d741, 0x95d840,
    0x98d83e, 0x9bd93c, 0x9dd93b, 0xa0da39, 0xa2da37, 0xa5db36, 0xa8db34, 0xaadc32,
    0xaddc30, 0xb0dd2f, 0xb2dd2d, 0xb5de2b, 0xb8de29, 0xbade28, 0xbddf26, 0xc0df25,
    0xc2df23, 0xc5e021, 0xc8e020, 0xcae11f, 0xcde11d, 0xd0e11c, 0xd2e21b, 0xd5e21a,
    0xd8e219, 0xdae319, 0xdde318, 0xdfe318, 0xe2e418, 0xe5e419, 0xe7e419, 0xeae51a,
    0xece51b, 0xefe51c, 0xf1e51d, 0xf4e61e, 0xf6e620, 0xf8e621, 0xfbe723, 0xfde725,
};

constexpr double kTickFont = 12;
constexpr double kLabelFont = 13;
constexpr double kTitleFont = 14.5;
constexpr double kSuptitleFont = 17;
constexpr double kLegendFont = 12;
constexpr double kTickLength = 5;
constexpr double kMinorTickLength = 3;
constexpr double kPad = 8;                  // between a panel's cell edge and its outermost text
constexpr double kAscent = 0.76;            // baseline offset of DejaVu Sans capitals and digits, in em
constexpr double kColorbarGap = 14, kColorbarWidth = 16;
constexpr double kLegendRow = 19, kLegendHandle = 26;
constexpr std::size_t kMaxLegendCategories = 20;
constexpr double kMaxLegendLabelWidth = 300;  // longer legend labels are cut with "…"
constexpr std::size_t kMaxRectCells = 4096;  // larger heatmaps are embedded as one PNG image
constexpr double kFarPx = 1e15;               // pixel coordinates are clamped here before clipping

constexpr const char* kTextColor = "#222222";
constexpr const char* kAxisColor = "#333333";
constexpr const char* kGridColor = "#e6e6e6";

struct Pt {
  double x, y;
};
struct Box {
  double x0, y0, x1, y1;
  bool contains(Pt p) const { return p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1; }
};

std::string px(double v) {
  if (!std::isfinite(v)) return "0";
  std::string s = fmt::format("{:.2f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

std::string hex_color(std::uint32_t rgb) { return fmt::format("#{:06x}", rgb); }

// Text that fits `max_width` px: the font shrinks down to min_scale of its size first, then the text
// is cut with "…".
struct FittedText {
  std::string text;
  double font_size;
};
FittedText fit_text(std::string_view text, double font_size, double max_width, double min_scale = 0.75) {
  std::string clean = clean_text(text);
  const double width = text_width(clean, font_size);
  if (width <= max_width) return {clean, font_size};
  const double smallest = font_size * min_scale;
  if (width * smallest / font_size <= max_width) return {clean, font_size * max_width / width};
  while (!clean.empty() && text_width(clean + "\xE2\x80\xA6", smallest) > max_width) {
    // Drop the last code point: its continuation bytes, then its lead byte.
    while (!clean.empty() && (static_cast<unsigned char>(clean.back()) & 0xC0) == 0x80) clean.pop_back();
    if (!clean.empty()) clean.pop_back();
  }
  return {clean + "\xE2\x80\xA6", smallest};
}

// Centre of a text `width` px wide near `centre`, moved so that it stays within [lo, hi].
double keep_within(double centre, double width, double lo, double hi) {
  if (width >= hi - lo) return (lo + hi) / 2;
  return std::clamp(centre, lo + width / 2, hi - width / 2);
}

void require(bool ok, const std::string& message) {
  if (!ok) throw std::invalid_argument("plot: " + message);
}

bool usable(double v, Scale scale) { return std::isfinite(v) && (scale == Scale::linear || v > 0); }
double transform(double v, Scale scale) { return scale == Scale::log10 ? std::log10(v) : v; }

std::string dash_array(Dash dash, double width) {
  const double w = std::max(width, 1.0);
  switch (dash) {
    case Dash::solid: return "";
    case Dash::dashed: return px(3.7 * w) + " " + px(1.6 * w);
    case Dash::dotted: return px(1.0 * w) + " " + px(1.65 * w);
    case Dash::dash_dot: return px(6.4 * w) + " " + px(1.6 * w) + " " + px(1.0 * w) + " " + px(1.6 * w);
  }
  return "";
}

// Marker shapes; categories past the tenth colour cycle through them.
enum class Marker { circle, square, triangle_up, diamond, triangle_down };
constexpr std::array<Marker, 5> kMarkers = {Marker::circle, Marker::square, Marker::triangle_up, Marker::diamond,
                                            Marker::triangle_down};

void append_marker(std::string& out, Marker marker, Pt p, double r) {
  switch (marker) {
    case Marker::circle:
      fmt::format_to(std::back_inserter(out), "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"/>", px(p.x), px(p.y), px(r));
      return;
    case Marker::square: {
      const double h = 0.886 * r;  // same area as the circle
      fmt::format_to(std::back_inserter(out), "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", px(p.x - h),
                     px(p.y - h), px(2 * h), px(2 * h));
      return;
    }
    case Marker::triangle_up:
    case Marker::triangle_down: {
      const double s = marker == Marker::triangle_up ? 1 : -1;
      fmt::format_to(std::back_inserter(out), "<path d=\"M{} {}L{} {}L{} {}Z\"/>", px(p.x), px(p.y - s * 1.35 * r),
                     px(p.x + 1.17 * r), px(p.y + s * 0.68 * r), px(p.x - 1.17 * r), px(p.y + s * 0.68 * r));
      return;
    }
    case Marker::diamond:
      fmt::format_to(std::back_inserter(out), "<path d=\"M{} {}L{} {}L{} {}L{} {}Z\"/>", px(p.x), px(p.y - 1.3 * r),
                     px(p.x + 1.0 * r), px(p.y), px(p.x), px(p.y + 1.3 * r), px(p.x - 1.0 * r), px(p.y));
      return;
  }
}

// Liang-Barsky: clips segment a-b to `box`; false when nothing of it is inside.
bool clip_segment(Pt& a, Pt& b, const Box& box) {
  double t0 = 0, t1 = 1;
  const double dx = b.x - a.x, dy = b.y - a.y;
  const auto edge = [&](double p, double q) {
    if (p == 0) return q >= 0;
    const double t = q / p;
    if (p < 0) {
      if (t > t1) return false;
      t0 = std::max(t0, t);
    } else {
      if (t < t0) return false;
      t1 = std::min(t1, t);
    }
    return true;
  };
  if (!edge(-dx, a.x - box.x0) || !edge(dx, box.x1 - a.x) || !edge(-dy, a.y - box.y0) || !edge(dy, box.y1 - a.y)) {
    return false;
  }
  const Pt start{a.x + t0 * dx, a.y + t0 * dy}, end{a.x + t1 * dx, a.y + t1 * dy};
  a = start;
  b = end;
  return true;
}

// An axis as drawn: its scale and data limits (lo < hi).
struct AxisView {
  Scale scale = Scale::linear;
  double lo = 0, hi = 1;
  bool inverted = false;       // lo at the top (a y axis showing matrix rows)
  bool integer_ticks = false;  // heatmap indices
};

// The data extent along one axis; "sticky" values (histogram baselines, heatmap edges) get no padding.
struct Extent {
  double lo = std::numeric_limits<double>::infinity();
  double hi = -std::numeric_limits<double>::infinity();
  std::vector<double> sticky;
  void add(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  void add_sticky(double v) {
    add(v);
    sticky.push_back(v);
  }
  bool is_sticky(double v) const { return std::find(sticky.begin(), sticky.end(), v) != sticky.end(); }
};

AxisView resolve_axis(Scale scale, const std::optional<std::pair<double, double>>& range, const Extent& extent) {
  AxisView view;
  view.scale = scale;
  if (range) {
    view.lo = range->first;
    view.hi = range->second;
    return view;
  }
  const bool log = scale == Scale::log10;
  if (!(extent.lo <= extent.hi)) {
    view.lo = log ? 1 : 0;
    view.hi = log ? 10 : 1;
    return view;
  }
  double a = transform(extent.lo, scale), b = transform(extent.hi, scale);
  if (a == b) {
    const double d = log ? 0.5 : (a == 0 ? 1 : std::fabs(a) * 0.1);
    a -= d;
    b += d;
  } else {
    const double pad = 0.05 * (b - a);
    if (!extent.is_sticky(extent.lo)) a -= pad;
    if (!extent.is_sticky(extent.hi)) b += pad;
  }
  // Keep the span finite and positive for data near the limits of double (drawn clipped).
  const double limit = log ? 300 : 1e307;
  a = std::clamp(a, -limit, limit);
  b = std::clamp(b, -limit, limit);
  if (!(b > a)) {
    const double d = log ? 1 : std::max(std::fabs(a) * 0.1, 1.0);
    if (a + d <= limit) b = a + d;
    else a = b - d;
  }
  view.lo = log ? std::pow(10.0, a) : a;
  view.hi = log ? std::pow(10.0, b) : b;
  return view;
}

// Colour mapping of a heatmap.
struct ColorScale {
  Scale scale = Scale::linear;
  double lo = 0, hi = 1;
  std::string label;
  // Position in [0, 1] of a value, NaN when the cell is missing.
  double position(double v) const {
    if (!usable(v, scale)) return std::numeric_limits<double>::quiet_NaN();
    const double a = transform(lo, scale), b = transform(hi, scale);
    return std::clamp((transform(v, scale) - a) / (b - a), 0.0, 1.0);
  }
};

std::size_t viridis_index(double position) {
  return std::min<std::size_t>(255, static_cast<std::size_t>(position * 256));
}

ColorScale color_scale_of(const HeatmapSeries& h) {
  ColorScale c;
  c.scale = h.style.color_scale;
  c.label = h.style.colorbar_label;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (double v : h.values) {
    if (usable(v, c.scale)) {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  if (!(lo <= hi)) {
    lo = c.scale == Scale::log10 ? 1 : 0;
    hi = c.scale == Scale::log10 ? 10 : 1;
  }
  c.lo = h.style.vmin.value_or(lo);
  c.hi = h.style.vmax.value_or(hi);
  if (c.lo > c.hi) std::swap(c.lo, c.hi);  // one explicit limit on the wrong side of the data
  if (c.lo == c.hi) {                      // a constant matrix: its colour in the middle of the bar
    if (c.scale == Scale::log10) {
      c.lo /= std::sqrt(10.0);
      c.hi *= std::sqrt(10.0);
    } else {
      const double d = c.lo == 0 ? 1 : std::fabs(c.lo) * 0.1;
      c.lo -= d;
      c.hi += d;
    }
  }
  return c;
}

struct LegendEntry {
  enum class Kind { line, marker, patch, note } kind = Kind::line;
  std::string label, color;
  Dash dash = Dash::solid;
  double width = 1.5, radius = 3, opacity = 1;
  bool markers = false;
  Marker marker = Marker::circle;
};

std::vector<LegendEntry> legend_entries(const Panel::Data& d) {
  std::vector<LegendEntry> entries;
  for (const Series& s : d.series) {
    if (const auto* line = std::get_if<LineSeries>(&s); line && !line->style.label.empty()) {
      entries.push_back({LegendEntry::Kind::line, line->style.label, line->style.color, line->style.dash,
                         line->style.width, 2.5, 1, line->style.markers});
    } else if (const auto* sc = std::get_if<ScatterSeries>(&s)) {
      if (sc->names.empty()) {
        if (!sc->style.label.empty()) {
          entries.push_back({LegendEntry::Kind::marker, sc->style.label, sc->style.color, Dash::solid, 0,
                             std::max(sc->style.radius, 3.0), sc->style.opacity});
        }
        continue;
      }
      for (std::size_t k = 0; k < sc->names.size() && k < kMaxLegendCategories; ++k) {
        LegendEntry e{LegendEntry::Kind::marker, sc->names[k], kCycle[k % kCycle.size()], Dash::solid, 0,
                      std::max(sc->style.radius, 3.0), sc->style.opacity};
        e.marker = kMarkers[(k / kCycle.size()) % kMarkers.size()];
        entries.push_back(e);
      }
      if (sc->names.size() > kMaxLegendCategories) {
        entries.push_back({LegendEntry::Kind::note, fmt::format("+ {} more", sc->names.size() - kMaxLegendCategories), ""});
      }
    } else if (const auto* h = std::get_if<HistogramSeries>(&s); h && !h->style.label.empty()) {
      entries.push_back({LegendEntry::Kind::patch, h->style.label, h->style.color, Dash::solid, 0, 0, h->style.opacity});
    } else if (const auto* r = std::get_if<RefLine>(&s); r && !r->style.label.empty()) {
      entries.push_back({LegendEntry::Kind::line, r->style.label, r->style.color, r->style.dash, r->style.width});
    }
  }
  for (LegendEntry& e : entries) e.label = fit_text(e.label, kLegendFont, kMaxLegendLabelWidth, 1.0).text;
  return entries;
}

double legend_width(const std::vector<LegendEntry>& entries) {
  double w = 0;
  for (const LegendEntry& e : entries) {
    const double handle = e.kind == LegendEntry::Kind::note ? 0 : kLegendHandle + 8;
    w = std::max(w, handle + text_width(clean_text(e.label), kLegendFont));
  }
  return w + 20;
}
double legend_height(const std::vector<LegendEntry>& entries) { return static_cast<double>(entries.size()) * kLegendRow + 10; }

double max_label_width(const TickSet& ticks, double font) {
  double w = 0;
  for (const Tick& t : ticks.ticks) w = std::max(w, text_width(t.label, font));
  return w;
}

TickSet ticks_for(const AxisView& v, double length, bool horizontal) {
  return v.scale == Scale::log10 ? log_ticks(v.lo, v.hi, length, horizontal, kTickFont)
                                 : linear_ticks(v.lo, v.hi, length, horizontal, kTickFont, v.integer_ticks);
}
TickSet ticks_for(const ColorScale& c, double length) {
  return c.scale == Scale::log10 ? log_ticks(c.lo, c.hi, length, false, kTickFont)
                                 : linear_ticks(c.lo, c.hi, length, false, kTickFont);
}

// Everything needed to draw one panel: resolved axes, margins, plot rectangle and ticks.
struct PanelPlan {
  const Panel::Data* data = nullptr;
  bool drawn = false;
  double cell_x = 0, cell_y = 0, cell_w = 0, cell_h = 0;
  AxisView x, y;
  std::optional<ColorScale> color;
  std::size_t matrix_rows = 0, matrix_cols = 0;  // of an index-coordinate heatmap that wants square cells
  bool has_heatmap = false;
  std::vector<LegendEntry> legend;
  double top = 0, bottom = 0, left = 0, right = 0;
  double pl = 0, pt = 0, pw = 0, ph = 0;  // plot rectangle
  TickSet xt, yt, ct;

  double X(double v) const {
    const double a = transform(x.lo, x.scale), b = transform(x.hi, x.scale);
    return std::clamp(pl + (transform(v, x.scale) - a) / (b - a) * pw, -kFarPx, kFarPx);
  }
  double Y(double v) const {
    const double a = transform(y.lo, y.scale), b = transform(y.hi, y.scale);
    const double f = (transform(v, y.scale) - a) / (b - a);
    return std::clamp(y.inverted ? pt + f * ph : pt + ph - f * ph, -kFarPx, kFarPx);
  }
  double color_Y(double v) const {
    const double a = transform(color->lo, color->scale), b = transform(color->hi, color->scale);
    return pt + ph - (transform(v, color->scale) - a) / (b - a) * ph;
  }
  bool usable_point(double vx, double vy) const { return usable(vx, x.scale) && usable(vy, y.scale); }
  Box plot_box(double grow) const { return {pl - grow, pt - grow, pl + pw + grow, pt + ph + grow}; }
  bool outside_legend() const { return data->legend == LegendPlace::outside_right && !legend.empty(); }
};

PanelPlan plan_ranges(const Panel::Data& d) {
  PanelPlan plan;
  plan.data = &d;
  plan.drawn = !d.series.empty() || !d.title.empty() || !d.x_label.empty() || !d.y_label.empty();
  Extent ex, ey;
  bool origin_upper = false, index_heatmap_only = true;
  for (const Series& s : d.series) {
    if (const auto* line = std::get_if<LineSeries>(&s)) {
      for (std::size_t i = 0; i < line->x.size(); ++i) {
        if (usable(line->x[i], d.x_scale) && usable(line->y[i], d.y_scale)) {
          ex.add(line->x[i]);
          ey.add(line->y[i]);
        }
      }
      index_heatmap_only = false;
    } else if (const auto* sc = std::get_if<ScatterSeries>(&s)) {
      for (std::size_t i = 0; i < sc->x.size(); ++i) {
        if (usable(sc->x[i], d.x_scale) && usable(sc->y[i], d.y_scale)) {
          ex.add(sc->x[i]);
          ey.add(sc->y[i]);
        }
      }
      index_heatmap_only = false;
    } else if (const auto* h = std::get_if<HistogramSeries>(&s)) {
      for (std::size_t i = 0; i < h->heights.size(); ++i) {
        const double v = h->heights[i];
        if (!usable(h->edges[i], d.x_scale) || !usable(h->edges[i + 1], d.x_scale) || !usable(v, d.y_scale)) continue;
        ex.add_sticky(h->edges[i]);
        ex.add_sticky(h->edges[i + 1]);
        ey.add(v);
        if (d.y_scale == Scale::linear) ey.add_sticky(0);
      }
      index_heatmap_only = false;
    } else if (const auto* hm = std::get_if<HeatmapSeries>(&s)) {
      for (double v : {hm->x_min, hm->x_max}) {
        if (usable(v, d.x_scale)) ex.add_sticky(v);
      }
      for (double v : {hm->y_min, hm->y_max}) {
        if (usable(v, d.y_scale)) ey.add_sticky(v);
      }
      if (!plan.color) plan.color = color_scale_of(*hm);
      if (!plan.has_heatmap) {
        origin_upper = !hm->style.origin_lower;
        if (hm->index_coordinates) {
          plan.matrix_rows = hm->rows;
          plan.matrix_cols = hm->cols;
        }
      }
      plan.has_heatmap = true;
      index_heatmap_only = index_heatmap_only && hm->index_coordinates;
    } else if (const auto* r = std::get_if<RefLine>(&s)) {
      if (usable(r->at, r->horizontal ? d.y_scale : d.x_scale)) (r->horizontal ? ey : ex).add(r->at);
    }
  }
  plan.x = resolve_axis(d.x_scale, d.x_range, ex);
  plan.y = resolve_axis(d.y_scale, d.y_range, ey);
  plan.y.inverted = plan.has_heatmap && origin_upper;
  const bool index_axes = plan.has_heatmap && index_heatmap_only;
  plan.x.integer_ticks = plan.y.integer_ticks = index_axes;
  if (!index_axes || d.x_range || d.y_range) plan.matrix_rows = plan.matrix_cols = 0;
  if (plan.matrix_rows && plan.matrix_cols) {
    // Square cells for squarish matrices (correlations, distances, attention); elongated ones fill
    // the panel instead of shrinking to a strip.
    const double ratio = static_cast<double>(plan.matrix_rows) / static_cast<double>(plan.matrix_cols);
    if (ratio > 2 || ratio < 0.5) plan.matrix_rows = plan.matrix_cols = 0;
  }
  plan.legend = d.legend == LegendPlace::none ? std::vector<LegendEntry>{} : legend_entries(d);
  return plan;
}

// Margins, plot rectangles and ticks for every panel. Panels in one row share top and bottom
// margins and panels in one column share left and right ones, so stacked axes line up.
void layout(std::vector<PanelPlan>& plans, int rows, int cols) {
  const auto at = [&](int r, int c) -> PanelPlan& { return plans[static_cast<std::size_t>(r * cols + c)]; };

  for (PanelPlan& p : plans) {
    if (!p.drawn) continue;
    // Provisional ticks: only whether a ×10ⁿ multiplier needs a line of its own matters here.
    const TickSet xt = ticks_for(p.x, std::max(p.cell_w - 120, 60.0), true);
    const TickSet yt = ticks_for(p.y, std::max(p.cell_h - 90, 60.0), false);
    const bool color_multiplier = p.color && !ticks_for(*p.color, std::max(p.cell_h - 90, 60.0)).multiplier.empty();
    const bool top_multiplier = !yt.multiplier.empty() || color_multiplier;
    p.top = kPad + (p.data->title.empty() ? 0 : kTitleFont + 8) + (top_multiplier ? kTickFont + 6 : 0) + 10;
    const bool bottom_line = !p.data->x_label.empty() || !xt.multiplier.empty();
    p.bottom = kTickLength + 4 + kTickFont + (bottom_line ? 6 + kLabelFont : 0) + 4 + kPad;
  }
  for (int r = 0; r < rows; ++r) {
    double top = 0, bottom = 0;
    for (int c = 0; c < cols; ++c) {
      if (!at(r, c).drawn) continue;
      top = std::max(top, at(r, c).top);
      bottom = std::max(bottom, at(r, c).bottom);
    }
    for (int c = 0; c < cols; ++c) {
      at(r, c).top = top;
      at(r, c).bottom = bottom;
    }
  }

  for (PanelPlan& p : plans) {
    if (!p.drawn) continue;
    p.pt = p.cell_y + p.top;
    p.ph = std::max(p.cell_h - p.top - p.bottom, 20.0);
    p.yt = ticks_for(p.y, p.ph, false);
    p.left = kPad + (p.data->y_label.empty() ? 0 : kLabelFont + 8) + max_label_width(p.yt, kTickFont) + 4 + kTickLength;
    p.right = 16;
    if (p.color) {
      p.ct = ticks_for(*p.color, p.ph);
      p.right = kColorbarGap + kColorbarWidth + kTickLength + 3 + max_label_width(p.ct, kTickFont) +
                (p.color->label.empty() ? 0 : 8 + kLabelFont) + kPad;
    }
    if (p.outside_legend()) p.right += 10 + legend_width(p.legend);
  }
  std::vector<double> left(static_cast<std::size_t>(cols), 0), right(static_cast<std::size_t>(cols), 0);
  for (int c = 0; c < cols; ++c) {
    for (int r = 0; r < rows; ++r) {
      if (!at(r, c).drawn) continue;
      left[c] = std::max(left[c], at(r, c).left);
      right[c] = std::max(right[c], at(r, c).right);
    }
  }

  // x ticks; widen a column's margins once if its outermost x tick labels would leave the cell.
  for (int pass = 0; pass < 2; ++pass) {
    std::vector<double> grow_left(static_cast<std::size_t>(cols), 0), grow_right(static_cast<std::size_t>(cols), 0);
    for (int r = 0; r < rows; ++r) {
      for (int c = 0; c < cols; ++c) {
        PanelPlan& p = at(r, c);
        if (!p.drawn) continue;
        p.left = left[c];
        p.right = right[c];
        p.pl = p.cell_x + p.left;
        p.pw = std::max(p.cell_w - p.left - p.right, 20.0);
        p.xt = ticks_for(p.x, p.pw, true);
        for (const Tick& t : p.xt.ticks) {
          if (t.label.empty()) continue;
          const double half = text_width(t.label, kTickFont) / 2, xpos = p.X(t.value);
          grow_left[c] = std::max(grow_left[c], p.cell_x + 2 - (xpos - half));
          grow_right[c] = std::max(grow_right[c], xpos + half - (p.cell_x + p.cell_w - 2));
        }
      }
    }
    bool grown = false;
    for (int c = 0; c < cols; ++c) {
      if (grow_left[c] > 0.5 || grow_right[c] > 0.5) grown = true;
      left[c] += std::max(grow_left[c], 0.0);
      right[c] += std::max(grow_right[c], 0.0);
    }
    if (!grown) break;
  }

  for (PanelPlan& p : plans) {
    if (!p.drawn || !p.matrix_rows) continue;
    const double cell_w = p.pw / static_cast<double>(p.matrix_cols), cell_h = p.ph / static_cast<double>(p.matrix_rows);
    if (cell_w > cell_h) {
      const double w = cell_h * static_cast<double>(p.matrix_cols);
      p.pl += (p.pw - w) / 2;
      p.pw = w;
    } else {
      const double h = cell_w * static_cast<double>(p.matrix_rows);
      p.pt += (p.ph - h) / 2;
      p.ph = h;
    }
    p.xt = ticks_for(p.x, p.pw, true);
    p.yt = ticks_for(p.y, p.ph, false);
    if (p.color) p.ct = ticks_for(*p.color, p.ph);
  }
}

auto out_it(std::string& out) { return std::back_inserter(out); }

void append_text(std::string& out, double x, double y, std::string_view anchor, std::string_view text,
                 std::string_view extra = {}) {
  fmt::format_to(out_it(out), "<text x=\"{}\" y=\"{}\"", px(x), px(y));
  if (anchor != "start") fmt::format_to(out_it(out), " text-anchor=\"{}\"", anchor);
  if (!extra.empty()) fmt::format_to(out_it(out), " {}", extra);
  fmt::format_to(out_it(out), ">{}</text>\n", xml_escape(text));
}

// Keeps the first, lowest, highest and last point of every pixel column (M4 decimation): the
// drawn line is the same to the pixel, the file far smaller for long time series.
std::vector<Pt> decimate_by_column(const std::vector<Pt>& run) {
  std::vector<Pt> out;
  std::size_t i = 0;
  while (i < run.size()) {
    const double column = std::floor(run[i].x);
    std::size_t j = i, low = i, high = i;
    while (j < run.size() && std::floor(run[j].x) == column) {
      if (run[j].y < run[low].y) low = j;
      if (run[j].y > run[high].y) high = j;
      ++j;
    }
    std::array<std::size_t, 4> keep = {i, low, high, j - 1};
    std::sort(keep.begin(), keep.end());
    for (std::size_t k = 0; k < keep.size(); ++k) {
      if (k == 0 || keep[k] != keep[k - 1]) out.push_back(run[keep[k]]);
    }
    i = j;
  }
  return out;
}

// Appends path commands for one unbroken run of points, clipped to `box`.
void append_run(std::string& d, std::vector<Pt>& vertices, std::vector<Pt> run, const Box& box, double plot_width) {
  if (run.size() > 4 * static_cast<std::size_t>(plot_width) &&
      std::is_sorted(run.begin(), run.end(), [](Pt a, Pt b) { return a.x < b.x; })) {
    run = decimate_by_column(run);
  }
  for (const Pt& v : run) {
    if (box.contains(v)) vertices.push_back(v);
  }
  bool pen = false;
  Pt last{0, 0};
  for (std::size_t k = 1; k < run.size(); ++k) {
    Pt a = run[k - 1], b = run[k];
    if (!clip_segment(a, b, box)) {
      pen = false;
      continue;
    }
    if (!pen || std::fabs(a.x - last.x) > 1e-6 || std::fabs(a.y - last.y) > 1e-6) {
      fmt::format_to(out_it(d), "M{} {}", px(a.x), px(a.y));
      last = a;
    }
    if (std::fabs(b.x - last.x) >= 0.05 || std::fabs(b.y - last.y) >= 0.05 || k + 1 == run.size()) {
      fmt::format_to(out_it(d), "L{} {}", px(b.x), px(b.y));
      last = b;
    }
    pen = true;
  }
}

std::string stroke_attributes(const std::string& color, double width, Dash dash) {
  std::string s = fmt::format("fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"", xml_escape(color), px(width));
  const std::string dashes = dash_array(dash, width);
  if (!dashes.empty()) s += fmt::format(" stroke-dasharray=\"{}\"", dashes);
  return s;
}

// Each draw_* returns how many of its elements landed in view, so an empty panel can say so.
std::size_t draw_line(std::string& out, const PanelPlan& p, const LineSeries& s) {
  const Box box = p.plot_box(4);
  std::string d;
  std::vector<Pt> run, vertices;
  for (std::size_t i = 0; i <= s.x.size(); ++i) {
    if (i < s.x.size() && p.usable_point(s.x[i], s.y[i])) {
      run.push_back({p.X(s.x[i]), p.Y(s.y[i])});
      continue;
    }
    append_run(d, vertices, std::move(run), box, p.pw);
    run.clear();
  }
  if (!d.empty()) {
    fmt::format_to(out_it(out), "<path d=\"{}\" {} stroke-linejoin=\"round\" stroke-linecap=\"{}\"/>\n", d,
                   stroke_attributes(s.style.color, s.style.width, s.style.dash),
                   s.style.dash == Dash::dotted ? "round" : "butt");
  }
  if (s.style.markers && !vertices.empty()) {
    fmt::format_to(out_it(out), "<g fill=\"{}\">", xml_escape(s.style.color));
    for (const Pt& v : vertices) append_marker(out, Marker::circle, v, 2.5);
    out += "</g>\n";
  }
  return vertices.size() + (d.empty() ? 0 : 1);
}

std::size_t draw_scatter(std::string& out, const PanelPlan& p, const ScatterSeries& s) {
  const double r = std::max(s.style.radius, 0.5);
  const Box box = p.plot_box(r + 1);
  const std::size_t groups = std::max<std::size_t>(s.names.size(), 1);
  std::vector<std::vector<Pt>> points(groups);
  for (std::size_t i = 0; i < s.x.size(); ++i) {
    if (!p.usable_point(s.x[i], s.y[i])) continue;
    const Pt v{p.X(s.x[i]), p.Y(s.y[i])};
    if (box.contains(v)) points[s.names.empty() ? 0 : s.category[i]].push_back(v);
  }
  std::size_t drawn = 0;
  for (std::size_t k = 0; k < groups; ++k) {
    if (points[k].empty()) continue;
    const std::string color = s.names.empty() ? s.style.color : kCycle[k % kCycle.size()];
    const Marker marker = s.names.empty() ? Marker::circle : kMarkers[(k / kCycle.size()) % kMarkers.size()];
    fmt::format_to(out_it(out), "<g fill=\"{}\" fill-opacity=\"{}\">", xml_escape(color),
                   px(std::clamp(s.style.opacity, 0.0, 1.0)));
    for (const Pt& v : points[k]) append_marker(out, marker, v, r);
    out += "</g>\n";
    drawn += points[k].size();
  }
  return drawn;
}

std::size_t draw_histogram(std::string& out, const PanelPlan& p, const HistogramSeries& h) {
  const Box box = p.plot_box(2);
  const double base = p.y.scale == Scale::linear ? 0.0 : p.y.lo;
  struct Bar {
    double x0, y0, x1, y1;
  };
  std::vector<Bar> bars;
  double narrowest = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < h.heights.size(); ++i) {
    const double v = h.heights[i];
    if (!usable(h.edges[i], p.x.scale) || !usable(h.edges[i + 1], p.x.scale) || !usable(v, p.y.scale)) continue;
    if (v <= base && p.y.scale == Scale::log10) continue;
    const double xa = std::clamp(p.X(h.edges[i]), box.x0, box.x1), xb = std::clamp(p.X(h.edges[i + 1]), box.x0, box.x1);
    const double ya = std::clamp(p.Y(std::max(v, base)), box.y0, box.y1), yb = std::clamp(p.Y(std::min(v, base)), box.y0, box.y1);
    if (xb - xa <= 0 || std::fabs(yb - ya) <= 0) continue;
    bars.push_back({xa, std::min(ya, yb), xb, std::max(ya, yb)});
    narrowest = std::min(narrowest, xb - xa);
  }
  if (bars.empty()) return 0;
  // White edges separate bars wide enough to keep most of their colour.
  fmt::format_to(out_it(out), "<g fill=\"{}\" fill-opacity=\"{}\"{}>", xml_escape(h.style.color),
                 px(std::clamp(h.style.opacity, 0.0, 1.0)),
                 narrowest >= 5 ? " stroke=\"#ffffff\" stroke-width=\"0.7\"" : "");
  for (const Bar& b : bars) {
    fmt::format_to(out_it(out), "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>", px(b.x0), px(b.y0),
                   px(b.x1 - b.x0), px(b.y1 - b.y0));
  }
  out += "</g>\n";
  return bars.size();
}

// Block means of a matrix too large to show cell by cell, at most `limit` cells a side.
std::vector<double> block_mean(const HeatmapSeries& h, std::size_t limit, std::size_t& rows, std::size_t& cols) {
  const std::size_t fr = (h.rows + limit - 1) / limit, fc = (h.cols + limit - 1) / limit;
  rows = (h.rows + fr - 1) / fr;
  cols = (h.cols + fc - 1) / fc;
  std::vector<double> sum(rows * cols, 0.0), count(rows * cols, 0.0);
  for (std::size_t r = 0; r < h.rows; ++r) {
    for (std::size_t c = 0; c < h.cols; ++c) {
      const double v = h.values[r * h.cols + c];
      if (!std::isfinite(v)) continue;
      sum[(r / fr) * cols + c / fc] += v;
      count[(r / fr) * cols + c / fc] += 1;
    }
  }
  for (std::size_t k = 0; k < sum.size(); ++k) sum[k] = count[k] > 0 ? sum[k] / count[k] : std::numeric_limits<double>::quiet_NaN();
  return sum;
}

std::size_t draw_heatmap(std::string& out, const PanelPlan& p, const HeatmapSeries& h) {
  if (!usable(h.x_min, p.x.scale) || !usable(h.x_max, p.x.scale) || !usable(h.y_min, p.y.scale) ||
      !usable(h.y_max, p.y.scale)) {
    return 0;
  }
  const ColorScale color = color_scale_of(h);
  const bool linear_axes = p.x.scale == Scale::linear && p.y.scale == Scale::linear;
  std::size_t rows = h.rows, cols = h.cols;
  const std::vector<double>* values = &h.values;
  std::vector<double> reduced;
  if (linear_axes && (rows > 1024 || cols > 1024)) {
    reduced = block_mean(h, 1024, rows, cols);
    values = &reduced;
  }
  const auto edge_x = [&](std::size_t c) { return h.x_min + (h.x_max - h.x_min) * static_cast<double>(c) / static_cast<double>(cols); };
  const auto edge_y = [&](std::size_t r) { return h.y_min + (h.y_max - h.y_min) * static_cast<double>(r) / static_cast<double>(rows); };

  if (linear_axes && rows * cols > kMaxRectCells) {
    // One palette image; entry 255 is transparent for missing cells. Renderers smooth images when
    // scaling them (librsvg ignores image-rendering), so cells are repeated to about twice the
    // displayed resolution: the smoothing then only softens cell edges below a screen pixel.
    std::vector<std::uint32_t> palette(256, 0);
    for (std::size_t i = 0; i < 255; ++i) palette[i] = kViridis[(i * 255 + 127) / 254];
    const double x0 = p.X(h.x_min), x1 = p.X(h.x_max), y0 = p.Y(h.y_min), y1 = p.Y(h.y_max);
    const auto repeat = [](double display_px, std::size_t cells) {
      const double wanted = std::ceil(2 * display_px / static_cast<double>(cells));
      return static_cast<std::size_t>(std::clamp(wanted, 1.0, std::max(1.0, std::floor(4096.0 / static_cast<double>(cells)))));
    };
    const std::size_t fx = repeat(std::fabs(x1 - x0), cols), fy = repeat(std::fabs(y1 - y0), rows);
    const std::size_t width = cols * fx, height = rows * fy;
    std::vector<std::uint8_t> pixels(width * height);
    for (std::size_t r = 0; r < rows; ++r) {
      const std::size_t source_row = p.y.inverted ? r : rows - 1 - r;  // image rows run top to bottom
      std::uint8_t* line = pixels.data() + r * fy * width;
      for (std::size_t c = 0; c < cols; ++c) {
        const double pos = color.position((*values)[source_row * cols + c]);
        const auto index = std::isnan(pos) ? std::uint8_t{255} : static_cast<std::uint8_t>(std::min(254.0, pos * 255));
        std::fill(line + c * fx, line + (c + 1) * fx, index);
      }
      for (std::size_t k = 1; k < fy; ++k) std::copy(line, line + width, line + k * width);
    }
    const std::string png = encode_png_indexed(static_cast<std::uint32_t>(width), static_cast<std::uint32_t>(height), pixels, palette, 255);
    fmt::format_to(out_it(out),
                   "<image x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" preserveAspectRatio=\"none\" "
                   "image-rendering=\"optimizeSpeed\" style=\"image-rendering:pixelated\" "
                   "xlink:href=\"data:image/png;base64,{}\"/>\n",
                   px(std::min(x0, x1)), px(std::min(y0, y1)), px(std::fabs(x1 - x0)), px(std::fabs(y1 - y0)),
                   base64_encode(png));
    return 1;
  }

  // Cell by cell, merging runs of equal colour along a row; cells overlap by a fraction of a pixel
  // so that anti-aliasing leaves no hairlines between them.
  const Box box = p.plot_box(2);
  std::vector<double> xs(cols + 1);
  for (std::size_t c = 0; c <= cols; ++c) xs[c] = std::clamp(p.X(edge_x(c)), box.x0, box.x1);
  std::size_t drawn = 0;
  out += "<g>";
  for (std::size_t r = 0; r < rows; ++r) {
    const double ya = std::clamp(p.Y(edge_y(r)), box.y0, box.y1), yb = std::clamp(p.Y(edge_y(r + 1)), box.y0, box.y1);
    const double top = std::min(ya, yb), height = std::fabs(yb - ya);
    if (height <= 0) continue;
    std::size_t c = 0;
    while (c < cols) {
      const double pos = color.position((*values)[r * cols + c]);
      if (std::isnan(pos)) {
        ++c;
        continue;
      }
      const std::size_t index = viridis_index(pos);
      std::size_t end = c + 1;
      while (end < cols) {
        const double next = color.position((*values)[r * cols + end]);
        if (std::isnan(next) || viridis_index(next) != index) break;
        ++end;
      }
      if (xs[end] > xs[c]) {
        fmt::format_to(out_it(out), "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>", px(xs[c] - 0.3),
                       px(top - 0.3), px(xs[end] - xs[c] + 0.6), px(height + 0.6), hex_color(kViridis[index]));
        ++drawn;
      }
      c = end;
    }
  }
  out += "</g>\n";
  return drawn;
}

std::size_t draw_refline(std::string& out, const PanelPlan& p, const RefLine& r) {
  if (!usable(r.at, r.horizontal ? p.y.scale : p.x.scale)) return 0;
  const double pos = r.horizontal ? p.Y(r.at) : p.X(r.at);
  const double lo = r.horizontal ? p.pt : p.pl, hi = r.horizontal ? p.pt + p.ph : p.pl + p.pw;
  if (pos < lo - 0.5 || pos > hi + 0.5) return 0;
  const std::string d = r.horizontal ? fmt::format("M{} {}H{}", px(p.pl), px(pos), px(p.pl + p.pw))
                                     : fmt::format("M{} {}V{}", px(pos), px(p.pt), px(p.pt + p.ph));
  fmt::format_to(out_it(out), "<path d=\"{}\" {}/>\n", d, stroke_attributes(r.style.color, r.style.width, r.style.dash));
  return 1;
}

// Pixel positions the legend should not cover, for LegendPlace::best.
std::vector<Pt> occupied_points(const PanelPlan& p) {
  std::vector<Pt> points;
  const Box box = p.plot_box(0);
  const auto add = [&](Pt v) {
    if (box.contains(v)) points.push_back(v);
  };
  for (const Series& s : p.data->series) {
    if (const auto* line = std::get_if<LineSeries>(&s)) {
      bool have_previous = false;
      Pt previous{0, 0};
      for (std::size_t i = 0; i < line->x.size(); ++i) {
        if (!p.usable_point(line->x[i], line->y[i])) {
          have_previous = false;
          continue;
        }
        const Pt v{p.X(line->x[i]), p.Y(line->y[i])};
        if (have_previous) {
          Pt a = previous, b = v;
          if (clip_segment(a, b, box)) {
            const int steps = static_cast<int>(std::min(200.0, std::hypot(b.x - a.x, b.y - a.y) / 6));
            for (int k = 0; k <= steps; ++k) {
              const double t = steps ? static_cast<double>(k) / steps : 0;
              points.push_back({a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)});
            }
          }
        } else {
          add(v);
        }
        previous = v;
        have_previous = true;
      }
    } else if (const auto* sc = std::get_if<ScatterSeries>(&s)) {
      for (std::size_t i = 0; i < sc->x.size(); ++i) {
        if (p.usable_point(sc->x[i], sc->y[i])) add({p.X(sc->x[i]), p.Y(sc->y[i])});
      }
    } else if (const auto* h = std::get_if<HistogramSeries>(&s)) {
      const double base = p.y.scale == Scale::linear ? 0.0 : p.y.lo;
      for (std::size_t i = 0; i < h->heights.size(); ++i) {
        const double v = h->heights[i];
        if (!usable(h->edges[i], p.x.scale) || !usable(h->edges[i + 1], p.x.scale) || !usable(v, p.y.scale)) continue;
        const double x0 = std::clamp(p.X(h->edges[i]), box.x0, box.x1), x1 = std::clamp(p.X(h->edges[i + 1]), box.x0, box.x1);
        const double ya = std::clamp(p.Y(std::max(v, base)), box.y0, box.y1), yb = std::clamp(p.Y(std::min(v, base)), box.y0, box.y1);
        for (double x = x0; x <= x1; x += 6) {
          for (double y = std::min(ya, yb); y <= std::max(ya, yb); y += 6) points.push_back({x, y});
        }
      }
    } else if (const auto* r = std::get_if<RefLine>(&s)) {
      if (!usable(r->at, r->horizontal ? p.y.scale : p.x.scale)) continue;
      for (double t = 0; t <= 1; t += 0.02) {
        add(r->horizontal ? Pt{p.pl + t * p.pw, p.Y(r->at)} : Pt{p.X(r->at), p.pt + t * p.ph});
      }
    }
  }
  return points;
}

void draw_legend(std::string& out, const PanelPlan& p, double legend_x) {
  const double w = legend_width(p.legend), h = legend_height(p.legend);
  const double inset = 8, pr = p.pl + p.pw, pb = p.pt + p.ph, cx = p.pl + p.pw / 2 - w / 2, cy = p.pt + p.ph / 2 - h / 2;
  const Pt ur{pr - inset - w, p.pt + inset}, ul{p.pl + inset, p.pt + inset}, ll{p.pl + inset, pb - inset - h},
      lr{pr - inset - w, pb - inset - h};
  Pt corner = ur;
  switch (p.data->legend) {
    case LegendPlace::upper_right: corner = ur; break;
    case LegendPlace::upper_left: corner = ul; break;
    case LegendPlace::lower_left: corner = ll; break;
    case LegendPlace::lower_right: corner = lr; break;
    case LegendPlace::outside_right: corner = {legend_x, p.pt}; break;
    case LegendPlace::none: return;
    case LegendPlace::best: {
      // matplotlib's order of preference among equally good places.
      const std::array<Pt, 9> candidates = {ur, ul, ll, lr, Pt{pr - inset - w, cy}, Pt{p.pl + inset, cy},
                                            Pt{cx, pb - inset - h}, Pt{cx, p.pt + inset}, Pt{cx, cy}};
      const std::vector<Pt> points = occupied_points(p);
      std::size_t best = std::numeric_limits<std::size_t>::max();
      for (const Pt& c : candidates) {
        const Box b{c.x - 3, c.y - 3, c.x + w + 3, c.y + h + 3};
        const auto covered = static_cast<std::size_t>(std::count_if(points.begin(), points.end(), [&](Pt v) { return b.contains(v); }));
        if (covered < best) {
          best = covered;
          corner = c;
        }
      }
      break;
    }
  }
  fmt::format_to(out_it(out),
                 "<g font-size=\"{}\">\n<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" "
                 "fill-opacity=\"0.85\" stroke=\"#cccccc\" stroke-width=\"0.8\"/>\n",
                 px(kLegendFont), px(corner.x), px(corner.y), px(w), px(h));
  for (std::size_t i = 0; i < p.legend.size(); ++i) {
    const LegendEntry& e = p.legend[i];
    const double row = corner.y + 5 + (static_cast<double>(i) + 0.5) * kLegendRow;
    const double hx = corner.x + 10, baseline = row + kAscent * kLegendFont / 2;
    switch (e.kind) {
      case LegendEntry::Kind::line:
        fmt::format_to(out_it(out), "<path d=\"M{} {}H{}\" {}/>\n", px(hx), px(row), px(hx + kLegendHandle),
                       stroke_attributes(e.color, e.width, e.dash));
        if (e.markers) {
          fmt::format_to(out_it(out), "<g fill=\"{}\">", xml_escape(e.color));
          append_marker(out, Marker::circle, {hx + kLegendHandle / 2, row}, e.radius);
          out += "</g>\n";
        }
        break;
      case LegendEntry::Kind::marker:
        fmt::format_to(out_it(out), "<g fill=\"{}\" fill-opacity=\"{}\">", xml_escape(e.color), px(std::clamp(e.opacity, 0.0, 1.0)));
        append_marker(out, e.marker, {hx + kLegendHandle / 2, row}, std::min(e.radius, 6.0));
        out += "</g>\n";
        break;
      case LegendEntry::Kind::patch:
        fmt::format_to(out_it(out), "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" fill-opacity=\"{}\"/>\n",
                       px(hx + 3), px(row - 5.5), px(kLegendHandle - 6), "11", xml_escape(e.color),
                       px(std::clamp(e.opacity, 0.0, 1.0)));
        break;
      case LegendEntry::Kind::note:
        append_text(out, hx, baseline, "start", e.label, "fill=\"#666666\" font-style=\"italic\"");
        continue;
    }
    append_text(out, hx + kLegendHandle + 8, baseline, "start", e.label, fmt::format("fill=\"{}\"", kTextColor));
  }
  out += "</g>\n";
}

void draw_colorbar(std::string& out, const PanelPlan& p, int id) {
  const ColorScale& c = *p.color;
  const double x = p.pl + p.pw + kColorbarGap, pb = p.pt + p.ph;
  fmt::format_to(out_it(out), "<defs><linearGradient id=\"csc-cbar{}\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">", id);
  for (int i = 0; i <= 32; ++i) {
    fmt::format_to(out_it(out), "<stop offset=\"{}\" stop-color=\"{}\"/>", px(i / 32.0), hex_color(kViridis[static_cast<std::size_t>(i * 255 / 32)]));
  }
  out += "</linearGradient></defs>\n";
  fmt::format_to(out_it(out),
                 "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"url(#csc-cbar{})\" stroke=\"{}\" stroke-width=\"0.8\"/>\n",
                 px(x), px(p.pt), px(kColorbarWidth), px(p.ph), id, kAxisColor);
  std::string ticks, labels;
  double widest = 0;
  for (const Tick& t : p.ct.ticks) {
    const double y = p.color_Y(t.value);
    if (y < p.pt - 0.5 || y > pb + 0.5) continue;
    const double len = t.major ? kTickLength : kMinorTickLength;
    fmt::format_to(out_it(ticks), "M{} {}h{}", px(x + kColorbarWidth), px(y), px(len));
    if (!t.label.empty()) {
      append_text(labels, x + kColorbarWidth + kTickLength + 3, y + kAscent * kTickFont / 2, "start", t.label);
      widest = std::max(widest, text_width(t.label, kTickFont));
    }
  }
  fmt::format_to(out_it(out), "<path d=\"{}\" stroke=\"{}\" stroke-width=\"0.8\"/>\n", ticks, kAxisColor);
  fmt::format_to(out_it(out), "<g font-size=\"{}\" fill=\"{}\">\n{}", px(kTickFont), kTextColor, labels);
  if (!p.ct.multiplier.empty()) append_text(out, x, p.pt - 7, "start", p.ct.multiplier);
  out += "</g>\n";
  if (!c.label.empty()) {
    const FittedText label = fit_text(c.label, kLabelFont, p.ph + p.top + p.bottom - 2 * kPad);
    const double w = text_width(label.text, label.font_size);
    const double lx = x + kColorbarWidth + kTickLength + 3 + widest + 8 + kAscent * kLabelFont;
    const double ly = keep_within(p.pt + p.ph / 2, w, p.pt - p.top + kPad, p.pt + p.ph + p.bottom - kPad);
    append_text(out, lx, ly, "middle", label.text,
                fmt::format("font-size=\"{}\" fill=\"{}\" transform=\"rotate(-90 {} {})\"", px(label.font_size), kTextColor,
                            px(lx), px(ly)));
  }
}

void draw_panel(std::string& out, const PanelPlan& p, int id) {
  const Panel::Data& d = *p.data;
  const double pr = p.pl + p.pw, pb = p.pt + p.ph;
  fmt::format_to(out_it(out), "<g>\n<clipPath id=\"csc-clip{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>\n",
                 id, px(p.pl), px(p.pt), px(p.pw), px(p.ph));

  const auto x_visible = [&](double v) { const double xp = p.X(v); return xp >= p.pl - 0.5 && xp <= pr + 0.5; };
  const auto y_visible = [&](double v) { const double yp = p.Y(v); return yp >= p.pt - 0.5 && yp <= pb + 0.5; };

  if (!p.has_heatmap) {
    std::string grid;
    for (const Tick& t : p.xt.ticks) {
      if (t.major && x_visible(t.value)) fmt::format_to(out_it(grid), "M{} {}V{}", px(p.X(t.value)), px(p.pt), px(pb));
    }
    for (const Tick& t : p.yt.ticks) {
      if (t.major && y_visible(t.value)) fmt::format_to(out_it(grid), "M{} {}H{}", px(p.pl), px(p.Y(t.value)), px(pr));
    }
    if (!grid.empty()) fmt::format_to(out_it(out), "<path d=\"{}\" stroke=\"{}\" stroke-width=\"0.8\"/>\n", grid, kGridColor);
  }

  fmt::format_to(out_it(out), "<g clip-path=\"url(#csc-clip{})\">\n", id);
  std::size_t drawn = 0;
  for (const Series& s : d.series) {
    drawn += std::visit(
        [&](const auto& series) -> std::size_t {
          using T = std::decay_t<decltype(series)>;
          if constexpr (std::is_same_v<T, LineSeries>) return draw_line(out, p, series);
          if constexpr (std::is_same_v<T, ScatterSeries>) return draw_scatter(out, p, series);
          if constexpr (std::is_same_v<T, HistogramSeries>) return draw_histogram(out, p, series);
          if constexpr (std::is_same_v<T, HeatmapSeries>) return draw_heatmap(out, p, series);
          if constexpr (std::is_same_v<T, RefLine>) return draw_refline(out, p, series);
          return 0;
        },
        s);
  }
  out += "</g>\n";
  if (drawn == 0) {
    append_text(out, p.pl + p.pw / 2, p.pt + p.ph / 2 + 5, "middle", d.series.empty() ? "no data" : "no data in view",
                "font-size=\"13\" fill=\"#888888\" font-style=\"italic\"");
  }

  fmt::format_to(out_it(out), "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"0.8\"/>\n",
                 px(p.pl), px(p.pt), px(p.pw), px(p.ph), kAxisColor);

  std::string marks, labels;
  for (const Tick& t : p.xt.ticks) {
    if (!x_visible(t.value)) continue;
    const double xp = p.X(t.value);
    fmt::format_to(out_it(marks), "M{} {}v{}", px(xp), px(pb), px(t.major ? kTickLength : kMinorTickLength));
    if (!t.label.empty()) append_text(labels, xp, pb + kTickLength + 3 + kAscent * kTickFont, "middle", t.label);
  }
  double y_label_width = 0;
  for (const Tick& t : p.yt.ticks) {
    if (!y_visible(t.value)) continue;
    const double yp = p.Y(t.value);
    fmt::format_to(out_it(marks), "M{} {}h{}", px(p.pl), px(yp), px(-(t.major ? kTickLength : kMinorTickLength)));
    if (!t.label.empty()) {
      append_text(labels, p.pl - kTickLength - 4, yp + kAscent * kTickFont / 2, "end", t.label);
      y_label_width = std::max(y_label_width, text_width(t.label, kTickFont));
    }
  }
  if (!p.yt.multiplier.empty()) append_text(labels, p.pl, p.pt - 7, "start", p.yt.multiplier);
  const double x_label_baseline = pb + kTickLength + 4 + kTickFont + 6 + kAscent * kLabelFont;
  if (!p.xt.multiplier.empty()) append_text(labels, pr, x_label_baseline, "end", p.xt.multiplier);
  if (!marks.empty()) fmt::format_to(out_it(out), "<path d=\"{}\" stroke=\"{}\" stroke-width=\"0.8\"/>\n", marks, kAxisColor);
  fmt::format_to(out_it(out), "<g font-size=\"{}\" fill=\"{}\">\n{}</g>\n", px(kTickFont), kTextColor, labels);

  const double cell_lo = p.cell_x + 4, cell_hi = p.cell_x + p.cell_w - 4;
  if (!d.x_label.empty()) {
    // Beside a ×10ⁿ multiplier at the right end of the same line, the label keeps clear of it.
    const double multiplier_width = p.xt.multiplier.empty() ? 0 : text_width(p.xt.multiplier, kTickFont) + 8;
    const FittedText label = fit_text(d.x_label, kLabelFont, cell_hi - cell_lo - 2 * multiplier_width);
    const double w = text_width(label.text, label.font_size);
    append_text(out, keep_within(p.pl + p.pw / 2, w, cell_lo, pr - multiplier_width), x_label_baseline, "middle", label.text,
                fmt::format("font-size=\"{}\" fill=\"{}\"", px(label.font_size), kTextColor));
  }
  if (!d.y_label.empty()) {
    const FittedText label = fit_text(d.y_label, kLabelFont, p.ph + p.top + p.bottom - 2 * kPad);
    const double w = text_width(label.text, label.font_size);
    const double lx = p.pl - kTickLength - 4 - y_label_width - 8 - (1 - kAscent) * kLabelFont;
    const double ly = keep_within(p.pt + p.ph / 2, w, p.pt - p.top + kPad, p.pt + p.ph + p.bottom - kPad);
    append_text(out, lx, ly, "middle", label.text,
                fmt::format("font-size=\"{}\" fill=\"{}\" transform=\"rotate(-90 {} {})\"", px(label.font_size), kTextColor,
                            px(lx), px(ly)));
  }
  if (!d.title.empty()) {
    // At the top of the margin, which a row shares, so that titles side by side line up; square
    // heatmaps moved down (p.pt - p.cell_y > p.top) take their title along.
    const double baseline = p.pt - p.top + kPad + kTitleFont;
    const FittedText title = fit_text(d.title, kTitleFont, cell_hi - cell_lo);
    const double w = text_width(title.text, title.font_size);
    append_text(out, keep_within(p.pl + p.pw / 2, w, cell_lo, cell_hi), baseline, "middle", title.text,
                fmt::format("font-size=\"{}\" fill=\"{}\"", px(title.font_size), kTextColor));
  }
  if (p.color) draw_colorbar(out, p, id);
  if (!p.legend.empty()) {
    double legend_x = pr + 10;
    if (p.color) legend_x = p.cell_x + p.cell_w - kPad - legend_width(p.legend);
    draw_legend(out, p, legend_x);
  }
  out += "</g>\n";
}

std::size_t count_skipped(const Panel::Data& d) {
  std::size_t skipped = 0;
  for (const Series& s : d.series) {
    if (const auto* line = std::get_if<LineSeries>(&s)) {
      for (std::size_t i = 0; i < line->x.size(); ++i) skipped += !(usable(line->x[i], d.x_scale) && usable(line->y[i], d.y_scale));
    } else if (const auto* sc = std::get_if<ScatterSeries>(&s)) {
      for (std::size_t i = 0; i < sc->x.size(); ++i) skipped += !(usable(sc->x[i], d.x_scale) && usable(sc->y[i], d.y_scale));
    } else if (const auto* h = std::get_if<HistogramSeries>(&s)) {
      for (std::size_t i = 0; i < h->heights.size(); ++i) {
        const double v = h->heights[i];
        const bool edges_ok = usable(h->edges[i], d.x_scale) && usable(h->edges[i + 1], d.x_scale);
        skipped += !edges_ok || !std::isfinite(v) || (d.y_scale == Scale::log10 && v < 0);
      }
      skipped += h->skipped_values;
    } else if (const auto* hm = std::get_if<HeatmapSeries>(&s)) {
      for (double v : hm->values) skipped += !usable(v, hm->style.color_scale);
    } else if (const auto* r = std::get_if<RefLine>(&s)) {
      skipped += !usable(r->at, r->horizontal ? d.y_scale : d.x_scale);
    }
  }
  return skipped;
}

std::string pick_color(Panel::Data& d, const std::string& requested) {
  return requested.empty() ? kCycle[d.next_color++ % kCycle.size()] : requested;
}

void check_log_range(Scale scale, const std::optional<std::pair<double, double>>& range, const char* axis) {
  require(scale == Scale::linear || !range || range->first > 0,
          fmt::format("{} range [{}, {}] is not positive, so it cannot be shown on a log10 axis", axis,
                      range ? range->first : 0, range ? range->second : 0));
}

}  // namespace

Panel::Panel() : data_(std::make_unique<Data>()) {}
Panel::~Panel() = default;
Panel::Panel(Panel&&) noexcept = default;
Panel& Panel::operator=(Panel&&) noexcept = default;

Panel& Panel::title(std::string text) {
  data_->title = std::move(text);
  return *this;
}
Panel& Panel::x_label(std::string text) {
  data_->x_label = std::move(text);
  return *this;
}
Panel& Panel::y_label(std::string text) {
  data_->y_label = std::move(text);
  return *this;
}
Panel& Panel::x_scale(Scale scale) {
  check_log_range(scale, data_->x_range, "x");
  data_->x_scale = scale;
  return *this;
}
Panel& Panel::y_scale(Scale scale) {
  check_log_range(scale, data_->y_range, "y");
  data_->y_scale = scale;
  return *this;
}
Panel& Panel::x_range(double lo, double hi) {
  require(std::isfinite(lo) && std::isfinite(hi) && lo != hi && std::isfinite(hi - lo),
          "x range needs two different finite limits less than the largest double apart");
  const auto range = std::make_optional(std::make_pair(std::min(lo, hi), std::max(lo, hi)));
  check_log_range(data_->x_scale, range, "x");
  data_->x_range = range;
  return *this;
}
Panel& Panel::y_range(double lo, double hi) {
  require(std::isfinite(lo) && std::isfinite(hi) && lo != hi && std::isfinite(hi - lo),
          "y range needs two different finite limits less than the largest double apart");
  const auto range = std::make_optional(std::make_pair(std::min(lo, hi), std::max(lo, hi)));
  check_log_range(data_->y_scale, range, "y");
  data_->y_range = range;
  return *this;
}
Panel& Panel::legend(LegendPlace place) {
  data_->legend = place;
  return *this;
}

Panel& Panel::line(std::span<const double> x, std::span<const double> y, LineStyle style) {
  require(x.size() == y.size(), fmt::format("line x and y differ in length ({} vs {})", x.size(), y.size()));
  style.color = pick_color(*data_, style.color);
  data_->series.emplace_back(LineSeries{{x.begin(), x.end()}, {y.begin(), y.end()}, std::move(style)});
  return *this;
}

Panel& Panel::scatter(std::span<const double> x, std::span<const double> y, ScatterStyle style) {
  require(x.size() == y.size(), fmt::format("scatter x and y differ in length ({} vs {})", x.size(), y.size()));
  style.color = pick_color(*data_, style.color);
  data_->series.emplace_back(ScatterSeries{{x.begin(), x.end()}, {y.begin(), y.end()}, std::move(style), {}, {}});
  return *this;
}

Panel& Panel::scatter_by_category(std::span<const double> x, std::span<const double> y,
                                  std::span<const std::string> categories, ScatterStyle style) {
  require(x.size() == y.size() && x.size() == categories.size(),
          fmt::format("scatter x, y and categories differ in length ({}, {}, {})", x.size(), y.size(), categories.size()));
  ScatterSeries s{{x.begin(), x.end()}, {y.begin(), y.end()}, std::move(style), {}, {}};
  std::unordered_map<std::string, std::size_t> index;
  s.category.reserve(categories.size());
  for (const std::string& name : categories) {
    const auto [it, inserted] = index.try_emplace(name, s.names.size());
    if (inserted) s.names.push_back(name);
    s.category.push_back(it->second);
  }
  data_->series.emplace_back(std::move(s));
  return *this;
}

Panel& Panel::histogram(std::span<const double> edges, std::span<const double> counts, HistogramStyle style) {
  require(!counts.empty() && edges.size() == counts.size() + 1,
          fmt::format("histogram needs one more edge than counts (got {} edges, {} counts)", edges.size(), counts.size()));
  for (std::size_t i = 0; i < edges.size(); ++i) {
    require(std::isfinite(edges[i]), "histogram edges must be finite");
    require(i == 0 || edges[i] > edges[i - 1], "histogram edges must increase strictly");
  }
  HistogramSeries h{{edges.begin(), edges.end()}, {counts.begin(), counts.end()}, std::move(style), 0};
  if (h.style.density) {
    double total = 0;
    for (double c : counts) total += std::isfinite(c) ? c : 0;
    if (total > 0) {
      for (std::size_t i = 0; i < h.heights.size(); ++i) h.heights[i] /= total * (edges[i + 1] - edges[i]);
    }
  }
  h.style.color = pick_color(*data_, h.style.color);
  data_->series.emplace_back(std::move(h));
  return *this;
}

Panel& Panel::histogram_of(std::span<const double> values, int bins, HistogramStyle style) {
  require(bins >= 0 && bins <= 100000, fmt::format("histogram bin count {} is out of range (0 = auto, at most 100000)", bins));
  std::vector<double> finite;
  finite.reserve(values.size());
  for (double v : values) {
    if (std::isfinite(v)) finite.push_back(v);
  }
  const std::size_t skipped = values.size() - finite.size();
  double lo = 0, hi = 1;
  if (!finite.empty()) {
    const auto [min_it, max_it] = std::minmax_element(finite.begin(), finite.end());
    lo = *min_it;
    hi = *max_it;
  }
  if (lo == hi) {  // NumPy's choice for a single value
    lo -= 0.5;
    hi += 0.5;
    if (bins == 0) bins = 1;
  }
  if (bins == 0) {
    // NumPy's "auto": the smaller of the Sturges and Freedman-Diaconis bin widths.
    const double n = static_cast<double>(finite.size());
    const double sturges = (hi - lo) / (std::log2(n) + 1);
    std::vector<double> sorted = finite;
    std::sort(sorted.begin(), sorted.end());
    const auto quantile = [&](double q) {
      const double pos = q * (n - 1);
      const auto k = static_cast<std::size_t>(pos);
      const double frac = pos - static_cast<double>(k);
      return k + 1 < sorted.size() ? sorted[k] + frac * (sorted[k + 1] - sorted[k]) : sorted[k];
    };
    const double fd = 2 * (quantile(0.75) - quantile(0.25)) / std::cbrt(n);
    const double width = fd > 0 ? std::min(fd, sturges) : sturges;
    bins = static_cast<int>(std::clamp(std::ceil((hi - lo) / width), 1.0, 200.0));
  }
  std::vector<double> edges(static_cast<std::size_t>(bins) + 1), counts(static_cast<std::size_t>(bins), 0.0);
  for (int i = 0; i <= bins; ++i) edges[static_cast<std::size_t>(i)] = lo + (hi - lo) * i / bins;
  edges.back() = hi;
  for (double v : finite) {
    const auto k = static_cast<std::size_t>(std::clamp(std::floor((v - lo) / (hi - lo) * bins), 0.0, bins - 1.0));
    counts[k] += 1;
  }
  histogram(edges, counts, std::move(style));
  std::get<HistogramSeries>(data_->series.back()).skipped_values = skipped;
  return *this;
}

Panel& Panel::heatmap(std::span<const double> values, std::size_t rows, std::size_t cols, HeatmapStyle style) {
  require(rows > 0 && cols > 0 && values.size() / cols == rows && values.size() % cols == 0,
          fmt::format("heatmap of {} x {} needs {} values, got {}", rows, cols, rows * cols, values.size()));
  for (const auto& limit : {style.vmin, style.vmax}) {
    require(!limit || std::isfinite(*limit), "heatmap colour limits must be finite");
    require(!limit || style.color_scale == Scale::linear || *limit > 0, "log10 colour limits must be positive");
  }
  require(!style.vmin || !style.vmax || *style.vmin <= *style.vmax, "heatmap vmin exceeds vmax");
  for (const auto& e : {style.x_min, style.x_max, style.y_min, style.y_max}) {
    require(!e || std::isfinite(*e), "heatmap extents must be finite");
  }
  HeatmapSeries h;
  h.values.assign(values.begin(), values.end());
  h.rows = rows;
  h.cols = cols;
  h.index_coordinates = !style.x_min && !style.x_max && !style.y_min && !style.y_max;
  h.x_min = style.x_min.value_or(style.x_max ? *style.x_max - static_cast<double>(cols) : -0.5);
  h.x_max = style.x_max.value_or(h.x_min + static_cast<double>(cols));
  h.y_min = style.y_min.value_or(style.y_max ? *style.y_max - static_cast<double>(rows) : -0.5);
  h.y_max = style.y_max.value_or(h.y_min + static_cast<double>(rows));
  require(h.x_min < h.x_max && h.y_min < h.y_max, "heatmap extents need min < max");
  h.style = std::move(style);
  data_->series.emplace_back(std::move(h));
  return *this;
}

Panel& Panel::hline(double y, RefLineStyle style) {
  data_->series.emplace_back(RefLine{true, y, std::move(style)});
  return *this;
}
Panel& Panel::vline(double x, RefLineStyle style) {
  data_->series.emplace_back(RefLine{false, x, std::move(style)});
  return *this;
}

Figure::Figure(int rows, int cols) : rows_(rows), cols_(cols) {
  require(rows >= 1 && cols >= 1 && rows <= 16 && cols <= 16, fmt::format("a figure has 1..16 rows and columns, not {} x {}", rows, cols));
  panels_.resize(static_cast<std::size_t>(rows * cols));
}

Panel& Figure::panel(int row, int col) {
  require(row >= 0 && row < rows_ && col >= 0 && col < cols_,
          fmt::format("panel ({}, {}) is outside the {} x {} figure", row, col, rows_, cols_));
  return panels_[static_cast<std::size_t>(row * cols_ + col)];
}

Figure& Figure::suptitle(std::string text) {
  suptitle_ = std::move(text);
  return *this;
}

Figure& Figure::size(double width, double height) {
  require(std::isfinite(width) && std::isfinite(height) && width >= 100 && height >= 100 && width <= 20000 && height <= 20000,
          fmt::format("figure size {} x {} px is outside 100..20000", width, height));
  width_ = width;
  height_ = height;
  return *this;
}

Figure& Figure::row_heights(std::vector<double> ratios) {
  require(ratios.size() == static_cast<std::size_t>(rows_), fmt::format("{} row heights for {} rows", ratios.size(), rows_));
  for (double r : ratios) require(std::isfinite(r) && r > 0, "row heights must be positive");
  row_heights_ = std::move(ratios);
  return *this;
}

std::string Figure::render() const {
  const double suptitle_height = suptitle_.empty() ? 0 : 36;
  const double width = width_ > 0 ? width_ : (cols_ == 1 ? 640.0 : 520.0 * cols_);
  const double height = height_ > 0 ? height_ : (rows_ == 1 ? 480.0 : 300.0 * rows_) + suptitle_height;

  std::vector<double> ratios = row_heights_.empty() ? std::vector<double>(static_cast<std::size_t>(rows_), 1.0) : row_heights_;
  double ratio_sum = 0;
  for (double r : ratios) ratio_sum += r;
  std::vector<PanelPlan> plans;
  plans.reserve(panels_.size());
  double y = suptitle_height;
  for (int r = 0; r < rows_; ++r) {
    const double h = (height - suptitle_height) * ratios[static_cast<std::size_t>(r)] / ratio_sum;
    for (int c = 0; c < cols_; ++c) {
      PanelPlan p = plan_ranges(*panels_[static_cast<std::size_t>(r * cols_ + c)].data_);
      p.cell_x = width * c / cols_;
      p.cell_w = width / cols_;
      p.cell_y = y;
      p.cell_h = h;
      plans.push_back(std::move(p));
    }
    y += h;
  }
  layout(plans, rows_, cols_);

  std::string out;
  out.reserve(1 << 16);
  fmt::format_to(out_it(out),
                 "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n"
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" "
                 "width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" "
                 "font-family=\"DejaVu Sans, Bitstream Vera Sans, Helvetica, Arial, sans-serif\">\n"
                 "<rect width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n",
                 px(width), px(height));
  if (!suptitle_.empty()) {
    const FittedText title = fit_text(suptitle_, kSuptitleFont, width - 2 * kPad);
    append_text(out, width / 2, 26, "middle", title.text, fmt::format("font-size=\"{}\" fill=\"{}\"", px(title.font_size), kTextColor));
  }
  for (std::size_t i = 0; i < plans.size(); ++i) {
    if (plans[i].drawn) draw_panel(out, plans[i], static_cast<int>(i));
  }
  out += "</svg>\n";
  return out;
}

std::size_t Figure::skipped_points() const {
  std::size_t skipped = 0;
  for (const Panel& p : panels_) skipped += count_skipped(*p.data_);
  return skipped;
}

void Figure::save(const std::string& path) const {
  const std::string svg = render();
  static std::atomic<unsigned> counter{0};
  const auto fail = [&](const std::string& what) {
    return csc::runtime_error(fmt::format("cannot write plot {}: {}: {}", path, what, std::strerror(errno)));
  };
  std::string temporary;
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    temporary = fmt::format("{}.tmp.{}.{}", path, ::getpid(), counter++);
    fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) throw fail("cannot create a temporary file beside it");
  std::size_t written = 0;
  while (written < svg.size()) {
    const ssize_t n = ::write(fd, svg.data() + written, svg.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const Error error = fail("write failed");
      ::close(fd);
      ::unlink(temporary.c_str());
      throw error;
    }
    written += static_cast<std::size_t>(n);
  }
  const bool synced = ::fsync(fd) == 0;
  const int sync_errno = errno;
  if (::close(fd) != 0 || !synced) {
    if (!synced) errno = sync_errno;
    const Error error = fail("write failed");
    ::unlink(temporary.c_str());
    throw error;
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const Error error = fail("rename failed");
    ::unlink(temporary.c_str());
    throw error;
  }
}

}  // namespace csc::plot
