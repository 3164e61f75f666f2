// Intervals a fitted law's bootstrap resamples put on its predictions (scalelaw/predict.h, a Law from
// FittedLaw): recomputed here from the resampled laws with the closed-form allocation, independently of the
// dispatcher.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "scalelaw/fit/fitted_law.h"
#include "scalelaw/laws/chinchilla.h"
#include "scalelaw/plan.h"
#include "scalelaw/predict.h"

namespace {

// The 2.5th or 97.5th percentile with linear interpolation between order statistics (numpy's default).
double Percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double at = q * (values.size() - 1);
  const std::size_t below = static_cast<std::size_t>(std::floor(at));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (at - below) * (values[above] - values[below]);
}

const scalelaw::ChinchillaLaw kFitted{1.82, 482.0, 2085.4, 0.3478, 0.3659};

// Resampled laws spread around it, as a bootstrap gives them.
std::vector<scalelaw::ChinchillaLaw> Draws() {
  std::vector<scalelaw::ChinchillaLaw> draws;
  for (int k = 0; k < 41; ++k) {
    const double t = (k - 20) / 20.0;
    draws.push_back(
        {1.82 + 0.02 * t, 482.0 * (1 + 0.2 * t), 2085.4 * (1 - 0.3 * t), 0.3478 + 0.01 * t, 0.3659 - 0.015 * t * t});
  }
  return draws;
}

std::map<std::string, double> Parameters(const scalelaw::ChinchillaLaw& law) {
  return {{"E", law.E}, {"A", law.A}, {"B", law.B}, {"alpha", law.alpha}, {"beta", law.beta}};
}

scalelaw::Law FittedChinchilla(bool with_draws) {
  scalelaw::FitSummary fit;
  fit.model = "chinchilla";
  fit.status = scalelaw::AnalysisStatus::kUsable;
  fit.params = Parameters(kFitted);
  if (with_draws) {
    for (const scalelaw::ChinchillaLaw& draw : Draws()) fit.bootstrap_draws.push_back(Parameters(draw));
  }
  return scalelaw::FittedLaw(fit, "fit:test");
}

}  // namespace

TEST_CASE("A fit's compute-optimal allocation carries the 95% band of its bootstrap resamples", "[predict]") {
  scalelaw::PredictionInputs in;
  in.Set(scalelaw::Input::kFlops, 1e22);
  const scalelaw::Prediction p = scalelaw::Predict(FittedChinchilla(true), scalelaw::Quantity::kAllocation, in);
  std::vector<double> params, tokens;
  for (const scalelaw::ChinchillaLaw& law : Draws()) {
    const scalelaw::Allocation a = scalelaw::ComputeOptimal(law, 1e22);
    params.push_back(a.params);
    tokens.push_back(a.tokens);
  }
  CHECK(p.law.name == "fit:test");
  CHECK(p.Value("params") == Approx(scalelaw::ComputeOptimal(kFitted, 1e22).params).epsilon(1e-9));
  CHECK(p.Value("params_lo95") == Approx(Percentile(params, 0.025)).epsilon(1e-9));
  CHECK(p.Value("params_hi95") == Approx(Percentile(params, 0.975)).epsilon(1e-9));
  CHECK(p.Value("tokens_lo95") == Approx(Percentile(tokens, 0.025)).epsilon(1e-9));
  CHECK(p.Value("tokens_hi95") == Approx(Percentile(tokens, 0.975)).epsilon(1e-9));
  CHECK(p.Value("params_lo95") < p.Value("params_hi95"));
  // The budget is given, not estimated: it gets no interval.
  CHECK_THROWS(p.Value("flops_lo95"));
}

TEST_CASE("Resamples that cannot reach a target loss are left out of the band and counted", "[predict]") {
  scalelaw::PredictionInputs in;
  // At or below the floor E = 1.82 + 0.02 t of the resamples with t >= 0.5 (k = 30..40): 11 cannot answer.
  in.Set(scalelaw::Input::kTargetLoss, 1.83);
  const scalelaw::Prediction p = scalelaw::Predict(FittedChinchilla(true), scalelaw::Quantity::kAllocation, in);
  REQUIRE(p.warnings.size() == 1);
  CHECK_THAT(p.warnings.front(), Catch::Contains("11 of the fit's 41 bootstrap resamples could not answer"));
  CHECK(p.Value("params_lo95") < p.Value("params"));
}

TEST_CASE("Without resamples a fit's allocation has no interval", "[predict]") {
  scalelaw::PredictionInputs in;
  in.Set(scalelaw::Input::kFlops, 1e22);
  const scalelaw::Prediction p = scalelaw::Predict(FittedChinchilla(false), scalelaw::Quantity::kAllocation, in);
  CHECK_THROWS(p.Value("params_lo95"));
  CHECK(p.Value("params") == Approx(scalelaw::ComputeOptimal(kFitted, 1e22).params).epsilon(1e-12));
}

TEST_CASE("A plan from a fit keeps its law's name after the fit and its law are gone", "[predict][plan]") {
  // The plan's records own their strings: reading them once the FitSummary and the Law it made have gone out of
  // scope is a use-after-free under AddressSanitizer if they only view the caller's (scripts/sanitize runs this).
  scalelaw::TrainingPlan plan;
  {
    scalelaw::PredictionInputs in;
    in.Set(scalelaw::Input::kFlops, 1e21);
    const scalelaw::Law law = FittedChinchilla(true);
    plan = scalelaw::PlanTraining(in, law);
  }
  CHECK(plan.allocation.law.name == "fit:test");
  CHECK(plan.allocation.law.citation.ToString() == "fitted by scalelaw");
  CHECK(plan.items.front().law == "fit:test");
  CHECK(plan.allocation.Value("params") == Approx(scalelaw::ComputeOptimal(kFitted, 1e21).params).epsilon(1e-12));
}

TEST_CASE("Bulk predictions with intervals equal the one-point predictions at every point", "[predict]") {
  scalelaw::Law law = FittedChinchilla(true);
  // Residuals on the log scale, so that the loss also carries a 90% predictive interval.
  law.noise.residuals = {0.01, -0.02, 0.015, -0.005, 0.002, -0.011, 0.007, 0.0};
  law.noise.log_scale = true;
  law.noise.free_parameters = 5;
  law.predictive_level = 0.9;
  // 1300 points: more than two blocks of 512, so blocks and threads meet.
  std::vector<double> n, d;
  for (int k = 0; k < 1300; ++k) {
    n.push_back(1e8 * std::pow(1000.0, k / 1299.0));
    d.push_back(2e9 * std::pow(100.0, (k % 37) / 36.0));
  }
  scalelaw::InputColumns in;
  in.size = n.size();
  in.columns = {{scalelaw::Input::kParams, n.data()}, {scalelaw::Input::kTokens, d.data()}};
  in.intervals = true;
  const scalelaw::BulkPrediction bulk = scalelaw::PredictBulk(law, scalelaw::Quantity::kLoss, in);
  std::vector<std::string> keys;
  for (const auto& [key, column] : bulk.outputs) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"loss", "loss_lo95", "loss_hi95", "loss_lo90p", "loss_hi90p"});
  for (std::size_t k : {std::size_t{0}, std::size_t{511}, std::size_t{512}, std::size_t{1023}, std::size_t{1299}}) {
    scalelaw::PredictionInputs point;
    point.Set(scalelaw::Input::kParams, n[k]).Set(scalelaw::Input::kTokens, d[k]);
    const scalelaw::Prediction one = scalelaw::Predict(law, scalelaw::Quantity::kLoss, point);
    for (const auto& [key, column] : bulk.outputs) {
      INFO(key << " at point " << k);
      CHECK(column[k] == Approx(one.Value(key)).epsilon(1e-14));
    }
  }
  // Without the flag, the outputs alone, as before.
  in.intervals = false;
  CHECK(scalelaw::PredictBulk(law, scalelaw::Quantity::kLoss, in).outputs.size() == 1);
}
