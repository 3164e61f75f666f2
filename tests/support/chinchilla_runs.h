// The 245 runs Besiroglu et al. 2024 (arXiv 2404.10102) digitised from Hoffmann et al. 2022 Fig. 4, as the golden
// tests read them: N from "Model Size", D = C/(6N) from "Training FLOP", the loss from "loss".
#pragma once

#include "scalelaw/fit/dataset.h"
#include "scalelaw/io/csv.h"
#include "support/shared_data.h"

namespace scalelaw::testing {

inline constexpr const char* kChinchillaRuns = "data/chinchilla/svg_extracted_data.csv";

inline Dataset ChinchillaRuns() {
  RunColumns columns;
  columns.params = "Model Size";
  columns.flops = "Training FLOP";
  columns.loss = "loss";
  return ReadRunsCsv(SharedPath(kChinchillaRuns), columns);
}

}  // namespace scalelaw::testing
