// The one JSON form of a fit, shared by `scalelaw fit --json`, `--output fit.json`, `--fit fit.json` and
// Python's to_dict(): {"model", "estimator", "huber_delta", "params": {...}, "objective", "n_points",
// "converged" (true for a usable fit), "status" (AnalysisStatusName), "message", "starts": {...}, ...}.
// Non-finite numbers are written as null.
#pragma once

#include <string>
#include <string_view>

#include "scalelaw/fit/fit.h"

namespace scalelaw {

std::string FitToJson(const FitSummary& fit, int indent = -1);

// Reads what FitToJson wrote (extra keys are ignored). Throws InputError naming source_name and the key.
FitSummary FitFromJson(std::string_view text, const std::string& source_name);
FitSummary ReadFitJson(const std::string& path);

}  // namespace scalelaw
