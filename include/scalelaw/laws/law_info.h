// What every published law carries besides its constants: where it comes from, which N it expects and the
// range it was fitted on. Predictions outside that range still answer, with a warning.
#pragma once

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
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

// One human sentence per coordinate that falls outside the range.
inline std::vector<std::string> RangeWarnings(const ValidityRange& range, std::string_view law_name, double params,
                                              double tokens) {
  std::vector<std::string> warnings;
  auto check = [&](double value, double lo, double hi, const char* what) {
    if (!(value > 0) || (lo <= 0 && hi <= 0)) return;
    if ((lo > 0 && value < lo) || (hi > 0 && value > hi)) {
      char buffer[256];
      std::snprintf(buffer, sizeof buffer, "%s = %.3g is outside the %.3g to %.3g that law '%.*s' was fitted on", what,
                    value, lo, hi, static_cast<int>(law_name.size()), law_name.data());
      warnings.emplace_back(buffer);
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
