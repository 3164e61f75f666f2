// pybind11 bindings of the C++ core. The public Python API is python/scalelaw/__init__.py, which converts
// lists, numpy arrays and pandas columns and calls these functions.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include "array_values.h"
#include "plot/curve_charts.h"
#include "plot/result_charts.h"
#include "scalelaw/analysis/hparam_sweep.h"
#include "scalelaw/analysis/isoflop.h"
#include "scalelaw/analysis/ladder.h"
#include "scalelaw/curves/curve_fit.h"
#include "scalelaw/curves/curve_size_fit.h"
#include "scalelaw/curves/log_curves.h"
#include "scalelaw/curves/schedule.h"
#include "scalelaw/fit/fitted_law.h"
#include "scalelaw/laws/horizon_transfer.h"
#include "scalelaw/scalelaw.h"

namespace py = pybind11;

namespace {

using scalelaw::python::DoubleArray;

std::vector<double> ToVector(const DoubleArray& array) {
  if (array.ndim() != 1) throw scalelaw::InvalidArgument("expected a one-dimensional array");
  return {array.data(), array.data() + array.size()};
}

// The progress callback of FitOptions, IsoflopOptions and HparamSweepOptions.
using Progress = std::function<bool(std::string_view stage, int done, int total)>;

// Runs work(progress) on a worker thread with the GIL released while this thread wakes every 100 ms to let
// Python handle signals: Ctrl-C stops the analysis at the next start or resample (progress returns false) and
// raises KeyboardInterrupt here. With show_progress, a one-line progress report is rewritten on stderr.
template <typename Result>
Result RunInterruptibly(const std::function<Result(const Progress&)>& work, bool show_progress) {
  std::atomic<bool> cancel{false}, finished{false};
  std::atomic<int> done{0}, total{0}, bootstrap_stage{0};
  const Progress progress = [&](std::string_view stage, int d, int t) {
    bootstrap_stage = stage == "bootstrap";
    done = d;
    total = t;
    return !cancel.load();
  };
  Result result;
  std::exception_ptr failure;
  std::optional<py::error_already_set> interrupt;
  std::mutex mutex;
  std::condition_variable wake;
  auto report = [&](bool last) {
    if (!show_progress || total == 0) return;
    const std::string line = "\rscalelaw: " + std::string(bootstrap_stage ? "bootstrap resamples " : "starts ") +
                             std::to_string(done.load()) + "/" + std::to_string(total.load()) + (last ? "\n" : "");
    py::module_::import("sys").attr("stderr").attr("write")(line);
  };
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        result = work(progress);
      } catch (...) {
        failure = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(mutex);
      finished = true;
      wake.notify_all();
    });
    std::unique_lock<std::mutex> lock(mutex);
    while (!finished) {
      wake.wait_for(lock, std::chrono::milliseconds(100));
      if (finished) break;
      lock.unlock();
      {
        py::gil_scoped_acquire acquire;
        if (!interrupt && PyErr_CheckSignals() != 0) {
          interrupt.emplace();  // takes the pending KeyboardInterrupt
          cancel = true;
        }
        report(false);
      }
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  report(true);
  if (interrupt) throw std::move(*interrupt);
  if (failure) std::rethrow_exception(failure);
  return result;
}

template <typename T>
T Take(py::dict& options, const char* key) {
  if (!options.contains(key)) throw scalelaw::InvalidArgument(std::string("missing fit option '") + key + "'");
  T value = options[key].cast<T>();
  options.attr("pop")(key);
  return value;
}

// scalelaw.fit: the runs (N, D, loss and optional weights, unique tokens and named columns), the model (a
// registered name, "loglinear" over the named columns, or a formula over them) and the options by the
// keyword names of scalelaw.fit; an option this does not know is an error, not silently ignored.
// The runs, options and form of scalelaw.fit's arguments (shared by scalelaw.validate).
struct FitRequest {
  scalelaw::Dataset data;
  scalelaw::FitOptions options;
  std::optional<scalelaw::Model> model;
  int drop_highest = 0;
  bool show_progress = false;
};

FitRequest FitRequestOf(std::optional<DoubleArray> params, std::optional<DoubleArray> tokens, const DoubleArray& loss,
                        std::optional<DoubleArray> weights, std::optional<DoubleArray> unique_tokens,
                        const std::map<std::string, DoubleArray>& columns, const std::string& model_name,
                        const std::string& formula, py::dict options_in) {
  scalelaw::Dataset data;
  data.loss = ToVector(loss);
  if (params) data.params = ToVector(*params);
  if (tokens) data.tokens = ToVector(*tokens);
  if (weights) data.weights = ToVector(*weights);
  if (unique_tokens) data.unique_tokens = ToVector(*unique_tokens);
  std::vector<std::string> column_names;
  for (const auto& [name, values] : columns) {
    data.columns[name] = ToVector(values);
    column_names.push_back(name);
  }

  py::dict in = options_in.attr("copy")();
  scalelaw::FitOptions options;
  options.estimator = scalelaw::EstimatorFromName(Take<std::string>(in, "estimator"));
  options.objective = scalelaw::ObjectiveFromName(Take<std::string>(in, "objective"));
  if (const auto residual = Take<std::string>(in, "residual"); !residual.empty()) {
    options.residual = scalelaw::ResidualFromName(residual);
  }
  options.asymmetry = Take<double>(in, "asymmetry");
  options.huber_delta = Take<double>(in, "huber_delta");
  options.num_threads = Take<int>(in, "threads");
  options.fixed = Take<std::map<std::string, double>>(in, "fix");
  options.tied = Take<std::vector<std::pair<std::string, std::string>>>(in, "tie");
  options.bounds = Take<std::map<std::string, std::pair<double, double>>>(in, "bounds");
  options.grid = Take<std::map<std::string, std::vector<double>>>(in, "grid");
  options.holdout_top = Take<int>(in, "holdout_top");
  options.max_parameter_span = Take<double>(in, "max_span");
  options.SetStarts(Take<std::string>(in, "starts"));
  const auto seed = Take<std::uint64_t>(in, "seed");
  options.start_seed = seed;
  options.bootstrap_seed = seed;
  options.bootstrap_resamples = Take<int>(in, "bootstrap");
  options.at_flops = Take<double>(in, "at_flops");
  const int drop_highest = Take<int>(in, "drop_highest");
  const bool show_progress = Take<bool>(in, "progress");
  // The columns of the table the runs came from, so that a formula parameter named like one of them (a misspelt
  // column) is caught.
  std::vector<std::string> known_columns = Take<std::vector<std::string>>(in, "known_columns");
  known_columns.insert(known_columns.end(), column_names.begin(), column_names.end());
  if (!in.empty()) {
    throw scalelaw::InvalidArgument("unknown fit option '" + py::str(in.begin()->first).cast<std::string>() + "'");
  }

  const scalelaw::Model model = !formula.empty()            ? scalelaw::Model::FromFormula(formula, column_names)
                                : model_name == "loglinear" ? scalelaw::Model::LogLinear(column_names)
                                                            : scalelaw::Model::FromName(model_name);
  scalelaw::CheckFormulaParameters(model, known_columns, options);
  for (const std::string& needed : model.data_columns()) {
    if (!columns.count(needed)) {
      throw scalelaw::InvalidArgument("model '" + std::string(model.name()) + "' reads a column '" + needed +
                                      "': pass columns={'" + needed + "': ...}");
    }
  }
  data.Validate();
  if (drop_highest > 0) data = scalelaw::DropHighestLoss(data, drop_highest);
  return FitRequest{std::move(data), std::move(options), model, drop_highest, show_progress};
}

scalelaw::FitSummary FitRuns(std::optional<DoubleArray> params, std::optional<DoubleArray> tokens,
                             const DoubleArray& loss, std::optional<DoubleArray> weights,
                             std::optional<DoubleArray> unique_tokens,
                             const std::map<std::string, DoubleArray>& columns, const std::string& model_name,
                             const std::string& formula, py::dict options_in) {
  FitRequest request =
      FitRequestOf(params, tokens, loss, weights, unique_tokens, columns, model_name, formula, std::move(options_in));
  return RunInterruptibly<scalelaw::FitSummary>(
      [&](const Progress& progress) {
        request.options.progress = progress;
        scalelaw::FitSummary summary;
        scalelaw::Fit(request.data, *request.model, request.options, &summary);
        summary.drop_highest = request.drop_highest;
        return summary;
      },
      request.show_progress);
}

// scalelaw.validate: leave-future-out validation (scalelaw/analysis/validation.h) of the fit scalelaw.fit's
// arguments describe; split, a column of the runs' own to split on (empty: split_by names C, N or D), and the
// validation's options. Returns LeaveFutureOutToJson.
std::string ValidateRuns(std::optional<DoubleArray> params, std::optional<DoubleArray> tokens, const DoubleArray& loss,
                         std::optional<DoubleArray> weights, std::optional<DoubleArray> unique_tokens,
                         const std::map<std::string, DoubleArray>& columns, const std::string& model_name,
                         const std::string& formula, py::dict fit_options, const std::string& split_by,
                         std::optional<DoubleArray> split, const std::vector<double>& thresholds,
                         const std::vector<double>& quantiles, int min_runs, double predictive) {
  FitRequest request =
      FitRequestOf(params, tokens, loss, weights, unique_tokens, columns, model_name, formula, std::move(fit_options));
  if (split) {
    if (request.drop_highest > 0) {
      throw scalelaw::InvalidArgument("drop_highest= with a split column of the runs' own: drop the runs first");
    }
    std::vector<double> values = ToVector(*split);
    if (values.size() != request.data.size()) {
      throw scalelaw::InvalidArgument("split_by: the column has " + std::to_string(values.size()) + " values for " +
                                      std::to_string(request.data.size()) + " runs");
    }
    request.data.columns[split_by] = std::move(values);
  }
  scalelaw::LeaveFutureOutOptions options;
  options.fit = request.options;
  options.split_by = split_by;
  options.thresholds = thresholds;
  if (!quantiles.empty()) options.quantiles = quantiles;
  options.min_train_runs = min_runs;
  options.predictive_level = predictive;
  scalelaw::LeaveFutureOutSummary summary;
  {
    py::gil_scoped_release release;
    scalelaw::ValidateLeaveFutureOut(request.data, *request.model, options, &summary);
  }
  return scalelaw::LeaveFutureOutToJson(summary);
}

// The input a keyword names: a key of the input table ("params"), a form's own name for one ("N", "D", "U"), or
// none: then it is a named input, a column of the user's own that a fitted formula reads ("C"), which the law
// checks it reads.
std::optional<scalelaw::Input> InputOfKey(const std::string& key) {
  if (const scalelaw::InputInfo* info = scalelaw::FindInputByKey(key)) return info->id;
  return scalelaw::InputOfFormName(key);
}

// Inputs by the keys of the input table (scalelaw/laws/inputs.h), which are Python's keyword names, or by name
// (InputOfKey); a named input the law does not read is an error there, not silently ignored.
scalelaw::PredictionInputs InputsFromDict(const py::dict& values) {
  scalelaw::PredictionInputs in;
  for (const auto& [key_handle, value_handle] : values) {
    const std::string key = py::str(key_handle);
    if (const std::optional<scalelaw::Input> input = InputOfKey(key)) {
      if (scalelaw::Describe(*input).domain == scalelaw::InputDomain::kText) {
        if (!py::isinstance<py::str>(value_handle)) throw py::type_error(key + "= takes a str");
        in.SetText(*input, value_handle.cast<std::string>());
      } else {
        in.Set(*input, value_handle.cast<double>());
      }
    } else {
      in.SetNamed(key, value_handle.cast<double>());
    }
  }
  return in;
}

// A result of the user's own as a Law: a FitResult, an IsoflopResult or a HparamSweepResult (None: none).
std::optional<scalelaw::Law> LawOf(const py::object& fit) {
  if (fit.is_none()) return std::nullopt;
  if (py::isinstance<scalelaw::FitSummary>(fit))
    return scalelaw::FittedLaw(fit.cast<const scalelaw::FitSummary&>(), "fit");
  if (py::isinstance<scalelaw::HparamSweepResult>(fit)) {
    return scalelaw::FittedLaw(fit.cast<const scalelaw::HparamSweepResult&>(), "fit");
  }
  if (py::isinstance<scalelaw::IsoflopResult>(fit)) {
    return scalelaw::FittedLaw(fit.cast<const scalelaw::IsoflopResult&>(), "fit");
  }
  if (py::isinstance<scalelaw::CurveFitSummary>(fit)) {
    return scalelaw::FittedLaw(fit.cast<const scalelaw::CurveFitSummary&>(), "fit");
  }
  if (py::isinstance<scalelaw::CurveSizeFitSummary>(fit)) {
    return scalelaw::FittedLaw(fit.cast<const scalelaw::CurveSizeFitSummary&>(), "fit");
  }
  throw py::type_error(
      "fit= takes a FitResult, an IsoflopResult, a HparamSweepResult, a CurveFitResult or a CurveSizeFitResult");
}

// The law to evaluate: a fit, else a published family with constants replacing its own ("all" is the registry).
scalelaw::Law ChosenLaw(const std::string& family, scalelaw::Quantity quantity, const std::optional<scalelaw::Law>& fit,
                        const std::map<std::string, double>& constants) {
  if (fit) return *fit;
  return scalelaw::WithConstants(scalelaw::PublishedLaw(family, quantity), constants);
}

scalelaw::Quantity QuantityFromName(const std::string& name) {
  using scalelaw::Quantity;
  for (Quantity q : {Quantity::kLearningRate, Quantity::kBatchSize, Quantity::kWeightDecay, Quantity::kVocabularySize,
                     Quantity::kLoss, Quantity::kAllocation, Quantity::kDownstream}) {
    if (scalelaw::QuantityKey(q) == name) return q;
  }
  throw scalelaw::InvalidArgument("unknown quantity '" + name + "'");
}

std::string PredictJson(const std::string& quantity, const std::string& law, const py::dict& values,
                        const py::object& fit_object, const std::map<std::string, double>& constants,
                        double predictive) {
  const scalelaw::PredictionInputs in = InputsFromDict(values);
  const std::optional<scalelaw::Law> fit = LawOf(fit_object);
  const scalelaw::Quantity q = QuantityFromName(quantity);
  if (law == "all" && !fit) {
    if (!constants.empty()) throw scalelaw::InvalidArgument("constants= needs one law, not law='all'");
    return scalelaw::PredictionsToJson(scalelaw::Predict(q, "all", in), scalelaw::Spelling::kPython);
  }
  scalelaw::Law chosen = ChosenLaw(law, q, fit, constants);
  // A fit's loss carries its predictive interval at this level (0: none) beside the 95% parameter interval.
  if (fit && q == scalelaw::Quantity::kLoss) chosen.predictive_level = predictive;
  return scalelaw::PredictionsToJson({scalelaw::Predict(chosen, q, in)}, scalelaw::Spelling::kPython);
}

// Every law's answer at every point of the broadcast columns, in one call: {"law", "citation", "outputs": {key:
// array}, "notes", "warnings"} per law (or "skipped").
py::list PredictBulk(const std::string& quantity, const std::string& law,
                     const std::map<std::string, DoubleArray>& columns, const py::dict& fixed,
                     const py::object& fit_object, const std::map<std::string, double>& constants, bool intervals,
                     double predictive) {
  const std::optional<scalelaw::Law> fit = LawOf(fit_object);
  scalelaw::InputColumns in;
  in.fixed = InputsFromDict(fixed);
  in.intervals = intervals;
  bool first = true;
  for (const auto& [key, array] : columns) {
    const std::size_t size = static_cast<std::size_t>(array.size());
    if (!first && size != in.size) throw scalelaw::InvalidArgument("the input columns differ in length");
    in.size = size;
    first = false;
    if (const std::optional<scalelaw::Input> input = InputOfKey(key)) {
      in.columns.emplace_back(*input, array.data());
    } else {
      in.named_columns.emplace_back(key, array.data());
    }
  }
  if (first) in.size = 1;
  const scalelaw::Quantity q = QuantityFromName(quantity);
  std::vector<scalelaw::BulkPrediction> results;
  {
    py::gil_scoped_release release;
    if (law == "all" && !fit) {
      if (!constants.empty()) throw scalelaw::InvalidArgument("constants= needs one law, not law='all'");
      results = scalelaw::PredictBulk(q, "all", in);
    } else {
      // Moved in: a braced list would copy the prediction, every output column with it.
      scalelaw::Law chosen = ChosenLaw(law, q, fit, constants);
      // A fit's loss carries its predictive interval at this level (0: none) beside the 95% parameter interval.
      if (fit && q == scalelaw::Quantity::kLoss) chosen.predictive_level = predictive;
      results.push_back(scalelaw::PredictBulk(chosen, q, in));
    }
  }
  py::list out;
  for (scalelaw::BulkPrediction& r : results) {
    py::dict entry;
    entry["law"] = r.law.name;
    entry["citation"] = r.law.citation.ToString();
    if (!r.skipped.empty()) {
      entry["skipped"] = r.skipped_problem ? r.skipped_problem->Spelled(scalelaw::Spelling::kPython) : r.skipped;
      out.append(entry);
      continue;
    }
    py::dict outputs;
    for (auto& [key, values] : r.outputs) {
      // The array takes the column over rather than copying it: a million points are 8 MB that would
      // otherwise be allocated, faulted in and copied once more.
      auto column = std::make_unique<std::vector<double>>(std::move(values));
      const auto size = static_cast<py::ssize_t>(column->size());
      double* data = column->data();
      const py::capsule owner(column.get(), [](void* p) { delete static_cast<std::vector<double>*>(p); });
      column.release();  // the capsule owns it now
      outputs[py::str(key)] = py::array_t<double>(size, data, owner);
    }
    entry["outputs"] = outputs;
    entry["notes"] = r.notes;
    entry["warnings"] = r.warnings;
    entry["params_definition"] = r.law.params_definition;
    entry["units"] = r.law.units;
    out.append(entry);
  }
  return out;
}

// A plan: N and D from the fit that answers the allocation (else the published family), the learning rate and
// batch from the fits that answer them (a fit-hparams result) ahead of the published laws, and the schedule
// designed against a multi-power curve fit. Returns the plan's JSON and the designed schedule (None without one),
// which Python attaches to the configuration as a ScheduleDesign.
py::tuple PlanJson(const py::dict& values, const std::string& law, const py::list& fits, std::int64_t vocab,
                   bool tied_embeddings, const std::string& ffn_kind, const std::vector<int>& head_dims,
                   const std::vector<int>& group_sizes, bool vocab_from_law, int vocab_multiple) {
  const scalelaw::PredictionInputs in = InputsFromDict(values);
  scalelaw::PlanOptions options;
  options.shape.vocab = vocab;
  options.shape.tied_embeddings = tied_embeddings;
  options.shape.ffn_kind = scalelaw::ParseFfnKind(ffn_kind, "ffn_kind");
  options.shape.head_dims = head_dims;
  options.shape.group_sizes = group_sizes;
  options.vocab_from_law = vocab_from_law;
  options.vocab_multiple = vocab_multiple;
  scalelaw::PlanFits sorted;
  for (const py::handle& item : fits) {
    if (py::isinstance<scalelaw::CurveFitSummary>(item)) {
      sorted.Add(scalelaw::ScheduleLawOf(item.cast<const scalelaw::CurveFitSummary&>(), "fit"));
    } else if (py::isinstance<scalelaw::CurveSizeFitSummary>(item)) {
      sorted.Add(scalelaw::ScheduleLawOf(item.cast<const scalelaw::CurveSizeFitSummary&>(), "fit"));
    } else {
      sorted.Add(*LawOf(py::reinterpret_borrow<py::object>(item)));
    }
  }
  options.schedule_law = std::move(sorted.schedule_law);
  if (!sorted.allocation) {
    sorted.allocation = scalelaw::PublishedLaw(in.Has(scalelaw::Input::kUniqueTokens) ? "datablations" : law,
                                               scalelaw::Quantity::kAllocation);
  }
  const scalelaw::TrainingPlan plan = scalelaw::PlanTraining(in, *sorted.allocation, sorted.fitted, options);
  std::optional<scalelaw::ScheduleDesignSummary> designed;
  if (plan.configuration) designed = plan.configuration->designed_schedule;
  return py::make_tuple(scalelaw::PlanToJson(plan), designed);
}

scalelaw::HparamSweepResult FitHparams(const DoubleArray& params, const DoubleArray& tokens, const DoubleArray& lr,
                                       const DoubleArray& batch, const DoubleArray& loss, double seq_len,
                                       double tolerance, int bootstrap, std::uint64_t seed, const std::string& resample,
                                       int threads, bool show_progress, const std::vector<std::string>& group) {
  scalelaw::HparamRuns runs{ToVector(params), ToVector(tokens), ToVector(lr), ToVector(batch), ToVector(loss), group};
  scalelaw::HparamSweepOptions options;
  options.seq_len = seq_len;
  options.tolerance = tolerance;
  options.bootstrap = bootstrap;
  options.seed = seed;
  options.resample = scalelaw::HparamResampleFromName(resample);
  options.num_threads = threads;
  return RunInterruptibly<scalelaw::HparamSweepResult>(
      [&](const Progress& progress) {
        options.progress = progress;
        return scalelaw::FitHparamSweep(runs, options);
      },
      show_progress);
}

scalelaw::IsoflopResult Isoflop(const DoubleArray& params, std::optional<DoubleArray> tokens,
                                std::optional<DoubleArray> flops, std::optional<DoubleArray> budget,
                                const DoubleArray& loss, double budget_tolerance, int min_sizes,
                                const std::string& vertex, int window, const std::string& d_star, bool keep_outside,
                                bool weighted, int weight_resamples, double disagreement, int bootstrap,
                                std::uint64_t seed, int threads, bool show_progress) {
  const std::vector<double> n = ToVector(params);
  const std::vector<double> l = ToVector(loss);
  if (!tokens && !flops && !budget) throw scalelaw::InvalidArgument("give tokens, flops or budget");
  if (flops && budget) throw scalelaw::InvalidArgument("give budget or flops, not both");
  const std::vector<double> d = tokens ? ToVector(*tokens) : std::vector<double>();
  const std::vector<double> c = flops ? ToVector(*flops) : std::vector<double>();
  const std::vector<double> b = budget ? ToVector(*budget) : std::vector<double>();
  for (const auto& [values, name] : {std::pair{&d, "tokens"}, std::pair{&c, "flops"}, std::pair{&b, "budget"}}) {
    if (!values->empty() && values->size() != n.size()) {
      throw scalelaw::InvalidArgument(std::string("params, ") + name + " and loss must have the same length");
    }
  }
  if (n.size() != l.size()) throw scalelaw::InvalidArgument("params and loss must have the same length");
  std::vector<scalelaw::IsoflopRun> runs(n.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    runs[i].params = n[i];
    if (!d.empty()) runs[i].tokens = d[i];
    if (!c.empty()) runs[i].flops = c[i];
    if (!b.empty()) runs[i].budget = b[i];
    runs[i].loss = l[i];
  }
  scalelaw::IsoflopOptions options;
  options.budget_tolerance = budget_tolerance;
  options.min_sizes = min_sizes;
  options.vertex = scalelaw::IsoflopVertexFromName(vertex);
  options.window = window;
  options.d_star = scalelaw::IsoflopDStarFromName(d_star);
  options.keep_outside = keep_outside;
  options.weighted = weighted;
  options.weight_resamples = weight_resamples;
  options.disagreement = disagreement;
  options.bootstrap = bootstrap;
  options.seed = seed;
  options.num_threads = threads;
  return RunInterruptibly<scalelaw::IsoflopResult>(
      [&](const Progress& progress) {
        options.progress = progress;
        return scalelaw::FitIsoflop(runs, options);
      },
      show_progress);
}

// --- Chart data for scalelaw.plot: the builders of src/plot/result_charts.h, which the CLI's --plot draws too. ---

py::array_t<double> Array(const std::vector<double>& values) {
  py::array_t<double> array(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), array.mutable_data());
  return array;
}

std::vector<double> OptionalVector(const std::optional<DoubleArray>& array) {
  return array ? ToVector(*array) : std::vector<double>{};
}

// A curve as {x_name: x, y_name: y, "label", "value"}; None when it has no points.
py::object CurveDict(const scalelaw::plot::LossCurve& curve, const char* x_name, const char* y_name) {
  if (curve.x.empty()) return py::none();
  py::dict out;
  out[x_name] = Array(curve.x);
  out[y_name] = Array(curve.y);
  out["label"] = curve.label;
  out["value"] = curve.value;
  return std::move(out);
}

std::optional<double> FiniteOrNone(double value) {
  return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

// scalelaw.plot(fit) and scalelaw.plot("epoch"): the chart of a law, fitted (a FitResult, which also marks its
// own budget) or published (a family name): the runs that can be shown, the law per model size, the frontier and
// its band, the ranges.
py::dict FitChartData(const py::object& law_source, std::optional<DoubleArray> params,
                      std::optional<DoubleArray> tokens, std::optional<DoubleArray> loss, double flops_max) {
  scalelaw::plot::FitChartOptions options;
  options.flops_max = flops_max;
  scalelaw::Law law;
  if (py::isinstance<py::str>(law_source)) {
    law = scalelaw::PublishedLaw(law_source.cast<std::string>());
  } else {
    if (py::isinstance<scalelaw::FitSummary>(law_source)) {
      options.at_flops = scalelaw::plot::FitBudget(law_source.cast<const scalelaw::FitSummary&>());
    }
    law = *LawOf(law_source);
  }
  const scalelaw::plot::FitChart chart =
      scalelaw::plot::MakeFitChart(law, OptionalVector(params), OptionalVector(tokens), OptionalVector(loss), options);
  py::dict out;
  out["title"] = chart.data.title;
  if (chart.data.params.empty()) {
    out["runs"] = py::none();
  } else {
    py::dict runs;
    runs["params"] = Array(chart.runs.params);
    runs["flops"] = Array(chart.runs.flops);
    runs["loss"] = Array(chart.runs.loss);
    out["runs"] = runs;
  }
  py::list curves;
  for (const scalelaw::plot::LossCurve& curve : chart.data.law_curves) curves.append(CurveDict(curve, "flops", "loss"));
  out["law_curves"] = curves;
  out["frontier"] = CurveDict(chart.data.frontier, "flops", "loss");
  out["frontier_exponent"] = FiniteOrNone(chart.frontier_exponent);
  const scalelaw::plot::Band& band = chart.data.frontier_band;
  if (band.x.empty()) {
    out["frontier_band"] = py::none();
  } else {
    py::dict entry;
    entry["flops"] = Array(band.x);
    entry["lower"] = Array(band.lower);
    entry["upper"] = Array(band.upper);
    entry["label"] = band.label;
    entry["resamples"] = chart.band_resamples;
    out["frontier_band"] = entry;
  }
  out["flops_min"] = chart.flops_min;
  out["flops_max"] = chart.flops_max;
  out["observed_max_flops"] = chart.data.observed_max_flops;
  out["extrapolation_label"] = chart.data.extrapolation_label;
  out["at_flops"] = FiniteOrNone(chart.at_flops);
  return out;
}

// scalelaw.plot(isoflop result): per budget its runs among those given, parabola and vertex; the optimum curve.
py::dict IsoflopChartDict(const scalelaw::IsoflopResult& result, std::optional<DoubleArray> params,
                          std::optional<DoubleArray> tokens, std::optional<DoubleArray> flops,
                          std::optional<DoubleArray> loss, std::optional<DoubleArray> budget) {
  const std::vector<double> n = OptionalVector(params), d = OptionalVector(tokens), c = OptionalVector(flops),
                            l = OptionalVector(loss), labels = OptionalVector(budget);
  if (d.size() != n.size() && c.size() != n.size() && labels.size() != n.size()) {
    throw scalelaw::InvalidArgument("the runs need tokens, flops or budget of the same length as params");
  }
  if (l.size() != n.size()) throw scalelaw::InvalidArgument("params and loss must have the same length");
  std::vector<scalelaw::IsoflopRun> runs(n.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    runs[i].params = n[i];
    (c.size() == n.size() ? runs[i].flops : runs[i].tokens) = c.size() == n.size() ? c[i] : d[i];
    if (labels.size() == n.size()) runs[i].budget = labels[i];
    runs[i].loss = l[i];
  }
  const scalelaw::plot::IsoflopChartData chart = scalelaw::plot::MakeIsoflopChart(result, runs);
  py::dict out;
  out["title"] = chart.title;
  py::list budgets;
  for (const scalelaw::plot::IsoflopBudgetData& b : chart.budgets) {
    py::dict entry;
    entry["flops"] = b.flops;
    entry["used"] = b.used;
    entry["status"] = b.status;
    py::dict points;
    points["params"] = Array(b.params);
    points["loss"] = Array(b.loss);
    entry["runs"] = points;
    entry["parabola"] = CurveDict(scalelaw::plot::IsoflopParabola(b), "params", "loss");
    if (b.has_vertex) {
      entry["vertex"] = py::make_tuple(b.opt_params, b.opt_loss);
    } else {
      entry["vertex"] = py::none();
    }
    budgets.append(entry);
  }
  out["budgets"] = budgets;
  out["optimum"] = CurveDict(chart.optimum, "params", "loss");
  return out;
}

py::dict HparamChartDict(const scalelaw::plot::HparamChartData& chart) {
  py::dict out;
  out["title"] = chart.title;
  out["x_label"] = chart.x_label;
  out["y_label"] = chart.y_label;
  out["law_label"] = chart.law_label;
  out["x"] = Array(chart.x);
  out["y"] = Array(chart.y);
  if (chart.group.empty()) {
    out["group"] = py::none();
  } else {
    out["group"] = Array(chart.group);
  }
  py::list lines;
  for (const scalelaw::plot::LossCurve& line : scalelaw::plot::HparamLawLines(chart))
    lines.append(CurveDict(line, "x", "y"));
  out["lines"] = lines;
  return out;
}

// scalelaw.plot(fit_hparams result): the learning-rate chart and the batch chart.
py::dict HparamChartsDict(const scalelaw::HparamSweepResult& sweep) {
  const scalelaw::plot::HparamCharts charts = scalelaw::plot::MakeHparamCharts(sweep);
  py::dict out;
  out["lr"] = HparamChartDict(charts.lr);
  out["batch"] = HparamChartDict(charts.batch);
  return out;
}

// The axes of a chart as {"title", "x_label", "y_label", "x_log", "y_log"}, with the fixed range of both axes
// when the chart sets one ("range": (lo, hi) or None).
py::dict AxesDict(const scalelaw::plot::Chart& chart) {
  py::dict out;
  out["title"] = chart.title;
  out["x_label"] = chart.x.label;
  out["y_label"] = chart.y.label;
  out["x_log"] = chart.x.scale == scalelaw::plot::Scale::kLog;
  out["y_log"] = chart.y.scale == scalelaw::plot::Scale::kLog;
  if (std::isfinite(chart.x.min) && std::isfinite(chart.x.max)) {
    out["range"] = py::make_tuple(chart.x.min, chart.x.max);
  } else {
    out["range"] = py::none();
  }
  return out;
}

// scalelaw.plot(fit, data, kind="curve" | "observed" | "residuals" | "diagnostics"): every run's y, prediction and
// residual on the fit's scale, which runs were held out, and for a one-input form the curve along that input and its
// band; with the titles and axes of the three charts as the CLI draws them.
py::dict FitDiagnosticsDict(const scalelaw::FitSummary& fit, const std::map<std::string, DoubleArray>& inputs,
                            const DoubleArray& y, const std::string& y_label,
                            const std::map<std::string, std::string>& input_labels) {
  // The runs as the fit read them: the table given, less the highest losses the fit dropped (drop_highest=), as
  // the CLI draws the runs it fitted.
  scalelaw::Dataset runs;
  for (const auto& [name, values] : inputs) runs.columns[name] = ToVector(values);
  runs.loss = ToVector(y);
  if (fit.drop_highest > 0) {
    for (const auto& [name, values] : runs.columns) {
      if (values.size() != runs.loss.size()) {
        throw scalelaw::InvalidArgument("the runs' '" + name + "' and their y must have the same length");
      }
    }
    runs = scalelaw::DropHighestLoss(runs, fit.drop_highest);
  }
  scalelaw::plot::FitDiagnosticsOptions options;
  options.y_label = y_label;
  options.input_labels = input_labels;
  const scalelaw::plot::FitDiagnosticsData data =
      scalelaw::plot::MakeFitDiagnostics(fit, runs.columns, runs.loss, options);
  py::dict out;
  out["title"] = data.title;
  out["log_residual"] = data.log_residual;
  out["observed"] = Array(data.observed);
  out["predicted"] = Array(data.predicted);
  out["residual"] = Array(data.residual);
  py::array_t<bool> held(static_cast<py::ssize_t>(data.held_out.size()));
  std::copy(data.held_out.begin(), data.held_out.end(), held.mutable_data());
  out["held_out"] = held;
  out["rms_fitted"] = FiniteOrNone(data.rms_fitted);
  out["rms_held_out"] = FiniteOrNone(data.rms_held_out);
  out["runs_label"] = scalelaw::plot::DiagnosticsRunsLabel(data, false);
  out["held_out_label"] = scalelaw::plot::DiagnosticsRunsLabel(data, true);
  out["observed_chart"] = AxesDict(scalelaw::plot::ObservedVsPredictedChart(data));
  out["residuals_chart"] = AxesDict(scalelaw::plot::ResidualsChart(data));
  if (data.input_label.empty()) {
    out["input"] = py::none();
    out["curve"] = py::none();
    out["band"] = py::none();
    out["curve_chart"] = py::none();
    return out;
  }
  out["input"] = Array(data.input);
  out["curve"] = CurveDict(data.curve, "x", "y");
  if (data.band.x.empty()) {
    out["band"] = py::none();
  } else {
    py::dict band;
    band["x"] = Array(data.band.x);
    band["lower"] = Array(data.band.lower);
    band["upper"] = Array(data.band.upper);
    band["label"] = data.band.label;
    out["band"] = band;
  }
  out["curve_chart"] = AxesDict(scalelaw::plot::FitCurveChart(data));
  return out;
}

// The status as Python's .status reads it.
template <typename Result>
std::string StatusName(const Result& result) {
  return std::string(scalelaw::AnalysisStatusName(result.status));
}

// The standard errors and 95% intervals of a result's bootstrap, as the JSON's "se" and "ci95".
template <typename Result>
std::map<std::string, double> StandardErrors(const Result& result) {
  std::map<std::string, double> out;
  for (const auto& [name, summary] : result.uncertainty) out[name] = summary.se;
  return out;
}

template <typename Result>
std::map<std::string, std::pair<double, double>> Intervals(const Result& result) {
  std::map<std::string, std::pair<double, double>> out;
  for (const auto& [name, summary] : result.uncertainty) out[name] = summary.ci95;
  return out;
}

// A curve fit's (one size or across sizes) bootstrap standard errors and 95% intervals, keyed by parameter name in
// the fit's order (empty without a bootstrap).
template <typename Fit>
py::dict CurveStandardErrors(const Fit& fit) {
  py::dict out;
  for (std::size_t j = 0; j < fit.parameter_resamples.size(); ++j) {
    out[py::str(fit.parameter_names[j])] = fit.parameter_resamples[j].se;
  }
  return out;
}
template <typename Fit>
py::dict CurveIntervals(const Fit& fit) {
  py::dict out;
  for (std::size_t j = 0; j < fit.parameter_resamples.size(); ++j) {
    out[py::str(fit.parameter_names[j])] =
        py::make_tuple(fit.parameter_resamples[j].ci95.first, fit.parameter_resamples[j].ci95.second);
  }
  return out;
}

// A budget's vertex value, None without a vertex (as the JSON's null).
std::optional<double> VertexValue(const scalelaw::IsoflopBudget& budget, double value) {
  return budget.has_vertex ? std::optional<double>(value) : std::nullopt;
}

// --- training curves (scalelaw/io/curves.h): logs to long columns and back, then checkpoint rows ---

py::array_t<double> ToArray(const std::vector<double>& values) {
  py::array_t<double> array(static_cast<py::ssize_t>(values.size()));
  std::copy(values.begin(), values.end(), array.mutable_data());
  return array;
}

double Unset(double value) { return value > 0 ? value : std::numeric_limits<double>::quiet_NaN(); }

// The curves of the logs as long columns: one row per point, in run order.
py::dict ReadCurvesColumns(const std::vector<std::string>& paths, const std::string& format, const std::string& metric,
                           const std::string& step, const std::string& lr, const std::string& tokens,
                           const std::string& run, const std::string& params_col, const std::string& batch_col,
                           bool batch_in_tokens, const std::vector<std::string>& where, const std::string& facts,
                           double params, double batch_tokens, double batch_sequences, double seq_len,
                           const std::string& schedule) {
  scalelaw::CurveReadOptions options;
  options.format = scalelaw::LogFormatFromName(format);
  options.metric = metric;
  options.step = step;
  options.lr = lr;
  options.tokens = tokens;
  options.run_key = run;
  options.params_col = params_col;
  options.batch_col = batch_col;
  options.batch_is_tokens = batch_in_tokens;
  for (const std::string& spec : where) options.where.push_back(scalelaw::RowFilter::Parse(spec));
  options.facts_table = facts;
  options.facts.params = Unset(params);
  options.facts.batch_tokens = Unset(batch_tokens);
  options.facts.batch_sequences = Unset(batch_sequences);
  options.facts.seq_len = Unset(seq_len);
  options.facts.schedule = schedule;
  const scalelaw::CurveTable table = scalelaw::ReadCurves(paths, options);
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::string> runs, sources, schedules;
  std::vector<double> steps, values, seen, rates, ns, per_step;
  std::vector<long> lines;
  for (const scalelaw::Curve& curve : table.curves) {
    for (std::size_t i = 0; i < curve.size(); ++i) {
      runs.push_back(curve.run);
      sources.push_back(curve.source);
      schedules.push_back(curve.facts.schedule);
      steps.push_back(curve.step[i]);
      values.push_back(curve.metric[i]);
      seen.push_back(curve.tokens.empty() ? kNaN : curve.tokens[i]);
      rates.push_back(curve.lr.empty() ? kNaN : curve.lr[i]);
      ns.push_back(curve.facts.params);
      per_step.push_back(curve.facts.TokensPerStep());
      lines.push_back(curve.lines[i]);
    }
  }
  py::dict out;
  out["run"] = runs;
  out["step"] = ToArray(steps);
  out["tokens"] = ToArray(seen);
  out["metric"] = ToArray(values);
  out["lr"] = ToArray(rates);
  out["params"] = ToArray(ns);
  out["batch_tokens"] = ToArray(per_step);
  out["schedule"] = schedules;
  out["source"] = sources;
  out["line"] = lines;
  out["metric_name"] = table.metric;
  return out;
}

// The checkpoint rows of curves given as long columns.
py::dict CheckpointRowsColumns(const std::vector<std::string>& run, const DoubleArray& step, const DoubleArray& metric,
                               const DoubleArray& tokens, const DoubleArray& lr, const DoubleArray& params,
                               const std::vector<std::string>& schedule, const std::string& metric_name,
                               const std::string& keep, const std::string& smooth, double skip_warmup,
                               double cooldown_fraction) {
  scalelaw::CurveColumns columns;
  columns.source = "<DataFrame>";
  columns.metric_name = metric_name;
  columns.run = run;
  columns.step = ToVector(step);
  columns.metric = ToVector(metric);
  columns.tokens = ToVector(tokens);
  columns.lr = ToVector(lr);
  columns.params = ToVector(params);
  columns.schedule = schedule;
  scalelaw::CheckpointPolicy policy;
  policy.keep = scalelaw::CheckpointPolicy::KeepFromName(keep);
  policy.SetSmoothing(smooth);
  policy.skip_warmup = skip_warmup;
  policy.cooldown_fraction = cooldown_fraction;
  const scalelaw::CheckpointRows rows = scalelaw::SelectCheckpoints(scalelaw::CurvesFromColumns(columns), policy);
  py::dict out;
  out["run"] = rows.run;
  out["params"] = ToArray(rows.params);
  out["tokens"] = ToArray(rows.tokens);
  out["step"] = ToArray(rows.step);
  out["loss"] = ToArray(rows.loss);
  out["lr"] = ToArray(rows.lr);
  out["schedule"] = rows.schedule;
  out["metric"] = rows.metric;
  out["checkpoints"] = rows.policy;
  out["warnings"] = rows.warnings;
  return out;
}

// --- loss-curve laws (scalelaw/curves/curve_fit.h) on curves given as long columns ---

// The training curves of long columns (a read_curves DataFrame): each run's LR from schedule (every run), its
// schedule column, else its lr column (scalelaw/curves/log_curves.h).
std::vector<scalelaw::TrainingCurve> TrainingCurvesOfColumns(
    const std::vector<std::string>& run, const DoubleArray& step, const DoubleArray& metric, const DoubleArray& lr,
    const std::vector<std::string>& schedules, const std::string& metric_name, const std::string& schedule,
    long max_lr_gap, std::vector<std::string>* warnings, const std::vector<double>& params = {}) {
  scalelaw::CurveColumns columns;
  columns.source = "<DataFrame>";
  columns.metric_name = metric_name;
  columns.run = run;
  columns.step = ToVector(step);
  columns.metric = ToVector(metric);
  columns.lr = ToVector(lr);
  columns.schedule = schedules;
  columns.tokens.assign(columns.step.size(), std::numeric_limits<double>::quiet_NaN());
  columns.params = params;
  if (columns.params.empty()) columns.params.assign(columns.step.size(), std::numeric_limits<double>::quiet_NaN());
  scalelaw::LogCurvesOptions options;
  options.schedule = schedule;
  options.max_lr_gap = max_lr_gap;
  return scalelaw::TrainingCurvesFromTable(scalelaw::CurvesFromColumns(columns), options, warnings);
}

// FitCurveLaw on the curves of columns (train: the runs fitted, empty: all), with the errors of the others.
py::tuple FitCurvesColumns(const std::vector<std::string>& run, const DoubleArray& step, const DoubleArray& metric,
                           const DoubleArray& lr, const std::vector<std::string>& schedules,
                           const std::string& metric_name, const std::string& schedule, long max_lr_gap,
                           const std::string& law, const std::vector<std::string>& train, double lambda,
                           bool fit_lambda, int bootstrap, std::uint64_t seed, int block_length, int threads) {
  std::vector<std::string> warnings;
  const std::vector<scalelaw::TrainingCurve> all =
      TrainingCurvesOfColumns(run, step, metric, lr, schedules, metric_name, schedule, max_lr_gap, &warnings);
  const std::vector<scalelaw::TrainingCurve> fitted = train.empty() ? all : scalelaw::SelectCurves(all, train);
  scalelaw::CurveFitOptions options;
  options.lambda = lambda;
  options.fit_lambda = fit_lambda;
  options.bootstrap_resamples = bootstrap;
  options.bootstrap_seed = seed;
  options.block_length = block_length;
  options.num_threads = threads;
  const scalelaw::CurveLawForm form = scalelaw::CurveLawFormFromName(law);
  scalelaw::CurveFitSummary fit;
  {
    py::gil_scoped_release release;
    fit = scalelaw::FitCurveLaw(form, fitted, options);
  }
  return py::make_tuple(fit, warnings);
}

// FitCurveLawAcrossSizes on the curves of columns, each run's N from params (one value a row).
py::tuple FitCurvesAcrossSizesColumns(const std::vector<std::string>& run, const DoubleArray& step,
                                      const DoubleArray& metric, const DoubleArray& lr,
                                      const std::vector<std::string>& schedules, const std::string& metric_name,
                                      const std::string& schedule, long max_lr_gap, const DoubleArray& params,
                                      const std::string& law, const std::vector<std::string>& scaled, double lambda,
                                      bool fit_lambda, double reference_params, int bootstrap, std::uint64_t seed,
                                      int block_length, int threads) {
  std::vector<std::string> warnings;
  const std::vector<scalelaw::TrainingCurve> curves = TrainingCurvesOfColumns(
      run, step, metric, lr, schedules, metric_name, schedule, max_lr_gap, &warnings, ToVector(params));
  scalelaw::CurveSizeFitOptions options;
  options.fit.lambda = lambda;
  options.fit.fit_lambda = fit_lambda;
  options.fit.bootstrap_resamples = bootstrap;
  options.fit.bootstrap_seed = seed;
  options.fit.block_length = block_length;
  options.fit.num_threads = threads;
  options.scaled = scaled;
  options.reference_params = reference_params;
  const scalelaw::CurveLawForm form = scalelaw::CurveLawFormFromName(law);
  scalelaw::CurveSizeFitSummary fit;
  {
    py::gil_scoped_release release;
    fit = scalelaw::FitCurveLawAcrossSizes(form, curves, options);
  }
  return py::make_tuple(fit, warnings);
}

// A forecast as columns: step, lr, loss, lower, upper (empty without resamples), final_loss, final_loss_ci95 and
// final_loss_se (None without resamples).
py::dict ForecastDict(const scalelaw::CurveForecast& forecast) {
  std::vector<double> steps(forecast.steps.begin(), forecast.steps.end());
  py::dict out;
  out["step"] = ToArray(steps);
  out["lr"] = ToArray(forecast.lr);
  out["loss"] = ToArray(forecast.loss);
  out["lower"] = ToArray(forecast.lower);
  out["upper"] = ToArray(forecast.upper);
  out["final_loss"] = forecast.final_loss;
  if (forecast.HasInterval()) {
    out["final_loss_ci95"] =
        py::make_tuple(forecast.final_loss_resamples.ci95.first, forecast.final_loss_resamples.ci95.second);
    out["final_loss_se"] = forecast.final_loss_resamples.se;
  } else {
    out["final_loss_ci95"] = py::none();
    out["final_loss_se"] = py::none();
  }
  return out;
}

long EveryOf(long every, const std::vector<double>& lr) {
  return every > 0 ? every : std::max<long>(1, static_cast<long>(lr.size()) / 200);
}

// The curve a fit across sizes predicts at N for a schedule spec (ForecastCurveAtSize), as ForecastDict with the
// law's parameters at N.
py::dict ForecastSizeColumns(const scalelaw::CurveSizeFitSummary& fit, const std::string& schedule, double params,
                             long every) {
  const std::vector<double> lr = scalelaw::LrPerStep(scalelaw::ParseLrSchedule(schedule));
  py::dict out = ForecastDict(scalelaw::ForecastCurveAtSize(fit, params, lr, EveryOf(every, lr)));
  const scalelaw::CurveLaw law = fit.Law().At(params);
  py::dict parameters;
  const std::vector<std::string> names = scalelaw::CurveLawParameterNames(law.form);
  for (std::size_t j = 0; j < names.size() && j < law.parameters.size(); ++j) {
    parameters[py::str(names[j])] = law.parameters[j];
  }
  out["parameters"] = parameters;
  return out;
}

// Each curve's errors under the fit: {name: {points, pred_e, worst_e, r2, mae, rmse}}.
py::tuple CurveErrorsColumns(const scalelaw::CurveFitSummary& fit, const std::vector<std::string>& run,
                             const DoubleArray& step, const DoubleArray& metric, const DoubleArray& lr,
                             const std::vector<std::string>& schedules, const std::string& metric_name,
                             const std::string& schedule, long max_lr_gap) {
  std::vector<std::string> warnings;
  const std::vector<scalelaw::TrainingCurve> curves =
      TrainingCurvesOfColumns(run, step, metric, lr, schedules, metric_name, schedule, max_lr_gap, &warnings);
  const scalelaw::CurveLaw law = fit.Law();
  py::list out;
  for (const scalelaw::TrainingCurve& curve : curves) {
    const scalelaw::CurveErrors e =
        scalelaw::CurvePredictionErrors(curve.loss, scalelaw::CurveLoss(law, curve.lr, curve.steps));
    py::dict row;
    row["run"] = curve.name;
    row["points"] = e.points;
    row["pred_e"] = e.pred_e;
    row["worst_e"] = e.worst_e;
    row["r2"] = e.r2;
    row["mae"] = e.mae;
    row["rmse"] = e.rmse;
    out.append(row);
  }
  return py::make_tuple(out, warnings);
}

// ForecastCurve of a schedule spec as columns.
py::dict ForecastColumns(const scalelaw::CurveFitSummary& fit, const std::string& schedule, long every) {
  const std::vector<double> lr = scalelaw::LrPerStep(scalelaw::ParseLrSchedule(schedule));
  return ForecastDict(scalelaw::ForecastCurve(fit, lr, EveryOf(every, lr)));
}

// plot::CurveChartData as a dict for scalelaw.plot.
py::dict ChartDict(const scalelaw::plot::CurveChartData& data) {
  py::dict out;
  out["title"] = data.title;
  py::list list;
  for (const scalelaw::plot::CurveChartCurve& c : data.curves) {
    py::dict entry;
    entry["name"] = c.name;
    entry["fitted"] = c.fitted;
    entry["color"] = c.color;
    entry["observed_step"] = ToArray(c.observed_step);
    entry["observed_loss"] = ToArray(c.observed_loss);
    entry["step"] = ToArray(c.step);
    entry["lr"] = ToArray(c.lr);
    entry["loss"] = ToArray(c.loss);
    entry["lower"] = ToArray(c.lower);
    entry["upper"] = ToArray(c.upper);
    entry["schedule_step"] = ToArray(c.schedule_step);
    entry["schedule_lr"] = ToArray(c.schedule_lr);
    list.append(entry);
  }
  out["curves"] = list;
  return out;
}

// The training curves of columns (when any) and the schedule specs in extra (predicted only), each at its N in
// params (one value per row, then one per spec; empty: no N).
std::vector<scalelaw::TrainingCurve> ChartCurves(const std::vector<std::string>& run, const DoubleArray& step,
                                                 const DoubleArray& metric, const DoubleArray& lr,
                                                 const std::vector<std::string>& schedules,
                                                 const std::string& metric_name, const std::string& schedule,
                                                 long max_lr_gap, const std::vector<std::string>& extra,
                                                 const std::vector<double>& params = {},
                                                 const std::vector<double>& extra_params = {}) {
  std::vector<scalelaw::TrainingCurve> curves;
  if (!run.empty() || step.size() > 0) {
    curves =
        TrainingCurvesOfColumns(run, step, metric, lr, schedules, metric_name, schedule, max_lr_gap, nullptr, params);
  }
  for (std::size_t k = 0; k < extra.size(); ++k) {  // schedules only predicted
    scalelaw::TrainingCurve curve;
    curve.name = extra[k];
    curve.lr = scalelaw::LrPerStep(scalelaw::ParseLrSchedule(extra[k]));
    if (k < extra_params.size()) curve.params = extra_params[k];
    curves.push_back(std::move(curve));
  }
  return curves;
}

// scalelaw.plot(curve fit, curves): the chart data of plot::MakeCurveChart, the CLI's --plot.
py::dict CurveChartColumns(const scalelaw::CurveFitSummary& fit, const std::vector<std::string>& run,
                           const DoubleArray& step, const DoubleArray& metric, const DoubleArray& lr,
                           const std::vector<std::string>& schedules, const std::string& metric_name,
                           const std::string& schedule, long max_lr_gap, const std::vector<std::string>& extra) {
  const std::vector<scalelaw::TrainingCurve> curves =
      ChartCurves(run, step, metric, lr, schedules, metric_name, schedule, max_lr_gap, extra);
  return ChartDict(scalelaw::plot::MakeCurveChart(fit, curves, fit.curve_names));
}

// scalelaw.plot(fit across sizes, curves): the same, each curve at its N (params per row, extra_params per spec).
py::dict CurveSizeChartColumns(const scalelaw::CurveSizeFitSummary& fit, const std::vector<std::string>& run,
                               const DoubleArray& step, const DoubleArray& metric, const DoubleArray& lr,
                               const std::vector<std::string>& schedules, const std::string& metric_name,
                               const std::string& schedule, long max_lr_gap, const DoubleArray& params,
                               const std::vector<std::string>& extra, const std::vector<double>& extra_params) {
  const std::vector<scalelaw::TrainingCurve> curves = ChartCurves(
      run, step, metric, lr, schedules, metric_name, schedule, max_lr_gap, extra, ToVector(params), extra_params);
  return ChartDict(scalelaw::plot::MakeCurveChart(fit, curves, fit.curve_names));
}

}  // namespace

void BindScheduleDesign(py::module_& m);  // schedule_design_bindings.cpp
void BindRecipes(py::module_& m);         // recipes_bindings.cpp
void BindSweepDesign(py::module_& m);     // sweep_design_bindings.cpp
void BindCount(py::module_& m);           // count_bindings.cpp
void BindAnalysisCharts(py::module_& m);  // chart_bindings.cpp
void BindSweepPlan(py::module_& m,
                   std::optional<scalelaw::Law> (*law_of)(const py::object&));  // sweep_plan_bindings.cpp

PYBIND11_MODULE(_scalelaw, m) {
  m.doc() = "scalelaw C++ core (use the scalelaw package, not this module)";
  m.attr("__version__") = scalelaw::kVersion;

  auto error = py::register_exception<scalelaw::Error>(m, "Error", PyExc_ValueError);
  py::register_exception<scalelaw::InputError>(m, "InputError", error.ptr());
  // A message that names inputs names them as Python's keywords ("needs params="), not as the CLI's options.
  static py::handle invalid_argument =
      py::register_exception<scalelaw::InvalidArgument>(m, "InvalidArgument", error.ptr());
  py::register_exception_translator([](std::exception_ptr pointer) {
    try {
      if (pointer) std::rethrow_exception(pointer);
    } catch (const scalelaw::InputProblem& problem) {
      PyErr_SetString(invalid_argument.ptr(), problem.Spelled(scalelaw::Spelling::kPython).c_str());
    }
  });

  // FitResult and IsoflopResult take attributes set in Python (scalelaw.fit and isoflop record the table columns
  // they read as table_columns, which scalelaw.plot reuses).
  py::class_<scalelaw::FitSummary>(m, "FitResult", "A fitted scaling law and how the fit went", py::dynamic_attr())
      .def_readonly("model", &scalelaw::FitSummary::model)
      .def_readonly("inputs", &scalelaw::FitSummary::inputs,
                    "the data the form reads: N, D (and U) for the laws in N and D, a formula's columns otherwise")
      .def_property_readonly(
          "estimator", [](const scalelaw::FitSummary& s) { return std::string(scalelaw::EstimatorName(s.estimator)); })
      .def_readonly("huber_delta", &scalelaw::FitSummary::huber_delta)
      .def_property_readonly(
          "residual", [](const scalelaw::FitSummary& s) { return std::string(scalelaw::ResidualName(s.residual)); },
          "the residual the objective acted on: \"log\" or \"loss\"")
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
      .def_readonly("derived", &scalelaw::FitSummary::derived, "derived quantities (a; N_opt, D_opt at at_flops)")
      .def_property_readonly("se", &StandardErrors<scalelaw::FitSummary>, "bootstrap standard errors")
      .def_property_readonly("ci95", &Intervals<scalelaw::FitSummary>, "bootstrap 95% percentile intervals")
      .def_readonly("laplace_se", &scalelaw::FitSummary::laplace_se, "Gauss-Newton (Laplace) standard errors")
      .def_readonly("bootstrap_resamples", &scalelaw::FitSummary::bootstrap_resamples)
      .def_readonly("bootstrap_failed", &scalelaw::FitSummary::bootstrap_failed)
      .def_readonly("aic", &scalelaw::FitSummary::aic)
      .def_readonly("bic", &scalelaw::FitSummary::bic)
      .def_readonly("holdout_mean_abs_relative_error", &scalelaw::FitSummary::holdout_mean_abs_relative_error)
      .def_readonly("holdout_max_abs_relative_error", &scalelaw::FitSummary::holdout_max_abs_relative_error)
      .def_readonly("n_points", &scalelaw::FitSummary::num_points)
      .def_readonly("num_starts", &scalelaw::FitSummary::num_starts)
      .def_readonly("num_starts_failed", &scalelaw::FitSummary::num_starts_failed)
      .def_readonly("num_starts_in_best_basin", &scalelaw::FitSummary::num_starts_in_best_basin)
      .def_readonly("iterations", &scalelaw::FitSummary::iterations)
      .def_property_readonly("converged", &scalelaw::FitSummary::IsUsable, "the fit is usable (the JSON's name)")
      .def_property_readonly("usable", &scalelaw::FitSummary::IsUsable)
      .def_property_readonly("status", &StatusName<scalelaw::FitSummary>,
                             "usable, not identifiable, no convergence or interrupted")
      .def_readonly("message", &scalelaw::FitSummary::message)
      .def_readonly("wall_seconds", &scalelaw::FitSummary::wall_seconds)
      .def("brief_report", &scalelaw::FitSummary::BriefReport)
      .def("full_report", &scalelaw::FitSummary::FullReport)
      .def("__str__", &scalelaw::FitSummary::FullReport)
      .def("to_json", [](const scalelaw::FitSummary& s) { return scalelaw::FitToJson(s); })
      // Pickled as its JSON, which keeps every field (scalelaw/io/fit_json.h). __reduce__ gives every protocol
      // what protocol 2 does with py::pickle (a bare instance, then __setstate__): protocols 0 and 1 would go
      // through copyreg._reduce_ex, which cannot make a pybind11 instance and aborts the interpreter.
      // The instance's __dict__ travels beside the JSON: the table_columns scalelaw.fit recorded, so a fit read
      // back still plots from its table without naming the columns again.
      .def(py::pickle(
          [](const py::object& self) -> py::object {
            return py::make_tuple(scalelaw::FitToJson(self.cast<const scalelaw::FitSummary&>()), self.attr("__dict__"));
          },
          [](const py::object& state) {
            if (py::isinstance<py::str>(state)) {  // pickled by an earlier version: the JSON alone
              return std::make_pair(scalelaw::FitFromJson(state.cast<std::string>(), "<pickle>"), py::dict());
            }
            const py::tuple saved = state.cast<py::tuple>();
            if (saved.size() != 2) throw scalelaw::InvalidArgument("not a pickled FitResult");
            return std::make_pair(scalelaw::FitFromJson(saved[0].cast<std::string>(), "<pickle>"),
                                  saved[1].cast<py::dict>());
          }))
      .def("__reduce__", [](const py::object& self) {
        return py::make_tuple(py::module_::import("copyreg").attr("__newobj__"), py::make_tuple(py::type::of(self)),
                              self.attr("__getstate__")());
      });

  m.def("_validate", &ValidateRuns, py::arg("params"), py::arg("tokens"), py::arg("loss"), py::arg("weights"),
        py::arg("unique_tokens"), py::arg("columns"), py::arg("model"), py::arg("formula"), py::arg("options"),
        py::arg("split_by"), py::arg("split"), py::arg("thresholds"), py::arg("quantiles"), py::arg("min_runs"),
        py::arg("predictive"));
  m.def("_fit", &FitRuns, py::arg("params"), py::arg("tokens"), py::arg("loss"), py::arg("weights"),
        py::arg("unique_tokens"), py::arg("columns"), py::arg("model"), py::arg("formula"), py::arg("options"));
  m.def("_model_catalogue", [] {
    py::list out;
    for (const scalelaw::Model& model : scalelaw::Model::Catalogue()) {
      py::dict entry;
      entry["name"] = std::string(model.name());
      entry["formula"] = std::string(model.formula());
      entry["parameters"] = model.parameter_names();
      entry["inputs"] = model.inputs();
      entry["description"] = std::string(model.description());
      out.append(entry);
    }
    return out;
  });
  // The choice tables of fit() (scalelaw/fit/fit.h), one dict a row; "default" marks FitOptions' own choice.
  m.def("_objectives", [] {
    const scalelaw::FitOptions defaults;
    py::list out;
    for (const scalelaw::ObjectiveInfo& info : scalelaw::ObjectiveTable()) {
      py::dict entry;
      entry["name"] = std::string(info.name);
      entry["summand"] = std::string(info.summand);
      entry["residual"] = std::string(scalelaw::ResidualName(info.residual));
      entry["use"] = std::string(info.use);
      entry["default"] = info.id == defaults.objective;
      out.append(entry);
    }
    return out;
  });
  m.def("_residuals", [] {
    const scalelaw::FitOptions defaults;
    py::list out;
    for (const scalelaw::ResidualInfo& info : scalelaw::ResidualTable()) {
      py::dict entry;
      entry["name"] = std::string(info.name);
      entry["residual"] = std::string(info.residual);
      entry["use"] = std::string(info.use);
      entry["default"] = info.id == scalelaw::ResidualOf(defaults);
      out.append(entry);
    }
    return out;
  });
  m.def("_estimators", [] {
    const scalelaw::FitOptions defaults;
    py::list out;
    for (const scalelaw::EstimatorInfo& info : scalelaw::EstimatorTable()) {
      py::dict entry;
      entry["name"] = std::string(info.name);
      entry["minimises"] = std::string(info.minimises);
      entry["reference"] = std::string(info.reference);
      entry["default"] = info.id == defaults.estimator;
      out.append(entry);
    }
    return out;
  });
  m.def("_start_strategies", [] {
    const scalelaw::FitOptions defaults;
    py::list out;
    for (const scalelaw::StartStrategyInfo& info : scalelaw::StartStrategyTable()) {
      py::dict entry;
      entry["name"] = std::string(info.name);
      entry["spec"] = std::string(info.spec);
      entry["summary"] = std::string(info.summary);
      entry["default"] = info.id == defaults.start_strategy;
      out.append(entry);
    }
    return out;
  });
  m.def(
      "_formula_columns",
      [](const std::string& formula, const std::vector<std::string>& names) {
        return scalelaw::Model::FromFormula(formula, names).data_columns();
      },
      py::arg("formula"), py::arg("names"));
  m.def("_fit_from_json", &scalelaw::FitFromJson, py::arg("text"), py::arg("source"));
  m.def("_read_fit_json", &scalelaw::ReadFitJson, py::arg("path"));
  m.def("_read_curves", &ReadCurvesColumns, py::arg("paths"), py::arg("format"), py::arg("metric"), py::arg("step"),
        py::arg("lr"), py::arg("tokens"), py::arg("run"), py::arg("params_col"), py::arg("batch_col"),
        py::arg("batch_in_tokens"), py::arg("where"), py::arg("facts"), py::arg("params"), py::arg("batch_tokens"),
        py::arg("batch_sequences"), py::arg("seq_len"), py::arg("schedule"));
  m.def("_checkpoint_rows", &CheckpointRowsColumns, py::arg("run"), py::arg("step"), py::arg("metric"),
        py::arg("tokens"), py::arg("lr"), py::arg("params"), py::arg("schedule"), py::arg("metric_name"),
        py::arg("keep"), py::arg("smooth"), py::arg("skip_warmup"), py::arg("cooldown_fraction"));
  m.def("_tensorboard_supported", &scalelaw::TensorBoardSupported);

  // --- loss-curve laws ---
  py::class_<scalelaw::CurveFitSummary>(
      m, "CurveFitResult", "A loss-curve law fitted to training curves (scalelaw.fit_curves)", py::dynamic_attr())
      .def_property_readonly(
          "law", [](const scalelaw::CurveFitSummary& s) { return std::string(scalelaw::CurveLawFormName(s.form)); },
          "multi-power, annealing or power")
      .def_property_readonly("params",
                             [](const scalelaw::CurveFitSummary& s) {
                               py::dict out;
                               for (std::size_t j = 0; j < s.parameters.size(); ++j) {
                                 out[py::str(s.parameter_names[j])] = s.parameters[j];
                               }
                               return out;
                             })
      .def_readonly("lambda_", &scalelaw::CurveFitSummary::lambda, "the annealing law's momentum")
      .def_readonly("objective", &scalelaw::CurveFitSummary::objective, "the Huber objective of log residuals")
      .def_readonly("n_points", &scalelaw::CurveFitSummary::points)
      .def_readonly("curves", &scalelaw::CurveFitSummary::curve_names, "the fitted curves' names")
      .def_property_readonly("curve_errors",
                             [](const scalelaw::CurveFitSummary& s) {
                               py::dict out;
                               for (std::size_t c = 0; c < s.curve_errors.size(); ++c) {
                                 const scalelaw::CurveErrors& e = s.curve_errors[c];
                                 py::dict row;
                                 row["points"] = e.points;
                                 row["pred_e"] = e.pred_e;
                                 row["worst_e"] = e.worst_e;
                                 row["r2"] = e.r2;
                                 row["mae"] = e.mae;
                                 row["rmse"] = e.rmse;
                                 out[py::str(s.curve_names[c])] = row;
                               }
                               return out;
                             })
      .def_property_readonly("se", &CurveStandardErrors<scalelaw::CurveFitSummary>,
                             "bootstrap standard errors (empty without a bootstrap)")
      .def_property_readonly("ci95", &CurveIntervals<scalelaw::CurveFitSummary>,
                             "bootstrap 95% percentile intervals (empty without a bootstrap)")
      .def_readonly("resamples", &scalelaw::CurveFitSummary::resample_parameters,
                    "the parameters of each bootstrap resample")
      .def_readonly("bootstrap_failed", &scalelaw::CurveFitSummary::failed_resamples)
      .def_property_readonly("usable", &scalelaw::CurveFitSummary::IsUsable)
      .def_property_readonly("status", &StatusName<scalelaw::CurveFitSummary>,
                             "usable, not identifiable, no convergence or interrupted")
      .def_readonly("message", &scalelaw::CurveFitSummary::message)
      .def_readonly("wall_seconds", &scalelaw::CurveFitSummary::seconds)
      .def("brief_report", &scalelaw::CurveFitSummary::BriefReport)
      .def("full_report", &scalelaw::CurveFitSummary::FullReport)
      .def("__str__", &scalelaw::CurveFitSummary::FullReport)
      .def("to_json", [](const scalelaw::CurveFitSummary& s) { return scalelaw::CurveFitToJson(s); });
  m.def("_curve_fit_from_json", &scalelaw::CurveFitFromJson, py::arg("text"), py::arg("source"));
  py::class_<scalelaw::CurveSizeFitSummary>(m, "CurveSizeFitResult",
                                            "A loss-curve law fitted jointly across model sizes "
                                            "(scalelaw.fit_curves_across_sizes)",
                                            py::dynamic_attr())
      .def_property_readonly(
          "law", [](const scalelaw::CurveSizeFitSummary& s) { return std::string(scalelaw::CurveLawFormName(s.form)); },
          "multi-power, annealing or power")
      .def_property_readonly(
          "params",
          [](const scalelaw::CurveSizeFitSummary& s) {
            py::dict out;
            const std::vector<std::string> names = scalelaw::CurveLawParameterNames(s.form);
            for (std::size_t j = 0; j < names.size() && j < s.law.parameters.size(); ++j) {
              out[py::str(names[j])] = s.law.parameters[j];
            }
            return out;
          },
          "the law's parameters at reference_params")
      .def_property_readonly(
          "exponents",
          [](const scalelaw::CurveSizeFitSummary& s) {
            py::dict out;
            const std::vector<std::string> names = scalelaw::CurveLawParameterNames(s.form);
            for (std::size_t j = 0; j < names.size() && j < s.law.exponents.size(); ++j) {
              if (s.law.scaled[j]) out[py::str(names[j])] = s.law.exponents[j];
            }
            return out;
          },
          "the N exponent of each scaled parameter: theta(N) = theta * (N / reference_params)^e")
      .def_property_readonly("reference_params",
                             [](const scalelaw::CurveSizeFitSummary& s) { return s.law.reference_params; })
      .def_readonly("lambda_", &scalelaw::CurveSizeFitSummary::lambda, "the annealing law's momentum")
      .def_readonly("objective", &scalelaw::CurveSizeFitSummary::objective, "the Huber objective of log residuals")
      .def_readonly("n_points", &scalelaw::CurveSizeFitSummary::points)
      .def_readonly("sizes", &scalelaw::CurveSizeFitSummary::sizes, "the distinct N fitted, increasing")
      .def_readonly("curves", &scalelaw::CurveSizeFitSummary::curve_names, "the fitted curves' names")
      .def_readonly("curve_params", &scalelaw::CurveSizeFitSummary::curve_params, "each fitted curve's N")
      .def_readonly("condition_number", &scalelaw::CurveSizeFitSummary::condition_number)
      .def_readonly("parameter_names", &scalelaw::CurveSizeFitSummary::parameter_names,
                    "the free parameters: each law parameter at reference_params, then e_<name> per scaled one")
      .def_property_readonly("se", &CurveStandardErrors<scalelaw::CurveSizeFitSummary>,
                             "bootstrap standard errors of the free parameters (empty without a bootstrap)")
      .def_property_readonly("ci95", &CurveIntervals<scalelaw::CurveSizeFitSummary>,
                             "bootstrap 95% percentile intervals of the free parameters (empty without a bootstrap)")
      .def_readonly("resamples", &scalelaw::CurveSizeFitSummary::resample_parameters,
                    "the free parameters (parameter_names) of each bootstrap resample")
      .def_readonly("bootstrap_failed", &scalelaw::CurveSizeFitSummary::failed_resamples)
      .def_property_readonly("usable", &scalelaw::CurveSizeFitSummary::IsUsable)
      .def_property_readonly("status", &StatusName<scalelaw::CurveSizeFitSummary>,
                             "usable, not identifiable or no convergence")
      .def_readonly("message", &scalelaw::CurveSizeFitSummary::message)
      .def_readonly("wall_seconds", &scalelaw::CurveSizeFitSummary::seconds)
      .def("brief_report", &scalelaw::CurveSizeFitSummary::BriefReport)
      .def("full_report", &scalelaw::CurveSizeFitSummary::FullReport)
      .def("__str__", &scalelaw::CurveSizeFitSummary::FullReport)
      .def("to_json", [](const scalelaw::CurveSizeFitSummary& s) { return scalelaw::CurveSizeFitToJson(s); });
  m.def("_curve_size_fit_from_json", &scalelaw::CurveSizeFitFromJson, py::arg("text"), py::arg("source"));
  m.def("_fit_curves_across_sizes", &FitCurvesAcrossSizesColumns, py::arg("run"), py::arg("step"), py::arg("metric"),
        py::arg("lr"), py::arg("schedules"), py::arg("metric_name"), py::arg("schedule"), py::arg("max_lr_gap"),
        py::arg("params"), py::arg("law"), py::arg("scaled"), py::arg("lambda_"), py::arg("fit_lambda"),
        py::arg("reference_params"), py::arg("bootstrap"), py::arg("seed"), py::arg("block_length"),
        py::arg("threads"));
  m.def("_curve_size_chart", &CurveSizeChartColumns, py::arg("fit"), py::arg("run"), py::arg("step"), py::arg("metric"),
        py::arg("lr"), py::arg("schedules"), py::arg("metric_name"), py::arg("schedule"), py::arg("max_lr_gap"),
        py::arg("params"), py::arg("extra"), py::arg("extra_params"));
  m.def("_forecast_curve_at_size", &ForecastSizeColumns, py::arg("fit"), py::arg("schedule"), py::arg("params"),
        py::arg("every"));
  m.def("_fit_curves", &FitCurvesColumns, py::arg("run"), py::arg("step"), py::arg("metric"), py::arg("lr"),
        py::arg("schedules"), py::arg("metric_name"), py::arg("schedule"), py::arg("max_lr_gap"), py::arg("law"),
        py::arg("train"), py::arg("lambda_"), py::arg("fit_lambda"), py::arg("bootstrap"), py::arg("seed"),
        py::arg("block_length"), py::arg("threads"));
  m.def("_curve_errors", &CurveErrorsColumns, py::arg("fit"), py::arg("run"), py::arg("step"), py::arg("metric"),
        py::arg("lr"), py::arg("schedules"), py::arg("metric_name"), py::arg("schedule"), py::arg("max_lr_gap"));
  m.def("_forecast_curve", &ForecastColumns, py::arg("fit"), py::arg("schedule"), py::arg("every"));
  m.def("_curve_chart", &CurveChartColumns, py::arg("fit"), py::arg("run"), py::arg("step"), py::arg("metric"),
        py::arg("lr"), py::arg("schedules"), py::arg("metric_name"), py::arg("schedule"), py::arg("max_lr_gap"),
        py::arg("extra"));
  m.def("_predict_json", &PredictJson, py::arg("quantity"), py::arg("law"), py::arg("inputs"), py::arg("fit"),
        py::arg("constants"), py::arg("predictive") = 0.9);
  m.def("_predict_bulk", &PredictBulk, py::arg("quantity"), py::arg("law"), py::arg("columns"), py::arg("fixed"),
        py::arg("fit"), py::arg("constants"), py::arg("intervals") = false, py::arg("predictive") = 0.0);
  m.def("_inputs", [] {
    py::list out;
    for (const scalelaw::InputInfo& info : scalelaw::InputTable()) {
      py::dict entry;
      entry["key"] = std::string(info.key);
      entry["option"] = std::string(info.option);
      entry["quantity"] = std::string(info.quantity);
      entry["help"] = std::string(info.help);
      entry["default"] = info.default_value;
      out.append(entry);
    }
    return out;
  });
  m.def("_plan_json", &PlanJson, py::arg("inputs"), py::arg("law"), py::arg("fits"), py::arg("vocab"),
        py::arg("tied_embeddings"), py::arg("ffn_kind"), py::arg("head_dims"), py::arg("group_sizes"),
        py::arg("vocab_from_law"), py::arg("vocab_multiple"));
  m.def("_laws_json", &scalelaw::LawRegistryToJson);
  m.def("_law_json", [](const std::string& name) { return scalelaw::LawToJson(scalelaw::FindLaw(name)); });
  m.def("_transfer_lr", [](const DoubleArray& lr, const DoubleArray& from, const DoubleArray& to, double exponent) {
    return py::vectorize([exponent](double x, double d1, double d2) {
      return scalelaw::TransferLearningRate(x, d1, d2, exponent);
    })(lr, from, to);
  });
  py::class_<scalelaw::IsoflopBudget>(m, "IsoflopBudget", "One compute budget of an IsoFLOP analysis")
      .def_readonly("flops", &scalelaw::IsoflopBudget::flops, "C_k, the geometric mean of its runs' C")
      .def_readonly("flops_min", &scalelaw::IsoflopBudget::flops_min)
      .def_readonly("flops_max", &scalelaw::IsoflopBudget::flops_max)
      .def_property_readonly(
          "params", [](const scalelaw::IsoflopBudget& b) { return VertexValue(b, b.params); }, "N* (None: no vertex)")
      .def_property_readonly(
          "tokens", [](const scalelaw::IsoflopBudget& b) { return VertexValue(b, b.tokens); }, "D* (None: no vertex)")
      .def_property_readonly(
          "loss", [](const scalelaw::IsoflopBudget& b) { return VertexValue(b, b.loss); }, "L* (None: no vertex)")
      .def_readonly("n_runs", &scalelaw::IsoflopBudget::n_runs)
      .def_readonly("n_sizes", &scalelaw::IsoflopBudget::n_sizes)
      .def_readonly("curvature", &scalelaw::IsoflopBudget::curvature, "p, the coefficient of (ln N)^2")
      .def_readonly("params_min", &scalelaw::IsoflopBudget::params_min)
      .def_readonly("params_max", &scalelaw::IsoflopBudget::params_max)
      .def_readonly("tokens_min", &scalelaw::IsoflopBudget::tokens_min, "sampled D range (0 without tokens)")
      .def_readonly("tokens_max", &scalelaw::IsoflopBudget::tokens_max)
      .def_property_readonly(
          "ratio_6nd",
          [](const scalelaw::IsoflopBudget& b) -> std::optional<std::pair<double, double>> {
            if (!(b.ratio_max > 0)) return std::nullopt;
            return std::pair{b.ratio_min, b.ratio_max};
          },
          "(min, max) of 6ND/C over its runs; None when C is 6ND or there are no tokens")
      .def_readonly("log_params_sd", &scalelaw::IsoflopBudget::log_params_sd)
      .def_readonly("log_tokens_sd", &scalelaw::IsoflopBudget::log_tokens_sd)
      .def_readonly("extrapolated", &scalelaw::IsoflopBudget::extrapolated)
      .def_readonly("used", &scalelaw::IsoflopBudget::used)
      .def_readonly("status", &scalelaw::IsoflopBudget::status);

  // The ladder to benchmark (scalelaw.fit_ladder): one task's two steps and chain (arXiv:2412.04403).
  py::class_<scalelaw::LadderSummary>(m, "LadderResult", "One task's ladder prediction: step 1, step 2 and chained")
      .def_readonly("task", &scalelaw::LadderSummary::task)
      .def_property_readonly("status", &StatusName<scalelaw::LadderSummary>)
      .def_property_readonly("usable", &scalelaw::LadderSummary::IsUsable)
      .def_readonly("message", &scalelaw::LadderSummary::message)
      .def_readonly("warnings", &scalelaw::LadderSummary::warnings, "the target beyond the ladder's N or D")
      .def_readonly("target_params", &scalelaw::LadderSummary::target_params)
      .def_readonly("target_tokens", &scalelaw::LadderSummary::target_tokens)
      .def_readonly("step1_prediction", &scalelaw::LadderSummary::step1_prediction)
      .def_readonly("step1_points", &scalelaw::LadderSummary::step1_points, "the ladder runs step 1 was fitted on")
      .def_readonly("step2_points", &scalelaw::LadderSummary::step2_points,
                    "the smoothed checkpoints step 2 was fitted on (with the ideal point, when used)")
      .def_readonly("actual_task_loss", &scalelaw::LadderSummary::actual_task_loss)
      .def_readonly("step2_prediction", &scalelaw::LadderSummary::step2_prediction)
      .def_readonly("chained_prediction", &scalelaw::LadderSummary::chained_prediction)
      .def_readonly("chained_lower", &scalelaw::LadderSummary::chained_lower)
      .def_readonly("chained_upper", &scalelaw::LadderSummary::chained_upper)
      .def_readonly("actual_accuracy", &scalelaw::LadderSummary::actual_accuracy)
      .def_readonly("bootstrap_chained", &scalelaw::LadderSummary::bootstrap_chained)
      .def_property_readonly("one_step_prediction",
                             [](const scalelaw::LadderSummary& s) { return s.one_step.prediction; })
      .def_property_readonly("multistart_chained_prediction",
                             [](const scalelaw::LadderSummary& s) { return s.multistart.chained_prediction; })
      .def_property_readonly(
          "step1",
          [](const scalelaw::LadderSummary& s) {
            return std::map<std::string, double>{
                {"a", s.step1.a}, {"b", s.step1.b}, {"alpha", s.step1.alpha}, {"beta", s.step1.beta}, {"E", s.step1.e}};
          })
      .def_property_readonly("step2",
                             [](const scalelaw::LadderSummary& s) {
                               return std::map<std::string, double>{{"a", s.step2_chained.a},
                                                                    {"L0", s.step2_chained.l0},
                                                                    {"k", s.step2_chained.k},
                                                                    {"b", s.step2_chained.b}};
                             })
      .def("full_report", &scalelaw::LadderSummary::FullReport);
  m.def(
      "_olmo_ladder_config",
      [](const std::string& path) {
        std::vector<std::tuple<std::string, double, bool>> out;
        for (const scalelaw::LadderRunFile& f : scalelaw::ReadOlmoLadderConfig(path)) {
          out.emplace_back(f.path, f.params, f.target);
        }
        return out;
      },
      py::arg("path"));
  m.def(
      "_fit_ladder",
      [](const std::vector<std::tuple<std::string, double, bool>>& files, const std::vector<std::string>& tasks,
         double target_params, double target_tokens, int bootstrap, std::uint64_t seed, int threads, bool multistart,
         std::optional<double> max_extrapolation) {
        std::vector<scalelaw::LadderRunFile> runs;
        for (const auto& [path, params, target] : files) runs.push_back({path, params, target});
        scalelaw::LadderOptions options;
        options.bootstrap_resamples = bootstrap;
        options.bootstrap_seed = seed;
        options.num_threads = threads;
        options.multistart = multistart;
        if (max_extrapolation) options.max_compute_extrapolation = *max_extrapolation;
        py::gil_scoped_release release;
        return scalelaw::FitLadderFiles(runs, tasks, options, target_params, target_tokens);
      },
      py::arg("files"), py::arg("tasks"), py::arg("target_params"), py::arg("target_tokens"), py::arg("bootstrap"),
      py::arg("seed"), py::arg("threads"), py::arg("multistart"), py::arg("max_extrapolation"));
  py::class_<scalelaw::IsoflopResult>(m, "IsoflopResult", "Chinchilla Approach 2: N_opt = k·C^a, D_opt = k'·C^b",
                                      py::dynamic_attr())
      .def_property_readonly("status", &StatusName<scalelaw::IsoflopResult>,
                             "usable, not identifiable, no convergence or interrupted")
      .def_property_readonly("usable", &scalelaw::IsoflopResult::IsUsable)
      .def_readonly("message", &scalelaw::IsoflopResult::message)
      .def_readonly("a", &scalelaw::IsoflopResult::a)
      .def_readonly("b", &scalelaw::IsoflopResult::b)
      .def_readonly("k_params", &scalelaw::IsoflopResult::k_params)
      .def_readonly("k_tokens", &scalelaw::IsoflopResult::k_tokens)
      .def_readonly("n_budgets_used", &scalelaw::IsoflopResult::n_budgets_used)
      .def_readonly("n_runs", &scalelaw::IsoflopResult::n_runs)
      .def_readonly("budget_tolerance", &scalelaw::IsoflopResult::budget_tolerance)
      .def_property_readonly(
          "grouping", [](const scalelaw::IsoflopResult& r) { return r.by_label ? "label" : "tolerance"; },
          "'label' (the runs' budget labels) or 'tolerance' (C within budget_tolerance)")
      .def_property_readonly(
          "vertex", [](const scalelaw::IsoflopResult& r) { return std::string(scalelaw::IsoflopVertexName(r.vertex)); })
      .def_readonly("window", &scalelaw::IsoflopResult::window)
      .def_property_readonly(
          "d_star", [](const scalelaw::IsoflopResult& r) { return std::string(scalelaw::IsoflopDStarName(r.d_star)); })
      .def_readonly("keep_outside", &scalelaw::IsoflopResult::keep_outside)
      .def_readonly("weighted", &scalelaw::IsoflopResult::weighted)
      .def_readonly("weight_resamples", &scalelaw::IsoflopResult::weight_resamples,
                    "resamples of each budget's runs behind the weights (0 when unweighted)")
      .def_readonly("disagreement", &scalelaw::IsoflopResult::disagreement,
                    "the 6ND-against-C threshold of the disagreement warning")
      .def_readonly("budgets", &scalelaw::IsoflopResult::budgets)
      .def_property_readonly("se", &StandardErrors<scalelaw::IsoflopResult>, "bootstrap standard errors")
      .def_property_readonly("ci95", &Intervals<scalelaw::IsoflopResult>, "bootstrap 95% percentile intervals")
      .def_readonly("bootstrap_resamples", &scalelaw::IsoflopResult::bootstrap_resamples)
      .def_readonly("bootstrap_failed", &scalelaw::IsoflopResult::bootstrap_failed)
      .def_readonly("warnings", &scalelaw::IsoflopResult::warnings)
      .def("brief_report", &scalelaw::IsoflopResult::BriefReport)
      .def("full_report", &scalelaw::IsoflopResult::FullReport)
      .def("__str__", &scalelaw::IsoflopResult::FullReport)
      .def("to_json", [](const scalelaw::IsoflopResult& r) { return scalelaw::IsoflopToJson(r); });

  py::class_<scalelaw::LrLaw>(m, "LrLaw", "lr = coef · N^exp_params · D^exp_tokens")
      .def_readonly("coef", &scalelaw::LrLaw::coef)
      .def_readonly("exp_params", &scalelaw::LrLaw::exp_params)
      .def_readonly("exp_tokens", &scalelaw::LrLaw::exp_tokens);
  py::class_<scalelaw::BatchTokensLaw>(m, "BatchTokensLaw", "batch_tokens = coef · D^exp_tokens")
      .def_readonly("coef", &scalelaw::BatchTokensLaw::coef)
      .def_readonly("exp_tokens", &scalelaw::BatchTokensLaw::exp_tokens);
  py::class_<scalelaw::BatchTokensLawNd>(m, "BatchTokensLawNd", "batch_tokens = coef · N^exp_params · D^exp_tokens")
      .def_readonly("coef", &scalelaw::BatchTokensLawNd::coef)
      .def_readonly("exp_params", &scalelaw::BatchTokensLawNd::exp_params)
      .def_readonly("exp_tokens", &scalelaw::BatchTokensLawNd::exp_tokens);
  py::class_<scalelaw::HparamCell>(m, "HparamCell", "One (N, D) cell of a sweep and its best run")
      .def_readonly("group", &scalelaw::HparamCell::group)
      .def_readonly("params", &scalelaw::HparamCell::params)
      .def_readonly("tokens", &scalelaw::HparamCell::tokens)
      .def_readonly("n_runs", &scalelaw::HparamCell::n_runs)
      .def_readonly("n_kept", &scalelaw::HparamCell::n_kept)
      .def_readonly("best_loss", &scalelaw::HparamCell::best_loss)
      .def_readonly("best_lr", &scalelaw::HparamCell::best_lr)
      .def_readonly("best_batch_tokens", &scalelaw::HparamCell::best_batch_tokens);

  py::class_<scalelaw::HparamSweepResult>(m, "HparamSweepResult",
                                          "Learning-rate and batch-size laws from a sweep (Step Law procedure)")
      .def_property_readonly("status", &StatusName<scalelaw::HparamSweepResult>,
                             "usable, not identifiable, no convergence or interrupted")
      .def_property_readonly("usable", &scalelaw::HparamSweepResult::IsUsable)
      .def_readonly("message", &scalelaw::HparamSweepResult::message)
      .def_readonly("lr", &scalelaw::HparamSweepResult::lr)
      .def_readonly("batch_tokens", &scalelaw::HparamSweepResult::batch_tokens)
      .def_readonly("batch_tokens_nd", &scalelaw::HparamSweepResult::batch_tokens_nd)
      .def_readonly("lr_depends_on_params", &scalelaw::HparamSweepResult::lr_depends_on_params)
      .def_property_readonly("r2",
                             [](const scalelaw::HparamSweepResult& r) {
                               return std::map<std::string, double>{{"lr", r.r2_lr},
                                                                    {"batch_tokens", r.r2_batch_tokens},
                                                                    {"batch_tokens_nd", r.r2_batch_tokens_nd}};
                             })
      .def_readonly("n_cells", &scalelaw::HparamSweepResult::n_cells)
      .def_readonly("n_runs", &scalelaw::HparamSweepResult::n_runs)
      .def_readonly("n_kept", &scalelaw::HparamSweepResult::n_kept)
      .def_readonly("tolerance", &scalelaw::HparamSweepResult::tolerance)
      .def_readonly("seq_len", &scalelaw::HparamSweepResult::seq_len)
      .def_readonly("cells", &scalelaw::HparamSweepResult::cells)
      .def_property_readonly("se", &StandardErrors<scalelaw::HparamSweepResult>, "bootstrap standard errors")
      .def_property_readonly("ci95", &Intervals<scalelaw::HparamSweepResult>, "bootstrap 95% percentile intervals")
      .def_readonly("bootstrap_resamples", &scalelaw::HparamSweepResult::bootstrap_resamples)
      .def_readonly("bootstrap_failed", &scalelaw::HparamSweepResult::bootstrap_failed)
      .def_readonly("warnings", &scalelaw::HparamSweepResult::warnings)
      .def("brief_report", &scalelaw::HparamSweepResult::BriefReport)
      .def("full_report", &scalelaw::HparamSweepResult::FullReport)
      .def("__str__", &scalelaw::HparamSweepResult::FullReport)
      .def("to_json", [](const scalelaw::HparamSweepResult& r) { return scalelaw::HparamSweepToJson(r); });

  m.def("_isoflop", &Isoflop, py::arg("params"), py::arg("tokens"), py::arg("flops"), py::arg("budget"),
        py::arg("loss"), py::arg("budget_tolerance"), py::arg("min_sizes"), py::arg("vertex"), py::arg("window"),
        py::arg("d_star"), py::arg("keep_outside"), py::arg("weighted"), py::arg("weight_resamples"),
        py::arg("disagreement"), py::arg("bootstrap"), py::arg("seed"), py::arg("threads"), py::arg("progress"));
  // IsoflopOptions' defaults under the keyword names of scalelaw.isoflop (and, with '-' for '_', the CLI's
  // options): the tests hold both faces to them.
  m.def("_isoflop_defaults", [] {
    const scalelaw::IsoflopOptions defaults;
    py::dict out;
    out["budget_tolerance"] = defaults.budget_tolerance;
    out["min_sizes"] = defaults.min_sizes;
    out["vertex"] = std::string(scalelaw::IsoflopVertexName(defaults.vertex));
    out["window"] = defaults.window;
    out["d_star"] = std::string(scalelaw::IsoflopDStarName(defaults.d_star));
    out["keep_outside"] = defaults.keep_outside;
    out["weighted"] = defaults.weighted;
    out["weight_resamples"] = defaults.weight_resamples;
    out["disagreement"] = defaults.disagreement;
    out["bootstrap"] = defaults.bootstrap;
    out["seed"] = defaults.seed;
    out["threads"] = defaults.num_threads;
    return out;
  });
  m.def("_isoflop_from_json", [](const std::string& text) { return scalelaw::IsoflopFromJson(text, "<json>"); });
  m.def("_fit_hparams_from_json",
        [](const std::string& text) { return scalelaw::HparamSweepFromJson(text, "<json>"); });
  m.def("_fit_chart", &FitChartData, py::arg("law"), py::arg("params"), py::arg("tokens"), py::arg("loss"),
        py::arg("flops_max"));
  m.def("_isoflop_chart", &IsoflopChartDict, py::arg("result"), py::arg("params"), py::arg("tokens"), py::arg("flops"),
        py::arg("loss"), py::arg("budget") = py::none());
  m.def("_hparam_charts", &HparamChartsDict, py::arg("result"));
  m.def("_fit_diagnostics", &FitDiagnosticsDict, py::arg("result"), py::arg("inputs"), py::arg("y"), py::arg("y_label"),
        py::arg("input_labels"));
  m.def("_fit_hparams", &FitHparams, py::arg("params"), py::arg("tokens"), py::arg("lr"), py::arg("batch"),
        py::arg("loss"), py::arg("seq_len"), py::arg("tolerance"), py::arg("bootstrap"), py::arg("seed"),
        py::arg("resample"), py::arg("threads"), py::arg("progress"), py::arg("group"));
  BindScheduleDesign(m);
  BindRecipes(m);
  BindSweepDesign(m);
  BindCount(m);
  BindAnalysisCharts(m);
  BindSweepPlan(m, &LawOf);
}
