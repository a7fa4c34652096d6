// The small SVG plotter behind --plot: figures of one or more panels holding lines, scatters,
// histograms, heatmaps and reference lines on linear or log10 axes, written as standalone SVG 1.1.
//
// Usage (a subcommand's --plot):
//   plot::Figure fig(2, 1);                                   // fit panel over a residuals panel
//   fig.row_heights({3, 1}).suptitle("scale-fit");
//   fig.panel(0).x_label("N").y_label("time (s)").x_scale(plot::Scale::log10).y_scale(plot::Scale::log10)
//       .scatter(n, t, {.label = "measured"})
//       .line(n_fit, t_fit, {.label = "fit: t ∝ N^1.98", .dash = plot::Dash::dashed});
//   fig.panel(1).x_label("N").y_label("residual").x_scale(plot::Scale::log10).scatter(n, r).hline(0);
//   io::OutputFile out(inv.options().plot, force);           // src/output_file.h: no overwrite without --force
//   out.write(fig.render());
//   out.commit();
//   if (fig.skipped_points()) inv.warn(fmt::format("plot: {} points not drawn (NaN/Inf or <= 0 on a log axis)", ...));
//
// render() returns the document; save() writes it atomically too (temporary name, then rename) but
// replaces an existing file, so subcommands honour "never overwrite without --force" by handing
// render()'s string to io::OutputFile as above; save() is for tools and tests.
//
// Data handling: points with a NaN or infinite coordinate are not drawn (a line breaks there), nor
// are points with a non-positive coordinate on a log10 axis, nor non-finite (or, with log colours,
// non-positive) heatmap cells; skipped_points() counts them so the caller can warn, and they never
// affect the automatic ranges. Empty histogram bins on a log10 y axis are simply not drawn. Long
// sorted line series are reduced to what each pixel column shows (first, min, max, last); heatmaps
// of more than 4096 cells are embedded as one PNG image, block-averaged beyond 1024 cells a side.
// Text is UTF-8; XML specials are escaped, control characters and invalid UTF-8 replaced, and text
// too long for its place shrinks, then ends in "…", so any label gives a well-formed, tidy document.
// Misuse by the caller (x and y of different lengths, bad histogram edges, a non-finite or
// non-positive explicit log range, a panel index out of range) throws std::invalid_argument.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace csc::plot {

enum class Scale { linear, log10 };
enum class Dash { solid, dashed, dotted, dash_dot };
// best: the corner (or edge centre) of the axes that covers the fewest data points, as matplotlib does.
enum class LegendPlace { best, upper_right, upper_left, lower_left, lower_right, outside_right, none };

// Colours are CSS colours ("#1f77b4", "black"); empty = the panel's next colour from the tab10 cycle.
struct LineStyle {
  std::string label{};        // legend entry; empty = none
  std::string color{};
  Dash dash = Dash::solid;
  double width = 1.5;       // px
  bool markers = false;     // also mark every point
};

struct ScatterStyle {
  std::string label{};        // legend entry (ignored by scatter_by_category, which labels each category)
  std::string color{};
  double radius = 3.0;      // px
  double opacity = 0.8;
};

struct HistogramStyle {
  std::string label{};
  std::string color{};
  bool density = false;     // scale counts so that the bars' total area is 1
  double opacity = 0.75;
};

struct HeatmapStyle {
  std::string colorbar_label{};
  std::optional<double> vmin{}, vmax{};     // colour limits; default: the finite data's min and max
  Scale color_scale = Scale::linear;
  // Data coordinates of the outer cell edges; default: cell centres at the column/row indices.
  std::optional<double> x_min{}, x_max{}, y_min{}, y_max{};
  bool origin_lower = false;            // row 0 at the bottom (phase diagrams); default at the top (matrices)
};

struct RefLineStyle {
  std::string label{};
  std::string color = "#555555";
  Dash dash = Dash::dashed;
  double width = 1.0;
};

class Panel {
 public:
  Panel();
  ~Panel();
  Panel(Panel&&) noexcept;
  Panel& operator=(Panel&&) noexcept;

  Panel& title(std::string text);
  Panel& x_label(std::string text);
  Panel& y_label(std::string text);
  Panel& x_scale(Scale scale);
  Panel& y_scale(Scale scale);
  // Explicit limits instead of the automatic ones (data range plus 5% padding).
  Panel& x_range(double lo, double hi);
  Panel& y_range(double lo, double hi);
  Panel& legend(LegendPlace place);

  Panel& line(std::span<const double> x, std::span<const double> y, LineStyle style = {});
  Panel& scatter(std::span<const double> x, std::span<const double> y, ScatterStyle style = {});
  // One colour (and, past ten categories, marker shape) per distinct category, in order of first
  // appearance, with a legend entry each (at most 20 are listed, then "+ N more").
  Panel& scatter_by_category(std::span<const double> x, std::span<const double> y,
                             std::span<const std::string> categories, ScatterStyle style = {});
  // Bars between consecutive edges (edges.size() == counts.size() + 1, strictly increasing, finite).
  Panel& histogram(std::span<const double> edges, std::span<const double> counts, HistogramStyle style = {});
  // Bins the finite values: bins = 0 chooses the count like NumPy's "auto" (max of Sturges and
  // Freedman-Diaconis, at most 200).
  Panel& histogram_of(std::span<const double> values, int bins = 0, HistogramStyle style = {});
  // A rows x cols matrix in row-major order, coloured with viridis, with a colour bar on the right.
  Panel& heatmap(std::span<const double> values, std::size_t rows, std::size_t cols, HeatmapStyle style = {});
  Panel& hline(double y, RefLineStyle style = {});
  Panel& vline(double x, RefLineStyle style = {});

  struct Data;

 private:
  friend class Figure;
  std::unique_ptr<Data> data_;
};

class Figure {
 public:
  // A grid of rows x cols panels, filled row by row.
  explicit Figure(int rows = 1, int cols = 1);

  Panel& panel(int row = 0, int col = 0);
  Figure& suptitle(std::string text);
  // Whole-figure size in px; default 640 x 480 for one panel, growing with rows and columns.
  Figure& size(double width, double height);
  // Relative row heights, e.g. {3, 1} for a fit over its residuals; default equal.
  Figure& row_heights(std::vector<double> ratios);

  std::string render() const;
  // Writes render() to `path` atomically; throws csc::Error (runtime failure) on I/O errors.
  void save(const std::string& path) const;
  // Points not drawn because a coordinate was NaN/Inf or non-positive on a log10 axis.
  std::size_t skipped_points() const;

 private:
  int rows_, cols_;
  std::vector<Panel> panels_;
  std::string suptitle_;
  double width_ = 0, height_ = 0;
  std::vector<double> row_heights_;
};

}  // namespace csc::plot
