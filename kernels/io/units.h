// Sizes and durations as fio spells them ("4k" = 4 KiB, "1g" = 1 GiB, "500ms"), parsed and printed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace csc::io {

// "4096", "4k", "4K", "4KiB", "4kb", "1m", "1g", "1t": binary units, as fio's default kb_base=1024.
// nullopt for empty text, junk, a negative number or overflow.
std::optional<std::uint64_t> parse_size(std::string_view text);

// Seconds: "5" (seconds), "2.5s", "500ms", "250us", "1m" (minutes), "1h". nullopt when not a duration.
std::optional<double> parse_duration(std::string_view text);

// "4 KiB", "1 GiB", "1.5 MiB": the largest binary unit that keeps the number at least 1.
std::string format_bytes(double bytes);

}  // namespace csc::io
