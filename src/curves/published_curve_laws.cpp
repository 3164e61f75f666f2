#include "scalelaw/curves/published_curve_laws.h"

#include <fmt/format.h>

#include <string>

#include "scalelaw/error.h"

namespace scalelaw {

const std::vector<PublishedCurveLaw>& PublishedCurveLaws() {
  static const std::vector<PublishedCurveLaw> table = {
      {"multi-power-25m", "Luo et al. 2025, arXiv:2503.12811 (README table, src/config.py PARAMS)",
       "25M-parameter model, fitted to cosine_24000, constant_24000 and wsdcon_9",
       AsCurveLaw(MultiPowerLaw{3.04045406, 0.52468604, 0.50786857, 363.78751622, 2.06560812, 0.58279013, 0.64142257})},
      {"multi-power-100m", "Luo et al. 2025, arXiv:2503.12811 (README table, src/config.py PARAMS)",
       "100M-parameter model, fitted to cosine_24000, constant_24000 and wsdcon_9",
       AsCurveLaw(MultiPowerLaw{2.6514477, 0.60115152, 0.45295811, 437.9464276, 2.13245612, 0.59785199, 0.65523644})},
  };
  return table;
}

const PublishedCurveLaw& PublishedCurveLawByName(std::string_view name) {
  std::string names;
  for (const PublishedCurveLaw& entry : PublishedCurveLaws()) {
    if (entry.name == name) return entry;
    names += (names.empty() ? "" : ", ") + std::string(entry.name);
  }
  throw InvalidArgument(fmt::format("no published curve law '{}' (choose {})", name, names));
}

}  // namespace scalelaw
