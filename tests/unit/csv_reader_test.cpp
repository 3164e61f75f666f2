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
