// The Python face of sweeps ready to launch (scalelaw/analysis/sweep_plan.h): SweepPlan and PlannedRun, and the
// planning call scalelaw.sweep marshals to. The shape constraints come as ShapeSearchOptions' fields by name.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "scalelaw/analysis/sweep_plan.h"

namespace py = pybind11;

namespace {

using scalelaw::PlannedRun;
using scalelaw::SweepPlan;
using scalelaw::SweepPlanOptions;

template <typename T>
T Get(const py::dict& options, const char* key) {
  return options[key].cast<T>();
}

// options holds every keyword of scalelaw.sweep (None where not given); law_of turns fit= into a Law.
SweepPlan PlanSweep(const py::dict& options, const py::object& fit,
                    std::optional<scalelaw::Law> (*law_of)(const py::object&)) {
  SweepPlanOptions plan_options;
  const auto values = [&](const char* key) {
    return options[key].is_none() ? std::vector<double>{} : Get<std::vector<double>>(options, key);
  };
  const auto number = [&](const char* key) { return options[key].is_none() ? 0.0 : Get<double>(options, key); };
  plan_options.budgets = values("budgets");
  plan_options.tokens = values("tokens");
  plan_options.sizes = values("sizes");
  plan_options.min_params = number("min_params");
  plan_options.max_params = number("max_params");
  plan_options.per_budget = Get<int>(options, "per_budget");
  plan_options.spread = Get<double>(options, "spread");
  if (!fit.is_none()) {
    plan_options.allocation_law = law_of(fit);
  } else if (!options["law"].is_none()) {
    plan_options.allocation_law =
        scalelaw::PublishedLaw(Get<std::string>(options, "law"), scalelaw::Quantity::kAllocation);
  }
  plan_options.convention = Get<std::string>(options, "convention");
  plan_options.lr_law = Get<std::string>(options, "lr_law");
  plan_options.batch_law = Get<std::string>(options, "batch_law");
  plan_options.batch_tokens = number("batch_tokens");
  plan_options.schedule = Get<std::string>(options, "schedule");
  plan_options.run_prefix = Get<std::string>(options, "run_prefix");
  plan_options.max_relative_distance = Get<double>(options, "max_distance");
  scalelaw::ShapeSearchOptions& shapes = plan_options.shapes;
  shapes.definition = scalelaw::ParseParamsDefinition(Get<std::string>(options, "definition"));
  shapes.head_dims = Get<std::vector<int>>(options, "head_dims");
  shapes.group_sizes = Get<std::vector<int>>(options, "group_sizes");
  shapes.ffn_kind = scalelaw::ParseFfnKind(Get<std::string>(options, "ffn_kind"));
  shapes.ffn_multiple_of = Get<int>(options, "ffn_multiple_of");
  shapes.ffn_multiplier = Get<double>(options, "ffn_multiplier");
  shapes.d_model_multiple_of = Get<int>(options, "d_model_multiple_of");
  shapes.max_d_model = Get<int>(options, "max_d_model");
  shapes.min_layers = Get<int>(options, "min_layers");
  shapes.max_layers = Get<int>(options, "max_layers");
  shapes.min_aspect_ratio = Get<double>(options, "min_aspect_ratio");
  shapes.max_aspect_ratio = Get<double>(options, "max_aspect_ratio");
  shapes.preferred_aspect_ratio = Get<double>(options, "preferred_aspect_ratio");
  shapes.vocab = Get<std::int64_t>(options, "vocab");
  shapes.tied_embeddings = Get<bool>(options, "tied_embeddings");
  shapes.norm = scalelaw::ParseNormKind(Get<std::string>(options, "norm"));
  shapes.seq_len = Get<int>(options, "seq_len");
  SweepPlan plan;
  scalelaw::PlanSweep(plan_options, &plan);  // InvalidArgument names the keyword: "min_params: ..."
  return plan;
}

}  // namespace

void BindSweepPlan(py::module_& m, std::optional<scalelaw::Law> (*law_of)(const py::object&)) {
  py::class_<PlannedRun>(m, "PlannedRun", "One training run of a sweep plan: its shape, tokens, batch, steps and LR")
      .def_readonly("run_id", &PlannedRun::run_id)
      .def_readonly("budget", &PlannedRun::budget, "the isoFLOP budget C (0 on an N x D grid)")
      .def_readonly("target_params", &PlannedRun::target_params, "the target N the shape was searched for")
      .def_readonly("count", &PlannedRun::count, "the shape and its counts (a ShapeCount)")
      .def_readonly("convention", &PlannedRun::convention, "the FLOP convention of flops_per_token")
      .def_readonly("flops_per_token", &PlannedRun::flops_per_token)
      .def_readonly("tokens", &PlannedRun::tokens, "D, whole tokens")
      .def_readonly("flops", &PlannedRun::flops, "tokens x flops_per_token")
      .def_readonly("batch_sequences", &PlannedRun::batch_sequences)
      .def_readonly("batch_tokens", &PlannedRun::batch_tokens, "batch_sequences x seq_len")
      .def_readonly("steps", &PlannedRun::steps, "ceil(tokens / batch_tokens)")
      .def_readonly("lr", &PlannedRun::lr, "peak learning rate")
      .def_readonly("lr_law", &PlannedRun::lr_law)
      .def_readonly("batch_law", &PlannedRun::batch_law, "'' when batch_tokens was given")
      .def_readonly("schedule", &PlannedRun::schedule);
  py::class_<SweepPlan>(m, "SweepPlan", "The runs of a sweep, ready to launch (scalelaw.sweep)")
      .def_property_readonly("status", [](const SweepPlan& p) { return std::string(Name(p.status)); })
      .def_property_readonly("usable", &SweepPlan::IsUsable)
      .def_readonly("message", &SweepPlan::message)
      .def_property_readonly("grid", [](const SweepPlan& p) { return p.isoflop ? "isoflop" : "n x d"; })
      .def_readonly("runs", &SweepPlan::runs)
      .def_readonly("notes", &SweepPlan::notes)
      .def_readonly("warnings", &SweepPlan::warnings)
      .def("to_csv", &SweepPlan::ToCsv, "the runs as CSV, the columns of `scalelaw sweep --output`, loss empty")
      .def("brief_report", &SweepPlan::BriefReport)
      .def("full_report", &SweepPlan::FullReport)
      .def("__str__", &SweepPlan::FullReport);
  m.def(
      "_sweep", [law_of](const py::dict& options, const py::object& fit) { return PlanSweep(options, fit, law_of); },
      py::arg("options"), py::arg("fit"));
  m.def("_sweep_columns", &scalelaw::SweepCsvColumns);
}
