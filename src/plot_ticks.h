// Tick placement for the SVG plotter: 1-2-2.5-5 steps on linear axes, decades with minor ticks on
// log10 axes, spaced so that labels never overlap.
#pragma once

#include <string>
#include <vector>

namespace csc::plot {

struct Tick {
  double value = 0;
  std::string label;   // empty for minor ticks
  bool major = true;
};

struct TickSet {
  std::vector<Tick> ticks;   // ascending values, all within [lo, hi]
  std::string multiplier;    // "×10⁶", "+10⁶" or "×10⁻³ +10⁶": value = label × scale + offset; else empty
};

// Ticks for [lo, hi] (lo < hi) drawn along `length_px`. Horizontal axes space ticks by their label
// widths at `font_size`; vertical ones by the label height. integer_only keeps steps >= 1 (matrix
// indices). Very large or small magnitudes move the common power of ten into `multiplier`, and
// values that differ only in late digits are labelled relative to an offset ("+10⁶") kept there too.
TickSet linear_ticks(double lo, double hi, double length_px, bool horizontal, double font_size,
                     bool integer_only = false);

// Ticks for [lo, hi] (0 < lo < hi) on a log10 axis: labelled decades (every k-th when crowded) with
// minor ticks at 2..9; inside a single decade, 1-2-5 or 1..9 multiples with plain labels.
TickSet log_ticks(double lo, double hi, double length_px, bool horizontal, double font_size);

}  // namespace csc::plot
