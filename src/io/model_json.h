// A counted shape as JSON: what `scalelaw count --json` writes, `scalelaw shape --json` writes per shape, and a
// plan's trainable configuration carries (shape, params, flops_per_token).
#pragma once

#include <nlohmann/json.hpp>

#include "scalelaw/model/count.h"

namespace scalelaw {

nlohmann::ordered_json ShapeCountJson(const ShapeCount& count);

}  // namespace scalelaw
