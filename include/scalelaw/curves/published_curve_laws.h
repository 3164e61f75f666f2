// Published parameters of schedule-aware loss-curve laws, by name: what `scalelaw curve schedule --preset` and
// Python's design_schedule(preset=...) read, so that a schedule can be designed without fitting first.
#pragma once

#include <string_view>
#include <vector>

#include "scalelaw/curves/curve_law.h"

namespace scalelaw {

struct PublishedCurveLaw {
  std::string_view name;      // e.g. "multi-power-25m"
  std::string_view citation;  // the paper and where the numbers are printed
  std::string_view model;     // what was trained
  CurveLaw law;
};

// The table, in a fixed order:
//   multi-power-25m, multi-power-100m: Luo et al. 2025 (arXiv:2503.12811), the Multi-Power Law fitted to the
//     25M- and 100M-parameter models' cosine_24000, constant_24000 and wsdcon_9 runs (peak LR 3e-4, 2160 warmup
//     steps); the README table's parameters at full precision (the repository's src/config.py PARAMS).
const std::vector<PublishedCurveLaw>& PublishedCurveLaws();
// The entry of name; InvalidArgument naming the choices otherwise.
const PublishedCurveLaw& PublishedCurveLawByName(std::string_view name);

}  // namespace scalelaw
