// pybind11 bindings of the C++ core. The public Python API is python/scalelaw/__init__.py, which converts
// lists, numpy arrays and pandas columns and calls these functions.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include "scalelaw/scalelaw.h"

namespace py = pybind11;

namespace {

using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

std::vector<double> ToVector(const DoubleArray& array) {
  if (array.ndim() != 1) throw scalelaw::InvalidArgument("expected a one-dimensional array");
  return {array.data(), array.data() + array.size()};
}

scalelaw::FitSummary FitRuns(const DoubleArray& params, const DoubleArray& tokens, const DoubleArray& loss,
                             std::optional<DoubleArray> weights, const std::string& model_name,
                             const std::string& estimator, double huber_delta, int threads, int drop_highest) {
  scalelaw::Dataset data{ToVector(params), ToVector(tokens), ToVector(loss), {}};
  if (weights) data.weights = ToVector(*weights);
  const scalelaw::Model model = scalelaw::Model::FromName(model_name);
  scalelaw::FitOptions options;
  options.estimator = scalelaw::EstimatorFromName(estimator);
  options.huber_delta = huber_delta;
  options.num_threads = threads;
  data.Validate();
  if (drop_highest > 0) data = scalelaw::DropHighestLoss(data, drop_highest);
  scalelaw::FitSummary summary;
  {
    py::gil_scoped_release release;
    scalelaw::Fit(data, model, options, &summary);
  }
  return summary;
}

py::dict AllocationDict(const scalelaw::ChinchillaLaw& law, double flops) {
  const scalelaw::Allocation allocation = scalelaw::ComputeOptimal(law, flops);
  const scalelaw::AllocationExponents exponents = scalelaw::ComputeOptimalExponents(law);
  py::dict out;
  out["flops"] = allocation.flops;
  out["params"] = allocation.params;
  out["tokens"] = allocation.tokens;
  out["tokens_per_param"] = allocation.TokensPerParameter();
  out["loss"] = scalelaw::Loss(law, allocation.params, allocation.tokens);
  out["exponents"] = py::dict(py::arg("G") = exponents.G, py::arg("a") = exponents.a, py::arg("b") = exponents.b);
  return out;
}

}  // namespace

PYBIND11_MODULE(_scalelaw, m) {
  m.doc() = "scalelaw C++ core (use the scalelaw package, not this module)";
  m.attr("__version__") = scalelaw::kVersion;

  auto error = py::register_exception<scalelaw::Error>(m, "Error", PyExc_ValueError);
  py::register_exception<scalelaw::InvalidArgument>(m, "InvalidArgument", error.ptr());
  py::register_exception<scalelaw::InputError>(m, "InputError", error.ptr());

  py::class_<scalelaw::FitSummary>(m, "FitResult", "A fitted scaling law and how the fit went")
      .def_readonly("model", &scalelaw::FitSummary::model)
      .def_property_readonly(
          "estimator", [](const scalelaw::FitSummary& s) { return std::string(scalelaw::EstimatorName(s.estimator)); })
      .def_readonly("huber_delta", &scalelaw::FitSummary::huber_delta)
      .def_readonly("params", &scalelaw::FitSummary::params, "fitted parameters by name")
      .def_property_readonly("internal_params",
                             [](const scalelaw::FitSummary& s) {
                               py::dict out;
                               for (std::size_t j = 0; j < s.internal_params.size(); ++j) {
                                 out[py::str(s.internal_names[j])] = s.internal_params[j];
                               }
                               return out;
                             })
      .def_readonly("objective", &scalelaw::FitSummary::objective,
                    "summed Huber loss (objective) or negative log-likelihood (mle)")
      .def_readonly("log_scale", &scalelaw::FitSummary::log_scale, "fitted log-scale sigma (mle only)")
      .def_readonly("n_points", &scalelaw::FitSummary::num_points)
      .def_readonly("num_starts", &scalelaw::FitSummary::num_starts)
      .def_readonly("num_starts_failed", &scalelaw::FitSummary::num_starts_failed)
      .def_readonly("num_starts_in_best_basin", &scalelaw::FitSummary::num_starts_in_best_basin)
      .def_readonly("iterations", &scalelaw::FitSummary::iterations)
      .def_readonly("converged", &scalelaw::FitSummary::converged)
      .def_readonly("message", &scalelaw::FitSummary::message)
      .def_readonly("wall_seconds", &scalelaw::FitSummary::wall_seconds)
      .def("brief_report", &scalelaw::FitSummary::BriefReport)
      .def("to_json", [](const scalelaw::FitSummary& s) { return scalelaw::FitToJson(s); })
      .def("_predict",
           [](const scalelaw::FitSummary& s, const DoubleArray& params, const DoubleArray& tokens) {
             return py::vectorize([&s](double n, double d) { return scalelaw::Predict(s, n, d); })(params, tokens);
           })
      .def("_allocate", [](const scalelaw::FitSummary& s, double flops) {
        return AllocationDict(scalelaw::AsChinchillaLaw(s), flops);
      });

  m.def("_fit", &FitRuns, py::arg("params"), py::arg("tokens"), py::arg("loss"), py::arg("weights"), py::arg("model"),
        py::arg("estimator"), py::arg("huber_delta"), py::arg("threads"), py::arg("drop_highest"));
  m.def("_fit_from_json", [](const std::string& text) { return scalelaw::FitFromJson(text, "<json>"); });
  m.def("_allocate_law", [](const std::string& law, double flops) {
    const scalelaw::ChinchillaPreset& preset = scalelaw::FindChinchillaPreset(law);
    py::dict out = AllocationDict(preset.law, flops);
    const scalelaw::Allocation allocation = scalelaw::ComputeOptimal(preset.law, flops);
    out["law"] = std::string(preset.name);
    out["citation"] = preset.citation.ToString();
    out["params_definition"] = std::string(preset.params_definition);
    out["warnings"] = scalelaw::RangeWarnings(preset.range, preset.name, allocation.params, allocation.tokens);
    return out;
  });
  m.def("_model_names", &scalelaw::Model::Names);
}
