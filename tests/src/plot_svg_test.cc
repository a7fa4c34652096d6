// Tests of the SVG plotter: well-formed documents, ticks, escaping, skipped points, heatmaps, legends.
// Set CSC_PLOT_GALLERY=/some/dir to also write the gallery figures there (render them with rsvg-convert to look).
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "src/error.h"
#include "src/plot_svg.h"
#include "src/plot_text.h"
#include "src/plot_ticks.h"
#include "src/png_indexed.h"

namespace {

using namespace csc::plot;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// A small XML 1.0 well-formedness check, independent of the plotter: one root element, tags
// properly nested, attributes quoted and not repeated, '<' never in attribute values, only the five
// predefined or numeric entity references. Returns an empty string when the document is fine.
std::string xml_error(const std::string& doc) {
  std::vector<std::string> open;
  bool root_done = false;
  std::size_t i = 0;
  const auto name_char = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == ':' || c == '-' || c == '.'; };
  const auto check_entity = [&](std::size_t at) -> std::string {
    const std::size_t end = doc.find(';', at);
    if (end == std::string::npos || end - at > 10) return "bad entity at " + std::to_string(at);
    const std::string ref = doc.substr(at + 1, end - at - 1);
    static const std::set<std::string> known = {"amp", "lt", "gt", "quot", "apos"};
    if (known.count(ref) || (ref.size() > 1 && ref[0] == '#')) return "";
    return "unknown entity &" + ref + ";";
  };
  while (i < doc.size()) {
    const char c = doc[i];
    if (c == '&') {
      if (auto e = check_entity(i); !e.empty()) return e;
      ++i;
      continue;
    }
    if (c == '>') return "stray '>' in text at " + std::to_string(i);
    if (c != '<') {
      if (open.empty() && !std::isspace(static_cast<unsigned char>(c))) return "text outside the root at " + std::to_string(i);
      ++i;
      continue;
    }
    if (doc.compare(i, 5, "<?xml") == 0) {
      if (i != 0) return "XML declaration not at the start";
      const std::size_t end = doc.find("?>", i);
      if (end == std::string::npos) return "unterminated declaration";
      i = end + 2;
      continue;
    }
    if (doc.compare(i, 4, "<!--") == 0) {
      const std::size_t end = doc.find("-->", i);
      if (end == std::string::npos) return "unterminated comment";
      i = end + 3;
      continue;
    }
    const bool closing = doc[i + 1] == '/';
    std::size_t j = i + (closing ? 2 : 1);
    const std::size_t name_start = j;
    while (j < doc.size() && name_char(doc[j])) ++j;
    const std::string name = doc.substr(name_start, j - name_start);
    if (name.empty()) return "tag without a name at " + std::to_string(i);
    if (closing) {
      while (j < doc.size() && std::isspace(static_cast<unsigned char>(doc[j]))) ++j;
      if (j >= doc.size() || doc[j] != '>') return "bad end tag " + name;
      if (open.empty() || open.back() != name) return "end tag " + name + " does not match " + (open.empty() ? "nothing" : open.back());
      open.pop_back();
      if (open.empty()) root_done = true;
      i = j + 1;
      continue;
    }
    if (open.empty() && root_done) return "second root element " + name;
    std::set<std::string> attributes;
    while (true) {
      const std::size_t before = j;
      while (j < doc.size() && std::isspace(static_cast<unsigned char>(doc[j]))) ++j;
      if (j >= doc.size()) return "unterminated tag " + name;
      if (doc[j] == '>' || doc.compare(j, 2, "/>") == 0) break;
      if (j == before) return "no space before attribute in " + name;
      const std::size_t a = j;
      while (j < doc.size() && name_char(doc[j])) ++j;
      const std::string attribute = doc.substr(a, j - a);
      if (attribute.empty() || j >= doc.size() || doc[j] != '=') return "bad attribute in " + name;
      if (!attributes.insert(attribute).second) return "repeated attribute " + attribute + " in " + name;
      ++j;
      if (j >= doc.size() || (doc[j] != '"' && doc[j] != '\'')) return "unquoted attribute " + attribute;
      const char quote = doc[j];
      const std::size_t end = doc.find(quote, j + 1);
      if (end == std::string::npos) return "unterminated attribute " + attribute;
      for (std::size_t k = j + 1; k < end; ++k) {
        if (doc[k] == '<') return "'<' in attribute " + attribute;
        if (doc[k] == '&') {
          if (auto e = check_entity(k); !e.empty()) return e;
        }
      }
      j = end + 1;
    }
    if (doc[j] == '/') {
      if (open.empty()) root_done = true;
      i = j + 2;
    } else {
      open.push_back(name);
      i = j + 1;
    }
  }
  if (!open.empty()) return "unclosed element " + open.back();
  if (!root_done) return "no root element";
  return "";
}

std::size_t count(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (std::size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

// Text content of every <text> element.
std::vector<std::string> texts(const std::string& svg) {
  std::vector<std::string> out;
  for (std::size_t at = svg.find("<text"); at != std::string::npos; at = svg.find("<text", at + 1)) {
    const std::size_t start = svg.find('>', at) + 1;
    out.push_back(svg.substr(start, svg.find("</text>", start) - start));
  }
  return out;
}
bool has_text(const std::string& svg, const std::string& text) {
  for (const std::string& t : texts(svg)) {
    if (t == text) return true;
  }
  return false;
}

std::vector<double> linspace(double a, double b, std::size_t n) {
  std::vector<double> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = n == 1 ? a : a + (b - a) * static_cast<double>(i) / static_cast<double>(n - 1);
  return v;
}

// The gallery: one figure of each kind, with deterministic data. Also the inputs of the
// well-formedness test, so every feature is rendered at least once by the tests.
std::map<std::string, Figure> gallery() {
  std::map<std::string, Figure> figures;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 1.0);

  {  // line: damped oscillations, a dashed envelope, markers, a gap of NaN
    Figure fig;
    const std::vector<double> t = linspace(0, 10, 400);
    std::vector<double> a, b, env, env_neg;
    for (double x : t) {
      a.push_back(std::exp(-0.25 * x) * std::cos(2.2 * x));
      b.push_back(x > 4.0 && x < 4.8 ? kNaN : 0.6 * std::exp(-0.1 * x) * std::sin(1.3 * x));
      env.push_back(std::exp(-0.25 * x));
      env_neg.push_back(-std::exp(-0.25 * x));
    }
    const std::vector<double> tk = linspace(0, 10, 11);
    std::vector<double> samples;
    for (double x : tk) samples.push_back(std::exp(-0.25 * x) * std::cos(2.2 * x));
    fig.panel().title("Damped oscillators").x_label("time t (s)").y_label("displacement x (m)")
        .line(t, a, {.label = "γ = 0.25, ω = 2.2"})
        .line(t, b, {.label = "γ = 0.10, ω = 1.3 (gap: NaN)"})
        .line(t, env, {.label = "envelope e^(−γt)", .color = "#7f7f7f", .dash = Dash::dashed, .width = 1.2})
        .line(t, env_neg, {.color = "#7f7f7f", .dash = Dash::dashed, .width = 1.2})
        .line(tk, samples, {.label = "samples", .color = "#d62728", .dash = Dash::dotted, .markers = true})
        .hline(0, {.color = "#999999", .dash = Dash::solid, .width = 0.8});
    figures.emplace("line", std::move(fig));
  }
  {  // scatter coloured by category: PCA-like scores of three clusters
    Figure fig;
    std::vector<double> x, y;
    std::vector<std::string> label;
    const std::array<std::pair<double, double>, 3> centres = {{{-2.7, 0.3}, {0.4, -0.6}, {1.9, 0.5}}};
    const std::array<const char*, 3> names = {"setosa", "versicolor", "virginica"};
    for (int k = 0; k < 3; ++k) {
      for (int i = 0; i < 50; ++i) {
        x.push_back(centres[k].first + 0.45 * normal(rng));
        y.push_back(centres[k].second + 0.35 * normal(rng));
        label.push_back(names[k]);
      }
    }
    fig.panel().title("PCA scores by species").x_label("PC1 (72.9 %)").y_label("PC2 (22.9 %)")
        .scatter_by_category(x, y, label);
    figures.emplace("scatter_categories", std::move(fig));
  }
  {  // many categories: marker shapes past ten, "+ N more" past twenty
    Figure fig;
    std::vector<double> x, y;
    std::vector<std::string> label;
    for (int k = 0; k < 24; ++k) {
      for (int i = 0; i < 12; ++i) {
        x.push_back(std::cos(k * 0.26) * 5 + 0.4 * normal(rng));
        y.push_back(std::sin(k * 0.26) * 5 + 0.4 * normal(rng));
        label.push_back(fmt::format("cluster {}", k));
      }
    }
    fig.panel().title("24 clusters").x_label("x").y_label("y").legend(LegendPlace::outside_right)
        .scatter_by_category(x, y, label, {.radius = 3.5});
    figures.emplace("scatter_many_categories", std::move(fig));
  }
  {  // log-log: a power law over five decades with noise, and its fit
    Figure fig;
    std::vector<double> n, t, tf;
    for (double e = 1; e <= 6.01; e += 0.25) {
      n.push_back(std::pow(10.0, e));
      t.push_back(3e-9 * std::pow(10.0, 2 * e) * std::exp(0.15 * normal(rng)));
    }
    const std::vector<double> nf = {5, 2e6};
    for (double v : nf) tf.push_back(3e-9 * v * v);
    fig.panel().title("Scaling of the pair loop").x_label("problem size N").y_label("time (s)")
        .x_scale(Scale::log10).y_scale(Scale::log10)
        .scatter(n, t, {.label = "measured", .radius = 3.5})
        .line(nf, tf, {.label = "fit: t = 3.0×10⁻⁹ N^2.00", .dash = Dash::dashed})
        .hline(1, {.label = "1 s budget", .color = "#d62728"});
    figures.emplace("loglog", std::move(fig));
  }
  {  // a semi-log plot inside one decade, and large magnitudes on the x axis
    Figure fig(1, 2);
    std::vector<double> x = linspace(2e6, 9e6, 30), y;
    for (double v : x) y.push_back(2.0 + 5.0 * (v - 2e6) / 7e6 + 0.1 * normal(rng));
    fig.panel(0, 0).title("Within one decade").x_label("frequency (Hz)").y_label("gain").y_scale(Scale::log10).line(x, y, {.markers = true});
    std::vector<double> s = linspace(0, 4e-5, 50), z;
    for (double v : s) z.push_back(std::sin(v * 2e5) * 3e-4);
    fig.panel(0, 1).title("Small magnitudes").x_label("time (s)").y_label("current (A)").line(s, z);
    figures.emplace("magnitudes", std::move(fig));
  }
  {  // heatmap: a correlation-like matrix with integer ticks
    Figure fig;
    const std::size_t n = 12;
    std::vector<double> m(n * n);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) m[i * n + j] = std::exp(-std::fabs(static_cast<double>(i) - static_cast<double>(j)) / 3.0) * (i % 3 == 0 && j == 5 ? -0.4 : 1.0);
    }
    m[3 * n + 8] = kNaN;
    fig.panel().title("Correlation matrix").x_label("feature").y_label("feature")
        .heatmap(m, n, n, {.colorbar_label = "correlation"});
    figures.emplace("heatmap", std::move(fig));
  }
  {  // large heatmap (embedded image), phase-diagram extents, origin at the bottom, log colours
    Figure fig;
    const std::size_t rows = 150, cols = 200;
    std::vector<double> m(rows * cols);
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < cols; ++c) {
        const double T = 0.5 + 3.5 * static_cast<double>(c) / cols, h = -1 + 2.0 * static_cast<double>(r) / rows;
        m[r * cols + c] = std::pow(10.0, -3 + 5 / (1 + std::exp((T - 2.27) * 3 - 2 * std::fabs(h))));
      }
    }
    fig.panel().title("Susceptibility (phase diagram)").x_label("temperature T").y_label("field h")
        .heatmap(m, rows, cols, {.colorbar_label = "χ", .color_scale = Scale::log10, .x_min = 0.5, .x_max = 4.0,
                                 .y_min = -1, .y_max = 1, .origin_lower = true})
        .vline(2.269, {.label = "T_c = 2.269", .color = "#d62728"});
    figures.emplace("heatmap_large", std::move(fig));
  }
  {  // histogram of normal samples with the density overlaid
    Figure fig;
    std::vector<double> v;
    for (int i = 0; i < 2000; ++i) v.push_back(1.5 + 0.8 * normal(rng));
    v.push_back(kNaN);
    const std::vector<double> x = linspace(-1.5, 4.5, 200);
    std::vector<double> pdf;
    for (double t : x) pdf.push_back(std::exp(-0.5 * std::pow((t - 1.5) / 0.8, 2)) / (0.8 * std::sqrt(2 * M_PI)));
    fig.panel().title("Energy per spin").x_label("E / J").y_label("density")
        .histogram_of(v, 0, {.label = "2000 samples", .density = true})
        .line(x, pdf, {.label = "N(1.5, 0.8²)", .color = "#d62728"})
        .vline(1.5, {.label = "mean"});
    figures.emplace("histogram", std::move(fig));
  }
  {  // two panels: a fit over its residuals
    Figure fig(2, 1);
    fig.suptitle("Arrhenius fit of the relaxation time").row_heights({3, 1.2});
    std::vector<double> T = linspace(250, 400, 25), tau, fit, residual;
    for (double t : T) {
      const double model = 2e-13 * std::exp(6500 / t);
      const double measured = model * std::exp(0.08 * normal(rng));
      tau.push_back(measured);
      fit.push_back(model);
      residual.push_back(std::log(measured / model));
    }
    fig.panel(0).x_label("temperature T (K)").y_label("relaxation time τ (s)").y_scale(Scale::log10)
        .scatter(T, tau, {.label = "measured"})
        .line(T, fit, {.label = "τ₀ exp(E/kT), E = 0.56 eV"});
    fig.panel(1).x_label("temperature T (K)").y_label("log residual").scatter(T, residual).hline(0);
    figures.emplace("two_panel", std::move(fig));
  }
  {  // a 2 x 2 grid with an empty-of-data panel and a log-scaled histogram
    Figure fig(2, 2);
    std::vector<double> v;
    for (int i = 0; i < 5000; ++i) v.push_back(std::exp(1.2 * normal(rng)));
    std::vector<double> edges = {0.01, 0.1, 1, 10, 100, 1000}, counts = {3, 40, 1200, 700, 0};
    fig.panel(0, 0).title("log-normal values").x_label("value").histogram_of(v, 60);
    fig.panel(0, 1).title("log axes histogram").x_label("size").y_label("count").x_scale(Scale::log10).y_scale(Scale::log10)
        .histogram(edges, counts);
    fig.panel(1, 0).title("nothing to show").x_label("x").y_label("y").line(std::vector<double>{kNaN}, std::vector<double>{1.0});
    std::vector<double> i = linspace(1, 60, 60), err;
    for (double k : i) err.push_back(std::pow(0.7, k) * (1 + 0.3 * std::sin(k)));
    fig.panel(1, 1).title("convergence").x_label("iteration").y_label("residual norm").y_scale(Scale::log10)
        .line(i, err, {.markers = true}).hline(1e-8, {.label = "tolerance"});
    figures.emplace("grid", std::move(fig));
  }
  return figures;
}

}  // namespace

TEST_CASE("plot: every gallery figure is well-formed SVG, with no NaN or infinity in it") {
  const char* dir = std::getenv("CSC_PLOT_GALLERY");
  for (auto& [name, fig] : gallery()) {
    CAPTURE(name);
    const std::string svg = fig.render();
    CHECK(xml_error(svg) == "");
    CHECK(svg.find("nan") == std::string::npos);
    CHECK(svg.find("inf") == std::string::npos);
    CHECK(svg.rfind("<?xml", 0) == 0);
    CHECK(svg.find("<svg xmlns=\"http://www.w3.org/2000/svg\"") != std::string::npos);
    if (dir) fig.save(std::string(dir) + "/" + name + ".svg");
  }
}

TEST_CASE("plot: the well-formedness check itself rejects broken documents") {
  CHECK(xml_error("<svg><g></svg>") != "");
  CHECK(xml_error("<svg a=\"1\" a=\"2\"/>") != "");
  CHECK(xml_error("<svg><text>a & b</text></svg>") != "");
  CHECK(xml_error("<svg><text>a < b</text></svg>") != "");
  CHECK(xml_error("<svg a=\"<\"/>") != "");
  CHECK(xml_error("<svg/><svg/>") != "");
  CHECK(xml_error("<svg><text>a &amp; b &#8722;</text></svg>") == "");
}

TEST_CASE("plot: log10 axes put labelled ticks at decades, minor ticks between") {
  const TickSet t = log_ticks(1e-3, 1e3, 500, true, 12);
  std::vector<std::string> labels;
  std::size_t minor = 0;
  for (const Tick& tick : t.ticks) {
    if (tick.major) {
      const double e = std::log10(tick.value);
      CHECK(e == doctest::Approx(std::round(e)).epsilon(1e-12));
      labels.push_back(tick.label);
    } else {
      ++minor;
      CHECK(tick.label.empty());
    }
  }
  CHECK(labels == std::vector<std::string>{"10⁻³", "10⁻²", "10⁻¹", "10⁰", "10¹", "10²", "10³"});
  CHECK(minor == 6 * 8);  // 2..9 in each of the six decades

  // Sixty decades on a short axis: every k-th decade is labelled, the labels never crowd.
  const TickSet wide = log_ticks(1e-30, 1e30, 300, true, 12);
  std::vector<double> majors;
  for (const Tick& tick : wide.ticks) {
    if (tick.major) majors.push_back(std::log10(tick.value));
  }
  REQUIRE(majors.size() >= 3);
  CHECK(majors.size() <= 8);
  for (std::size_t i = 1; i < majors.size(); ++i) CHECK(majors[i] - majors[i - 1] == doctest::Approx(majors[1] - majors[0]));

  // Inside one decade the ticks are multiples with plain labels.
  const TickSet narrow = log_ticks(2, 9, 400, false, 12);
  std::vector<std::string> narrow_labels;
  for (const Tick& tick : narrow.ticks) {
    if (tick.major) narrow_labels.push_back(tick.label);
  }
  CHECK(narrow_labels.size() >= 3);
  CHECK(narrow_labels.front() == "2");

  // The rendered figure shows the decade labels.
  Figure fig;
  fig.panel().x_scale(Scale::log10).y_scale(Scale::log10).line(std::vector<double>{1e-2, 1e4}, std::vector<double>{1, 1e6});
  const std::string svg = fig.render();
  for (const char* label : {"10⁻²", "10⁰", "10²", "10⁴", "10⁶"}) CHECK(has_text(svg, label));
}

TEST_CASE("plot: linear ticks are 1-2-2.5-5 steps with labels that fit") {
  const TickSet t = linear_ticks(0, 1, 500, true, 12);
  REQUIRE(t.ticks.size() >= 3);
  const double step = t.ticks[1].value - t.ticks[0].value;
  const double mantissa = step / std::pow(10.0, std::floor(std::log10(step)));
  CHECK((mantissa == doctest::Approx(1) || mantissa == doctest::Approx(2) || mantissa == doctest::Approx(2.5) ||
         mantissa == doctest::Approx(5)));
  CHECK(t.ticks.front().value == 0);
  CHECK(t.ticks.back().value == doctest::Approx(1));
  CHECK(t.multiplier.empty());
  for (const Tick& tick : t.ticks) {
    CHECK(std::fabs(tick.value / step - std::round(tick.value / step)) < 1e-9);
  }
  for (std::size_t i = 1; i < t.ticks.size(); ++i) {
    const double spacing = 500 * (t.ticks[i].value - t.ticks[i - 1].value);
    CHECK(spacing >= (text_width(t.ticks[i].label, 12) + text_width(t.ticks[i - 1].label, 12)) / 2 + 10);
  }

  const TickSet big = linear_ticks(0, 3.2e6, 400, true, 12);
  CHECK(big.multiplier == "×10⁶");
  for (const Tick& tick : big.ticks) CHECK(std::stod(tick.label) * 1e6 == doctest::Approx(tick.value));

  // Values that differ only in late digits: labels relative to an offset.
  const TickSet offset = linear_ticks(1e6 - 2, 1e6 + 2.5, 400, false, 12);
  CHECK(offset.multiplier == "+10⁶");
  for (const Tick& tick : offset.ticks) {
    std::string label = tick.label;
    if (label.rfind("−", 0) == 0) label.replace(0, std::string("−").size(), "-");
    CHECK(std::stod(label) + 1e6 == doctest::Approx(tick.value).epsilon(1e-12));
  }
  CHECK(linear_ticks(-1234567.5, -1234565.0, 400, true, 12).multiplier == "−1.23457×10⁶");
  CHECK(linear_ticks(1e6, 1e6 + 5e-4, 400, true, 12).multiplier == "×10⁻⁴ +10⁶");

  const TickSet negative = linear_ticks(-3, 3, 400, false, 12);
  bool saw_minus = false;
  for (const Tick& tick : negative.ticks) saw_minus = saw_minus || tick.label.rfind("−", 0) == 0;
  CHECK(saw_minus);

  const TickSet integers = linear_ticks(-0.5, 3.5, 400, true, 12, true);
  for (const Tick& tick : integers.ticks) CHECK(tick.value == std::round(tick.value));
}

TEST_CASE("plot: labels are escaped for XML, and bad text never breaks the document") {
  Figure fig;
  fig.suptitle("a<b & \"c\" 'd'>");
  fig.panel().title("line\nbreak and \x01 control").x_label("bad UTF-8: \xff\xfe end").y_label("ok: ∑ ρ")
      .line(std::vector<double>{0, 1}, std::vector<double>{0, 1}, {.label = "</text><script>"});
  const std::string svg = fig.render();
  CHECK(xml_error(svg) == "");
  CHECK(has_text(svg, "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;"));
  CHECK(has_text(svg, "&lt;/text&gt;&lt;script&gt;"));
  CHECK(has_text(svg, "line break and   control"));
  CHECK(has_text(svg, "bad UTF-8: \xEF\xBF\xBD\xEF\xBF\xBD end"));
  CHECK(has_text(svg, "ok: ∑ ρ"));
  // Colours are attributes too.
  Figure f2;
  f2.panel().line(std::vector<double>{0, 1}, std::vector<double>{0, 1}, {.color = "red\" onload=\"x"});
  CHECK(xml_error(f2.render()) == "");

  CHECK(clean_text("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");           // overlong '/'
  CHECK(clean_text("\xED\xA0\x80") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a UTF-16 surrogate
  CHECK(clean_text("\xEF\xBF\xBF") == "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // U+FFFF is not an XML character
  CHECK(clean_text("\xF0\x9F\x98\x80 ok") == "\xF0\x9F\x98\x80 ok");
  CHECK(clean_text("trunc\xE2\x82") == "trunc\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("plot: text too long for the figure is shrunk, then cut with an ellipsis") {
  Figure fig;
  fig.size(300, 200);
  const std::string title(200, 'x');
  fig.panel().title(title + "ρ").line(std::vector<double>{0, 1}, std::vector<double>{0, 1}, {.label = std::string(100, 'y')});
  const std::string svg = fig.render();
  CHECK(xml_error(svg) == "");
  CHECK(!has_text(svg, title + "ρ"));
  bool cut_title = false, cut_legend = false;
  for (const std::string& t : texts(svg)) {
    if (t.rfind("xxx", 0) == 0) cut_title = t.size() < title.size() && t.substr(t.size() - 3) == "…";
    if (t.rfind("yyy", 0) == 0) cut_legend = t.size() < 100 && t.substr(t.size() - 3) == "…";
  }
  CHECK(cut_title);
  CHECK(cut_legend);
}

TEST_CASE("plot: number labels are compact") {
  CHECK(compact_label(2.5e6) == "2.5×10⁶");
  CHECK(compact_label(1e9) == "10⁹");
  CHECK(compact_label(-1e-7) == "−10⁻⁷");
  CHECK(compact_label(0.002) == "0.002");
  CHECK(compact_label(300) == "300");
  CHECK(compact_label(0) == "0");
  CHECK(fixed_label(-0.0001, 2) == "0.00");
  CHECK(fixed_label(-1.5, 1) == "−1.5");
  CHECK(superscript(-12) == "⁻¹²");
  CHECK(power_of_ten_label(0) == "10⁰");
}

TEST_CASE("plot: NaN and infinite points are skipped, a line breaks at them") {
  Figure fig;
  const std::vector<double> x = {0, 1, 2, 3, 4, 5};
  const std::vector<double> y = {0, 1, kNaN, 3, kInf, 5};
  fig.panel().line(x, y);
  const std::string svg = fig.render();
  CHECK(fig.skipped_points() == 2);
  // Runs {0,1}, {3} and {5}: only the first has a segment.
  const std::size_t path = svg.find("<path d=\"M", svg.find("clip-path=\"url(#csc-clip0)\""));
  REQUIRE(path != std::string::npos);
  const std::string d = svg.substr(path, svg.find('"', path + 9) - path);
  CHECK(count(d, "M") == 1);
  CHECK(count(d, "L") == 1);

  Figure scatter;
  scatter.panel().scatter(x, y);
  const std::string s = scatter.render();
  CHECK(count(s, "<circle") == 4);
  CHECK(scatter.skipped_points() == 2);
}

TEST_CASE("plot: log axes skip non-positive values and reject non-positive explicit ranges") {
  Figure fig;
  fig.panel().y_scale(Scale::log10).scatter(std::vector<double>{1, 2, 3, 4}, std::vector<double>{-1, 0, 1, 10});
  const std::string svg = fig.render();
  CHECK(count(svg, "<circle") == 2);
  CHECK(fig.skipped_points() == 2);
  CHECK(xml_error(svg) == "");

  Figure all_bad;
  all_bad.panel().x_scale(Scale::log10).line(std::vector<double>{-1, 0}, std::vector<double>{1, 2});
  const std::string empty = all_bad.render();
  CHECK(has_text(empty, "no data in view"));
  CHECK(all_bad.skipped_points() == 2);

  Panel panel;
  CHECK_THROWS_AS(panel.x_scale(Scale::log10).x_range(0, 10), std::invalid_argument);
  Panel other;
  other.y_range(-1, 1);
  CHECK_THROWS_AS(other.y_scale(Scale::log10), std::invalid_argument);
  CHECK_THROWS_AS(other.x_range(1, kNaN), std::invalid_argument);
  CHECK_THROWS_AS(other.x_range(2, 2), std::invalid_argument);
}

TEST_CASE("plot: heatmaps have a colour bar with tick labels; large ones are one image") {
  Figure fig;
  std::vector<double> m = {0, 1, 2, 3, 4, 5};
  fig.panel().heatmap(m, 2, 3, {.colorbar_label = "counts"});
  const std::string svg = fig.render();
  CHECK(svg.find("<linearGradient id=\"csc-cbar0\"") != std::string::npos);
  CHECK(svg.find("fill=\"url(#csc-cbar0)\"") != std::string::npos);
  CHECK(has_text(svg, "counts"));
  CHECK(has_text(svg, "0"));
  CHECK(has_text(svg, "5"));
  CHECK(svg.find("fill=\"#440154\"") != std::string::npos);  // the smallest value: viridis' first colour
  CHECK(svg.find("fill=\"#fde725\"") != std::string::npos);  // the largest: its last
  CHECK(xml_error(svg) == "");

  Figure big;
  std::vector<double> values(200 * 200);
  for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i % 977);
  big.panel().heatmap(values, 200, 200);
  const std::string big_svg = big.render();
  CHECK(big_svg.find("xlink:href=\"data:image/png;base64,iVBORw0KGgo") != std::string::npos);
  CHECK(xml_error(big_svg) == "");

  Figure constant;
  constant.panel().heatmap(std::vector<double>{7, 7, 7, 7}, 2, 2);
  const std::string constant_svg = constant.render();
  CHECK(constant_svg.find(fmt::format("fill=\"#{:06x}\"", 0x21918cu)) != std::string::npos);  // viridis at 0.5 (entry 128)
  CHECK(has_text(constant_svg, "7.0"));
  CHECK(xml_error(constant_svg) == "");

  Figure missing;
  missing.panel().heatmap(std::vector<double>{kNaN, 1, -1, 4}, 2, 2, {.color_scale = Scale::log10});
  CHECK(missing.skipped_points() == 2);
  CHECK(xml_error(missing.render()) == "");

  Panel p;
  CHECK_THROWS_AS(p.heatmap(m, 4, 2), std::invalid_argument);
  CHECK_THROWS_AS(p.heatmap(m, 0, 6), std::invalid_argument);
  CHECK_THROWS_AS(p.heatmap(m, 2, 3, {.vmin = 2, .vmax = 1}), std::invalid_argument);
  CHECK_THROWS_AS(p.heatmap(m, 2, 3, {.vmin = 0, .color_scale = Scale::log10}), std::invalid_argument);
  CHECK_THROWS_AS(p.heatmap(m, 2, 3, {.x_min = 1, .x_max = 0}), std::invalid_argument);
}

TEST_CASE("plot: categories get one colour and one legend entry each") {
  Figure fig;
  const std::vector<double> x = {0, 1, 2, 3, 4, 5}, y = {0, 1, 0, 1, 0, 1};
  const std::vector<std::string> labels = {"b", "a", "b", "c", "a", "b"};
  fig.panel().scatter_by_category(x, y, labels);
  const std::string svg = fig.render();
  // In order of first appearance: b, a, c.
  const std::size_t b = svg.find(">b</text>"), a = svg.find(">a</text>"), c = svg.find(">c</text>");
  REQUIRE(b != std::string::npos);
  REQUIRE(a != std::string::npos);
  REQUIRE(c != std::string::npos);
  CHECK(b < a);
  CHECK(a < c);
  for (const char* colour : {"#1f77b4", "#ff7f0e", "#2ca02c"}) CHECK(count(svg, std::string("fill=\"") + colour + "\"") == 2);

  Figure many;
  std::vector<double> xs, ys;
  std::vector<std::string> names;
  for (int k = 0; k < 25; ++k) {
    xs.push_back(k);
    ys.push_back(k);
    names.push_back(fmt::format("k{}", k));
  }
  many.panel().scatter_by_category(xs, ys, names);
  const std::string many_svg = many.render();
  CHECK(has_text(many_svg, "k19"));
  CHECK(!has_text(many_svg, "k20"));
  CHECK(has_text(many_svg, "+ 5 more"));

  Panel p;
  CHECK_THROWS_AS(p.scatter_by_category(x, y, std::vector<std::string>{"a"}), std::invalid_argument);
}

TEST_CASE("plot: the legend avoids the data") {
  Figure fig;
  std::vector<double> x, y;
  for (int i = 0; i < 50; ++i) {  // a cloud in the upper right
    x.push_back(7 + (i % 7) * 0.4);
    y.push_back(7 + (i / 7) * 0.4);
  }
  x.push_back(0);
  y.push_back(0);
  fig.panel().scatter(x, y, {.label = "points"});
  const std::string svg = fig.render();
  const std::size_t legend = svg.find("rx=\"3\"");
  REQUIRE(legend != std::string::npos);
  const std::size_t rect = svg.rfind("<rect x=\"", legend);
  const double legend_x = std::stod(svg.substr(rect + 9));
  CHECK(legend_x < 320);  // left half of a 640 px figure
}

TEST_CASE("plot: histograms bin like NumPy's 'auto' and validate their edges") {
  // np.histogram_bin_edges(np.arange(100.0), 'auto') has 8 bins; for
  // [1,2,2,3,3,3,4,4,4,4,10] np.histogram(x, 'auto') gives counts [3,3,4,0,0,0,1] (NumPy 2.4.6).
  std::vector<double> v(100);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>(i);
  Figure a;
  a.panel().histogram_of(v);
  const std::string sa = a.render();
  CHECK(count(sa, "<rect x=") - 2 == 8);  // minus the clip rectangle and the frame

  Figure b;
  b.panel().histogram_of(std::vector<double>{1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 10});
  const std::string sb = b.render();
  CHECK(count(sb, "<rect x=") - 2 == 4);  // the zero bins draw nothing

  Figure c;
  c.panel().histogram_of(std::vector<double>{kNaN, 1, kInf});
  CHECK(c.skipped_points() == 2);
  CHECK(xml_error(c.render()) == "");

  Panel p;
  CHECK_THROWS_AS(p.histogram(std::vector<double>{0, 1}, std::vector<double>{1, 2}), std::invalid_argument);
  CHECK_THROWS_AS(p.histogram(std::vector<double>{0, 1, 1}, std::vector<double>{1, 2}), std::invalid_argument);
  CHECK_THROWS_AS(p.histogram(std::vector<double>{0, kNaN, 2}, std::vector<double>{1, 2}), std::invalid_argument);
  CHECK_THROWS_AS(p.histogram_of(v, -1), std::invalid_argument);
}

TEST_CASE("plot: misuse throws std::invalid_argument") {
  CHECK_THROWS_AS(Figure(0, 1), std::invalid_argument);
  Figure fig(2, 1);
  CHECK_THROWS_AS(fig.panel(2, 0), std::invalid_argument);
  CHECK_THROWS_AS(fig.panel(0, 1), std::invalid_argument);
  CHECK_THROWS_AS(fig.size(0, 100), std::invalid_argument);
  CHECK_THROWS_AS(fig.row_heights({1}), std::invalid_argument);
  CHECK_THROWS_AS(fig.row_heights({1, -1}), std::invalid_argument);
  CHECK_THROWS_AS(fig.panel().line(std::vector<double>{1, 2}, std::vector<double>{1}), std::invalid_argument);
}

TEST_CASE("plot: empty and extreme figures still render") {
  Figure empty;
  CHECK(xml_error(empty.render()) == "");
  Figure labelled;
  labelled.panel().title("t");
  CHECK(has_text(labelled.render(), "no data"));

  Figure extreme;
  const double big = std::numeric_limits<double>::max();
  extreme.panel().line(std::vector<double>{-big, 0, big}, std::vector<double>{big, -big, 1e-300})
      .hline(big).vline(-big).scatter(std::vector<double>{5e-324}, std::vector<double>{1});
  const std::string svg = extreme.render();
  CHECK(xml_error(svg) == "");
  CHECK(svg.find("nan") == std::string::npos);
  CHECK(svg.find("inf") == std::string::npos);

  for (double v : {big, -big, 5e-324}) {
    Figure single;
    single.panel().x_scale(Scale::log10).y_scale(v > 0 ? Scale::log10 : Scale::linear)
        .scatter(std::vector<double>{std::fabs(v)}, std::vector<double>{v});
    const std::string one = single.render();
    CHECK(xml_error(one) == "");
    CHECK(one.find("nan") == std::string::npos);
    CHECK(one.find("inf") == std::string::npos);
  }
  CHECK_THROWS_AS(Panel().x_range(-big, big), std::invalid_argument);

  Figure flat;
  flat.panel().y_scale(Scale::log10).line(std::vector<double>{1, 1}, std::vector<double>{3, 3});
  CHECK(xml_error(flat.render()) == "");
}

TEST_CASE("plot: save writes atomically and reports failures as csc::Error") {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("csc_plot_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  Figure fig;
  fig.panel().line(std::vector<double>{0, 1}, std::vector<double>{1, 0});
  const std::string path = (dir / "out.svg").string();
  fig.save(path);
  std::ifstream in(path);
  std::stringstream content;
  content << in.rdbuf();
  CHECK(content.str() == fig.render());
  CHECK(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()) == 1);

  try {
    fig.save((dir / "missing" / "out.svg").string());
    FAIL("save into a missing directory succeeded");
  } catch (const csc::Error& e) {
    CHECK(e.code() == csc::ExitCode::runtime_failure);
    CHECK(std::string(e.what()).find("missing/out.svg") != std::string::npos);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("plot: PNG and base64 encoders produce standard bytes") {
  CHECK(base64_encode("Man") == "TWFu");
  CHECK(base64_encode("Ma") == "TWE=");
  CHECK(base64_encode("M") == "TQ==");
  CHECK(base64_encode("") == "");
  const std::string png = encode_png_indexed(2, 1, {0, 1}, {0xff0000, 0x00ff00}, 1);
  CHECK(png.rfind("\x89PNG\r\n\x1a\n", 0) == 0);
  // Every PNG ends with the same IEND chunk: length 0, "IEND", CRC-32 0xAE426082.
  CHECK(png.substr(png.size() - 12) == std::string("\0\0\0\0IEND\xAE\x42\x60\x82", 12));
  CHECK(png.find("tRNS") != std::string::npos);
  CHECK_THROWS_AS(encode_png_indexed(2, 2, {0, 1}, {0}, -1), std::invalid_argument);
}
