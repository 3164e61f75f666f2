// Comparing a computed value with a number as a paper or a worked example prints it: "1.824e9" means the value
// rounds to 1.824e9, i.e. lies within half a unit of the last printed digit.
#pragma once

#include <cmath>
#include <cstdlib>
#include <string>

namespace scalelaw::testing {

inline bool RoundsTo(double value, const std::string& printed) {
  const std::size_t e = printed.find_first_of("eE");
  const std::string mantissa = printed.substr(0, e);
  const int exponent = e == std::string::npos ? 0 : std::atoi(printed.c_str() + e + 1);
  const std::size_t dot = mantissa.find('.');
  const int decimals = dot == std::string::npos ? 0 : static_cast<int>(mantissa.size() - dot - 1);
  const double unit = std::pow(10.0, exponent - decimals);
  return std::abs(value - std::strtod(printed.c_str(), nullptr)) <= 0.5 * unit * (1 + 1e-9);
}

}  // namespace scalelaw::testing
