#include <catch2/catch.hpp>
#include <string>

#include "scalelaw/error.h"
#include "scalelaw/io/csv.h"

using Catch::Contains;
using Catch::StartsWith;
using scalelaw::ParseRunsCsv;

namespace {

scalelaw::Dataset Parse(const std::string& text, const scalelaw::RunColumns& columns = {}) {
  return ParseRunsCsv(text, "runs.csv", columns);
}

}  // namespace

TEST_CASE("Reads the named columns, in any order, ignoring others", "[csv]") {
  const auto data = Parse("loss,note,tokens,params\n3.5,a,1e9,1e8\n\"3.25\",\"b, c\",2e9,2e8\r\n");
  REQUIRE(data.size() == 2);
  CHECK(data.params == std::vector<double>{1e8, 2e8});
  CHECK(data.tokens == std::vector<double>{1e9, 2e9});
  CHECK(data.loss == std::vector<double>{3.5, 3.25});
  CHECK(data.weights.empty());
}

TEST_CASE("With a FLOPs column, D = C / (6 N)", "[csv]") {
  scalelaw::RunColumns columns;
  columns.flops = "C";
  columns.weight = "w";
  const auto data = Parse("params,C,loss,w\n1e8,6e17,3.0,0.5\n", columns);
  REQUIRE(data.size() == 1);
  CHECK(data.tokens[0] == Approx(1e9).epsilon(1e-15));
  CHECK(data.weights == std::vector<double>{0.5});
}

TEST_CASE("Numbers are correctly rounded", "[csv]") {
  const auto data = Parse("params,tokens,loss\n6795600349.289497,1.0e9,5.005581996196243\n");
  CHECK(data.params[0] == 6795600349.289497);
  CHECK(data.loss[0] == 5.005581996196243);
}

TEST_CASE("Every bad input names the file, line and column", "[csv]") {
  const std::string header = "params,tokens,loss\n";
  CHECK_THROWS_WITH(Parse(""), StartsWith("runs.csv: the file is empty"));
  CHECK_THROWS_WITH(Parse(header), StartsWith("runs.csv: the file has a header but no runs"));
  CHECK_THROWS_WITH(Parse("params,tokens\n1,2\n"), StartsWith("runs.csv, line 1, column 'loss': missing column"));
  CHECK_THROWS_WITH(Parse("params;tokens;loss\n1;2;3\n"), Contains("column 'params': missing column"));
  CHECK_THROWS_WITH(Parse("params,tokens,loss,loss\n1,2,3,4\n"),
                    StartsWith("runs.csv, line 1, column 'loss': the header names this column more than once"));
  CHECK_THROWS_WITH(Parse(header + "1e8,1e9,3\n1e8,1e9\n"), StartsWith("runs.csv, line 3: this row has fewer cells"));
  CHECK_THROWS_WITH(Parse(header + "1e8,1e9,3,4\n"), StartsWith("runs.csv, line 2: this row has more cells"));
  CHECK_THROWS_WITH(Parse(header + "1e8,1e9,abc\n"),
                    StartsWith("runs.csv, line 2, column 'loss': expected a number, got 'abc'"));
  CHECK_THROWS_WITH(Parse(header + "1e8,1e9,3.0x\n"), Contains("expected a number, got '3.0x'"));
  CHECK_THROWS_WITH(Parse(header + "1e8,,3\n"), StartsWith("runs.csv, line 2, column 'tokens': empty cell"));
  CHECK_THROWS_WITH(Parse(header + "1e8,1e9,nan\n"), StartsWith("runs.csv, line 2, column 'loss': NaN"));
  CHECK_THROWS_WITH(Parse(header + "1e8,inf,3\n"), StartsWith("runs.csv, line 2, column 'tokens': infinity"));
  CHECK_THROWS_WITH(Parse(header + "-1e8,1e9,3\n"),
                    StartsWith("runs.csv, line 2, column 'params': expected a positive number, got '-1e8'"));
  CHECK_THROWS_WITH(Parse(header + "0,1e9,3\n"), Contains("expected a positive number, got '0'"));
  CHECK_THROWS_WITH(Parse(header + "1e400,1e9,3\n"), Contains("out of the range of a double"));
  CHECK_THROWS_WITH(Parse(header + "1e8,\"1e9,3\n"), StartsWith("runs.csv, line 2: a quoted cell is not closed"));
  // Finite cells whose compute 6ND is not: the larger of N and D is named.
  CHECK_THROWS_WITH(Parse(header + "1e8,1e9,3\n1e300,1e9,3\n"),
                    "runs.csv, line 3, column 'params': the compute 6·N·D overflows a double (N 1e+300, D 1e+09)");
  CHECK_THROWS_WITH(Parse(header + "1e8,1e301,3\n"), StartsWith("runs.csv, line 2, column 'tokens': the compute"));
  CHECK(Parse(header + "1e150,1e150,3\n").size() == 1);
}

TEST_CASE("Blank lines after the last run are not runs, between runs they are errors", "[csv]") {
  const std::string header = "params,tokens,loss\n";
  CHECK(Parse(header + "1e8,1e9,3\n2e8,2e9,2.9\n\n  \r\n\t\n").loss == std::vector<double>{3, 2.9});
  CHECK(Parse(header + "1e8,1e9,3").size() == 1);
  CHECK_THROWS_WITH(Parse(header + "\n\n"), StartsWith("runs.csv: the file has a header but no runs"));
  CHECK_THROWS_WITH(Parse(" \n\n"), StartsWith("runs.csv: the file is empty"));
  CHECK_THROWS_WITH(Parse(header + "1e8,1e9,3\n\n2e8,2e9,2.9\n"), StartsWith("runs.csv, line 3: this row has fewer"));
}

TEST_CASE("Binary garbage is an input error, not a crash", "[csv]") {
  std::string garbage = "params,tokens,loss\n";
  for (int i = 0; i < 512; ++i) garbage.push_back(static_cast<char>((i * 37) % 256));
  CHECK_THROWS_AS(Parse(garbage), scalelaw::InputError);
  CHECK_THROWS_AS(Parse(std::string("\x00\x01\x02,\xff\n\x80", 8)), scalelaw::InputError);
}

TEST_CASE("Files that cannot be read are input errors", "[csv]") {
  CHECK_THROWS_WITH(scalelaw::ReadRunsCsv("/nonexistent/runs.csv"),
                    StartsWith("/nonexistent/runs.csv: cannot open: No such file"));
  CHECK_THROWS_WITH(scalelaw::ReadRunsCsv("/"), Contains("is a directory"));
}

namespace {

scalelaw::NumericTable Table(const std::string& text, const scalelaw::TableQuery& query) {
  return scalelaw::ParseNumericCsv(text, "t.csv", query);
}

scalelaw::TableQuery Columns(std::initializer_list<const char*> names) {
  scalelaw::TableQuery query;
  for (const char* name : names) query.columns.push_back({name, scalelaw::CellDomain::kPositive});
  return query;
}

}  // namespace

TEST_CASE("RFC 4180: quoted names and cells with commas, quotes and line breaks, any number of columns", "[csv]") {
  // A header name with spaces and punctuation, a cell with a comma, a doubled quote and a line break inside
  // quotes (the next record starts two lines later), and eleven columns.
  const std::string text =
      "a,b,c,d,e,f,g,h,i,\"FLOPs (1E21)\",note\n"
      "1,2,3,4,5,6,7,8,9,\"0.6\",\"x, \"\"y\"\"\"\n"
      "1,2,3,4,5,6,7,8,9.5, 1.2 ,\"two\nlines\"\n"
      "1,2,3,4,5,6,7,8,10,2.4,z\n";
  const auto table = Table(text, Columns({"FLOPs (1E21)", "i", "a"}));
  CHECK(table.Column("FLOPs (1E21)") == std::vector<double>{0.6, 1.2, 2.4});
  CHECK(table.Column("i") == std::vector<double>{9, 9.5, 10});
  CHECK(table.lines == std::vector<long>{2, 3, 5});
  CHECK(scalelaw::CsvHeader(text).size() == 11);
  CHECK(scalelaw::CsvHeader(text)[9] == "FLOPs (1E21)");
  // A byte-order mark is not part of the first name; CRLF ends records.
  CHECK(Table("\xEF\xBB\xBFx,y\r\n1,2\r\n", Columns({"x"})).Column("x") == std::vector<double>{1});
  CHECK_THROWS_WITH(Table("x,y\n\"1\"2,3\n", Columns({"x"})),
                    StartsWith("t.csv, line 2: unexpected '2' after the closing quote of a cell"));
  CHECK_THROWS_WITH(Table("x,y\n1,\"2\n", Columns({"x"})), StartsWith("t.csv, line 2: a quoted cell is not closed"));
}

TEST_CASE("TSV: a header with tabs and no commas is read with tabs", "[csv]") {
  const auto table = Table("N\tD\tloss\tnote\n1e8\t1e9\t3.5\ta, b\n2e8\t2e9\t3.25\tc\n", Columns({"loss", "N"}));
  CHECK(table.Column("loss") == std::vector<double>{3.5, 3.25});
  CHECK(table.Column("N") == std::vector<double>{1e8, 2e8});
}

TEST_CASE("Filters keep the records every one of them passes, numbers compare as numbers", "[csv]") {
  const std::string text =
      "experiment,outlier,C,loss\n"
      "marin,False,1e18,3.0\n"
      "marin,True,1e19,9.0\n"
      "other,False,1e20,2.5\n"
      "marin,False,1.0E20,2.6\n"
      "marin,False,1e21,broken\n";
  scalelaw::TableQuery query = Columns({"C", "loss"});
  for (const char* spec : {"experiment=marin", "outlier!=True", "C<=1e20"}) {
    query.where.push_back(scalelaw::RowFilter::Parse(spec));
  }
  const auto table = Table(text, query);
  CHECK(table.Column("C") == std::vector<double>{1e18, 1e20});  // 1.0E20 equals 1e20 as a number
  CHECK(table.lines == std::vector<long>{2, 5});
  CHECK(table.records == 5);
  CHECK(table.filtered_out == 3);  // the broken loss cell is never read: its record is filtered out
  CHECK(table.Selection() == "2 of 5 records (3 left out by the filters)");

  query.where = {scalelaw::RowFilter::Parse("experiment>3")};
  CHECK_THROWS_WITH(Table(text, query), StartsWith("t.csv, line 2, column 'experiment': the filter experiment>3 orders"));
  query.where = {scalelaw::RowFilter::Parse("experimnt=marin")};
  CHECK_THROWS_WITH(Table(text, query),
                    StartsWith("t.csv, line 1, column 'experimnt': missing column (did you mean 'experiment'?)"));
  query.where = {scalelaw::RowFilter::Parse("experiment=none")};
  CHECK_THROWS_WITH(Table(text, query), StartsWith("t.csv: no record is left: 0 of 5 records (5 left out"));

  CHECK(scalelaw::RowFilter::Parse(" FLOPs (1E21) >= 3 ").column == "FLOPs (1E21)");
  CHECK(scalelaw::RowFilter::Parse("a==b").value == "b");
  CHECK(scalelaw::RowFilter::Parse("a!=b").ToString() == "a!=b");
  CHECK_THROWS_WITH(scalelaw::RowFilter::Parse("marin"), Contains("expected COLUMN=VALUE"));
  CHECK_THROWS_WITH(scalelaw::RowFilter::Parse("=marin"), Contains("no column before the operator"));
  CHECK_THROWS_WITH(scalelaw::RowFilter::Parse("a<b"), Contains("< compares numbers, and 'b' is not one"));
  CHECK_THROWS_WITH(scalelaw::RowFilter::Parse("a!b"), Contains("'!' must be followed by '='"));
}

TEST_CASE("A group column labels each row, and empty cells are skipped and counted when asked", "[csv]") {
  const std::string text = "g,N,loss\na,1,3\nb,2,\na,3,2.5\n,4,2\nb,5,2.2\n";
  scalelaw::TableQuery query = Columns({"N", "loss"});
  query.group_by = "g";
  CHECK_THROWS_WITH(Table(text, query), StartsWith("t.csv, line 3, column 'loss': empty cell"));
  query.skip_missing = true;
  const auto table = Table(text, query);
  CHECK(table.skipped_missing == 2);  // the empty loss and the empty group label
  CHECK(table.GroupLabels() == std::vector<std::string>{"a", "b"});
  const auto a = table.Group("a");
  CHECK(a.Column("N") == std::vector<double>{1, 3});
  CHECK(a.lines == std::vector<long>{2, 4});
  CHECK(table.Group("b").Column("loss") == std::vector<double>{2.2});
  CHECK(table.Selection() == "3 of 5 records (2 with empty cells skipped)");
}

TEST_CASE("A column of finite numbers takes zero and negative values", "[csv]") {
  scalelaw::TableQuery query;
  query.columns = {{"y", scalelaw::CellDomain::kFinite}, {"x", scalelaw::CellDomain::kPositive}};
  CHECK(Table("x,y\n1,-2.5\n2,0\n", query).Column("y") == std::vector<double>{-2.5, 0});
  CHECK_THROWS_WITH(Table("x,y\n1,nan\n", query), StartsWith("t.csv, line 2, column 'y': NaN"));
  CHECK_THROWS_WITH(Table("x,y\n0,1\n", query), Contains("expected a positive number, got '0'"));
}

TEST_CASE("Close names are suggested, far ones are not", "[csv]") {
  const std::vector<std::string> header = {"params", "tokens", "loss", "Training FLOP"};
  CHECK(scalelaw::ClosestNames("parms", header) == std::vector<std::string>{"params"});
  CHECK(scalelaw::ClosestNames("LOSS", header) == std::vector<std::string>{"loss"});
  CHECK(scalelaw::ClosestNames("training flops", header) == std::vector<std::string>{"Training FLOP"});
  CHECK(scalelaw::ClosestNames("alpha", header).empty());
  CHECK_THROWS_WITH(Parse("params,tokens,los\n1,2,3\n"), Contains("missing column (did you mean 'los'?)"));
}
