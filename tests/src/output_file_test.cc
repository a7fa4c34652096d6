// Tests of file outputs: rename on commit, no overwrite without force, temporary files removed on
// failure, and the CSV/TSV/.npy matrix writers.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include <sys/stat.h>

#include "src/error.h"
#include "src/numeric_table.h"
#include "src/output_file.h"
#include "tests/src/io_test_support.h"

namespace {

using csc::io::OutputFile;

std::vector<std::string> listing(const csc::test::TempDir& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("output: written to a hidden temporary beside the destination, renamed on commit") {
  csc::test::TempDir dir;
  const std::string path = dir.file("out.csv");
  {
    OutputFile out(path, false);
    CHECK(out.temp_path().starts_with(dir.file(".out.csv.tmp-")));
    out.write("hello ");
    out.write(std::string(3 << 20, 'x'));  // larger than the buffer: written through
    out.write("!\n");
    CHECK(std::filesystem::exists(out.temp_path()));
    CHECK_FALSE(std::filesystem::exists(path));
    out.commit();
    CHECK_FALSE(std::filesystem::exists(out.temp_path()));
  }
  CHECK(csc::test::read_file(path) == "hello " + std::string(3 << 20, 'x') + "!\n");
  CHECK(listing(dir) == std::vector<std::string>{"out.csv"});
  // The mode a plain open() would give under the current umask, not mkstemp's 0600.
  const mode_t mask = ::umask(022);
  ::umask(mask);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == (0666 & ~mask));
}

TEST_CASE("output: an existing file is kept unless forced") {
  csc::test::TempDir dir;
  const std::string path = dir.file("keep.csv");
  csc::test::write_file(path, "precious\n");
  try {
    OutputFile out(path, false);
    FAIL("no error");
  } catch (const csc::Error& error) {
    CHECK(error.code() == csc::ExitCode::runtime_failure);
    CHECK(std::string(error.what()) == path + " exists, pass --force to overwrite");
  }
  CHECK(csc::test::read_file(path) == "precious\n");
  CHECK(listing(dir) == std::vector<std::string>{"keep.csv"});
  {
    OutputFile out(path, true);
    out.write("new\n");
    out.commit();
  }
  CHECK(csc::test::read_file(path) == "new\n");
}

TEST_CASE("output: a destination created while writing is not overwritten at commit") {
  csc::test::TempDir dir;
  const std::string path = dir.file("race.csv");
  OutputFile out(path, false);
  out.write("mine\n");
  csc::test::write_file(path, "theirs\n");
  CHECK_THROWS_AS(out.commit(), csc::Error);
  CHECK(csc::test::read_file(path) == "theirs\n");
  CHECK(listing(dir) == std::vector<std::string>{"race.csv"});
}

TEST_CASE("output: without commit (an exception) the temporary file is removed") {
  csc::test::TempDir dir;
  const std::string path = dir.file("fail.npy");
  std::string temp;
  try {
    OutputFile out(path, false);
    temp = out.temp_path();
    out.write("partial");
    throw std::runtime_error("computation failed");
  } catch (const std::runtime_error&) {
  }
  CHECK_FALSE(temp.empty());
  CHECK(listing(dir).empty());
}

TEST_CASE("output: remove_pending_outputs unlinks live temporary files (for a signal handler)") {
  csc::test::TempDir dir;
  OutputFile a(dir.file("a.csv"), false);
  OutputFile b(dir.file("b.csv"), false);
  CHECK(listing(dir).size() == 2);
  csc::io::remove_pending_outputs();
  CHECK(listing(dir).empty());
}

TEST_CASE("output: a directory or a missing directory is a runtime failure") {
  csc::test::TempDir dir;
  try {
    OutputFile out(dir.path().string(), true);
    FAIL("no error");
  } catch (const csc::Error& error) {
    CHECK(error.code() == csc::ExitCode::runtime_failure);
    CHECK(std::string(error.what()).find("is a directory") != std::string::npos);
  }
  try {
    OutputFile out(dir.file("no/such/dir/x.csv"), false);
    FAIL("no error");
  } catch (const csc::Error& error) {
    CHECK(error.code() == csc::ExitCode::runtime_failure);
    CHECK(std::string(error.what()).starts_with("cannot create a file in " + dir.file("no/such/dir")));
  }
}

TEST_CASE("output: CSV matrices with a header, labels and quoting") {
  csc::test::TempDir dir;
  const std::vector<double> values{1.5, 0.1, -2e-300, 1e20, 100, 1.0 / 3.0};
  const std::vector<std::string> labels{"plain", "with, comma \"q\""};
  csc::io::MatrixWriteOptions options;
  options.column_names = {"x", "y z", "w\nv"};
  options.labels = labels;
  options.label_name = "class";
  csc::io::write_matrix_file(dir.file("m.csv"), values, 2, 3, options);
  CHECK(csc::test::read_file(dir.file("m.csv")) ==
        "class,x,y z,\"w\nv\"\n"
        "plain,1.5,0.1,-2e-300\n"
        "\"with, comma \"\"q\"\"\",1e+20,100,0.3333333333333333\n");
  csc::io::write_matrix_file(dir.file("m.tsv"), values, 3, 2);
  CHECK(csc::test::read_file(dir.file("m.tsv")) == "1.5\t0.1\n-2e-300\t1e+20\n100\t0.3333333333333333\n");
  const std::vector<float> floats{0.1f, 16777216.0f, -1.0f / 3.0f};
  csc::io::write_matrix_file(dir.file("f.csv"), floats, 1, 3);
  CHECK(csc::test::read_file(dir.file("f.csv")) == "0.1,16777216,-0.33333334\n");
  CHECK_THROWS_AS(csc::io::write_matrix_file(dir.file("m.csv"), values, 2, 3), csc::Error);
  CHECK_THROWS_AS(csc::io::write_matrix_file(dir.file("bad.csv"), values, 4, 2), std::invalid_argument);
}

TEST_CASE("output: CSV and .npy matrices read back bit for bit") {
  csc::test::TempDir dir;
  const std::vector<double> values{0.1, 1.0 / 3.0, -2.5e17, 5e-324, 123456789.123456789, -0.0, 1e308, 2.0 / 3.0};
  csc::io::MatrixWriteOptions options;
  options.column_names = {"a", "b"};
  csc::io::write_matrix_file(dir.file("r.csv"), values, 4, 2, options);
  csc::io::write_matrix_file(dir.file("r.npy"), values, 4, 2, options);
  for (const char* name : {"r.csv", "r.npy"}) {
    CAPTURE(name);
    const csc::io::NumericTable table = csc::io::read_numeric_table(dir.file(name));
    REQUIRE(table.rows == 4);
    REQUIRE(table.cols == 2);
    for (std::size_t i = 0; i < values.size(); ++i) {
      CHECK(table.values[i] == values[i]);
      CHECK(std::signbit(table.values[i]) == std::signbit(values[i]));
    }
  }
  csc::io::MatrixWriteOptions as_npy;
  as_npy.format = csc::io::OutputFormat::npy;
  csc::io::write_matrix_file(dir.file("npy.dat"), values, 4, 2, as_npy);
  CHECK(csc::test::read_file(dir.file("npy.dat")).starts_with("\x93NUMPY"));
}

TEST_CASE("output: formats by extension and field escaping") {
  using csc::io::OutputFormat;
  CHECK(csc::io::output_format_for_path("a.NPY") == OutputFormat::npy);
  CHECK(csc::io::output_format_for_path("a.tsv") == OutputFormat::tsv);
  CHECK(csc::io::output_format_for_path("a.tab") == OutputFormat::tsv);
  CHECK(csc::io::output_format_for_path("a.txt") == OutputFormat::csv);
  CHECK(csc::io::output_format_for_path("-") == OutputFormat::csv);
  CHECK(csc::io::csv_escape("plain", ',') == "plain");
  CHECK(csc::io::csv_escape("a,b", ',') == "\"a,b\"");
  CHECK(csc::io::csv_escape("a,b", '\t') == "a,b");
  CHECK(csc::io::csv_escape("a\tb", '\t') == "\"a\tb\"");
  CHECK(csc::io::csv_escape("say \"x\"", ',') == "\"say \"\"x\"\"\"");
  CHECK(csc::io::csv_escape(" padded", ',') == "\" padded\"");
  CHECK(csc::io::csv_escape("", ',') == "");
}
