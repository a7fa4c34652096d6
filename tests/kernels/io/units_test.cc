// Sizes and durations in fio's spelling: binary units, case-insensitive suffixes, errors as nullopt.
#include <doctest/doctest.h>

#include "kernels/io/units.h"

using csc::io::format_bytes;
using csc::io::parse_duration;
using csc::io::parse_size;

TEST_CASE("parse_size reads fio's binary units") {
  CHECK(parse_size("4096") == 4096u);
  CHECK(parse_size("4k") == 4096u);
  CHECK(parse_size("4K") == 4096u);
  CHECK(parse_size("4KiB") == 4096u);
  CHECK(parse_size("4kb") == 4096u);
  CHECK(parse_size("1m") == 1048576u);
  CHECK(parse_size("1g") == 1073741824u);
  CHECK(parse_size("2t") == 2199023255552u);
  CHECK(parse_size("0") == 0u);
  CHECK(parse_size("512b") == 512u);
}

TEST_CASE("parse_size rejects junk, negatives and overflow") {
  CHECK_FALSE(parse_size(""));
  CHECK_FALSE(parse_size("k"));
  CHECK_FALSE(parse_size("-4k"));
  CHECK_FALSE(parse_size("4x"));
  CHECK_FALSE(parse_size("4kk"));
  CHECK_FALSE(parse_size("1.5m"));
  CHECK_FALSE(parse_size("99999999999999999999"));
  CHECK_FALSE(parse_size("20000000p"));
}

TEST_CASE("parse_duration reads seconds with units") {
  CHECK(parse_duration("5") == doctest::Approx(5.0));
  CHECK(parse_duration("2.5s") == doctest::Approx(2.5));
  CHECK(parse_duration("500ms") == doctest::Approx(0.5));
  CHECK(parse_duration("250us") == doctest::Approx(0.00025));
  CHECK(parse_duration("1m") == doctest::Approx(60.0));
  CHECK(parse_duration("1h") == doctest::Approx(3600.0));
  CHECK_FALSE(parse_duration("-1"));
  CHECK_FALSE(parse_duration("5 parsecs"));
  CHECK_FALSE(parse_duration(""));
  CHECK_FALSE(parse_duration("nan"));
}

TEST_CASE("format_bytes picks the largest binary unit") {
  CHECK(format_bytes(0) == "0 B");
  CHECK(format_bytes(512) == "512 B");
  CHECK(format_bytes(4096) == "4 KiB");
  CHECK(format_bytes(1536.0 * 1024) == "1.5 MiB");
  CHECK(format_bytes(1073741824.0) == "1 GiB");
}
