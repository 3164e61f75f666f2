#include "cli/output.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdio>

#include "cli/commands.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/fit/fitted_law.h"
#include "scalelaw/io/fit_json.h"
#include "util/short_number.h"

namespace scalelaw::cli {
namespace {

std::string OneLine(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

}  // namespace

void PrintError(const std::string& message) { fmt::print(stderr, "scalelaw: error: {}\n", OneLine(message)); }

void PrintWarnings(const std::vector<std::string>& warnings) {
  for (const std::string& warning : warnings) fmt::print(stderr, "scalelaw: warning: {}\n", OneLine(warning));
}

PredictionInputs InputValues::Inputs() const {
  PredictionInputs in;
  for (std::size_t i = 0; i < kInputCount; ++i) {
    if (!std::isnan(values[i])) in.Set(static_cast<Input>(i), values[i]);
  }
  return in;
}

Law ChosenLaw(const LawChoice& choice, Quantity quantity) {
  if (!choice.fit.empty()) {
    const FitSummary fit = ReadFitJson(choice.fit);
    if (!fit.IsUsable()) PrintWarnings({"the fit in '" + choice.fit + "' did not converge: " + fit.message});
    if (!choice.constants.empty()) throw InvalidArgument("--constant replaces a published law's constants, not a fit's");
    return FittedLaw(fit, "fit:" + choice.fit);
  }
  return WithConstants(PublishedLaw(choice.family, quantity), ParseAssignments(choice.constants, "--constant"));
}

std::optional<double> FiniteNumber(const std::string& text) {
  double number = 0;
  const auto [stop, status] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (status != std::errc() || stop != text.data() + text.size() || !std::isfinite(number)) return std::nullopt;
  return number;
}

std::vector<std::pair<std::string, std::string>> ParsePairs(const std::vector<std::string>& items, const char* option,
                                                            const char* expected) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& item : items) {
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == item.size()) {
      throw InvalidArgument(fmt::format("{} {}: expected {}", option, item, expected));
    }
    out.emplace_back(item.substr(0, eq), item.substr(eq + 1));
  }
  return out;
}

std::map<std::string, double> ParseAssignments(const std::vector<std::string>& items, const char* option) {
  std::map<std::string, double> out;
  for (const auto& [name, text] : ParsePairs(items, option, "NAME=VALUE")) {
    const std::optional<double> number = FiniteNumber(text);
    if (!number) throw InvalidArgument(fmt::format("{} {}={}: '{}' is not a finite number", option, name, text, text));
    out[name] = *number;
  }
  return out;
}

std::string CliMessage(const std::exception& error) {
  if (const auto* problem = dynamic_cast<const InputProblem*>(&error)) return problem->Spelled(Spelling::kCli);
  return error.what();
}

int ExitCodeFor(AnalysisStatus status, const std::string& message, const std::string& what) {
  if (status == AnalysisStatus::kUsable) return kExitOk;
  PrintError(what + " is not usable: " + message);
  return kExitUnusable;
}

std::string Short(double value) { return detail::ShortNumber(value); }

}  // namespace scalelaw::cli
