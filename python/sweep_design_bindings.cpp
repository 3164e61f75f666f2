// The Python face of sweep design (scalelaw/analysis/sweep_design.h): the SweepDesignResult and the simulation
// Python's design_sweep marshals to.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "scalelaw/analysis/sweep_design.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/fit.h"

namespace py = pybind11;

namespace {

py::dict Spread(const scalelaw::ResampleSummary& s) {
  py::dict out;
  out["mean"] = s.mean;
  out["sd"] = s.se;
  out["ci95"] = py::make_tuple(s.ci95.first, s.ci95.second);
  out["refits"] = s.resamples;
  return out;
}

py::list Runs(const std::vector<scalelaw::SweepRun>& runs) {
  py::list out;
  for (const scalelaw::SweepRun& run : runs) out.append(py::make_tuple(run.params, run.tokens));
  return out;
}

std::vector<scalelaw::SweepRun> RunsOf(const std::vector<double>& params, const std::vector<double>& tokens,
                                       const char* what) {
  if (params.size() != tokens.size()) {
    throw scalelaw::InvalidArgument(std::string(what) + ": the N and D columns must have the same length");
  }
  std::vector<scalelaw::SweepRun> runs;
  for (std::size_t i = 0; i < params.size(); ++i) runs.push_back({params[i], tokens[i]});
  return runs;
}

// The design from sizes x tokens, budgets x sizes, or explicit runs (run_params, run_tokens); the truth from the
// registry's law, or fit (with its residual scale unless noise); the rest as SweepDesignOptions.
scalelaw::SweepDesignSummary DesignSweep(const std::vector<double>& sizes, const std::vector<double>& tokens,
                                         const std::vector<double>& budgets, const std::vector<double>& run_params,
                                         const std::vector<double>& run_tokens, const std::string& law,
                                         const scalelaw::FitSummary* fit, std::optional<double> noise,
                                         double target_flops, int simulations,
                                         const std::vector<double>& candidate_params,
                                         const std::vector<double>& candidate_tokens, const std::string& target,
                                         int bootstrap, int bootstrap_sweeps, std::uint64_t seed, int threads) {
  std::vector<scalelaw::SweepRun> design;
  if (!run_params.empty() || !run_tokens.empty()) {
    if (!sizes.empty() || !tokens.empty() || !budgets.empty()) {
      throw scalelaw::InvalidArgument("give runs= or sizes= with tokens= or budgets=, not both");
    }
    design = RunsOf(run_params, run_tokens, "runs=");
  } else {
    design = scalelaw::ProposedSweep(sizes, tokens, budgets);
  }
  scalelaw::SweepDesignOptions options;
  options.target_flops = target_flops;
  options.simulations = simulations;
  options.seed = seed;
  options.num_threads = threads;
  options.bootstrap_resamples = bootstrap;
  options.bootstrap_simulations = bootstrap_sweeps;
  options.target = scalelaw::SweepTargetFromName(target);
  options.candidates = RunsOf(candidate_params, candidate_tokens, "candidates=");
  scalelaw::ChinchillaLaw truth;
  if (fit != nullptr) {
    if (fit->model != "chinchilla") {
      throw scalelaw::InvalidArgument("fit=: a fit of the '" + fit->model +
                                      "' form; the sweep design simulates the Chinchilla form");
    }
    truth = scalelaw::AsChinchillaLaw(*fit);
    options.noise_sd = noise ? *noise : scalelaw::FitResidualScale(*fit);
  } else {
    truth = scalelaw::ChinchillaFormLaw(law);
    if (!noise) throw scalelaw::InvalidArgument("give noise= (the log-loss scatter) or fit= (a Chinchilla fit)");
    options.noise_sd = *noise;
  }
  scalelaw::SweepDesignSummary summary;
  {
    py::gil_scoped_release release;
    scalelaw::SimulateSweepDesign(design, truth, options, &summary);
  }
  return summary;
}

}  // namespace

void BindSweepDesign(py::module_& m) {
  using scalelaw::SweepDesignSummary;
  py::class_<SweepDesignSummary>(m, "SweepDesignResult",
                                 "How well a proposed sweep would pin N_opt, D_opt and the loss at a target budget, "
                                 "from simulated refits (scalelaw.design_sweep)")
      .def_property_readonly("status",
                             [](const SweepDesignSummary& s) { return std::string(AnalysisStatusName(s.status)); })
      .def_property_readonly("usable", &SweepDesignSummary::IsUsable)
      .def_readonly("message", &SweepDesignSummary::message)
      .def_property_readonly("design", [](const SweepDesignSummary& s) { return Runs(s.design); })
      .def_property_readonly("truth",
                             [](const SweepDesignSummary& s) {
                               py::dict out;
                               out["E"] = s.truth.E;
                               out["A"] = s.truth.A;
                               out["B"] = s.truth.B;
                               out["alpha"] = s.truth.alpha;
                               out["beta"] = s.truth.beta;
                               return out;
                             })
      .def_readonly("noise_sd", &SweepDesignSummary::noise_sd)
      .def_readonly("target_flops", &SweepDesignSummary::target_flops)
      .def_property_readonly("true",
                             [](const SweepDesignSummary& s) {
                               py::dict out;
                               out["N_opt"] = s.true_optimum.params;
                               out["D_opt"] = s.true_optimum.tokens;
                               out["loss"] = s.true_loss;
                               return out;
                             })
      .def_readonly("simulations", &SweepDesignSummary::simulations)
      .def_readonly("refits_usable", &SweepDesignSummary::refits_usable)
      .def_readonly("refits_not_identifiable", &SweepDesignSummary::refits_not_identifiable)
      .def_readonly("refits_not_converged", &SweepDesignSummary::refits_failed)
      .def_property_readonly("spread",
                             [](const SweepDesignSummary& s) {
                               py::dict out;
                               for (const auto& [name, spread] : s.spread) out[py::str(name)] = Spread(spread);
                               return out;
                             })
      .def_property_readonly("ci95",
                             [](const SweepDesignSummary& s) {
                               py::dict out;
                               for (const auto& [name, spread] : s.spread) {
                                 out[py::str(name)] = py::make_tuple(spread.ci95.first, spread.ci95.second);
                               }
                               return out;
                             })
      .def_property_readonly("target",
                             [](const SweepDesignSummary& s) { return std::string(SweepTargetName(s.target)); })
      .def_readonly("target_width", &SweepDesignSummary::target_width)
      .def_property_readonly("candidates",
                             [](const SweepDesignSummary& s) {
                               py::list out;
                               for (const auto& c : s.candidates) {
                                 py::dict row;
                                 row["params"] = c.run.params;
                                 row["tokens"] = c.run.tokens;
                                 row["flops"] = c.flops;
                                 row["identifiable"] = c.identifiable;
                                 row["width"] = c.width;
                                 row["shrink"] = c.shrink;
                                 row["shrink_se"] = c.shrink_se;
                                 row["shrink_per_flop"] = c.shrink_per_flop;
                                 out.append(row);
                               }
                               return out;
                             })
      .def_property_readonly("best_candidate",
                             [](const SweepDesignSummary& s) -> std::optional<int> {
                               if (s.best_candidate < 0) return std::nullopt;
                               return s.best_candidate;
                             })
      .def_readonly("bootstrap_width", &SweepDesignSummary::bootstrap_width)
      .def_readonly("bootstrap_simulations", &SweepDesignSummary::bootstrap_simulations)
      .def_readonly("bootstrap_usable", &SweepDesignSummary::bootstrap_usable)
      .def_readonly("bootstrap_not_identifiable", &SweepDesignSummary::bootstrap_not_identifiable)
      .def_readonly("seconds", &SweepDesignSummary::wall_seconds)
      .def("brief_report", &SweepDesignSummary::BriefReport)
      .def("full_report", &SweepDesignSummary::FullReport)
      .def("__str__", &SweepDesignSummary::FullReport)
      .def("to_json", [](const SweepDesignSummary& s) { return scalelaw::SweepDesignToJson(s); });

  m.def("_design_sweep", &DesignSweep, py::arg("sizes"), py::arg("tokens"), py::arg("budgets"), py::arg("run_params"),
        py::arg("run_tokens"), py::arg("law"), py::arg("fit"), py::arg("noise"), py::arg("target_flops"),
        py::arg("simulations"), py::arg("candidate_params"), py::arg("candidate_tokens"), py::arg("target"),
        py::arg("bootstrap"), py::arg("bootstrap_sweeps"), py::arg("seed"), py::arg("threads"));
  m.def("_chinchilla_form_laws", &scalelaw::ChinchillaFormLawNames);
}
