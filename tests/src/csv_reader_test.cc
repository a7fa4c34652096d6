// Tests of the RFC 4180 record reader: quoting, line endings, BOM, locations, refills, UTF-8.
#include <doctest/doctest.h>

#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "src/csv_reader.h"
#include "src/error.h"
#include "tests/src/io_test_support.h"

namespace {

using csc::io::CsvReader;

struct Record {
  std::vector<std::string> fields;
  std::vector<std::int64_t> lines, columns;
};

std::vector<Record> read_all(const std::string& text, char separator = ',', std::size_t buffer = std::size_t{1} << 20) {
  std::istringstream in(text);
  CsvReader reader(in, "t.csv", separator, buffer);
  std::vector<Record> records;
  while (reader.next_record()) {
    Record record;
    for (const auto& field : reader.fields()) {
      record.fields.emplace_back(field.text);
      record.lines.push_back(field.line);
      record.columns.push_back(field.column);
    }
    records.push_back(record);
  }
  return records;
}

// The message of the csc::Error that `body` throws (and checks it is bad input).
template <class Body>
std::string error_of(Body body) {
  try {
    body();
  } catch (const csc::Error& error) {
    CHECK(error.code() == csc::ExitCode::bad_input);
    return error.what();
  }
  FAIL("no error thrown");
  return {};
}

using Fields = std::vector<std::string>;

}  // namespace

TEST_CASE("csv: plain records, locations and the final line without a newline") {
  const auto records = read_all("a,bb,c\n1,22,333\n4,5,6");
  REQUIRE(records.size() == 3);
  CHECK(records[0].fields == Fields{"a", "bb", "c"});
  CHECK(records[1].fields == Fields{"1", "22", "333"});
  CHECK(records[2].fields == Fields{"4", "5", "6"});
  CHECK(records[1].lines == std::vector<std::int64_t>{2, 2, 2});
  CHECK(records[1].columns == std::vector<std::int64_t>{1, 3, 6});
  CHECK(records[2].lines[0] == 3);
}

TEST_CASE("csv: quoted fields with separators, doubled quotes and embedded newlines") {
  const auto records = read_all("\"x,y\",\"say \"\"hi\"\"\",\"\"\n\"two\nlines\",b,\"c\"\nlast,\"\"\"\",z\n");
  REQUIRE(records.size() == 3);
  CHECK(records[0].fields == Fields{"x,y", "say \"hi\"", ""});
  CHECK(records[1].fields == Fields{"two\nlines", "b", "c"});
  // The field after an embedded newline sits on the next line, its column counted from that line.
  CHECK(records[1].lines == std::vector<std::int64_t>{2, 3, 3});
  CHECK(records[1].columns == std::vector<std::int64_t>{1, 8, 10});
  CHECK(records[2].fields == Fields{"last", "\"", "z"});
  CHECK(records[2].lines[0] == 4);
}

TEST_CASE("csv: CRLF, lone CR and LF line endings") {
  const auto crlf = read_all("a,b\r\n1,2\r\n\"q\r\nr\",3\r\n");
  REQUIRE(crlf.size() == 3);
  CHECK(crlf[1].fields == Fields{"1", "2"});
  CHECK(crlf[2].fields == Fields{"q\r\nr", "3"});
  CHECK(crlf[2].lines == std::vector<std::int64_t>{3, 4});
  const auto cr = read_all("a,b\r1,2\r");
  REQUIRE(cr.size() == 2);
  CHECK(cr[1].fields == Fields{"1", "2"});
  CHECK(cr[1].lines[0] == 2);
}

TEST_CASE("csv: a UTF-8 byte order mark is skipped and not counted in columns") {
  const auto records = read_all("\xEF\xBB\xBF" "name,x\n\xEF\xBB\xBF,1\n");
  REQUIRE(records.size() == 2);
  CHECK(records[0].fields == Fields{"name", "x"});
  CHECK(records[0].columns[0] == 1);
  // Only the first three bytes of the input are a BOM.
  CHECK(records[1].fields == Fields{"\xEF\xBB\xBF", "1"});
  CHECK(read_all("\xEF\xBB\xBF").empty());
}

TEST_CASE("csv: empty input, empty lines, empty fields and a trailing separator") {
  CHECK(read_all("").empty());
  const auto records = read_all("\n1,\n,\n\"\"\n");
  REQUIRE(records.size() == 4);
  CHECK(records[0].fields == Fields{""});
  CHECK(records[1].fields == Fields{"1", ""});
  CHECK(records[2].fields == Fields{"", ""});
  CHECK(records[3].fields == Fields{""});
  std::istringstream in("\n\"\"\n");
  CsvReader reader(in, "t.csv", ',');
  REQUIRE(reader.next_record());
  CHECK(reader.blank_record());
  REQUIRE(reader.next_record());
  CHECK_FALSE(reader.blank_record());  // a quoted empty field is a value, not an empty line
}

TEST_CASE("csv: the separator follows the extension or is given") {
  CHECK(csc::io::separator_for_path("a.tsv") == '\t');
  CHECK(csc::io::separator_for_path("A.TAB") == '\t');
  CHECK(csc::io::separator_for_path("a.csv") == ',');
  CHECK(csc::io::separator_for_path("-") == ',');
  const auto records = read_all("a\tb,c\t\"d\te\"\n", '\t');
  REQUIRE(records.size() == 1);
  CHECK(records[0].fields == Fields{"a", "b,c", "d\te"});
  csc::test::TempDir dir;
  csc::test::write_file(dir.file("x.tsv"), "1\t2\n");
  CsvReader reader(dir.file("x.tsv"));
  CHECK(reader.separator() == '\t');
  REQUIRE(reader.next_record());
  CHECK(reader.fields().size() == 2);
}

TEST_CASE("csv: bad quoting is an error at file:line:column") {
  CHECK(error_of([] { read_all("a,b\n1,x\"y\n"); }).starts_with("t.csv:2:4: a quote inside an unquoted field"));
  CHECK(error_of([] { read_all("a,b\n1,\"open\nand more\n"); }).starts_with("t.csv:2:3: this quoted field is never closed"));
  CHECK(error_of([] { read_all("\"ab\"c,d\n"); }).starts_with("t.csv:1:5: unexpected character 'c' after a closing quote"));
  // Location after an embedded newline: line 3, column counted from the start of line 3.
  CHECK(error_of([] { read_all("h\n\"a\nbc\"x\n"); }).starts_with("t.csv:3:4: unexpected character"));
}

TEST_CASE("csv: text() checks UTF-8 and names the field's location") {
  std::istringstream in("caf\xC3\xA9,ok\n1,ab\xFF\n");
  CsvReader reader(in, "u.csv", ',');
  REQUIRE(reader.next_record());
  CHECK(reader.text(0) == "caf\xC3\xA9");
  REQUIRE(reader.next_record());
  CHECK(reader.text(0) == "1");
  const std::string message = error_of([&] { reader.text(1); });
  CHECK(message == "u.csv:2:3: field 2 is not valid UTF-8 (byte 3 of the field), save the file as UTF-8");
}

TEST_CASE("csv: UTF-8 validation rejects overlong forms, surrogates and truncated sequences") {
  using csc::io::find_invalid_utf8;
  constexpr auto ok = std::string_view::npos;
  CHECK(find_invalid_utf8("plain ascii") == ok);
  CHECK(find_invalid_utf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80") == ok);  // é € 😀
  CHECK(find_invalid_utf8("a\xC0\xAF") == 1);         // overlong '/'
  CHECK(find_invalid_utf8("\xE0\x80\xAF") == 0);      // overlong 3-byte
  CHECK(find_invalid_utf8("\xED\xA0\x80") == 0);      // UTF-16 surrogate
  CHECK(find_invalid_utf8("\xF4\x90\x80\x80") == 0);  // above U+10FFFF
  CHECK(find_invalid_utf8("ab\xE2\x82") == 2);        // cut short
  CHECK(find_invalid_utf8("\x80") == 0);              // lone continuation byte
}

TEST_CASE("csv: refills at every buffer boundary give the same records") {
  const std::string text =
      "\xEF\xBB\xBF" "id,\"quoted, with comma\",note\r\n"
      "1,\"a \"\"b\"\" c\",\"multi\nline\"\r\n"
      "22,plain,\"\"\"\"\r"
      "333,,\"x\r\ny\"\n"
      "4444,last,\"end\"";
  const auto reference = read_all(text);
  REQUIRE(reference.size() == 5);
  CHECK(reference[1].fields == Fields{"1", "a \"b\" c", "multi\nline"});
  CHECK(reference[2].fields == Fields{"22", "plain", "\""});
  CHECK(reference[3].fields == Fields{"333", "", "x\r\ny"});
  CHECK(reference[4].fields == Fields{"4444", "last", "end"});
  for (std::size_t buffer = 16; buffer <= 80; ++buffer) {
    CAPTURE(buffer);
    const auto records = read_all(text, ',', buffer);
    REQUIRE(records.size() == reference.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
      CHECK(records[i].fields == reference[i].fields);
      CHECK(records[i].lines == reference[i].lines);
      CHECK(records[i].columns == reference[i].columns);
    }
  }
}

TEST_CASE("csv: a 1 MB line, as one field and as many fields") {
  const std::string big(1 << 20, 'x');
  std::string many;
  for (int i = 0; i < 200000; ++i) many += (i ? ",1.25" : "1.25");
  const std::string text = "h\n" + big + "\n\"" + big + "\"\n" + many + "\nend\n";
  for (const std::size_t buffer : {std::size_t{64}, std::size_t{1} << 20}) {
    const auto records = read_all(text, ',', buffer);
    REQUIRE(records.size() == 5);
    CHECK(records[1].fields == Fields{big});
    CHECK(records[2].fields == Fields{big});
    CHECK(records[3].fields.size() == 200000);
    CHECK(records[3].fields.back() == "1.25");
    CHECK(records[3].columns.back() == static_cast<std::int64_t>(many.size()) - 3);
    CHECK(records[4].fields == Fields{"end"});
    CHECK(records[4].lines[0] == 5);
  }
}

TEST_CASE("csv: a file that cannot be opened is a runtime failure naming it") {
  try {
    CsvReader reader("/nonexistent/dir/x.csv");
    FAIL("no error");
  } catch (const csc::Error& error) {
    CHECK(error.code() == csc::ExitCode::runtime_failure);
    CHECK(std::string(error.what()).starts_with("cannot open /nonexistent/dir/x.csv: "));
  }
}

TEST_CASE("csv: unquoted fields of every length split like a plain byte loop") {
  // The scanner looks at eight bytes at a time; compare it with a byte-by-byte split on random text.
  std::mt19937 random(11);
  const std::string alphabet = "ab,\n\xC3\xA9\x80\x7F";
  for (int trial = 0; trial < 300; ++trial) {
    std::string text;
    const int length = static_cast<int>(random() % 200);
    for (int i = 0; i < length; ++i) text += alphabet[random() % alphabet.size()];
    std::vector<Fields> expected{{""}};
    for (const char c : text) {
      if (c == ',') expected.back().emplace_back();
      else if (c == '\n') expected.push_back({""});
      else expected.back().back() += c;
    }
    if (!text.empty() && text.back() == '\n') expected.pop_back();
    if (text.empty()) expected.clear();
    CAPTURE(text);
    const auto records = read_all(text);
    REQUIRE(records.size() == expected.size());
    for (std::size_t i = 0; i < records.size(); ++i) CHECK(records[i].fields == expected[i]);
  }
}
