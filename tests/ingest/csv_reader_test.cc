#include "b2bmail/ingest/csv_reader.h"

#include <catch2/catch.hpp>

#include "b2bmail/base/error.h"
#include "support/temp_dir.h"

using namespace b2bmail;
using namespace b2bmail::ingest;
using b2bmail::testing::TempDir;
using namespace std::string_literals;

namespace {

struct Row {
  std::vector<std::string> fields;
  std::int64_t line;
  std::string raw;
  std::string error;
  std::size_t error_column;
};

// Every record of `text`, read with a given chunk size (small ones exercise records
// and line ends that straddle chunk boundaries).
std::vector<Row> ReadAll(const std::string& text, std::size_t chunk = 1 << 20,
                         std::size_t max_record = 1 << 20) {
  TempDir dir;
  auto path = dir.Write("in.csv", text);
  CsvReader reader(path, {chunk, max_record});
  std::vector<Row> rows;
  CsvRecord r;
  while (reader.Next(r)) {
    rows.push_back({std::vector<std::string>(r.fields.begin(), r.fields.begin() + r.size), r.line,
                    std::string(r.raw), r.error, r.error_column});
  }
  CHECK(reader.bytes_done() == text.size());
  return rows;
}

std::vector<std::string> F(std::initializer_list<std::string> f) { return f; }

}  // namespace

TEST_CASE("csv: quoted fields keep separators, doubled quotes and line ends", "[ingest]") {
  std::string text = "a,b,c\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\nlast,,\n";
  for (std::size_t chunk : {1, 2, 3, 7, 64, 1 << 20}) {
    auto rows = ReadAll(text, chunk);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].fields == F({"a", "b", "c"}));
    CHECK(rows[1].fields == F({"x, y", "say \"hi\"", "two\nlines"}));
    CHECK(rows[1].line == 2);
    CHECK(rows[1].raw == "\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"");
    CHECK(rows[2].fields == F({"last", "", ""}));
    CHECK(rows[2].line == 4);  // physical line: the quoted line end counted
  }
}

TEST_CASE("csv: CRLF, LF and CR line ends, a last line without one, blank lines", "[ingest]") {
  for (std::size_t chunk : {1, 2, 5, 1 << 20}) {
    auto rows = ReadAll("h1,h2\r\n\r\na,b\r\n   \nc,d\re,f", chunk);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].fields == F({"h1", "h2"}));
    CHECK(rows[1].fields == F({"a", "b"}));
    CHECK(rows[1].line == 3);
    CHECK(rows[1].raw == "a,b");
    CHECK(rows[2].fields == F({"c", "d"}));
    CHECK(rows[2].line == 5);
    CHECK(rows[3].fields == F({"e", "f"}));
    CHECK(rows[3].line == 6);
  }
  auto crlf_in_quotes = ReadAll("\"a\r\nb\",c\r\nd,e\r\n", 3);
  REQUIRE(crlf_in_quotes.size() == 2);
  CHECK(crlf_in_quotes[0].fields == F({"a\r\nb", "c"}));
  CHECK(crlf_in_quotes[1].line == 3);
}

TEST_CASE("csv: a UTF-8 byte order mark is skipped, UTF-16 is detected", "[ingest]") {
  auto rows = ReadAll(
      "\xEF\xBB\xBF"
      "email,name\nx@y.de,Zoë\n",
      1);
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].fields == F({"email", "name"}));
  CHECK(rows[1].fields[1] == "Zoë");

  TempDir dir;
  CsvReader reader(dir.Write("u16.csv",
                             "\xFF\xFE"
                             "e\0m\0"s));
  CsvRecord r;
  reader.Next(r);
  CHECK(reader.utf16());
}

TEST_CASE("csv: a bare quote in an unquoted field is an error; reading resumes at the next line",
          "[ingest]") {
  auto rows = ReadAll("a,b\"c,\"d\nok,1\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].error.find("unexpected '\"' inside an unquoted field") != std::string::npos);
  CHECK(rows[0].error_column == 2);
  CHECK(rows[0].raw == "a,b\"c,\"d");
  CHECK(rows[1].error.empty());
  CHECK(rows[1].fields == F({"ok", "1"}));
  CHECK(rows[1].line == 2);
}

TEST_CASE("csv: characters after a closing quote are an error", "[ingest]") {
  auto rows = ReadAll("\"a\"x,b\nc,d\n");
  REQUIRE(rows.size() == 2);
  CHECK(rows[0].error.find("unexpected 'x' after the closing quote") != std::string::npos);
  CHECK(rows[0].error_column == 1);
  CHECK(rows[0].raw == "\"a\"x,b");
  CHECK(rows[1].fields == F({"c", "d"}));
}

TEST_CASE("csv: an unterminated quote does not swallow the rest of the file", "[ingest]") {
  for (std::size_t chunk : {1, 4, 1 << 20}) {
    auto rows = ReadAll("h,i\n1,\"open\n2,two\n3,three\n", chunk);
    REQUIRE(rows.size() == 4);
    CHECK(rows[1].error == "quoted field is not closed before the end of the file");
    CHECK(rows[1].error_column == 2);
    CHECK(rows[1].raw == "1,\"open");
    CHECK(rows[1].line == 2);
    CHECK(rows[2].fields == F({"2", "two"}));
    CHECK(rows[2].line == 3);
    CHECK(rows[3].fields == F({"3", "three"}));
    CHECK(rows[3].line == 4);
  }
  // On the last line: the whole rest is the broken record.
  auto last = ReadAll("h\n\"never closed");
  REQUIRE(last.size() == 2);
  CHECK(!last[1].error.empty());
  CHECK(last[1].raw == "\"never closed");
}

TEST_CASE("csv: a quoted field open past max_record_bytes is taken as unterminated", "[ingest]") {
  std::string text = "1,\"open\n";
  for (int i = 0; i < 50; ++i) text += "row" + std::to_string(i) + ",x\n";
  text += "end,\"\"\n";  // a later quote that would close it
  auto rows = ReadAll(text, 16, 64);
  REQUIRE(rows.size() == 52);
  CHECK(rows[0].error.find("not closed within 64 bytes") != std::string::npos);
  CHECK(rows[1].fields == F({"row0", "x"}));
  CHECK(rows[51].fields == F({"end", ""}));
}

TEST_CASE("csv: invalid UTF-8 and NUL bytes are errors naming the column", "[ingest]") {
  auto rows = ReadAll("a,b\nok,\xC3\x28\nx\0y,z\nfine,é\n"s);
  REQUIRE(rows.size() == 4);
  CHECK(rows[1].error == "invalid UTF-8");
  CHECK(rows[1].error_column == 2);
  CHECK(rows[2].error == "contains a NUL byte");
  CHECK(rows[2].error_column == 1);
  CHECK(rows[2].raw == "x\0y,z"s);
  CHECK(rows[3].error.empty());
}

TEST_CASE("csv: an empty file has no records; a missing file throws an I/O error", "[ingest]") {
  CHECK(ReadAll("").empty());
  CHECK(ReadAll("\n\n  \n").empty());
  try {
    CsvReader reader("/nonexistent/dir/file.csv");
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::kIo);
    CHECK_THAT(e.what(), Catch::Contains("/nonexistent/dir/file.csv"));
  }
  TempDir dir;
  CHECK_THROWS_AS(CsvReader(dir.path().string()), Error);
}

TEST_CASE("csv: fields are written back so that the reader returns them unchanged", "[ingest]") {
  std::vector<std::string> values{"plain", "a,b", "say \"x\"", "two\nlines", " padded ", ""};
  std::string line;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) line += ",";
    AppendCsvField(line, values[i]);
  }
  auto rows = ReadAll(line + "\n");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].fields == values);
}

TEST_CASE("a stray quote spanning lines costs only its own line", "[ingest]") {
  b2bmail::testing::TempDir dir;
  // Line 2 opens a quote that closes on line 4; lines 3 and 4 must still be read.
  auto path = dir.Write("stray.csv",
                        "a,b,c\n"
                        "\"x,1,2\n"
                        "y,1,2\n"
                        "z,\"q\"w,2\n"
                        "v,1,2\n");
  b2bmail::ingest::CsvReader reader(path);
  b2bmail::ingest::CsvRecord r;
  REQUIRE(reader.Next(r));
  reader.set_expected_fields(r.size);
  REQUIRE(reader.Next(r));
  CHECK(r.line == 2);
  CHECK(r.error.find("unbalanced quote") != std::string::npos);
  CHECK(r.raw == "\"x,1,2");
  REQUIRE(reader.Next(r));
  CHECK(r.line == 3);
  CHECK(r.error.empty());
  CHECK(r.fields[0] == "y");
  REQUIRE(reader.Next(r));
  CHECK(r.line == 4);
  CHECK_FALSE(r.error.empty());
  REQUIRE(reader.Next(r));
  CHECK(r.line == 5);
  CHECK(r.fields[0] == "v");
  CHECK_FALSE(reader.Next(r));
}

TEST_CASE("balanced quotes over several lines but the wrong width reject only the first line",
          "[ingest]") {
  b2bmail::testing::TempDir dir;
  auto path = dir.Write("wide.csv",
                        "a,b,c\n"
                        "\"x,1,2\n"
                        "y\",1,2,3,4\n"
                        "\"multi\nline\",1,2\n");
  b2bmail::ingest::CsvReader reader(path);
  b2bmail::ingest::CsvRecord r;
  REQUIRE(reader.Next(r));
  reader.set_expected_fields(r.size);
  REQUIRE(reader.Next(r));
  CHECK(r.line == 2);
  CHECK(r.error.find("instead of 3") != std::string::npos);
  REQUIRE(reader.Next(r));
  CHECK(r.line == 3);  // read afresh: a bare quote in an unquoted field
  CHECK_FALSE(r.error.empty());
  REQUIRE(reader.Next(r));  // a legitimate multi-line field of the right width is fine
  CHECK(r.line == 4);
  CHECK(r.error.empty());
  CHECK(r.fields[0] == "multi\nline");
}
