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

std::vector<CLI::Option*> AddArchitectureOptions(CLI::App* sub, TransformerShape& shape, ArchitectureKinds& kinds) {
  std::vector<CLI::Option*> options;
  const auto whole = [&](const std::string& name, auto& value, const std::string& help, long long min) {
    CLI::Option* option = sub->add_option(name, value, help)->check(WholeNumber(min, 1 << 24));
    options.push_back(option);
    return option;
  };
  options.push_back(sub->add_option("--ffn-kind", kinds.ffn_kind,
                                    "Feed-forward block: swiglu (gated, 3 matrices) or gelu (2 matrices)")
                        ->capture_default_str()
                        ->check(CLI::IsMember(FfnKindNames())));
  whole("--ffn-multiple-of", shape.ffn_multiple_of, "A derived swiglu width is rounded up to a multiple of this", 1)
      ->capture_default_str();
  options.push_back(
      sub->add_option("--ffn-multiplier", shape.ffn_multiplier, "A derived swiglu width is first scaled by this")
          ->capture_default_str()
          ->check(NumberFromTo(0.01, 64)));
  CLI::Option* vocab = whole("--vocab", shape.vocab, "Vocabulary size", 1);
  if (shape.vocab > 0) vocab->capture_default_str();
  options.push_back(
      sub->add_flag("--tied", shape.tied_embeddings, "The output head shares the input embedding matrix"));
  options.push_back(sub->add_option("--norm", kinds.norm, "Norm: rmsnorm (d params) or layernorm (2d)")
                        ->capture_default_str()
                        ->check(CLI::IsMember(NormKindNames())));
  whole("--norms-per-layer", shape.norms_per_layer, "Norms in each block", 0)->capture_default_str();
  options.push_back(sub->add_flag("--no-final-norm", kinds.no_final_norm, "No norm after the last block"));
  options.push_back(
      sub->add_option("--biases", kinds.biases, "Biases: none, qkv (query, key, value), all (every linear map)")
          ->capture_default_str()
          ->check(CLI::IsMember(BiasKindNames())));
  options.push_back(
      sub->add_option("--positions", kinds.positions, "Position embeddings: none (rotary) or learned (a table)")
          ->capture_default_str()
          ->check(CLI::IsMember(PositionKindNames())));
  whole("--max-positions", shape.max_positions, "Rows of a learned position table (0: --seq-len)", 0);
  return options;
}

}  // namespace scalelaw::cli
