// Shared by the fuzz targets: a broken contract is a finding, reported like a crash.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace scalelaw::fuzz {

// Aborts (libFuzzer saves the input as a crash) when condition is false.
inline void Check(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "fuzz contract broken: %s\n", what);
    std::abort();
  }
}

inline bool PositiveFinite(double value) { return value > 0 && std::isfinite(value); }

}  // namespace scalelaw::fuzz
