// Tests of the .npy reader and writer against files NumPy wrote (tests/data/io/make_npy_fixtures.py):
// every dtype, versions 1.0/2.0/3.0, byte-identical writing, and every malformed-file error.
#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "src/error.h"
#include "src/npy.h"
#include "tests/src/io_test_support.h"

namespace {

using csc::io::NpyDtype;

const std::string kData = std::string(CSC_TEST_DATA) + "/io/";

std::string fixture(const std::string& name) { return csc::test::read_file(kData + name); }

std::string error_of_bytes(const std::string& bytes, const std::string& name = "bad.npy") {
  try {
    std::istringstream in(bytes);
    csc::io::read_npy(in, name);
  } catch (const csc::Error& error) {
    CHECK(error.code() == csc::ExitCode::bad_input);
    return error.what();
  }
  FAIL("no error thrown");
  return {};
}

std::string error_of_file(const std::string& path) {
  try {
    csc::io::read_npy(path);
  } catch (const csc::Error& error) {
    CHECK(error.code() == csc::ExitCode::bad_input);
    return error.what();
  }
  FAIL("no error thrown");
  return {};
}

// A version 1.0 file with `dict` as its header (padded like numpy) followed by `data`.
std::string npy_with_header(const std::string& dict, const std::string& data) {
  std::string header = dict;
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::string out = "\x93NUMPY";
  out += '\x01';
  out += '\0';
  out += static_cast<char>(header.size() & 0xFF);
  out += static_cast<char>(header.size() >> 8);
  return out + header + data;
}

const std::vector<double> kFloatValues{1.5, -2.25, 3.0, 1024.0, -0.125, 7.75};

}  // namespace

TEST_CASE("npy: every dtype NumPy wrote reads back with its shape and values") {
  struct Case {
    const char* file;
    NpyDtype dtype;
    std::vector<double> values;
  };
  const std::vector<Case> cases{
      {"f4_2x3.npy", NpyDtype::float32, kFloatValues},
      {"f8_2x3.npy", NpyDtype::float64, kFloatValues},
      {"i4_2x3.npy", NpyDtype::int32, {1, -2, 2147483647.0, -2147483648.0, 0, 42}},
      {"i8_2x3.npy", NpyDtype::int64, {1, -2, 9007199254740992.0, -9007199254740992.0, 0, 42}},
      {"u1_2x3.npy", NpyDtype::uint8, {0, 1, 255, 128, 7, 42}},
  };
  for (const Case& c : cases) {
    CAPTURE(c.file);
    const csc::io::NpyArray array = csc::io::read_npy(kData + c.file);
    CHECK(array.header.dtype == c.dtype);
    CHECK(array.header.major_version == 1);
    CHECK(array.rows() == 2);
    CHECK(array.cols() == 3);
    CHECK(array.header.data_offset == 128);
    CHECK(array.to_double() == c.values);
    const std::vector<float> floats = array.to_float();
    for (std::size_t i = 0; i < floats.size(); ++i) CHECK(floats[i] == static_cast<float>(c.values[i]));
  }
}

TEST_CASE("npy: format versions 2.0 and 3.0 and 1-D arrays") {
  for (const char* file : {"f8_2x3_v2.npy", "f8_2x3_v3.npy"}) {
    CAPTURE(file);
    const csc::io::NpyArray array = csc::io::read_npy(kData + file);
    CHECK(array.header.major_version == (std::string(file).find("v2") != std::string::npos ? 2 : 3));
    CHECK(array.header.shape == std::vector<std::uint64_t>{2, 3});
    CHECK(array.to_double() == kFloatValues);
  }
  const csc::io::NpyArray vector = csc::io::read_npy(kData + "f8_1d.npy");
  CHECK(vector.header.shape == std::vector<std::uint64_t>{4});
  CHECK(vector.rows() == 4);
  CHECK(vector.cols() == 1);
  CHECK(vector.to_double() == std::vector<double>{0.5, -1.0, 2.0, 1e300});
}

TEST_CASE("npy: the writer produces numpy.save's bytes for every dtype") {
  csc::test::TempDir dir;
  const std::array<std::uint64_t, 2> shape{2, 3};
  const std::vector<float> f4(kFloatValues.begin(), kFloatValues.end());
  const std::vector<std::int32_t> i4{1, -2, 2147483647, -2147483647 - 1, 0, 42};
  const std::vector<std::int64_t> i8{1, -2, std::int64_t{1} << 53, -(std::int64_t{1} << 53), 0, 42};
  const std::vector<std::uint8_t> u1{0, 1, 255, 128, 7, 42};
  csc::io::write_npy_file<float>(dir.file("f4.npy"), f4, shape, false);
  csc::io::write_npy_file<double>(dir.file("f8.npy"), kFloatValues, shape, false);
  csc::io::write_npy_file<std::int32_t>(dir.file("i4.npy"), i4, shape, false);
  csc::io::write_npy_file<std::int64_t>(dir.file("i8.npy"), i8, shape, false);
  csc::io::write_npy_file<std::uint8_t>(dir.file("u1.npy"), u1, shape, false);
  CHECK(csc::test::read_file(dir.file("f4.npy")) == fixture("f4_2x3.npy"));
  CHECK(csc::test::read_file(dir.file("f8.npy")) == fixture("f8_2x3.npy"));
  CHECK(csc::test::read_file(dir.file("i4.npy")) == fixture("i4_2x3.npy"));
  CHECK(csc::test::read_file(dir.file("i8.npy")) == fixture("i8_2x3.npy"));
  CHECK(csc::test::read_file(dir.file("u1.npy")) == fixture("u1_2x3.npy"));
  const std::array<std::uint64_t, 1> length{4};
  const std::vector<double> vector{0.5, -1.0, 2.0, 1e300};
  csc::io::write_npy_file<double>(dir.file("v.npy"), vector, length, false);
  CHECK(csc::test::read_file(dir.file("v.npy")) == fixture("f8_1d.npy"));
  // Round trip through our own reader too.
  CHECK(csc::io::read_npy(dir.file("i8.npy")).to_double() == csc::io::read_npy(kData + "i8_2x3.npy").to_double());
  // The writer refuses to replace a file unless forced.
  CHECK_THROWS_AS(csc::io::write_npy_file<double>(dir.file("v.npy"), vector, length, false), csc::Error);
  CHECK_NOTHROW(csc::io::write_npy_file<double>(dir.file("v.npy"), vector, length, true));
  CHECK_THROWS_AS(csc::io::write_npy_file<double>(dir.file("w.npy"), vector, shape, false), std::invalid_argument);
}

TEST_CASE("npy: headers for large shapes match numpy's, including its growth padding") {
  const std::array<std::uint64_t, 1> empty{0};
  const std::array<std::uint64_t, 2> tall{1000000000000ULL, 5};
  const std::array<std::uint64_t, 2> wide{3, 1000000000000000ULL};
  CHECK(csc::io::encode_npy_header(NpyDtype::float64, empty) == fixture("hdr_empty.bin"));
  CHECK(csc::io::encode_npy_header(NpyDtype::float32, tall) == fixture("hdr_tall.bin"));
  CHECK(csc::io::encode_npy_header(NpyDtype::int64, wide) == fixture("hdr_wide.bin"));
  CHECK(csc::io::encode_npy_header(NpyDtype::float64, empty).size() % 64 == 0);
}

TEST_CASE("npy: Fortran order, big-endian, other dtypes and ranks are clear errors") {
  const std::string fortran = error_of_file(kData + "f8_2x3_fortran.npy");
  CHECK(fortran == kData + "f8_2x3_fortran.npy: the array is stored in Fortran (column-major) order, save it with "
                           "np.save(path, np.ascontiguousarray(a))");
  CHECK(error_of_file(kData + "f8_2x3_big_endian.npy").starts_with(kData + "f8_2x3_big_endian.npy: big-endian data (dtype '>f8')"));
  CHECK(error_of_file(kData + "f2_2x3.npy").starts_with(kData + "f2_2x3.npy: unsupported dtype '<f2'"));
  CHECK(error_of_file(kData + "f8_2x2x2.npy").find("the array has 3 dimensions (shape 2x2x2)") != std::string::npos);
  CHECK(error_of_file(kData + "f8_scalar.npy").find("0-dimensional") != std::string::npos);
  CHECK(error_of_bytes(npy_with_header("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }", ""))
            .find("structured array") != std::string::npos);
  // Fortran order with a dimension of one is the same layout as C order: accepted.
  std::string column(16, '\0');
  const double a = 2.5, b = -1.0;
  std::memcpy(column.data(), &a, 8);
  std::memcpy(column.data() + 8, &b, 8);
  const std::string one_column = npy_with_header("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 1), }", column);
  std::istringstream in(one_column);
  CHECK(csc::io::read_npy(in, "col.npy").to_double() == std::vector<double>{2.5, -1.0});
}

TEST_CASE("npy: bad magic, bad versions and malformed header dictionaries") {
  CHECK(error_of_bytes("PK\x03\x04 not numpy at all") ==
        "bad.npy: not a .npy file (it does not start with the .npy magic bytes), save arrays with numpy.save");
  CHECK(error_of_bytes("").starts_with("bad.npy: not a .npy file"));
  CHECK(error_of_bytes(std::string("\x93NUMPY\x04\x00", 8)).starts_with("bad.npy: .npy format version 4.0 is not supported"));
  const std::string data(8, '\0');
  const std::vector<std::pair<std::string, std::string>> bad{
      {"{'descr': '<f8', 'fortran_order': False}", "no 'shape' key"},
      {"{'descr': '<f8', 'shape': (1,)}", "no 'fortran_order' key"},
      {"{'descr': '<f8', 'fortran_order': Nope, 'shape': (1,), }", "expected True or False"},
      {"{'descr': '<f8, 'fortran_order': False, 'shape': (1,), }", "expected ',' or '}'"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}", "unexpected key 'x'"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (1 2), }", "expected ',' or ')' in the shape"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (-1,), }", "expected a dimension"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,), }", "a dimension too large"},
      {"{'descr': '<f8', 'fortran_order': False, 'shape': (1,), } extra", "text after the closing '}'"},
      {"['descr', '<f8']", "expected '{'"},
      {"{'descr': '<f8", "a string that is never closed"},
  };
  for (const auto& [dict, what] : bad) {
    CAPTURE(dict);
    const std::string message = error_of_bytes(npy_with_header(dict, data));
    CHECK(message.starts_with("bad.npy: malformed .npy header ("));
    CHECK(message.find(what) != std::string::npos);
  }
  // Python 2 longs and double quotes are what old numpy versions wrote: accepted.
  std::istringstream old(npy_with_header("{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (1L,)}", data));
  CHECK(csc::io::read_npy(old, "old.npy").rows() == 1);
}

TEST_CASE("npy: truncated files at every length and extra trailing bytes") {
  const std::string whole = fixture("f8_2x3.npy");
  for (std::size_t length = 0; length < whole.size(); ++length) {
    CAPTURE(length);
    const std::string message = error_of_bytes(whole.substr(0, length), "cut.npy");
    CHECK(message.starts_with("cut.npy: "));
    if (length >= 128)
      CHECK(message == "cut.npy: truncated .npy file: the header promises 6 <f8 values (48 bytes) but only " +
                           std::to_string(length - 128) + " bytes of data follow, rewrite the file");
  }
  CHECK(error_of_bytes(whole + "xyz", "long.npy").starts_with("long.npy: 3 bytes follow the data"));
  // A regular file whose header promises more than it holds fails before any allocation.
  csc::test::TempDir dir;
  csc::test::write_file(dir.file("huge.npy"), fixture("hdr_tall.bin") + std::string(64, '\0'));
  CHECK(error_of_file(dir.file("huge.npy")) ==
        dir.file("huge.npy") + ": truncated .npy file: the header promises 5000000000000 <f4 values (20000000000000 "
                               "bytes) but only 64 bytes of data follow, rewrite the file");
  // From a stream the size is unknown: the data is read in chunks, so the lie costs no memory either.
  CHECK(error_of_bytes(fixture("hdr_tall.bin") + std::string(64, '\0')).find("only 64 bytes of data follow") !=
        std::string::npos);
}

TEST_CASE("npy: a shape whose byte count overflows is rejected") {
  const std::string message =
      error_of_bytes(npy_with_header("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", ""));
  CHECK(message == "bad.npy: the shape 4294967296x4294967296 is too large, the file is damaged");
}
