// What the CLI11 setup of every command shares: validators that say what is wrong in a few words, the table
// options (--where, --skip-missing), numbers and --json. Included by main.cpp and the command groups' own files
// (cli/curve_command.cpp).
#pragma once

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <CLI/CLI.hpp>
#include <limits>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/count_command.h"

namespace scalelaw::cli {

// CLI11's PositiveNumber prints DBL_MAX as a 300-digit number and accepts nan and inf; this says what is wrong
// in a few words.
extern const CLI::Validator kPositiveNumber;

// A count, seed or thread number: digits only (no exponent or fraction), from min to max. CLI11's
// NonNegativeNumber and Range would print their bounds (DBL_MAX) as 300-digit numbers.
CLI::Validator WholeNumber(long long min, long long max);

// A real number in [lo, hi].
CLI::Validator NumberFromTo(double lo, double hi);

constexpr long long kMaxInt = std::numeric_limits<int>::max();
constexpr long long kMaxThreads = 4096;
constexpr long long kMaxResamples = 10'000'000;
constexpr long long kMaxSeed = std::numeric_limits<long long>::max();

// The names a choice option accepts (CLI::IsMember), from the library's table of that choice.
template <typename Info>
std::vector<std::string> ChoiceNames(const std::vector<Info>& table) {
  std::vector<std::string> names;
  for (const Info& row : table) names.emplace_back(row.name);
  return names;
}

// "a: what a is; b: what b is", one entry a row of a choice table, for the option's help.
template <typename Info, typename Entry>
std::string ChoiceHelp(const std::vector<Info>& table, Entry entry) {
  std::vector<std::string> entries;
  for (const Info& row : table) entries.push_back(entry(row));
  return fmt::format("{}", fmt::join(entries, "; "));
}

// --where and --skip-missing, for every command that reads a table.
void AddTableOptions(CLI::App* sub, TableOptions& table);

// A positive finite number option.
CLI::Option* AddNumber(CLI::App* app, const std::string& name, double& value, const std::string& help);

void AddJsonFlag(CLI::App* app, bool& json);

// --bootstrap K (with what it resamples in its help), --seed S and --threads T of an analysis's bootstrap: the
// same seed gives the same result on any number of threads.
template <typename Seed>
void AddBootstrapOptions(CLI::App* sub, int& resamples, Seed& seed, int& threads, const std::string& resamples_help) {
  sub->add_option("--bootstrap", resamples, resamples_help + " (0: none)")
      ->capture_default_str()
      ->check(WholeNumber(0, kMaxResamples));
  sub->add_option("--seed", seed, "Bootstrap seed (the same seed gives the same result on any number of threads)")
      ->capture_default_str()
      ->check(WholeNumber(0, kMaxSeed));
  sub->add_option("--threads", threads, "Worker threads for the bootstrap (0: all hardware threads)")
      ->check(WholeNumber(0, kMaxThreads));
}

// The architecture options of a transformer apart from its size, shared by `count` and `shape`: --ffn-kind,
// --ffn-multiple-of, --ffn-multiplier, --vocab, --tied, --norm, --norms-per-layer, --no-final-norm, --biases,
// --positions, --max-positions. The numbers land in `shape` (its values are the defaults shown; a vocab of 0 is
// shown as none), the kinds in `kinds`. Returns the options, for a caller's excludes.
std::vector<CLI::Option*> AddArchitectureOptions(CLI::App* sub, TransformerShape& shape, ArchitectureKinds& kinds);

// --report PATH: the HTML page of plot/html_report.h.
void AddReportOption(CLI::App* app, std::string& path);

}  // namespace scalelaw::cli
