// Inputs found by the fuzz targets (fuzz/, scripts/fuzz), each kept as a regression test next to the fix.
// Each input is also in the fuzz target's seed corpus, fuzz/corpus/<target>/, named after the test.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstddef>
#include <filesystem>
#include <string>

#include "io/read_file.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/formula.h"
#include "scalelaw/io/csv.h"
#include "scalelaw/io/fit_json.h"

namespace {

const std::string kParams = R"("params": {"E": 1.69, "A": 406.4, "B": 410.7, "alpha": 0.34, "beta": 0.28})";

std::string FitWith(const std::string& extra) { return R"({"model": "chinchilla", )" + kParams + ", " + extra + "}"; }

}  // namespace

// fuzz_fit_json: "n_points": 1e300 was cast to int (undefined behaviour; UBSan float-cast-overflow at
// src/io/fit_json.cpp). Counts are now whole numbers from 0 to INT_MAX or an InputError naming the key; the
// bootstrap counts, read with get<int>(), wrapped around past INT_MAX and are checked the same way.
TEST_CASE("fuzz regression: counts in a fit file beyond an int are input errors", "[fuzz][fit-json]") {
  for (const std::string& bad : {R"("n_points": 1e300)", R"("n_points": -1)", R"("n_points": 2.5)",
                                 R"("n_points": 2147483648)", R"("n_points": -1e300)"}) {
    CAPTURE(bad);
    CHECK_THROWS_WITH(scalelaw::FitFromJson(FitWith(bad), "fit.json"),
                      Catch::Contains("fit.json") && Catch::Contains("key \"n_points\": expected a whole number"));
  }
  CHECK_THROWS_AS(scalelaw::FitFromJson(FitWith(R"("bootstrap": {"resamples": 2147483648, "failed": 0})"), "f"),
                  scalelaw::InputError);
  CHECK_THROWS_WITH(scalelaw::FitFromJson(FitWith(R"("bootstrap": {"resamples": 2, "failed": -1})"), "f"),
                    Catch::Contains("bootstrap.failed"));

  CHECK(scalelaw::FitFromJson(FitWith(R"("n_points": 2147483647)"), "fit.json").num_points == 2147483647);
  CHECK(scalelaw::FitFromJson(FitWith(R"("n_points": 48.0)"), "fit.json").num_points == 48);
  CHECK(scalelaw::FitFromJson(FitWith(R"("n_points": "48")"), "fit.json").num_points == 0);  // not a number
  const scalelaw::FitSummary fit = scalelaw::FitFromJson(FitWith(R"("bootstrap": {"resamples": 3, "failed": 1})"), "f");
  CHECK(fit.bootstrap_resamples == 3);
  CHECK(fit.bootstrap_failed == 1);
}

// fuzz_csv (its build reads CSV in 2 KiB blocks; fuzz/corpus/csv/regression_no_final_newline_past_two_blocks.csv):
// a last line without a newline, in a file of over two of fast-cpp-csv-parser's blocks, with a newline in the
// earlier block at the offset where the data ends. The parser read that stale newline as the end of the file's
// last line and went on returning earlier rows for ever (Release: a hang that fills memory; with assertions:
// "Assertion `data_begin < data_end' failed"). Here with the real 16 MiB blocks: 48 MiB of runs.
TEST_CASE("fuzz regression: a large CSV whose last line has no newline is read once", "[fuzz][csv]") {
  constexpr std::size_t kBlock = std::size_t{1} << 24;
  constexpr std::size_t kRow = kBlock / 8;
  auto row = [](std::size_t length) {  // one run, padded to length bytes with its newline
    const std::string prefix = "1e8,1e9,3,";
    return prefix + std::string(length - prefix.size() - 1, 'x') + "\n";
  };
  std::string text = "params,tokens,loss,pad\n";
  auto fill_to = [&](std::size_t end) {
    while (end - text.size() > 2 * kRow) text += row(kRow);
    text += row(end - text.size());
  };
  fill_to(2 * kBlock + 101);  // a newline at offset 2 * kBlock + 100
  fill_to(3 * kBlock + 101);
  text.pop_back();  // the last line ends without one, at offset 3 * kBlock + 100
  REQUIRE(text[2 * kBlock + 100] == '\n');
  const auto runs = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));

  const scalelaw::Dataset data = scalelaw::ParseRunsCsv(text, "big.csv");
  CHECK(data.size() == runs);
  CHECK(data.loss.back() == 3.0);
}

// fuzz_formula: "E +D/U/ A/(R* A/(UU +- exp(-D/U/-D/U/R)))^alpha" at D = 1e-300, U = 0 gave -inf from
// Evaluate and +inf from EvaluateWithGradient. Reduced: a power whose base and exponent both vary, at a base
// of -0 and an exponent >= 1. std::pow(-0, 3) is -0 (IEEE), ceres::pow(Jet, Jet) returns +0, and the sign
// reaches the result through 1/x and exp: here Evaluate is 1 and EvaluateWithGradient infinity.
// Fixed in src/fit/formula.cpp, PowerAt(): the value is std::pow's whichever operands vary.
TEST_CASE("fuzz regression: Evaluate and EvaluateWithGradient agree at a power of -0", "[fuzz][formula]") {
  const scalelaw::Formula formula = scalelaw::Formula::Parse("E + exp(1/(-(0*A))^b)", {"N"});
  const double params[] = {1.0, 1.0, 3.0};  // E, A, b
  const double row[] = {1.0};
  double value = 0;
  double gradient[3];
  formula.EvaluateWithGradient(params, row, &value, gradient);
  CHECK(formula.Evaluate(params, row) == 1.0);
  CHECK(value == 1.0);
}

// The fit_json target's contract (fuzz/fit_json_fuzzer.cpp) on each of its seeds, so that a change of the fit file
// that breaks one fails here and not only under scripts/fuzz: a seed is refused with a scalelaw::Error, or it
// reads to a fit with parameters whose JSON reads back (or is refused) and then writes the same bytes.
TEST_CASE("fuzz corpus: every fit_json seed is refused or writes the same JSON on a second trip", "[fuzz][fit-json]") {
  int fits = 0, seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(SCALELAW_SOURCE_DIR "/fuzz/corpus/fit_json")) {
    const std::string path = entry.path().string();
    CAPTURE(path);
    ++seeds;
    scalelaw::FitSummary fit;
    try {
      fit = scalelaw::FitFromJson(scalelaw::detail::ReadWholeFile(path), path);
    } catch (const scalelaw::Error&) {
      continue;
    }
    ++fits;
    CHECK(!fit.params.empty());
    const std::string written = scalelaw::FitToJson(fit);
    try {
      CHECK(scalelaw::FitToJson(scalelaw::FitFromJson(written, "again.json")) == written);
    } catch (const scalelaw::Error& error) {
      CHECK_THAT(error.what(), Catch::StartsWith("again.json"));
    }
  }
  CHECK(seeds >= 17);
  // absolute_on_loss, chinchilla_bootstrap, chinchilla_options, formula, formula_with_c, kaplan, loglinear and
  // power; the others are each refused for a reason of their own.
  CHECK(fits == 8);
}
