// Text for the SVG plotter: XML-safe labels, compact number labels and width estimates for layout.
#pragma once

#include <string>
#include <string_view>

namespace csc::plot {

// Valid UTF-8 fit for XML 1.0: invalid sequences and U+FFFE/U+FFFF become U+FFFD, control
// characters (newlines too: an SVG <text> is one line) become spaces.
std::string clean_text(std::string_view text);

// clean_text, then & < > " ' escaped, for element content and attribute values alike.
std::string xml_escape(std::string_view text);

// Estimated advance width in px of `text` set in DejaVu Sans at `font_size` px. SVG cannot measure
// text, so layout (margins, legend boxes, tick spacing) relies on these per-glyph metrics; other
// sans-serif fonts (Helvetica, Arial) are narrower, so the estimate errs on the roomy side.
double text_width(std::string_view text, double font_size);

// "⁻¹²" for -12: Unicode superscript digits, which every common sans-serif font carries.
std::string superscript(int exponent);

// "10⁻³"
std::string power_of_ten_label(int exponent);

// `value` with `decimals` fixed decimals, "−" (U+2212) for negatives and never "−0".
std::string fixed_label(double value, int decimals);

// Short label for any number: plain when 1e-3 <= |value| < 1e5 (at most 4 significant digits), else
// "2.5×10⁶"; "0" for zero.
std::string compact_label(double value);

}  // namespace csc::plot
