// What every published law carries besides its constants: where it comes from, which N it expects and the
// range it was fitted on. Predictions outside that range still answer, with a warning.
#pragma once

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scalelaw/error.h"

namespace scalelaw {

struct Citation {
  std::string_view authors;  // "Hoffmann et al."
  int year = 0;
  std::string_view title;
  std::string_view arxiv;     // "2203.15556"
  std::string_view location;  // where in the paper the constants are printed, e.g. "Eq. 10"

  std::string ToString() const {
    if (arxiv.empty()) return std::string(authors) + (location.empty() ? "" : ", " + std::string(location));
    std::string s = std::string(authors) + " (" + std::to_string(year) + "), \"" + std::string(title) +
                    "\", arXiv:" + std::string(arxiv);
    if (!location.empty()) s += ", " + std::string(location);
    return s;
  }
};

// The box of (N, D) a law was fitted on; a bound of 0 means "not stated".
struct ValidityRange {
  double params_min = 0;
  double params_max = 0;
  double tokens_min = 0;
  double tokens_max = 0;
};

// A number as a person writes it ("7e+09", "0.3478", "nan"), never a 300-digit expansion.
inline std::string FormatNumber(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

// What a law predicts; the CLI's predict-* commands pick laws by it.
enum class Quantity { kLoss, kAllocation, kLearningRate, kBatchSize, kWeightDecay, kVocabularySize, kDownstream };

inline std::string_view QuantityName(Quantity quantity) {
  switch (quantity) {
    case Quantity::kLoss:
      return "loss";
    case Quantity::kAllocation:
      return "allocation";
    case Quantity::kLearningRate:
      return "learning rate";
    case Quantity::kBatchSize:
      return "batch size";
    case Quantity::kWeightDecay:
      return "weight decay";
    case Quantity::kVocabularySize:
      return "vocabulary size";
    case Quantity::kDownstream:
      return "downstream";
  }
  return "other";
}

// Everything a person needs to use a published law correctly, in one place: `scalelaw laws`, the docs and the
// warnings are generated from these records.
struct LawInfo {
  std::string_view name;    // unique registry key, e.g. "step-lr"
  std::string_view family;  // the value of --law in the CLI, e.g. "step"
  Quantity quantity = Quantity::kLoss;
  std::string_view formula;  // with the constants, as a person reads it
  Citation citation;
  std::string_view params_definition;  // which N: total, non-embedding, non-vocabulary
  std::string_view units;              // units of inputs and outputs, schedule, tokenizer
  ValidityRange range;                 // the (N, D) box it was fitted on
  std::string_view confidence;         // how sure the constants are (laws.md tags), and what is not shipped
  std::vector<std::pair<std::string_view, double>> constants;
};

// One human sentence per coordinate that falls outside the range.
inline std::vector<std::string> RangeWarnings(const ValidityRange& range, std::string_view law_name, double params,
                                              double tokens) {
  std::vector<std::string> warnings;
  auto check = [&](double value, double lo, double hi, const char* what) {
    if (!(value > 0) || (lo <= 0 && hi <= 0)) return;
    if ((lo > 0 && value < lo) || (hi > 0 && value > hi)) {
      const std::string bounds = lo <= 0   ? "up to " + FormatNumber(hi)
                                 : hi <= 0 ? "from " + FormatNumber(lo)
                                           : FormatNumber(lo) + " to " + FormatNumber(hi);
      warnings.push_back(std::string(what) + " = " + FormatNumber(value) + " is outside the " + bounds + " that law '" +
                         std::string(law_name) + "' was fitted on");
    }
  };
  check(params, range.params_min, range.params_max, "N");
  check(tokens, range.tokens_min, range.tokens_max, "D");
  return warnings;
}

// Throws InvalidArgument unless value is finite and > 0; what names the quantity in the message.
inline void RequirePositive(double value, std::string_view what) {
  if (!(std::isfinite(value) && value > 0)) {
    throw InvalidArgument(std::string(what) + " must be a positive finite number (got " + FormatNumber(value) + ")");
  }
}

}  // namespace scalelaw
