// pybind11 bindings of the C++ core. The public Python API is python/scalelaw/__init__.py, which converts
// lists, numpy arrays and pandas columns and calls these functions.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>

#include "scalelaw/laws/horizon_transfer.h"
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

// Inputs by the names Python's keyword arguments use; unknown names are an error, not silently ignored.
scalelaw::PredictionInputs InputsFromDict(const py::dict& values) {
  scalelaw::PredictionInputs in;
  for (const auto& [key_handle, value_handle] : values) {
    const std::string key = py::str(key_handle);
    if (key == "vocab_approach") {
      in.vocab_approach = value_handle.cast<int>();
      continue;
    }
    const double value = value_handle.cast<double>();
    double* field = key == "params"             ? &in.params
                    : key == "tokens"           ? &in.tokens
                    : key == "flops"            ? &in.flops
                    : key == "loss"             ? &in.loss
                    : key == "seq_len"          ? &in.seq_len
                    : key == "batch_tokens"     ? &in.batch_tokens
                    : key == "lr"               ? &in.lr
                    : key == "unique_tokens"    ? &in.unique_tokens
                    : key == "inference_tokens" ? &in.inference_tokens
                    : key == "target_loss"      ? &in.target_loss
                    : key == "gpu_flops"        ? &in.gpu_flops
                    : key == "train_mfu"        ? &in.train_mfu
                    : key == "inference_mfu"    ? &in.inference_mfu
                    : key == "gpu_hour_price"   ? &in.gpu_hour_price
                                                : nullptr;
    if (field == nullptr) throw scalelaw::InvalidArgument("unknown input '" + key + "'");
    if (std::isnan(value)) throw scalelaw::InvalidArgument(key + " must be a positive finite number (got nan)");
    *field = value;
  }
  return in;
}

// The fit's law as inputs.fitted_law (kept alive by law).
void UseFit(const scalelaw::FitSummary* fit, scalelaw::ChinchillaLaw* law, scalelaw::PredictionInputs* in) {
  if (fit == nullptr) return;
  *law = scalelaw::AsChinchillaLaw(*fit);
  in->fitted_law = law;
  in->fitted_name = "fit";
  in->fitted_range = fit->data_range;
}

std::string PredictJson(const std::string& quantity, std::string law, const py::dict& values,
                        const scalelaw::FitSummary* fit) {
  scalelaw::PredictionInputs in = InputsFromDict(values);
  scalelaw::ChinchillaLaw fitted;
  UseFit(fit, &fitted, &in);
  if (fit != nullptr) law = "fit";
  std::vector<scalelaw::Prediction> predictions;
  if (quantity == "lr") {
    predictions = scalelaw::PredictLearningRate(law, in);
  } else if (quantity == "batch") {
    predictions = scalelaw::PredictBatchSize(law, in);
  } else if (quantity == "wd") {
    predictions = scalelaw::PredictWeightDecay(law, in);
  } else if (quantity == "vocab") {
    predictions = scalelaw::PredictVocabularySize(law, in);
  } else if (quantity == "loss") {
    predictions = scalelaw::PredictLoss(law, in);
  } else if (quantity == "allocation") {
    predictions = scalelaw::PredictAllocation(law, in);
  } else {
    throw scalelaw::InvalidArgument("unknown quantity '" + quantity + "'");
  }
  return scalelaw::PredictionsToJson(predictions);
}

std::string PlanJson(const py::dict& values, const std::string& law, const scalelaw::FitSummary* fit) {
  scalelaw::PredictionInputs in = InputsFromDict(values);
  scalelaw::ChinchillaLaw fitted;
  UseFit(fit, &fitted, &in);
  return scalelaw::PlanToJson(scalelaw::PlanTraining(in, fit != nullptr ? "fit" : law));
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
      .def("_predict", [](const scalelaw::FitSummary& s, const DoubleArray& params, const DoubleArray& tokens) {
        return py::vectorize([&s](double n, double d) { return scalelaw::Predict(s, n, d); })(params, tokens);
      });

  m.def("_fit", &FitRuns, py::arg("params"), py::arg("tokens"), py::arg("loss"), py::arg("weights"), py::arg("model"),
        py::arg("estimator"), py::arg("huber_delta"), py::arg("threads"), py::arg("drop_highest"));
  m.def("_fit_from_json", [](const std::string& text) { return scalelaw::FitFromJson(text, "<json>"); });
  m.def("_predict_json", &PredictJson, py::arg("quantity"), py::arg("law"), py::arg("inputs"), py::arg("fit"));
  m.def("_plan_json", &PlanJson, py::arg("inputs"), py::arg("law"), py::arg("fit"));
  m.def("_laws_json", &scalelaw::LawRegistryToJson);
  m.def("_law_json", [](const std::string& name) { return scalelaw::LawToJson(scalelaw::FindLaw(name)); });
  m.def("_transfer_lr", [](const DoubleArray& lr, const DoubleArray& from, const DoubleArray& to, double exponent) {
    return py::vectorize([exponent](double x, double d1, double d2) {
      return scalelaw::TransferLearningRate(x, d1, d2, exponent);
    })(lr, from, to);
  });
  m.def("_model_names", &scalelaw::Model::Names);
}
