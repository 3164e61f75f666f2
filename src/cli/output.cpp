#include "cli/output.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdio>

#include "cli/commands.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/fit/fitted_law.h"
#include "scalelaw/io/fit_json.h"
#include "scalelaw/model/hf_config.h"
#include "scalelaw/model/model_inputs.h"
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
  for (const auto& [name, value] : ParseAssignments(named, "--input")) in.SetNamed(name, value);
  for (const auto& [input, text] : texts) {
    if (!text.empty()) in.SetText(input, text);
  }
  if (!model_config.empty()) {
    const TransformerShape shape = ShapeFromHuggingFaceConfig(model_config);
    try {
      in = WithModel(shape, std::move(in));
    } catch (const ShapeError& error) {
      throw InvalidArgument(fmt::format("{}: {}", model_config, error.what()));  // "FILE: experts: ..."
    }
  }
  return in;
}

Law ChosenLaw(const LawChoice& choice, Quantity quantity) {
  if (!choice.fit.empty()) {
    if (!choice.constants.empty())
      throw InvalidArgument("--constant replaces a published law's constants, not a fit's");
    Law law = ReadLawJson(choice.fit, "fit:" + choice.fit);
    if (!law.unusable_reason.empty()) {
      PrintWarnings({"the result in '" + choice.fit + "' is not usable: " + law.unusable_reason});
    }
    return law;
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

TableQuery TableOptions::Query(std::vector<ColumnRequest> columns, const std::string& group_by) const {
  TableQuery query;
  query.columns = std::move(columns);
  for (const std::string& spec : where) {
    try {
      query.where.push_back(RowFilter::Parse(spec));
    } catch (const InvalidArgument& e) {
      throw InvalidArgument(std::string("--where: ") + e.what());
    }
  }
  query.group_by = group_by;
  query.skip_missing = skip_missing;
  return query;
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

namespace {
std::string& StoredCommandLine() {
  static std::string line;
  return line;
}
}  // namespace

void SetCommandLine(int argc, const char* const* argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    std::string arg = i == 0 ? std::string("scalelaw") : std::string(argv[i]);
    const bool plain = !arg.empty() && arg.find_first_not_of(
                                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789-_=.,/:+@%") == std::string::npos;
    if (!plain) {
      std::string quoted = "'";
      for (char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
      arg = quoted + "'";
    }
    line += (i == 0 ? "" : " ") + arg;
  }
  StoredCommandLine() = line;
}

const std::string& CommandLine() { return StoredCommandLine(); }

std::string Short(double value) { return detail::ShortNumber(value); }

// "params 1.2e9 [95% 9.8e8, 1.5e9]  tokens ...": a value's 95% interval (key_lo95, key_hi95) beside it.
std::string FormatValues(const Prediction& p) {
  auto find = [&p](const std::string& key) -> const double* {
    for (const auto& [name, value] : p.values) {
      if (name == key) return &value;
    }
    return nullptr;
  };
  auto ends_with = [](const std::string& text, const char* suffix) {
    const std::size_t n = std::char_traits<char>::length(suffix);
    return text.size() > n && text.compare(text.size() - n, n, suffix) == 0;
  };
  // key_loXXp and key_hiXXp, a predictive interval at level XX%: its level, or an empty string for another key.
  auto predictive_level = [](const std::string& key, const std::string& base, const char* side) -> std::string {
    const std::string head = base + side;
    if (key.size() <= head.size() + 1 || key.compare(0, head.size(), head) != 0 || key.back() != 'p') return "";
    const std::string digits = key.substr(head.size(), key.size() - head.size() - 1);
    return digits.find_first_not_of("0123456789") == std::string::npos ? digits : "";
  };
  std::string text;
  for (const auto& [key, value] : p.values) {
    if (ends_with(key, "_lo95") || ends_with(key, "_hi95")) continue;
    if (!predictive_level(key, "loss", "_lo").empty() || !predictive_level(key, "loss", "_hi").empty()) continue;
    text += fmt::format("  {} {}", key, Short(value));
    const double* lo = find(key + "_lo95");
    const double* hi = find(key + "_hi95");
    if (lo != nullptr && hi != nullptr) text += fmt::format(" [95% {}, {}]", Short(*lo), Short(*hi));
    for (const auto& [other, low] : p.values) {
      const std::string level = predictive_level(other, key, "_lo");
      if (level.empty()) continue;
      if (const double* high = find(key + "_hi" + level + "p"); high != nullptr) {
        text += fmt::format(" [{}% predictive {}, {}]", level, Short(low), Short(*high));
      }
    }
  }
  return text;
}

}  // namespace scalelaw::cli
