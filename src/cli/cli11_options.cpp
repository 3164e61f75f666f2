#include "cli/cli11_options.h"

#include <charconv>
#include <cmath>

namespace scalelaw::cli {

// CLI11's PositiveNumber prints DBL_MAX as a 300-digit number and accepts nan and inf; this says what is wrong
// in a few words.
extern const CLI::Validator kPositiveNumber;
const CLI::Validator kPositiveNumber(
    [](std::string& text) -> std::string {
      double value = 0;
      const char* begin = text.data();
      const char* end = text.data() + text.size();
      const auto [stop, status] = std::from_chars(begin, end, value);
      if (status == std::errc::result_out_of_range) return "'" + text + "' is out of the range of a double";
      if (status != std::errc() || stop != end) return "'" + text + "' is not a number";
      if (!(std::isfinite(value) && value > 0)) return "'" + text + "' must be a positive finite number";
      return {};
    },
    "POSITIVE", "positive number");

// A count, seed or thread number: digits only (no exponent or fraction), from min to max. CLI11's
// NonNegativeNumber and Range would print their bounds (DBL_MAX) as 300-digit numbers.
CLI::Validator WholeNumber(long long min, long long max) {
  const bool open_above = max >= std::numeric_limits<int>::max();  // the bound is the type's, not a choice
  const std::string wanted =
      open_above ? fmt::format("a whole number >= {}", min) : fmt::format("a whole number from {} to {}", min, max);
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        long long value = 0;
        const char* begin = text.data();
        const char* end = text.data() + text.size();
        const auto [stop, status] = std::from_chars(begin, end, value);
        if (status != std::errc() || stop != end || value < min || value > max) {
          return "'" + text + "' must be " + wanted;
        }
        return {};
      },
      open_above ? (min == 0 ? "NONNEGATIVE" : fmt::format(">= {}", min)) : fmt::format("in [{}, {}]", min, max),
      "whole number");
}

// A real number in [lo, hi].
CLI::Validator NumberFromTo(double lo, double hi) {
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        double value = 0;
        const auto [stop, status] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (status != std::errc() || stop != text.data() + text.size() || !(value >= lo && value <= hi)) {
          return fmt::format("'{}' must be a number from {} to {}", text, lo, hi);
        }
        return {};
      },
      fmt::format("in [{}, {}]", lo, hi), "number");
}

// --where and --skip-missing, for every command that reads a table.
void AddTableOptions(CLI::App* sub, TableOptions& table) {
  sub->add_option("--where", table.where,
                  "Keep only the rows where COLUMN=VALUE, COLUMN!=VALUE, COLUMN<VALUE, <=, > or >= holds (numbers "
                  "compare as numbers; repeatable, all must hold), e.g. --where experiment=marin --where 'C<1e21'");
  sub->add_flag("--skip-missing", table.skip_missing,
                "Skip rows with an empty cell in a column read (they are counted in the report)");
}

CLI::Option* AddNumber(CLI::App* app, const std::string& name, double& value, const std::string& help) {
  return app->add_option(name, value, help)->check(kPositiveNumber);
}

void AddJsonFlag(CLI::App* app, bool& json) {
  app->add_flag("--json", json, "Print one JSON object instead of a table");
}

void AddReportOption(CLI::App* app, std::string& path) {
  app->add_option("--report", path,
                  "Also write one self-contained HTML page: the command, the data read, the result, its charts");
}

}  // namespace scalelaw::cli
