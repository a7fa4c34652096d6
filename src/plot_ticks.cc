// Chooses tick values and labels for linear and log10 axes.
#include "src/plot_ticks.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include <fmt/format.h>

#include "src/plot_text.h"

namespace csc::plot {
namespace {

constexpr double kLabelGapPx = 10;       // free space between neighbouring horizontal labels
constexpr double kMinLinearSpacingX = 56;  // keeps x axes from filling with ticks even when labels are narrow
constexpr double kMinLinearSpacingY = 48;
constexpr double kTightSpacingX = 36;     // the least spacing a short axis may fall back to
constexpr double kTightSpacingY = 24;

// Whether consecutive labelled ticks leave room for their labels at positions pos(value).
bool labels_fit(const std::vector<Tick>& ticks, const std::function<double(double)>& pos, bool horizontal,
                double font_size) {
  const Tick* previous = nullptr;
  for (const Tick& t : ticks) {
    if (t.label.empty()) continue;
    if (previous) {
      const double distance = std::fabs(pos(t.value) - pos(previous->value));
      const double needed = horizontal
                                ? (text_width(previous->label, font_size) + text_width(t.label, font_size)) / 2 + kLabelGapPx
                                : font_size * 1.6;
      if (distance < needed) return false;
    }
    previous = &t;
  }
  return true;
}

// Fewest decimals that show multiples of `step` exactly.
int decimals_for(double step) {
  for (int d = 0; d < 17; ++d) {
    const double scaled = step * std::pow(10.0, d);
    if (std::fabs(scaled - std::round(scaled)) <= 1e-6 * scaled) return d;
  }
  return 17;
}

// "+10⁶", "−1.23456×10⁶", "+2000": an offset that is a multiple of `unit`, with every digit it needs.
std::string offset_label(double offset, double unit) {
  const char* sign = offset < 0 ? "\xE2\x88\x92" : "+";
  const double magnitude = std::fabs(offset);
  const int exponent = static_cast<int>(std::floor(std::log10(magnitude)));
  const int unit_exponent = static_cast<int>(std::lround(std::log10(unit)));
  if (magnitude >= 1e-3 && magnitude < 1e5) return fmt::format("{}{}", sign, fixed_label(magnitude, std::max(0, -unit_exponent)));
  std::string mantissa = fixed_label(magnitude / std::pow(10.0, exponent), std::max(0, exponent - unit_exponent));
  if (mantissa.find('.') != std::string::npos) {
    while (mantissa.back() == '0') mantissa.pop_back();
    if (mantissa.back() == '.') mantissa.pop_back();
  }
  return fmt::format("{}{}{}", sign, mantissa == "1" ? "" : mantissa + "\xC3\x97", power_of_ten_label(exponent));
}

TickSet ticks_with_step(double lo, double hi, double step) {
  const double first = std::ceil(lo / step - 1e-9);
  const double last = std::floor(hi / step + 1e-9);
  TickSet set;
  if (!(last >= first) || last - first > 1000) return set;
  std::vector<double> values;
  for (double i = first; i <= last; ++i) {
    double v = i * step;
    if (std::fabs(v) < step * 1e-9) v = 0;
    values.push_back(std::clamp(v, lo, hi));  // rounding may push an end tick a hair outside
  }
  // Values that vary only in their last digits (1000000.5 ... 1000002.5) are labelled relative to an
  // offset shown at the end of the axis, as matplotlib does.
  double offset = 0, offset_unit = 0;
  if (std::max(std::fabs(lo), std::fabs(hi)) / (hi - lo) >= 1000) {
    offset_unit = std::pow(10.0, std::ceil(std::log10(hi - lo)));
    offset = std::floor((lo / 2 + hi / 2) / offset_unit) * offset_unit;
  }
  const double max_abs = std::max(std::fabs(values.front() - offset), std::fabs(values.back() - offset));
  int exponent = 0;
  if (max_abs >= 1e5 || (max_abs > 0 && max_abs < 1e-3)) {
    // The tolerance absorbs rounding in values - offset (1e6 + 1e-4 - 1e6 is 9.99999997e-5).
    exponent = static_cast<int>(std::floor(std::log10(max_abs) + 1e-6));
  }
  const double scale = std::pow(10.0, -exponent);
  const int decimals = decimals_for(step * scale);
  for (double v : values) set.ticks.push_back({v, fixed_label((v - offset) * scale, decimals), true});
  if (exponent != 0) set.multiplier = fmt::format("\xC3\x97{}", power_of_ten_label(exponent));
  if (offset != 0) set.multiplier += fmt::format("{}{}", set.multiplier.empty() ? "" : " ", offset_label(offset, offset_unit));
  return set;
}

}  // namespace

TickSet linear_ticks(double lo, double hi, double length_px, bool horizontal, double font_size, bool integer_only) {
  const double range = hi - lo;
  if (!(range > 0) || !std::isfinite(range) || !(length_px > 0)) return {};
  const auto pos = [&](double v) { return (v - lo) / range * length_px; };
  const double preferred_spacing = horizontal ? kMinLinearSpacingX : kMinLinearSpacingY;
  const double tight_spacing = horizontal ? kTightSpacingX : kTightSpacingY;
  // Steps from the smallest worth trying upwards; the first one spaced comfortably wins, unless it
  // leaves fewer than three ticks (a short axis), when a denser step that still fits is better.
  const double smallest = range * tight_spacing / length_px;
  int k = static_cast<int>(std::floor(std::log10(smallest)));
  std::vector<TickSet> tight;  // fitting steps below the comfortable spacing, densest first
  TickSet fallback;
  for (int tries = 0; tries < 40; ++k, ++tries) {
    for (double m : {1.0, 2.0, 2.5, 5.0}) {
      const double step = m * std::pow(10.0, k);
      if (step < smallest * (1 - 1e-9)) continue;
      if (integer_only && step != std::floor(step)) continue;
      TickSet set = ticks_with_step(lo, hi, step);
      if (set.ticks.empty()) continue;
      if (labels_fit(set.ticks, pos, horizontal, font_size)) {
        if (step * length_px / range < preferred_spacing * (1 - 1e-9)) {
          tight.push_back(std::move(set));
          continue;
        }
        if (set.ticks.size() >= 3) return set;
        for (auto it = tight.rbegin(); it != tight.rend(); ++it) {
          if (it->ticks.size() >= 3) return *it;
        }
        return set;
      }
      if (fallback.ticks.empty() || set.ticks.size() < fallback.ticks.size()) fallback = std::move(set);
      if (fallback.ticks.size() == 1) return fallback;
    }
  }
  return fallback;
}

TickSet log_ticks(double lo, double hi, double length_px, bool horizontal, double font_size) {
  if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi) || !(length_px > 0)) return {};
  const double a = std::log10(lo), b = std::log10(hi);
  const auto pos = [&](double v) { return (std::log10(v) - a) / (b - a) * length_px; };
  const int first_decade = static_cast<int>(std::ceil(a - 1e-9));
  const int last_decade = static_cast<int>(std::floor(b + 1e-9));
  const auto within = [&](double v) { return v >= lo * (1 - 1e-12) && v <= hi * (1 + 1e-12); };
  const double per_decade = length_px / (b - a);
  TickSet set;

  if (last_decade > first_decade) {
    int stride = 1;
    for (int candidate : {1, 2, 3, 4, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000}) {
      stride = candidate;
      set.ticks.clear();
      for (int d = first_decade; d <= last_decade; ++d) {
        if (d % stride == 0) set.ticks.push_back({std::pow(10.0, d), power_of_ten_label(d), true});
      }
      const double min_spacing = horizontal ? 0 : 24;
      if (per_decade * stride >= min_spacing && labels_fit(set.ticks, pos, horizontal, font_size)) break;
    }
    std::vector<Tick> minor;
    if (stride == 1 && per_decade >= 24) {
      for (int d = first_decade - 1; d <= last_decade; ++d) {
        for (int m = 2; m <= 9; ++m) {
          const double v = m * std::pow(10.0, d);
          if (within(v)) minor.push_back({v, "", false});
        }
      }
    } else if (stride > 1 && per_decade >= 4) {
      for (int d = first_decade; d <= last_decade; ++d) {
        if (d % stride != 0) minor.push_back({std::pow(10.0, d), "", false});
      }
    }
    set.ticks.insert(set.ticks.end(), minor.begin(), minor.end());
    std::sort(set.ticks.begin(), set.ticks.end(), [](const Tick& x, const Tick& y) { return x.value < y.value; });
    return set;
  }

  // Less than two decades in view: label multiples of the decade instead.
  const auto multiples = [&](std::initializer_list<int> mantissas) {
    std::vector<Tick> ticks;
    for (int d = static_cast<int>(std::floor(a)) - 1; d <= static_cast<int>(std::ceil(b)); ++d) {
      for (int m : mantissas) {
        const double v = m * std::pow(10.0, d);
        if (within(v)) ticks.push_back({v, compact_label(v), true});
      }
    }
    return ticks;
  };
  std::vector<Tick> coarse = multiples({1, 2, 5});
  std::vector<Tick> fine = multiples({1, 2, 3, 4, 5, 6, 7, 8, 9});
  std::vector<Tick> majors;
  if (coarse.size() >= 3 && labels_fit(coarse, pos, horizontal, font_size)) {
    majors = coarse;
  } else if (fine.size() >= 2 && labels_fit(fine, pos, horizontal, font_size)) {
    majors = fine;
  } else if (coarse.size() >= 2 && labels_fit(coarse, pos, horizontal, font_size)) {
    majors = coarse;
  } else {
    return linear_ticks(lo, hi, length_px, horizontal, font_size);  // a narrow view, inside one decade
  }
  set.ticks = majors;
  for (Tick& t : fine) {
    const bool is_major = std::any_of(majors.begin(), majors.end(), [&](const Tick& m) { return m.value == t.value; });
    if (!is_major) set.ticks.push_back({t.value, "", false});
  }
  std::sort(set.ticks.begin(), set.ticks.end(), [](const Tick& x, const Tick& y) { return x.value < y.value; });
  return set;
}

}  // namespace csc::plot
