// Tests of numeric tables from CSV/TSV/.npy: values, headers, selection, labels, every bad-input
// error with its exact location, stdin, and block streaming against the whole read.
#include <doctest/doctest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "src/error.h"
#include "src/npy.h"
#include "src/numeric_table.h"
#include "tests/src/io_test_support.h"

namespace {

using csc::io::NumericBlockReader;
using csc::io::NumericTable;
using csc::io::TableOptions;
using Values = csc::io::NumericValues;

NumericTable read_text(const std::string& text, const TableOptions& options = {}, const std::string& name = "t.csv") {
  std::istringstream in(text);
  return csc::io::read_numeric_table(in, name, options);
}

std::string error_of(const std::string& text, const TableOptions& options = {}, const std::string& name = "t.csv",
                     csc::ExitCode code = csc::ExitCode::bad_input) {
  try {
    read_text(text, options, name);
  } catch (const csc::Error& error) {
    CHECK(error.code() == code);
    return error.what();
  }
  FAIL("no error thrown");
  return {};
}

TableOptions with_columns(std::string columns, std::string label = {}) {
  TableOptions options;
  options.columns = std::move(columns);
  options.label_column = std::move(label);
  return options;
}

const std::string kData = std::string(CSC_TEST_DATA) + "/io/";

}  // namespace

TEST_CASE("table: a header row, names and values") {
  const NumericTable table = read_text("x,y,z\n1,2.5,-3\n4e2,0.125,6\n");
  CHECK(table.has_header);
  CHECK(table.rows == 2);
  CHECK(table.cols == 3);
  CHECK(table.column_names == std::vector<std::string>{"x", "y", "z"});
  CHECK(table.values == Values{1, 2.5, -3, 400, 0.125, 6});
  CHECK(table(1, 1) == 0.125);
  CHECK(table.format == csc::io::TableFormat::csv);
  CHECK(table.source == "t.csv");
}

TEST_CASE("table: header detection and the header option") {
  const NumericTable numeric_first = read_text("1,2\n3,4\n");
  CHECK_FALSE(numeric_first.has_header);
  CHECK(numeric_first.rows == 2);
  CHECK(numeric_first.column_names == std::vector<std::string>{"0", "1"});
  TableOptions present;
  present.header = csc::io::HeaderMode::present;
  const NumericTable forced = read_text("1,2\n3,4\n", present);
  CHECK(forced.has_header);
  CHECK(forced.column_names == std::vector<std::string>{"1", "2"});
  CHECK(forced.values == Values{3, 4});
  TableOptions absent;
  absent.header = csc::io::HeaderMode::absent;
  CHECK(error_of("a,b\n1,2\n", absent).starts_with("t.csv:1:1: \"a\" is not a number (column index 0)"));
  // A mixed first line is data, and the message says why.
  CHECK(error_of("a,1\n1,2\n").find("line 1 was read as data because some of its cells are numbers") != std::string::npos);
  CHECK(csc::io::parse_header_mode("yes") == csc::io::HeaderMode::present);
  CHECK_THROWS_AS(csc::io::parse_header_mode("maybe"), csc::Error);
}

TEST_CASE("table: quoted numbers, spaces, a plus sign, CRLF, BOM and tiny values") {
  const NumericTable table = read_text("\xEF\xBB\xBF\"a\",\"b c\"\r\n\"1.5\", 2 \r\n+3,1e-400\r\n");
  CHECK(table.column_names == std::vector<std::string>{"a", "b c"});
  REQUIRE(table.rows == 2);
  CHECK(table.values[0] == 1.5);
  CHECK(table.values[1] == 2);
  CHECK(table.values[2] == 3);
  CHECK(table.values[3] == 0.0);  // underflow rounds to zero like strtod, not an error
  CHECK(read_text("v\n4.9e-324\n").values[0] == std::nextafter(0.0, 1.0));
}

TEST_CASE("table: column selection by name and index, a label column") {
  const std::string text = "id,name,x,y\n1,alpha,0.5,1.5\n2,\"be,ta\",2.5,3.5\n";
  const NumericTable picked = read_text(text, with_columns("y, 0"));
  CHECK(picked.column_names == std::vector<std::string>{"y", "id"});
  CHECK(picked.source_columns == std::vector<std::size_t>{3, 0});
  CHECK(picked.values == Values{1.5, 1, 3.5, 2});
  const NumericTable labelled = read_text(text, with_columns("", "name"));
  CHECK(labelled.column_names == std::vector<std::string>{"id", "x", "y"});
  CHECK(labelled.labels == std::vector<std::string>{"alpha", "be,ta"});
  CHECK(labelled.label_name == "name");
  CHECK(labelled.values == Values{1, 0.5, 1.5, 2, 2.5, 3.5});
  // A header name that is digits wins over the index of the same spelling.
  TableOptions by_name = with_columns("0");
  by_name.header = csc::io::HeaderMode::present;
  const NumericTable digits = read_text("a,0\n1,2\n", by_name);
  CHECK(digits.values == Values{2});
}

TEST_CASE("table: selection errors") {
  const std::string text = "a,b,c\n1,2,3\n";
  CHECK(error_of(text, with_columns("a,zz")) ==
        "t.csv:1:1: no column is named \"zz\", the columns are \"a\", \"b\", \"c\"");
  CHECK(error_of(text, with_columns("5")) == "t.csv:1:1: column index 5 is out of range, the file has 3 columns (0 to 2)");
  CHECK(error_of(text, with_columns("", "nope")).starts_with("t.csv:1:1: no column is named \"nope\""));
  CHECK(error_of("1,2\n", with_columns("x")) == "t.csv: no column is named \"x\", the columns are 0 to 1");
  CHECK(error_of("a,a\n1,2\n", with_columns("a")).starts_with("t.csv:1:1: 2 columns are named \"a\""));
  CHECK(error_of(text, with_columns("a,a"), "t.csv", csc::ExitCode::usage).starts_with("column \"a\" is selected twice"));
  CHECK(error_of(text, with_columns("a,b", "b"), "t.csv", csc::ExitCode::usage).starts_with("column \"b\" is both"));
  CHECK(error_of(text, with_columns("a,,b"), "t.csv", csc::ExitCode::usage).find("has an empty entry") != std::string::npos);
  CHECK(error_of("name\nx\n", with_columns("", "name")).starts_with("t.csv:1:1: no numeric columns are left"));
}

TEST_CASE("table: ragged rows, empty file, header only, blank lines") {
  CHECK(error_of("a,b,c\n1,2,3\n4,5\n") ==
        "t.csv:3:1: this row has 2 fields but the header (line 1) has 3, give every row the same number of fields");
  CHECK(error_of("1,2\n3,4,5\n").starts_with("t.csv:2:1: this row has 3 fields but the first row (line 1) has 2"));
  CHECK(error_of("") == "t.csv: the file is empty (no rows), give a file with rows of numbers");
  CHECK(error_of("\n\n").starts_with("t.csv: the file is empty"));
  CHECK(error_of("a,b\n") == "t.csv:1:1: the file has a header row but no data rows, add rows of numbers");
  CHECK(error_of("a,b\r\n\r\n").starts_with("t.csv:1:1: the file has a header row but no data rows"));
  CHECK(error_of("a,b\n1,2\n\n3,4\n").starts_with("t.csv:3:1: an empty line between rows of data"));
  const NumericTable trailing = read_text("\na,b\n1,2\n\n\n");
  CHECK(trailing.rows == 1);
  CHECK(trailing.values == Values{1, 2});
}

TEST_CASE("table: non-numeric, empty, NaN/Inf and huge cells are located errors") {
  CHECK(error_of("a,b\n1,abc\n") ==
        "t.csv:2:3: \"abc\" is not a number (column \"b\", index 1), fix the cell or select only numeric columns");
  CHECK(error_of("a,b\n1,\n") == "t.csv:2:3: empty cell (column \"b\", index 1), fill it in or remove the row");
  CHECK(error_of("a,b\n1,\"  \"\n").starts_with("t.csv:2:3: empty cell"));
  for (const std::string bad : {"nan", "NaN", "inf", "-inf", "Infinity", "-nan"}) {
    CAPTURE(bad);
    CHECK(error_of("a,b\n1,2\n3," + bad + "\n").starts_with("t.csv:3:3: \"" + bad + "\" is not a finite number"));
  }
  CHECK(error_of("a\n1e400\n").starts_with("t.csv:2:1: \"1e400\" is too large for a double"));
  for (const std::string bad : {"1.5.2", "0x10", "1e", "+-1", "1,5 2", "--1", "1 2"}) {
    CAPTURE(bad);
    CHECK(error_of("v\n\"" + bad + "\"\n").starts_with("t.csv:2:1: \"" + bad + "\" is not a number"));
  }
  // Unselected columns may hold anything.
  CHECK(read_text("a,b\n1,abc\n", with_columns("a")).values == Values{1});
  // Control bytes are escaped and long cells cut in messages.
  CHECK(error_of("v\n\"a\tb\"\n").starts_with("t.csv:2:1: \"a\\x09b\" is not a number"));
  CHECK(error_of("v\n" + std::string(100, 'q') + "\n").starts_with("t.csv:2:1: \"" + std::string(40, 'q') + "...\""));
}

TEST_CASE("table: invalid UTF-8 in a header or a label is located") {
  CHECK(error_of("ok,b\xFF\n1,2\n").starts_with("t.csv:1:4: field 2 is not valid UTF-8"));
  CHECK(error_of("a,lab\n1,x\n2,\xC3(\n", with_columns("", "lab")).starts_with("t.csv:3:3: field 2 is not valid UTF-8"));
  // Numeric cells need no UTF-8: a bad byte there is simply not a number.
  CHECK(error_of("a\n1\xFF\n").starts_with("t.csv:2:1: \"1\\xff\" is not a number"));
}

TEST_CASE("table: a 1 MB line of numbers") {
  std::string header, row;
  constexpr int kCols = 120000;  // "1234.5678," is 10 bytes: 1.2 MB per data line
  for (int c = 0; c < kCols; ++c) {
    if (c > 0) {
      header += ',';
      row += ',';
    }
    header += 'c';
    header += std::to_string(c);
    row += std::to_string(1000 + c % 9000);
    row += ".5678";
  }
  const NumericTable table = read_text(header + "\n" + row + "\n" + row + "\n");
  REQUIRE(table.cols == kCols);
  REQUIRE(table.rows == 2);
  CHECK(table.column_names[kCols - 1] == "c" + std::to_string(kCols - 1));
  CHECK(table(1, kCols - 1) == 1000 + (kCols - 1) % 9000 + 0.5678);
  CHECK(table(0, 0) == 1000.5678);
}

TEST_CASE("table: TSV by extension or by format, and the format names") {
  csc::test::TempDir dir;
  csc::test::write_file(dir.file("t.tsv"), "a\tb\n1\t2\n");
  const NumericTable table = csc::io::read_numeric_table(dir.file("t.tsv"));
  CHECK(table.format == csc::io::TableFormat::tsv);
  CHECK(table.values == Values{1, 2});
  TableOptions tsv;
  tsv.format = csc::io::TableFormat::tsv;
  CHECK(read_text("a\tb\n3\t4\n", tsv).values == Values{3, 4});
  CHECK(csc::io::resolve_table_format("x.NPY", csc::io::TableFormat::automatic) == csc::io::TableFormat::npy);
  CHECK(csc::io::resolve_table_format("-", csc::io::TableFormat::automatic) == csc::io::TableFormat::csv);
  CHECK(csc::io::resolve_table_format("x.npy", csc::io::TableFormat::csv) == csc::io::TableFormat::csv);
  CHECK(csc::io::parse_table_format("npy") == csc::io::TableFormat::npy);
  CHECK(csc::io::table_format_name(csc::io::TableFormat::tsv) == "tsv");
  CHECK_THROWS_AS(csc::io::parse_table_format("xlsx"), csc::Error);
}

TEST_CASE("table: \"-\" reads stdin") {
  csc::test::TempDir dir;
  csc::test::write_file(dir.file("in.csv"), "a,b\n1,2\n3,x\n");
  const int saved = ::dup(STDIN_FILENO);
  const int file = ::open(dir.file("in.csv").c_str(), O_RDONLY);
  REQUIRE(saved >= 0);
  REQUIRE(file >= 0);
  ::dup2(file, STDIN_FILENO);
  ::close(file);
  std::string message;
  try {
    csc::io::read_numeric_table("-");
  } catch (const csc::Error& error) {
    message = error.what();
  }
  ::dup2(saved, STDIN_FILENO);
  ::close(saved);
  CHECK(message.starts_with("<stdin>:3:3: \"x\" is not a number"));
}

TEST_CASE("table: block streaming equals the whole read, CSV and .npy") {
  // 103 rows of random doubles written with %.17g read back bit for bit.
  std::mt19937_64 random(7);
  std::normal_distribution<double> normal(0.0, 1e3);
  constexpr std::size_t kRows = 103, kCols = 4;
  Values expected;
  std::vector<std::string> expected_labels;
  std::string text = "k,a,b,c,d\n";
  for (std::size_t r = 0; r < kRows; ++r) {
    expected_labels.push_back("row " + std::to_string(r));
    text += "\"row " + std::to_string(r) + "\"";
    for (std::size_t c = 0; c < kCols; ++c) {
      const double value = normal(random);
      expected.push_back(value);
      char cell[40];
      std::snprintf(cell, sizeof cell, ",%.17g", value);
      text += cell;
    }
    text += r % 2 ? "\r\n" : "\n";
  }
  const NumericTable whole = read_text(text, with_columns("", "k"));
  CHECK(whole.values == expected);
  CHECK(whole.labels == expected_labels);
  for (const std::size_t block : {std::size_t{1}, std::size_t{7}, std::size_t{1000}}) {
    CAPTURE(block);
    std::istringstream in(text);
    NumericBlockReader reader(in, "t.csv", with_columns("", "k"));
    CHECK(reader.cols() == kCols);
    CHECK(reader.has_labels());
    Values all, values;
    std::vector<std::string> all_labels, labels;
    while (const std::size_t rows = reader.next_block(block, values, &labels)) {
      CHECK(rows <= block);
      CHECK(values.size() == rows * kCols);
      CHECK(labels.size() == rows);
      all.insert(all.end(), values.begin(), values.end());
      all_labels.insert(all_labels.end(), labels.begin(), labels.end());
    }
    CHECK(all == expected);
    CHECK(all_labels == expected_labels);
    CHECK(reader.rows_read() == kRows);
    CHECK(reader.total_rows() == kRows);
  }
  for (const std::size_t block : {std::size_t{1}, std::size_t{7}}) {
    NumericBlockReader reader(kData + "f8_2x3.npy", with_columns("2,0"));
    CHECK(reader.total_rows() == 2);
    Values all, values;
    while (reader.next_block(block, values) > 0) all.insert(all.end(), values.begin(), values.end());
    CHECK(all == Values{3.0, 1.5, 7.75, 1024.0});
  }
}

TEST_CASE("table: a bad row far into the stream is reported when its block is read") {
  std::string text = "a,b\n";
  for (int r = 0; r < 50; ++r) text += "1,2\n";
  text += "3,oops\n";
  std::istringstream in(text);
  NumericBlockReader reader(in, "s.csv");
  Values values;
  CHECK(reader.next_block(50, values) == 50);
  try {
    reader.next_block(50, values);
    FAIL("no error");
  } catch (const csc::Error& error) {
    CHECK(std::string(error.what()).starts_with("s.csv:52:3: \"oops\" is not a number"));
  }
}

TEST_CASE("table: .npy input, selection, labels and bad values") {
  const NumericTable f8 = csc::io::read_numeric_table(kData + "f8_2x3.npy");
  CHECK(f8.format == csc::io::TableFormat::npy);
  CHECK(f8.rows == 2);
  CHECK(f8.cols == 3);
  CHECK(f8.values == Values{1.5, -2.25, 3.0, 1024.0, -0.125, 7.75});
  CHECK(f8.column_names == std::vector<std::string>{"0", "1", "2"});
  const NumericTable labelled = csc::io::read_numeric_table(kData + "u1_2x3.npy", with_columns("", "2"));
  CHECK(labelled.values == Values{0, 1, 128, 7});
  CHECK(labelled.labels == std::vector<std::string>{"255", "42"});
  const NumericTable vector = csc::io::read_numeric_table(kData + "f8_1d.npy");
  CHECK(vector.rows == 4);
  CHECK(vector.cols == 1);
  CHECK(vector.values == Values{0.5, -1.0, 2.0, 1e300});
  try {
    csc::io::read_numeric_table(kData + "f8_nan.npy");
    FAIL("no error");
  } catch (const csc::Error& error) {
    CHECK(error.code() == csc::ExitCode::bad_input);
    CHECK(std::string(error.what()) == kData + "f8_nan.npy: element [0, 1] (0-based row, column) is NaN; missing "
                                               "values are not skipped, remove or impute the row");
  }
  CHECK_THROWS_AS(csc::io::read_numeric_table(kData + "f8_2x3.npy", with_columns("3")), csc::Error);
  CHECK_THROWS_AS(csc::io::read_numeric_table(kData + "hdr_empty.bin", [] {
                    TableOptions npy;
                    npy.format = csc::io::TableFormat::npy;
                    return npy;
                  }()),
                  csc::Error);
}

TEST_CASE("table: a truncated .npy read from a stream fails when the missing rows are reached") {
  std::string bytes = csc::test::read_file(kData + "f8_2x3.npy");
  bytes.resize(bytes.size() - 8);
  std::istringstream in(bytes);
  NumericBlockReader reader(in, "cut.npy");
  Values values;
  CHECK(reader.next_block(1, values) == 1);
  try {
    reader.next_block(1, values);
    FAIL("no error");
  } catch (const csc::Error& error) {
    CHECK(std::string(error.what()).starts_with("cut.npy: truncated .npy file"));
  }
}

TEST_CASE("table: a truncated .npy file is rejected when opened, a stream at the first block") {
  // The fuzzer's reproducer: a header promising 2 x 7777773 float32 values over 25 bytes of data.
  // Opening must not name or select millions of columns before finding the data missing.
  const std::array<std::uint64_t, 2> shape{2, 7777773};
  const std::string bytes = csc::io::encode_npy_header(csc::io::NpyDtype::float32, shape) + std::string(25, '\x01');

  csc::test::TempDir dir;
  csc::test::write_file(dir.file("cut.npy"), bytes);
  try {
    NumericBlockReader reader(dir.file("cut.npy"), TableOptions{});
    FAIL("no error");
  } catch (const csc::Error& error) {
    CHECK(std::string(error.what()).ends_with("cut.npy: truncated .npy file: the header promises 15555546 <f4 values "
                                              "(62222184 bytes) but only 25 bytes of data follow, rewrite the file"));
  }

  std::istringstream in(bytes);
  NumericBlockReader reader(in, "cut.npy");
  CHECK(reader.cols() == 7777773);
  Values values;
  try {
    reader.next_block(1, values);
    FAIL("no error");
  } catch (const csc::Error& error) {
    CHECK(std::string(error.what()) == "cut.npy: truncated .npy file: the header promises 15555546 <f4 values "
                                       "(62222184 bytes) but only 25 bytes of data follow, rewrite the file");
  }
}

TEST_CASE("table: columns without a header are named by their file index") {
  std::istringstream in("1,2,3\n4,5,6\n");
  TableOptions options;
  options.columns = "2,0";
  NumericBlockReader reader(in, "t.csv", options);
  CHECK(reader.column_names() == std::vector<std::string>{"2", "0"});
}

TEST_CASE("table: float32 labels from .npy are the shortest text of the stored value") {
  csc::test::TempDir dir;
  const std::vector<float> values{0.1f, 2.0f, 1e-3f, 4.0f};
  const std::array<std::uint64_t, 2> shape{2, 2};
  csc::io::write_npy_file<float>(dir.file("f.npy"), values, shape, false);
  const NumericTable table = csc::io::read_numeric_table(dir.file("f.npy"), with_columns("", "0"));
  CHECK(table.labels == std::vector<std::string>{"0.1", "0.001"});
  CHECK(table.values == Values{2.0, 4.0});
}
