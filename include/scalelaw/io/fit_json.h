// The one JSON form of a fit, shared by `scalelaw fit --json`, `--output fit.json`, `--fit fit.json`, Python's
// to_dict(), load_fit() and pickle: {"model", "formula", "inputs", "estimator", "huber_delta", "params": {...},
// "objective", "n_points", "converged" (true for a usable fit), "status" (AnalysisStatusName), "message",
// "starts": {...}, "options": {...}, ...}, every field of the FitSummary (docs/fitting.md lists the keys).
// FitFromJson(FitToJson(fit)) is the same summary, doubles bit for bit, and writes the same bytes again.
// Non-finite numbers are written as null (an open side of a bound: null in its place), and read back as NaN.
#pragma once

#include <string>
#include <string_view>

#include "scalelaw/fit/fit.h"

namespace scalelaw {

std::string FitToJson(const FitSummary& fit, int indent = -1);

// Reads what FitToJson wrote (extra keys are ignored). A file written before a key existed gets what the rest of
// the file implies (the inputs from the model and, for a formula or loglinear fit, from its formula; the options
// from the estimator, objective and bootstrap keys) or the default. Throws InputError naming source_name and the
// key, also when the form cannot be rebuilt (ModelOf) or lacks one of its parameters.
FitSummary FitFromJson(std::string_view text, const std::string& source_name);
FitSummary ReadFitJson(const std::string& path);

}  // namespace scalelaw
