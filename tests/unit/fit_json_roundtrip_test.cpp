// A fit written to JSON and read back is the same fit: every field of the FitSummary (doubles bit for bit: the
// JSON writer prints the shortest decimal that reads back as the same double), the same predictions through
// FittedLaw and Predict(fit, inputs), and the same bytes when written again. Each form of Model::Catalogue(), a
// formula, and loglinear over columns of the user's names are fitted to runs drawn from known parameters, with
// every objective and both estimators where the form takes them, and with fixed, tied, bounded parameters,
// starting grids, explicit starts, held-out runs and a bootstrap.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/fit/fitted_law.h"
#include "scalelaw/io/fit_json.h"
#include "scalelaw/predict.h"

namespace {

using scalelaw::FitOptions;
using scalelaw::FitSummary;
using scalelaw::Input;
using scalelaw::Model;
using scalelaw::Objective;

// Exact equality of two doubles, NaN equal to NaN and -0 unequal to +0.
bool Same(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  return a == b && std::signbit(a) == std::signbit(b);
}

bool Same(const std::map<std::string, double>& a, const std::map<std::string, double>& b) {
  if (a.size() != b.size()) return false;
  for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j) {
    if (i->first != j->first || !Same(i->second, j->second)) return false;
  }
  return true;
}

bool Same(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (!Same(a[k], b[k])) return false;
  }
  return true;
}

#define CHECK_SAME(field) CHECK(Same(a.field, b.field))
#define CHECK_EQUAL(field) CHECK(a.field == b.field)

void CheckSameOptions(const FitOptions& a, const FitOptions& b) {
  CHECK_EQUAL(estimator);
  CHECK_EQUAL(objective);
  CHECK_EQUAL(residual);
  CHECK_SAME(asymmetry);
  CHECK_SAME(huber_delta);
  CHECK_EQUAL(num_threads);
  CHECK_EQUAL(max_iterations_per_start);
  CHECK_SAME(screening_tolerance);
  CHECK_SAME(basin_relative_tolerance);
  CHECK_EQUAL(polish);
  REQUIRE(a.starts.size() == b.starts.size());
  for (std::size_t k = 0; k < a.starts.size(); ++k) CHECK(Same(a.starts[k], b.starts[k]));
  REQUIRE(a.grid.size() == b.grid.size());
  for (auto i = a.grid.begin(), j = b.grid.begin(); i != a.grid.end(); ++i, ++j) {
    CHECK(i->first == j->first);
    CHECK(Same(i->second, j->second));
  }
  CHECK_EQUAL(start_strategy);
  CHECK_EQUAL(latin_hypercube_starts);
  CHECK_EQUAL(start_seed);
  CHECK_EQUAL(projected_starts);
  CHECK_SAME(fixed);
  CHECK_EQUAL(tied);
  REQUIRE(a.bounds.size() == b.bounds.size());
  for (auto i = a.bounds.begin(), j = b.bounds.begin(); i != a.bounds.end(); ++i, ++j) {
    CHECK(i->first == j->first);
    CHECK(Same(i->second.first, j->second.first));
    CHECK(Same(i->second.second, j->second.second));
  }
  CHECK_EQUAL(bootstrap_resamples);
  CHECK_EQUAL(bootstrap_seed);
  CHECK_EQUAL(holdout_top);
  CHECK(!a.progress);
  CHECK(!b.progress);
  CHECK_SAME(at_flops);
}

// Every field of FitSummary, in the order of its declaration (scalelaw/fit/fit.h).
void CheckSameSummary(const FitSummary& a, const FitSummary& b) {
  CHECK_EQUAL(model);
  CHECK_EQUAL(formula);
  CHECK_EQUAL(inputs);
  CHECK_EQUAL(estimator);
  CHECK_EQUAL(objective_kind);
  CHECK_EQUAL(residual);
  CHECK_SAME(huber_delta);
  CHECK_SAME(asymmetry);
  CHECK_SAME(params);
  CHECK_EQUAL(parameter_names);
  CHECK_EQUAL(fixed_parameters);
  CHECK_EQUAL(internal_names);
  CHECK_SAME(internal_params);
  CHECK_SAME(objective);
  CHECK_SAME(log_scale);
  CHECK_EQUAL(num_points);
  CHECK_SAME(data_range.params_min);
  CHECK_SAME(data_range.params_max);
  CHECK_SAME(data_range.tokens_min);
  CHECK_SAME(data_range.tokens_max);
  CHECK_EQUAL(start_strategy);
  CHECK_EQUAL(num_starts);
  CHECK_EQUAL(num_starts_failed);
  CHECK_EQUAL(num_starts_in_best_basin);
  CHECK_EQUAL(best_start);
  CHECK_EQUAL(iterations);
  CHECK_SAME(derived);
  CHECK_EQUAL(bootstrap_resamples);
  CHECK_EQUAL(bootstrap_failed);
  CHECK_EQUAL(bootstrap_seed);
  REQUIRE(a.uncertainty.size() == b.uncertainty.size());
  for (auto i = a.uncertainty.begin(), j = b.uncertainty.begin(); i != a.uncertainty.end(); ++i, ++j) {
    CAPTURE(i->first);
    CHECK(i->first == j->first);
    CHECK(i->second.resamples == j->second.resamples);
    CHECK(i->second.failed == j->second.failed);
    CHECK(Same(i->second.mean, j->second.mean));
    CHECK(Same(i->second.se, j->second.se));
    CHECK(Same(i->second.ci95.first, j->second.ci95.first));
    CHECK(Same(i->second.ci95.second, j->second.ci95.second));
  }
  REQUIRE(a.bootstrap_draws.size() == b.bootstrap_draws.size());
  for (std::size_t k = 0; k < a.bootstrap_draws.size(); ++k) CHECK(Same(a.bootstrap_draws[k], b.bootstrap_draws[k]));
  CHECK_SAME(laplace_se);
  CHECK_SAME(aic);
  CHECK_SAME(bic);
  REQUIRE(a.holdout.size() == b.holdout.size());
  for (std::size_t k = 0; k < a.holdout.size(); ++k) {
    CHECK(Same(a.holdout[k].params, b.holdout[k].params));
    CHECK(Same(a.holdout[k].tokens, b.holdout[k].tokens));
    CHECK(Same(a.holdout[k].loss, b.holdout[k].loss));
    CHECK(Same(a.holdout[k].predicted, b.holdout[k].predicted));
  }
  CHECK_SAME(holdout_mean_abs_relative_error);
  CHECK_SAME(holdout_max_abs_relative_error);
  CHECK_EQUAL(status);
  CHECK_EQUAL(message);
  CHECK_SAME(wall_seconds);
  CHECK_EQUAL(data_source);
  CHECK_EQUAL(data_columns);
  CHECK_EQUAL(drop_highest);
  CheckSameOptions(a.options, b.options);
}

#undef CHECK_SAME
#undef CHECK_EQUAL

// A form with the parameters its runs are drawn from, and the range of each input (log-uniform between lo and
// hi; "U" is D over 1, 2, 4, 8 or 16 repetitions).
struct Truth {
  Model model;
  std::map<std::string, double> params;
  std::map<std::string, std::pair<double, double>> ranges;
  std::vector<std::pair<std::string, std::string>> tie;  // a tie the form can take
};

const std::map<std::string, std::pair<double, double>> kNd = {{"N", {1e7, 1e9}}, {"D", {1e9, 1e11}}};

std::vector<Truth> Truths() {
  std::map<std::string, Truth> by_name;
  auto add = [&](const Model& model, std::map<std::string, double> params,
                 std::map<std::string, std::pair<double, double>> ranges,
                 std::vector<std::pair<std::string, std::string>> tie = {}) {
    by_name.emplace(std::string(model.name()), Truth{model, std::move(params), std::move(ranges), std::move(tie)});
  };
  const std::map<std::string, double> chinchilla = {
      {"E", 1.69}, {"A", 406.4}, {"B", 410.7}, {"alpha", 0.34}, {"beta", 0.28}};
  add(Model::FromName("chinchilla"), chinchilla, kNd, {{"alpha", "beta"}});
  add(Model::FromName("kaplan"), {{"N_c", 8.8e13}, {"D_c", 5.4e13}, {"alpha_N", 0.076}, {"alpha_D", 0.103}}, kNd);
  add(Model::FromName("data-constrained"),
      {{"E", 1.87}, {"A", 520.8}, {"B", 1487.7}, {"alpha", 0.353}, {"beta", 0.353}, {"R_D", 15.4}, {"R_N", 5.3}}, kNd,
      {{"alpha", "beta"}});
  add(Model::FromName("power"), {{"A", 43.0}, {"alpha", 0.06}}, {{"x", {1e3, 1e9}}});
  add(Model::FromName("power-offset"), {{"E", 1.5}, {"A", 20.0}, {"alpha", 0.3}}, {{"x", {1e3, 1e9}}});
  add(Model::FromName("rectified"), {{"B", 500.0}, {"D_l", 50.0}, {"beta", 0.6}, {"E", 1.0}}, {{"x", {10.0, 1e5}}});
  add(Model::FromName("bnsl"), {{"a", 0.5}, {"b", 20.0}, {"c0", 0.2}, {"d1", 1e6}, {"f1", 0.5}, {"c1", 0.3}},
      {{"x", {1e3, 1e9}}});
  add(Model::FromName("overtraining"), {{"E", 1.8}, {"a", 100.0}, {"b", 300.0}, {"eta", 0.1}},
      {{"C", {1e18, 1e22}}, {"M", {5.0, 100.0}}});
  add(Model::FromName("vocab"), {{"E", 1.5}, {"A1", 1e3}, {"A2", 1e5}, {"B", 1e4}, {"beta", 0.45}, {"alpha2", 0.7}},
      {{"N", {1e7, 1e9}}, {"Nv", {1e6, 1e8}}, {"D", {1e9, 1e11}}});
  add(Model::FromName("sigmoid"), {{"d", 0.25}, {"c", 0.6}, {"gamma", -4.0}, {"l", 2.5}}, {{"x", {1.5, 3.5}}});
  add(Model::LogLinear({"x"}), {{"C", 3.0}, {"k_x", -0.1}}, {{"x", {1.0, 1e4}}});

  std::vector<Truth> truths;
  for (const Model& model : Model::Catalogue()) {
    const auto it = by_name.find(std::string(model.name()));
    REQUIRE(it != by_name.end());  // a form added to the catalogue needs its truth here
    truths.push_back(it->second);
  }
  // A formula over N and D (a Law can evaluate it), one over columns of the user's names and loglinear over
  // two such columns (only Predict(fit, inputs) can).
  truths.push_back({Model::FromFormula("E + A/N^alpha + B/D^beta", {"N", "D"}), chinchilla, kNd, {{"alpha", "beta"}}});
  truths.push_back({Model::FromFormula("E + A/params^alpha + B/tokens^beta", {"params", "tokens", "unused"}),
                    chinchilla,
                    {{"params", {1e7, 1e9}}, {"tokens", {1e9, 1e11}}},
                    {{"alpha", "beta"}}});
  truths.push_back({Model::LogLinear({"steps", "width"}),
                    {{"C", 2.0}, {"k_steps", -0.2}, {"k_width", 0.1}},
                    {{"steps", {1e2, 1e5}}, {"width", {64.0, 4096.0}}}});
  return truths;
}

// The truth's loss at one point, through the library's own evaluation of the form.
double TrueLoss(const Truth& truth, const std::map<std::string, double>& point) {
  FitSummary law;
  law.model = std::string(truth.model.name());
  law.formula = std::string(truth.model.formula());
  law.inputs = truth.model.inputs();
  law.params = truth.params;
  return scalelaw::Predict(law, point);
}

// Run k's inputs: a Weyl sequence in each input's log range, so that every input takes 30 distinct values and
// the runs span many compute budgets.
std::map<std::string, double> Point(const Truth& truth, int k) {
  std::map<std::string, double> point;
  int j = 0;
  for (const std::string& name : truth.model.inputs()) {
    if (name == "U") continue;
    const auto [lo, hi] = truth.ranges.at(name);
    const double u = std::fmod((k + 0.5) * (0.6180339887 + 0.1 * j++), 1.0);
    point[name] = std::exp(std::log(lo) + u * (std::log(hi) - std::log(lo)));
  }
  if (truth.model.inputs().size() == 3 && truth.model.inputs()[2] == "U")
    point["U"] = point["D"] / std::pow(2.0, k % 5);
  return point;
}

scalelaw::Dataset Runs(const Truth& truth, int count) {
  const bool columns = !truth.model.data_columns().empty();
  scalelaw::Dataset data;
  for (int k = 0; k < count; ++k) {
    const std::map<std::string, double> point = Point(truth, k);
    data.loss.push_back(TrueLoss(truth, point) * (1 + 0.003 * std::sin(2.3 * k + 1)));
    if (columns) {
      for (const std::string& name : truth.model.data_columns()) data.columns[name].push_back(point.at(name));
      continue;
    }
    data.params.push_back(point.at("N"));
    data.tokens.push_back(point.at("D"));
    if (point.count("U")) data.unique_tokens.push_back(point.at("U"));
  }
  return data;
}

// The five ways each form is fitted: every objective with the objective estimator, and the likelihood, each with
// other options set.
std::vector<FitOptions> Variants(const Truth& truth) {
  const std::vector<std::string> names = truth.model.parameter_names();
  const bool in_n_and_d = truth.model.data_columns().empty();
  auto base = [&](std::uint64_t seed) {
    FitOptions options;
    options.num_threads = 2;
    options.SetStarts("lhs:16");
    options.start_seed = seed;
    return options;
  };
  std::vector<FitOptions> variants;

  FitOptions huber = base(1);
  if (truth.model.name() != "data-constrained" && truth.model.name() != "vocab") huber.SetStarts("auto");
  huber.bootstrap_resamples = 3;
  huber.bootstrap_seed = 11;
  if (in_n_and_d) {
    huber.holdout_top = 3;
    huber.at_flops = 1e21;
  }
  variants.push_back(huber);

  FitOptions squared_log = base(2);
  squared_log.objective = Objective::kSquaredLog;
  squared_log.fixed[names.front()] = truth.params.at(names.front());
  squared_log.tied = truth.tie;
  squared_log.residual = scalelaw::Residual::kLog;  // written as given, not as null
  variants.push_back(squared_log);

  FitOptions squared = base(3);
  squared.objective = Objective::kSquared;
  const double last = truth.params.at(names.back());
  squared.bounds[names.back()] = {std::min(last / 4, last * 4), std::max(last / 4, last * 4)};
  if (truth.model.name() == "chinchilla") squared.bounds["A"] = {0.0, std::numeric_limits<double>::infinity()};
  variants.push_back(squared);

  FitOptions asymmetric = base(4);
  asymmetric.objective = Objective::kAsymmetric;
  asymmetric.asymmetry = 2.5;
  asymmetric.huber_delta = 2e-3;
  const double second = truth.params.at(names[1]);
  asymmetric.grid[names[1]] = {second / 2, second, second * 2};
  if (truth.model.name() == "chinchilla") asymmetric.SetStarts("grid");
  variants.push_back(asymmetric);

  // The absolute objective on the loss itself (the chinchilla package's asymmetric MAE).
  FitOptions absolute = base(6);
  absolute.objective = Objective::kAsymmetricAbsolute;
  absolute.residual = scalelaw::Residual::kLoss;
  absolute.asymmetry = 10;
  variants.push_back(absolute);

  FitOptions mle = base(5);
  mle.estimator = scalelaw::Estimator::kHuberLikelihood;
  mle.bootstrap_resamples = 3;
  mle.bootstrap_seed = 12;
  mle.projected_starts = 5;
  mle.latin_hypercube_starts = 12;
  mle.max_iterations_per_start = 500;
  mle.screening_tolerance = 1e-7;
  mle.basin_relative_tolerance = 1e-3;
  mle.polish = false;
  variants.push_back(mle);
  return variants;
}

// What a prediction gives, or the error it throws, as one comparable value.
struct Outcome {
  std::vector<std::pair<std::string, double>> values;
  std::vector<std::string> warnings, notes;
  std::string error;
};

Outcome Evaluate(const std::function<scalelaw::Prediction()>& predict) {
  Outcome out;
  try {
    scalelaw::Prediction p = predict();
    out.values = p.values;
    out.warnings = p.warnings;
    out.notes = p.notes;
  } catch (const scalelaw::Error& e) {
    out.error = e.what();
  }
  return out;
}

void CheckSameOutcome(const Outcome& a, const Outcome& b) {
  CHECK(a.error == b.error);
  REQUIRE(a.values.size() == b.values.size());
  for (std::size_t k = 0; k < a.values.size(); ++k) {
    CHECK(a.values[k].first == b.values[k].first);
    CHECK(Same(a.values[k].second, b.values[k].second));
  }
  CHECK(a.warnings == b.warnings);
  CHECK(a.notes == b.notes);
}

// The fit and the fit read back predict the same, through FittedLaw and through Predict(fit, inputs); returns
// how many of the Law's predictions gave values.
int CheckSamePredictions(const Truth& truth, const FitSummary& a, const FitSummary& b) {
  int answered = 0;
  const scalelaw::Law law_a = scalelaw::FittedLaw(a, "fit"), law_b = scalelaw::FittedLaw(b, "fit");
  CHECK(law_a.resamples == law_b.resamples);
  REQUIRE(law_a.records.size() == law_b.records.size());
  for (std::size_t k = 0; k < law_a.records.size(); ++k) {
    CHECK(law_a.records[k].quantity == law_b.records[k].quantity);
    CHECK(law_a.records[k].formula == law_b.records[k].formula);
    CHECK(law_a.records[k].constants == law_b.records[k].constants);
  }
  for (int k : {0, 7, 100}) {  // two runs' inputs, and one far beyond the runs (an extrapolation)
    std::map<std::string, double> point = Point(truth, k % 30);
    if (k >= 30) {
      for (auto& [name, value] : point) value *= 10;
    }
    CAPTURE(k);
    double value_a = 0, value_b = 0;
    REQUIRE_NOTHROW(value_a = scalelaw::Predict(a, point));
    REQUIRE_NOTHROW(value_b = scalelaw::Predict(b, point));
    CHECK(Same(value_a, value_b));

    // N, D, U and x by the input table; a formula's own columns ("C", "Nv", "steps") as named inputs.
    scalelaw::PredictionInputs in;
    for (const auto& [name, value] : point) {
      if (const std::optional<Input> input = scalelaw::InputOfFormName(name)) {
        in.Set(*input, value);
      } else {
        in.SetNamed(name, value);
      }
    }
    scalelaw::PredictionInputs budget;
    budget.Set(Input::kFlops, 1e20 * std::pow(10.0, k % 3));
    if (point.count("U")) budget.Set(Input::kUniqueTokens, point.at("U"));
    scalelaw::PredictionInputs vocab;
    vocab.Set(Input::kParams, 1e9).Set(Input::kFlops, 1e21).Set(Input::kVocabApproach, 3);
    for (const auto& [quantity, at] :
         {std::pair{scalelaw::Quantity::kLoss, in}, std::pair{scalelaw::Quantity::kAllocation, budget},
          std::pair{scalelaw::Quantity::kVocabularySize, vocab}}) {
      REQUIRE((law_a.Answer(quantity) == nullptr) == (law_b.Answer(quantity) == nullptr));
      if (law_a.Answer(quantity) == nullptr) continue;
      const Outcome from_a = Evaluate([&, q = quantity, at = at] { return scalelaw::Predict(law_a, q, at); });
      const Outcome from_b = Evaluate([&, q = quantity, at = at] { return scalelaw::Predict(law_b, q, at); });
      CheckSameOutcome(from_a, from_b);
      if (from_a.error.empty()) ++answered;
    }
  }
  return answered;
}

}  // namespace

TEST_CASE("Every form's fit, with every objective and option, comes back from its JSON field for field",
          "[fit-json][roundtrip]") {
  int fits = 0, usable = 0, law_predictions = 0;
  for (const Truth& truth : Truths()) {
    const scalelaw::Dataset data = Runs(truth, 30);
    for (const FitOptions& options : Variants(truth)) {
      CAPTURE(truth.model.name(), truth.model.formula(), scalelaw::ObjectiveName(options.objective),
              scalelaw::EstimatorName(options.estimator));
      FitSummary original;
      scalelaw::Fit(data, truth.model, options, &original);
      original.data_source = "synthetic runs of " + std::string(truth.model.name());
      original.data_columns = {"N from column 'params'", "a second line"};
      original.drop_highest = fits % 3;
      REQUIRE(!original.params.empty());
      ++fits;
      usable += original.IsUsable();

      // The summary keeps the options it ran with, but not how it ran (threads, progress).
      FitOptions kept = options;
      kept.num_threads = 0;
      CheckSameOptions(original.options, kept);
      CHECK(original.inputs == truth.model.inputs());

      for (int indent : {-1, 2}) {
        const std::string text = scalelaw::FitToJson(original, indent);
        const FitSummary back = scalelaw::FitFromJson(text, "roundtrip.json");
        CheckSameSummary(original, back);
        CHECK(scalelaw::FitToJson(back, indent) == text);
        if (indent < 0) law_predictions += CheckSamePredictions(truth, original, back);
      }
    }
  }
  CHECK(fits == 84);    // 14 forms, 6 variants each
  CHECK(usable == 84);  // real optima and real intervals are compared, not the leftovers of a failed fit
  // At 3 points: the loss and the allocation of the 4 forms in N and D (the named chinchilla, kaplan and
  // data-constrained, and the formula over N and D: 24 fits), the loss of the 9 forms over other inputs (54 fits:
  // overtraining's C and M, the formula over columns of the user's names and loglinear read named inputs), and
  // vocab's loss and vocabulary size (6 fits; its split of C would need Nv, which the budget does not give).
  CHECK(law_predictions == 3 * (2 * 24 + 54 + 2 * 6));
}

TEST_CASE("A fit with explicit starts and a fit of the runs' highest losses dropped come back whole",
          "[fit-json][roundtrip]") {
  const Truth truth = Truths().front();
  REQUIRE(truth.model.name() == "chinchilla");
  FitOptions options;
  options.starts = {{std::log(406.4), std::log(410.7), std::log(1.69), 0.34, 0.28}, {5.0, 5.0, 0.5, 0.5, 0.5}};
  options.bounds["E"] = {-std::numeric_limits<double>::infinity(), 3.0};
  FitSummary original;
  REQUIRE(scalelaw::Fit(scalelaw::DropHighestLoss(Runs(truth, 30), 2), truth.model, options, &original));
  original.drop_highest = 2;
  CHECK(original.num_starts == 2);
  const std::string text = scalelaw::FitToJson(original);
  const FitSummary back = scalelaw::FitFromJson(text, "starts.json");
  CheckSameSummary(original, back);
  CHECK(back.options.starts.size() == 2);
  CHECK(std::isinf(back.options.bounds.at("E").first));
  CHECK(back.options.bounds.at("E").first < 0);
  CHECK(back.drop_highest == 2);
  CHECK(scalelaw::FitToJson(back) == text);
  // The options read back repeat the fit: the same optimum from the same starts.
  FitSummary again;
  REQUIRE(scalelaw::Fit(scalelaw::DropHighestLoss(Runs(truth, 30), back.drop_highest), ModelOf(back), back.options,
                        &again));
  CHECK(Same(again.params, original.params));
}
