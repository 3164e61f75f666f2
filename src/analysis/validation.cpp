// Leave-future-out validation (scalelaw/analysis/validation.h): one fit per threshold of a size variable, each
// predicting the runs above its threshold with the fit's predictive interval.
#include "scalelaw/analysis/validation.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "scalelaw/error.h"
#include "scalelaw/fit/fitted_law.h"
#include "scalelaw/predict.h"

namespace scalelaw {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The runs of data at the given indices, every column kept.
Dataset Select(const Dataset& data, const std::vector<std::size_t>& rows) {
  auto pick = [&rows](const std::vector<double>& column) {
    std::vector<double> out;
    if (column.empty()) return out;
    out.reserve(rows.size());
    for (std::size_t i : rows) out.push_back(column[i]);
    return out;
  };
  Dataset out;
  out.params = pick(data.params);
  out.tokens = pick(data.tokens);
  out.loss = pick(data.loss);
  out.weights = pick(data.weights);
  out.unique_tokens = pick(data.unique_tokens);
  for (const auto& [name, column] : data.columns) out.columns[name] = pick(column);
  return out;
}

// A data name's value at run i: its column, else N, D, U from the named vectors.
double InputValue(const Dataset& data, const std::string& name, std::size_t i) {
  if (const auto column = data.columns.find(name); column != data.columns.end()) return column->second[i];
  if (name == "N" && !data.params.empty()) return data.params[i];
  if (name == "D" && !data.tokens.empty()) return data.tokens[i];
  if (name == "U" && !data.unique_tokens.empty()) return data.unique_tokens[i];
  throw InvalidArgument("the fitted law reads '" + name + "', which the runs do not have");
}

// The fitted law's inputs at run i.
PredictionInputs InputsOf(const Dataset& data, const std::vector<std::string>& names, std::size_t i) {
  PredictionInputs in;
  for (const std::string& name : names) {
    const double value = InputValue(data, name, i);
    if (const std::optional<Input> input = InputOfFormName(name)) {
      in.Set(*input, value);
    } else {
      in.SetNamed(name, value);
    }
  }
  return in;
}

double ValueOr(const Prediction& p, const std::string& key, double fallback) {
  for (const auto& [name, value] : p.values) {
    if (name == key) return value;
  }
  return fallback;
}

int FreeParameters(const Model& model, const FitOptions& options) {
  int free = static_cast<int>(model.parameter_names().size());
  for (const std::string& name : model.parameter_names()) {
    if (options.fixed.count(name) > 0) --free;
  }
  return std::max(1, free - static_cast<int>(options.tied.size()));
}

std::string Short(double value) { return fmt::format("{:.4g}", value); }

}  // namespace

bool LeaveFutureOutOptions::IsValid(std::string* error) const {
  auto fail = [error](std::string reason) {
    if (error != nullptr) *error = std::move(reason);
    return false;
  };
  if (split_by.empty()) return fail("split_by is empty");
  for (double t : thresholds) {
    if (!(std::isfinite(t) && t > 0)) return fail(fmt::format("threshold {} is not a positive finite number", t));
  }
  if (thresholds.empty() && quantiles.empty()) return fail("neither thresholds nor quantiles given");
  for (double q : quantiles) {
    if (!(q > 0 && q < 1)) return fail(fmt::format("quantile {} is not in (0, 1)", q));
  }
  if (min_train_runs < 0) return fail("min_train_runs must be >= 0");
  if (!(predictive_level > 0 && predictive_level < 1)) return fail("predictive_level must be in (0, 1)");
  if (fit.holdout_top != 0) return fail("fit.holdout_top must be 0: the thresholds choose the held-out runs");
  return fit.IsValid(error);
}

std::vector<double> SplitValues(const Dataset& data, const std::string& split_by) {
  if (const auto column = data.columns.find(split_by); column != data.columns.end()) return column->second;
  const std::size_t n = data.size();
  if (split_by == "N" && data.params.size() == n) return data.params;
  if (split_by == "D" && data.tokens.size() == n) return data.tokens;
  if (split_by == "C" && data.params.size() == n && data.tokens.size() == n) {
    std::vector<double> compute(n);
    for (std::size_t i = 0; i < n; ++i) compute[i] = 6 * data.params[i] * data.tokens[i];
    return compute;
  }
  throw InvalidArgument("cannot split the runs by '" + split_by +
                        "': it is not a column of the runs (C needs N and D, or a column C)");
}

bool ValidateLeaveFutureOut(const Dataset& data, const Model& model, const LeaveFutureOutOptions& options,
                            LeaveFutureOutSummary* summary) {
  std::string error;
  if (!options.IsValid(&error)) throw InvalidArgument(error);
  data.Validate();
  *summary = LeaveFutureOutSummary{};
  summary->split_by = options.split_by;
  summary->predictive_level = options.predictive_level;
  const std::vector<double> split = SplitValues(data, options.split_by);
  for (std::size_t i = 0; i < split.size(); ++i) {
    if (!(std::isfinite(split[i]) && split[i] > 0)) {
      throw InvalidArgument(
          fmt::format("run {}: its {} ({}) is not a positive number", i + 1, options.split_by, split[i]));
    }
  }
  const std::set<double> distinct(split.begin(), split.end());
  const std::vector<double> values(distinct.begin(), distinct.end());

  std::vector<double> thresholds = options.thresholds;
  if (thresholds.empty()) {
    for (double q : options.quantiles) {
      const auto at = static_cast<std::size_t>(std::ceil(q * static_cast<double>(values.size() - 1)));
      thresholds.push_back(values[std::min(at, values.size() - 1)]);
    }
  }
  std::sort(thresholds.begin(), thresholds.end());
  thresholds.erase(std::unique(thresholds.begin(), thresholds.end()), thresholds.end());
  const int min_train = options.min_train_runs > 0 ? options.min_train_runs : FreeParameters(model, options.fit) + 1;

  std::vector<std::string> skipped;
  for (double threshold : thresholds) {
    std::vector<std::size_t> train, test;
    for (std::size_t i = 0; i < split.size(); ++i) (split[i] < threshold ? train : test).push_back(i);
    if (static_cast<int>(train.size()) < min_train || test.empty()) {
      skipped.push_back(fmt::format("{} < {}: {} runs to fit (at least {}), {} to predict", options.split_by,
                                    Short(threshold), train.size(), min_train, test.size()));
      continue;
    }
    LeaveFutureOutSummary::Fold fold;
    fold.threshold = threshold;
    fold.train_runs = static_cast<int>(train.size());
    fold.test_runs = static_cast<int>(test.size());
    FitSummary fit;
    Fit(Select(data, train), model, options.fit, &fit);
    fold.fit_status = fit.status;
    fold.fit_message = fit.message;
    fold.params = fit.params;
    const int index = static_cast<int>(summary->folds.size());
    if (fit.IsUsable()) {
      Law law = FittedLaw(fit, "fold");
      law.predictive_level = options.predictive_level;
      const std::vector<std::string> names = fit.inputs.empty() ? model.inputs() : fit.inputs;
      double total = 0, worst = 0, farthest = 0;
      for (std::size_t i : test) {
        LeaveFutureOutSummary::HeldOutRun run;
        run.fold = index;
        run.run = static_cast<int>(i);
        run.split_value = split[i];
        run.distance = split[i] / threshold;
        run.observed = data.loss[i];
        const Prediction p = Predict(law, Quantity::kLoss, InputsOf(data, names, i));
        run.predicted = p.Value("loss");
        run.relative_error = (run.predicted - run.observed) / run.observed;
        if (run.predicted > 0 && run.observed > 0) run.log_error = std::log(run.predicted / run.observed);
        const int percent = static_cast<int>(std::lround(100 * options.predictive_level));
        run.lo = ValueOr(p, fmt::format("loss_lo{}p", percent), kNaN);
        run.hi = ValueOr(p, fmt::format("loss_hi{}p", percent), kNaN);
        if (std::isfinite(run.lo) && std::isfinite(run.hi)) {
          run.covered = run.lo <= run.observed && run.observed <= run.hi;
          ++fold.with_interval;
          fold.covered += run.covered ? 1 : 0;
        }
        total += std::abs(run.relative_error);
        worst = std::max(worst, std::abs(run.relative_error));
        farthest = std::max(farthest, run.distance);
        summary->runs.push_back(run);
      }
      fold.mean_abs_relative_error = total / static_cast<double>(test.size());
      fold.max_abs_relative_error = worst;
      fold.max_distance = farthest;
    } else {
      skipped.push_back(
          fmt::format("{} < {}: the fit is not usable ({})", options.split_by, Short(threshold), fit.message));
    }
    summary->folds.push_back(std::move(fold));
  }

  if (summary->runs.empty()) {
    summary->status = AnalysisStatus::kNotIdentifiable;
    summary->message = "no threshold leaves enough runs to fit and predict: " +
                       (skipped.empty() ? std::string("no thresholds") : fmt::format("{}", fmt::join(skipped, "; ")));
    return false;
  }
  // Distance bands [2^k, 2^(k+1)).
  std::map<int, LeaveFutureOutSummary::DistanceBand> bands;
  std::map<int, double> total, squares;
  std::map<int, int> logged;
  double overall = 0;
  for (const auto& run : summary->runs) {
    const int k = static_cast<int>(std::floor(std::log2(run.distance) + 1e-12));
    LeaveFutureOutSummary::DistanceBand& band = bands[k];
    band.from = std::ldexp(1.0, k);
    band.to = std::ldexp(1.0, k + 1);
    ++band.runs;
    total[k] += std::abs(run.relative_error);
    band.max_abs_relative_error = std::max(std::isnan(band.max_abs_relative_error) ? 0 : band.max_abs_relative_error,
                                           std::abs(run.relative_error));
    if (std::isfinite(run.log_error)) {
      squares[k] += run.log_error * run.log_error;
      ++logged[k];
    }
    if (std::isfinite(run.lo)) {
      ++band.with_interval;
      band.covered += run.covered ? 1 : 0;
      ++summary->with_interval;
      summary->covered += run.covered ? 1 : 0;
    }
    overall += std::abs(run.relative_error);
  }
  for (auto& [k, band] : bands) {
    band.mean_abs_relative_error = total[k] / band.runs;
    if (logged[k] > 0) band.rms_log_error = std::sqrt(squares[k] / logged[k]);
    summary->by_distance.push_back(band);
  }
  summary->mean_abs_relative_error = overall / static_cast<double>(summary->runs.size());
  if (summary->with_interval > 0) {
    summary->coverage = static_cast<double>(summary->covered) / summary->with_interval;
  }
  summary->status = AnalysisStatus::kUsable;
  summary->message =
      skipped.empty() ? "every threshold was fitted" : fmt::format("thresholds left out: {}", fmt::join(skipped, "; "));
  return true;
}

std::string LeaveFutureOutSummary::BriefReport() const {
  if (!IsUsable()) return fmt::format("Leave-future-out validation by {}: {}\n", split_by, message);
  std::string coverage_text =
      with_interval > 0 ? fmt::format(", {}% predictive intervals cover {} of {} ({:.1f}%)",
                                      std::lround(100 * predictive_level), covered, with_interval, 100 * coverage)
                        : ", no predictive intervals (fit with a bootstrap for them)";
  return fmt::format(
      "Leave-future-out validation by {}: {} folds, {} held-out predictions, mean |relative error| "
      "{:.3f}%{}\n",
      split_by, folds.size(), runs.size(), 100 * mean_abs_relative_error, coverage_text);
}

std::string LeaveFutureOutSummary::FullReport() const {
  std::string out;
  if (!data_source.empty()) out += "Runs: " + data_source + "\n";
  out += BriefReport();
  if (!IsUsable()) return out;
  const int percent = static_cast<int>(std::lround(100 * predictive_level));
  out += fmt::format("\nFolds: fit on {} < threshold, predict the runs at or above it\n", split_by);
  out += fmt::format("  {:>11} {:>6} {:>6} {:>16} {:>10} {:>10} {:>12}  {}\n", "threshold", "fit", "held", "status",
                     "mean|rel|", "max|rel|", "max dist.", fmt::format("{}% covered", percent));
  for (const Fold& fold : folds) {
    out += fmt::format("  {:>11} {:>6} {:>6} {:>16}", Short(fold.threshold), fold.train_runs, fold.test_runs,
                       AnalysisStatusName(fold.fit_status));
    if (std::isnan(fold.mean_abs_relative_error)) {
      out += "\n";
      continue;
    }
    out += fmt::format(" {:>9.3f}% {:>9.3f}% {:>11.3g}x  {}\n", 100 * fold.mean_abs_relative_error,
                       100 * fold.max_abs_relative_error, fold.max_distance,
                       fold.with_interval > 0 ? fmt::format("{}/{}", fold.covered, fold.with_interval) : "-");
  }
  out += "\nErrors by extrapolation distance (held-out run's " + split_by + " / threshold)\n";
  out += fmt::format("  {:>13} {:>6} {:>10} {:>10} {:>10}  {}\n", "distance", "runs", "mean|rel|", "max|rel|",
                     "rms log", fmt::format("{}% covered", percent));
  for (const DistanceBand& band : by_distance) {
    out += fmt::format("  {:>13} {:>6} {:>9.3f}% {:>9.3f}% {:>10.4f}  {}\n",
                       fmt::format("[{:g}, {:g})", band.from, band.to), band.runs, 100 * band.mean_abs_relative_error,
                       100 * band.max_abs_relative_error, band.rms_log_error,
                       band.with_interval > 0 ? fmt::format("{}/{}", band.covered, band.with_interval) : "-");
  }
  out += "\nStatus: " + std::string(AnalysisStatusName(status)) + ": " + message + "\n";
  return out;
}

std::string LeaveFutureOutToJson(const LeaveFutureOutSummary& summary) {
  using Json = nlohmann::json;
  auto number = [](double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); };
  Json out;
  out["split_by"] = summary.split_by;
  out["predictive_level"] = summary.predictive_level;
  out["status"] = std::string(AnalysisStatusName(summary.status));
  out["message"] = summary.message;
  out["coverage"] = number(summary.coverage);
  out["covered"] = summary.covered;
  out["with_interval"] = summary.with_interval;
  out["mean_abs_relative_error"] = number(summary.mean_abs_relative_error);
  if (!summary.data_source.empty()) out["data_source"] = summary.data_source;
  Json folds = Json::array();
  for (const auto& fold : summary.folds) {
    Json params = Json::object();
    for (const auto& [name, value] : fold.params) params[name] = number(value);
    folds.push_back({{"threshold", fold.threshold},
                     {"train_runs", fold.train_runs},
                     {"test_runs", fold.test_runs},
                     {"fit_status", std::string(AnalysisStatusName(fold.fit_status))},
                     {"fit_message", fold.fit_message},
                     {"params", params},
                     {"mean_abs_relative_error", number(fold.mean_abs_relative_error)},
                     {"max_abs_relative_error", number(fold.max_abs_relative_error)},
                     {"max_distance", number(fold.max_distance)},
                     {"covered", fold.covered},
                     {"with_interval", fold.with_interval}});
  }
  out["folds"] = folds;
  Json bands = Json::array();
  for (const auto& band : summary.by_distance) {
    bands.push_back({{"from", band.from},
                     {"to", band.to},
                     {"runs", band.runs},
                     {"mean_abs_relative_error", number(band.mean_abs_relative_error)},
                     {"max_abs_relative_error", number(band.max_abs_relative_error)},
                     {"rms_log_error", number(band.rms_log_error)},
                     {"covered", band.covered},
                     {"with_interval", band.with_interval}});
  }
  out["by_distance"] = bands;
  Json runs = Json::array();
  for (const auto& run : summary.runs) {
    runs.push_back({{"fold", run.fold},
                    {"run", run.run},
                    {"split_value", run.split_value},
                    {"distance", run.distance},
                    {"observed", run.observed},
                    {"predicted", run.predicted},
                    {"relative_error", run.relative_error},
                    {"log_error", number(run.log_error)},
                    {"lo", number(run.lo)},
                    {"hi", number(run.hi)},
                    {"covered", run.covered}});
  }
  out["runs"] = runs;
  return out.dump();
}

}  // namespace scalelaw
