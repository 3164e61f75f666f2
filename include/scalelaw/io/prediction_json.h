// The one JSON form of predictions, plans and law records, printed by the CLI's --json and returned as dicts
// by Python. Keys: "law", "citation", the values ("lr", "batch_tokens", "batch_sequences", "weight_decay",
// "vocab_size", "loss", "params", "tokens", "flops", "epochs", ...), "params_definition", "units", "notes",
// "warnings"; a law that could not answer has "skipped" instead of values.
#pragma once

#include <string>
#include <vector>

#include "scalelaw/laws/law_info.h"
#include "scalelaw/plan.h"
#include "scalelaw/predict.h"

namespace scalelaw {

std::string PredictionToJson(const Prediction& prediction);
// {"predictions": [...], "warnings": [...]}, for family "all".
// A skipped law's reason names inputs in the given spelling.
std::string PredictionsToJson(const std::vector<Prediction>& predictions, Spelling spelling = Spelling::kQuantity);
// {"flops", "params", "tokens", "epochs", "lr", ..., "sources", "spread", "alternatives", "notes", "warnings"}.
std::string PlanToJson(const TrainingPlan& plan);
std::string LawToJson(const LawInfo& law);
// A counted shape as `scalelaw count --json` prints it: {"source" (a config's), "shape", "params",
// "flops_per_token"}; the shape's fields are the ones Python's ShapeCount.shape has.
std::string ShapeCountToJson(const ShapeCount& count);
// {"laws": [...]} for the whole registry.
std::string LawRegistryToJson();

}  // namespace scalelaw
