#include "scalelaw/io/prediction_json.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "io/model_json.h"
#include "scalelaw/laws/registry.h"

namespace scalelaw {
namespace {

using Json = nlohmann::ordered_json;

Json Number(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

Json PredictionObject(const Prediction& p, Spelling spelling) {
  Json out;
  out["law"] = p.law.name;
  out["citation"] = p.law.citation.ToString();
  if (!p.skipped.empty()) {
    out["skipped"] = p.SkippedReason(spelling);
    return out;
  }
  for (const auto& [key, value] : p.values) out[key] = Number(value);
  out["params_definition"] = std::string(p.law.params_definition);
  out["units"] = std::string(p.law.units);
  out["notes"] = p.notes;
  out["warnings"] = p.warnings;
  return out;
}

Json LawObject(const LawInfo& law) {
  Json out{{"name", law.name},
           {"family", law.family},
           {"quantity", std::string(QuantityName(law.quantity))},
           {"formula", law.formula},
           {"citation", law.citation.ToString()},
           {"params_definition", law.params_definition},
           {"units", law.units},
           {"range",
            {{"params", {law.range.params_min, law.range.params_max}},
             {"tokens", {law.range.tokens_min, law.range.tokens_max}}}},
           {"confidence", law.confidence}};
  // The N it reads as a definition name (null: none stated, or no parameter count), and an allocation law's
  // FLOP convention (FlopConventions()): what predict-* convert a model to, and what plan counts D by.
  out["params_kind"] = law.params_kind ? Json(std::string(Name(*law.params_kind))) : Json(nullptr);
  if (!law.flop_convention.empty()) out["flop_convention"] = law.flop_convention;
  out["constants"] = Json::object();
  for (const auto& [name, value] : law.constants) out["constants"][name] = Number(value);
  // What evaluates it: the quantity's key in Python's predict(), the inputs by their keys, the outputs, and the
  // published test vector every face is tested on.
  auto keys = [](const std::vector<Input>& inputs) {
    Json list = Json::array();
    for (Input input : inputs) list.push_back(std::string(Describe(input).key));
    return list;
  };
  out["quantity_key"] = std::string(QuantityKey(law.quantity));
  out["inputs"] = keys(law.inputs);
  out["optional_inputs"] = keys(law.optional_inputs);
  out["outputs"] = law.outputs;
  Json example{{"inputs", Json::object()},
               {"constants", Json::object()},
               {"outputs", Json::object()},
               {"source", law.example.source}};
  for (const auto& [input, value] : law.example.inputs) example["inputs"][std::string(Describe(input).key)] = value;
  for (const auto& [name, value] : law.example.constants) example["constants"][name] = Number(value);
  for (const auto& [key, printed] : law.example.outputs) example["outputs"][key] = printed;
  out["example"] = example;
  return out;
}

}  // namespace

std::string PredictionToJson(const Prediction& prediction) {
  return PredictionObject(prediction, Spelling::kQuantity).dump();
}

std::string PredictionsToJson(const std::vector<Prediction>& predictions, Spelling spelling) {
  Json out;
  out["predictions"] = Json::array();
  std::vector<std::string> warnings;
  for (const Prediction& p : predictions) {
    out["predictions"].push_back(PredictionObject(p, spelling));
    warnings.insert(warnings.end(), p.warnings.begin(), p.warnings.end());
  }
  out["warnings"] = warnings;
  return out.dump();
}

std::string PlanToJson(const TrainingPlan& plan) {
  Json out;
  out["flops"] = Number(plan.flops);
  for (const PlanItem& item : plan.items) out[item.key] = Number(item.value);
  out["sources"] = Json::object();
  out["spread"] = Json::object();
  out["alternatives"] = Json::object();
  for (const PlanItem& item : plan.items) {
    out["sources"][item.key] = item.law;
    if (item.alternatives.size() < 2) continue;
    double lo = item.value, hi = item.value;
    Json alternatives = Json::array();
    for (const auto& [name, value] : item.alternatives) {
      lo = std::min(lo, value);
      hi = std::max(hi, value);
      alternatives.push_back({{"law", name}, {"value", Number(value)}});
    }
    out["spread"][item.key] = {lo, hi};
    out["alternatives"][item.key] = alternatives;
  }
  for (const auto& [key, value] : plan.allocation.values) {
    if (!out.contains(key)) out[key] = Number(value);
  }
  if (plan.configuration) {
    const TrainingConfiguration& run = *plan.configuration;
    Json configuration = ShapeCountJson(run.model);
    configuration["matched_on"] = run.matched_on;
    configuration["target"] = Number(run.target);
    configuration["flop_convention"] = run.flop_convention;
    configuration["flops_per_token_used"] = Number(run.flops_per_token);
    configuration["tokens"] = Number(run.tokens);
    configuration["seq_len"] = Number(run.seq_len);
    configuration["batch_sequences"] = Number(run.batch_sequences);
    configuration["batch_tokens"] = Number(run.batch_tokens);
    configuration["steps"] = Number(run.steps);
    configuration["peak_lr"] = Number(run.peak_lr);
    configuration["lr_law"] = run.lr_law;
    configuration["schedule"] = run.schedule;
    if (run.designed_schedule) {
      // The design as `scalelaw curve schedule --json` prints it (its knots; the per-step LR is the CSV's), and the
      // law it was designed against.
      configuration["designed_schedule"] = Json::parse(ScheduleDesignToJson(*run.designed_schedule));
      configuration["designed_schedule"]["against"] = run.schedule_law;
    }
    out["configuration"] = configuration;
  }
  out["notes"] = plan.notes;
  out["warnings"] = plan.warnings;
  return out.dump();
}

std::string LawToJson(const LawInfo& law) { return LawObject(law).dump(); }

std::string LawRegistryToJson() {
  Json laws = Json::array();
  for (const LawInfo& law : LawRegistry()) laws.push_back(LawObject(law));
  return Json{{"laws", laws}}.dump();
}

}  // namespace scalelaw
