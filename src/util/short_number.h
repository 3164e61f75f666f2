// Numbers in the tables of the reports and the CLI.
#pragma once

#include <fmt/format.h>

#include <cmath>
#include <string>

namespace scalelaw::detail {

// A number for a table: whole numbers below 1e6 in full, others in 4 significant digits with an exponent
// where it helps.
inline std::string ShortNumber(double value) {
  if (value == std::floor(value) && std::abs(value) < 1e6) return fmt::format("{:.0f}", value);
  return fmt::format("{:.4g}", value);
}

}  // namespace scalelaw::detail
