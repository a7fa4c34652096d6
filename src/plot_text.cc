// XML escaping, number labels and DejaVu Sans width estimates for the SVG plotter.
#include "src/plot_text.h"

#include <array>
#include <cmath>
#include <cstdint>

#include <fmt/format.h>

namespace csc::plot {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view kMinus = "\xE2\x88\x92";        // U+2212

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid (overlong forms,
// surrogates, code points past U+10FFFF, truncated sequences).
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = byte(i);
  std::size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  }
  // U+FFFE and U+FFFF are not XML characters.
  if (n == 3 && c == 0xEF && byte(i + 1) == 0xBF && byte(i + 2) >= 0xBE) return 0;
  return n;
}

std::uint32_t decode(std::string_view s, std::size_t i, std::size_t n) {
  const auto b = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i + k])); };
  if (n == 1) return b(0);
  if (n == 2) return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
  if (n == 3) return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
}

// DejaVu Sans advance widths of printable ASCII (0x20..0x7E) in 1/2048 em.
constexpr std::array<std::uint16_t, 95> kAsciiAdvance = {
    651,  823,  942,  1716, 1303, 1946, 1597, 563,  799,  799,  1024, 1716, 651,  739,  651,  690,   //  !"#$%&'()*+,-./
    1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690,  690,  1716, 1716, 1716, 1087,  // 0-9 :;<=>?
    2048, 1401, 1405, 1430, 1577, 1294, 1178, 1587, 1540, 604,  604,  1343, 1141, 1767, 1532, 1612,  // @A-O
    1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799,  690,  799,  1716, 1024,  // P-Z [\]^_
    1024, 1255, 1300, 1126, 1300, 1260, 721,  1300, 1298, 569,  569,  1186, 569,  1995, 1298, 1253,  // `a-o
    1300, 1300, 842,  1067, 803,  1298, 1212, 1675, 1212, 1212, 1075, 1303, 690,  1303, 1716,        // p-z {|}~
};

double advance_em(std::uint32_t cp) {
  if (cp >= 0x20 && cp <= 0x7E) return kAsciiAdvance[cp - 0x20] / 2048.0;
  if ((cp >= 0x2070 && cp <= 0x209F) || cp == 0xB2 || cp == 0xB3 || cp == 0xB9) return 0.40;  // super/subscripts
  if (cp == 0x2212 || cp == 0xD7 || cp == 0xB1) return 0.838;                                // − × ±
  if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
      (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFF60) || cp >= 0x1F300) {
    return 1.0;  // CJK and emoji are full width
  }
  return 0.65;
}

}  // namespace

std::string clean_text(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += (c < 0x20 || c == 0x7F) ? ' ' : static_cast<char>(c);
      ++i;
      continue;
    }
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    const std::uint32_t cp = decode(text, i, n);
    if (cp >= 0x80 && cp <= 0x9F) {
      out += ' ';  // C1 controls: allowed by XML 1.0 but invisible or garbage in every renderer
    } else {
      out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string xml_escape(std::string_view text) {
  const std::string clean = clean_text(text);
  std::string out;
  out.reserve(clean.size() + clean.size() / 8);
  for (char c : clean) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

double text_width(std::string_view text, double font_size) {
  double em = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t n = static_cast<unsigned char>(text[i]) < 0x80 ? 1 : utf8_sequence_length(text, i);
    if (n == 0) {
      em += 0.65;  // shown as U+FFFD
      ++i;
      continue;
    }
    em += advance_em(decode(text, i, n));
    i += n;
  }
  return em * font_size;
}

std::string superscript(int exponent) {
  static constexpr std::array<std::string_view, 10> kDigits = {
      "\xE2\x81\xB0", "\xC2\xB9",     "\xC2\xB2",     "\xC2\xB3",     "\xE2\x81\xB4",
      "\xE2\x81\xB5", "\xE2\x81\xB6", "\xE2\x81\xB7", "\xE2\x81\xB8", "\xE2\x81\xB9"};
  std::string out;
  if (exponent < 0) out += "\xE2\x81\xBB";  // superscript minus
  for (char d : fmt::format("{}", exponent < 0 ? -static_cast<long long>(exponent) : exponent)) {
    out += kDigits[static_cast<std::size_t>(d - '0')];
  }
  return out;
}

std::string power_of_ten_label(int exponent) { return fmt::format("10{}", superscript(exponent)); }

std::string fixed_label(double value, int decimals) {
  std::string s = fmt::format("{:.{}f}", value, decimals);
  if (!s.empty() && s[0] == '-') {
    if (s.find_first_not_of("0.", 1) == std::string::npos) return s.substr(1);  // "-0.00" is zero
    s.replace(0, 1, kMinus);
  }
  return s;
}

std::string compact_label(double value) {
  if (value == 0 || !std::isfinite(value)) return value == 0 ? "0" : fmt::format("{}", value);
  const double magnitude = std::fabs(value);
  std::string s;
  if (magnitude >= 1e-3 && magnitude < 1e5) {
    s = fmt::format("{:.4g}", value);
  } else {
    int exponent = static_cast<int>(std::floor(std::log10(magnitude)));
    double mantissa = value / std::pow(10.0, exponent);
    if (std::fabs(mantissa) >= 9.9995) {  // 9.99996e6 would print as "10×10⁶"
      mantissa /= 10;
      ++exponent;
    }
    std::string m = fmt::format("{:.3g}", mantissa);
    s = (m == "1" ? std::string() : (m == "-1" ? std::string("-") : m + "\xC3\x97")) + power_of_ten_label(exponent);
  }
  if (s[0] == '-') s.replace(0, 1, kMinus);
  return s;
}

}  // namespace csc::plot
