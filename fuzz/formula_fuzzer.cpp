// libFuzzer target for the formula parser: Formula::Parse over the columns N, D, U and C, then evaluation
// (value and gradient) at a few points and the ToString round trip. Expected failures are scalelaw::Error
// subclasses (InvalidArgument); any other exception, a crash, a sanitizer report, a gradient evaluation that
// disagrees with the plain value, or a canonical text that parses to a different formula is a finding.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/formula.h"

namespace {

using scalelaw::Formula;
using scalelaw::fuzz::Check;

bool Same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

constexpr int kPoints = 4;
// Parameter values (each point uses the list from a different offset) and rows of N, D, U, C.
constexpr double kParameterValues[] = {1.8, 400.0, 0.34, 410.0, 0.28, 0.5, -1.0, 0.0, 2.0, 1e-3,
                                       3.0, 1e3,   -0.5, 7.0,   1e-9, 1.5, 1e6,  4.0, 0.1, 25.0};
constexpr double kRows[kPoints][4] = {
    {1e9, 2e10, 1e10, 1.2e20}, {7e7, 1.4e9, 1.4e9, 5.9e17}, {1.0, 1.0, 1.0, 6.0}, {1e300, 1e-300, 0.0, 1e308}};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string> columns{"N", "D", "U", "C"};
  Formula formula = [&]() -> Formula {
    try {
      return Formula::Parse(text, columns);
    } catch (const scalelaw::Error&) {
      return Formula::Parse("0", columns);  // a rejected input: nothing more to check
    }
  }();
  const std::size_t num_parameters = formula.parameters().size();
  Check(num_parameters <= static_cast<std::size_t>(Formula::kMaxParameters), "more parameters than kMaxParameters");
  Check(formula.columns().size() <= columns.size(), "more columns than were given");

  // Rows in the order of formula.columns().
  double rows[kPoints][4] = {};
  for (std::size_t k = 0; k < formula.columns().size(); ++k) {
    std::size_t source = 0;
    while (source < columns.size() && columns[source] != formula.columns()[k]) ++source;
    Check(source < columns.size(), "a column that was not given");
    for (int p = 0; p < kPoints; ++p) rows[p][k] = kRows[p][source];
  }
  double values[kPoints];
  constexpr std::size_t kNumValues = sizeof(kParameterValues) / sizeof(kParameterValues[0]);
  double params[Formula::kMaxParameters];
  double gradient[Formula::kMaxParameters];
  for (int p = 0; p < kPoints; ++p) {
    for (std::size_t j = 0; j < num_parameters; ++j) params[j] = kParameterValues[(j + 5 * p) % kNumValues];
    values[p] = formula.Evaluate(params, rows[p]);
    double value = 0;
    formula.EvaluateWithGradient(params, rows[p], &value, gradient);
    Check(Same(value, values[p]), "EvaluateWithGradient's value differs from Evaluate's");
  }

  // The canonical text parses to the same formula (or, near the length and nesting limits, is refused).
  const std::string canonical = formula.ToString();
  try {
    const Formula again = Formula::Parse(canonical, columns);
    Check(again.parameters() == formula.parameters(), "ToString round trip changed the parameters");
    Check(again.columns() == formula.columns(), "ToString round trip changed the columns");
    for (int p = 0; p < kPoints; ++p) {
      for (std::size_t j = 0; j < num_parameters; ++j) params[j] = kParameterValues[(j + 5 * p) % kNumValues];
      Check(Same(again.Evaluate(params, rows[p]), values[p]), "ToString round trip changed a value");
    }
  } catch (const scalelaw::InvalidArgument&) {
  }
  return 0;
}
