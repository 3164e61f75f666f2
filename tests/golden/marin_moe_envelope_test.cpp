// Marin's MoE compute envelope, L(C) = 1.6 + A C^-alpha with the irreducible loss held at 1.6, fitted to the
// minima of six isoFLOP sweeps (paloma macro loss at 1e18 ... 3e20 FLOPs). Source: marin-community/marin issue
// #4447 ("Experiment: MoE Isoflop on new lr recipe", comment of 2026-04-10, the leave-future-out table with L_inf
// fixed at 1.6): on all six budgets A = 95.182, alpha = 0.0941, predicting 2.606 at 1e21 and 2.252 at 1e23; the
// runs later measured 2.599 (#4447) and 2.234 (#4697, "Experiment: 1e23 MoE Run"). The same table refits on the
// first i budgets: i = 3: 87.684, 0.0922 -> 2.617 at 1e21; i = 4: 91.571, 0.0932 -> 2.611; i = 5: 93.975, 0.0938
// -> 2.607.
//
// The losses are published to three decimals, so no objective reproduces A to the digit. Measured here: ordinary
// least squares of log(L - 1.6) on log C (the `power` form on L - 1.6, squared log residuals) gives A = 95.25
// (+0.07%); scalelaw's default, Huber (delta 1e-3) on log L, gives 95.04 (-0.15%); squared log residuals 94.81
// (-0.39%); squared error on L 94.35 (-0.87%, outside 0.5%). All predict 1e21 and 1e23 to 0.001.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "scalelaw/fit/fit.h"
#include "scalelaw/fit/fitted_law.h"
#include "scalelaw/predict.h"

namespace {

const std::vector<double> kBudgets = {1e18, 3e18, 1e19, 3e19, 1e20, 3e20};
const std::vector<double> kMinimumLoss = {3.522, 3.339, 3.154, 3.000, 2.848, 2.725};
constexpr double kIrreducible = 1.6;

// The first `count` budgets as runs of a one-input form reading x = C; y is the loss minus `offset`.
scalelaw::Dataset Envelope(std::size_t count, double offset) {
  scalelaw::Dataset data;
  for (std::size_t i = 0; i < count; ++i) {
    data.columns["x"].push_back(kBudgets[i]);
    data.loss.push_back(kMinimumLoss[i] - offset);
  }
  return data;
}

scalelaw::FitSummary FitEnvelope(std::size_t count, scalelaw::Objective objective, bool log_linear) {
  scalelaw::FitOptions options;
  options.objective = objective;
  options.num_threads = 1;
  scalelaw::FitSummary summary;
  if (log_linear) {
    // log(L - 1.6) = log A - alpha log C by least squares: the power form on L - 1.6 with squared log residuals.
    scalelaw::Fit(Envelope(count, kIrreducible), scalelaw::Model::FromName("power"), options, &summary);
  } else {
    options.fixed["E"] = kIrreducible;
    scalelaw::Fit(Envelope(count, 0), scalelaw::Model::FromName("power-offset"), options, &summary);
  }
  REQUIRE(summary.IsUsable());
  return summary;
}

double Loss(const scalelaw::FitSummary& fit, double flops, bool log_linear) {
  return (log_linear ? kIrreducible : 0.0) + scalelaw::Predict(fit, {{"x", flops}});
}

}  // namespace

TEST_CASE("Marin MoE envelope with L_inf = 1.6: A, alpha and the 1e21 and 1e23 predictions", "[golden][marin]") {
  struct Case {
    const char* what;
    scalelaw::Objective objective;
    bool log_linear;
  };
  const Case cases[] = {{"Huber on log L (default)", scalelaw::Objective::kHuber, false},
                        {"least squares of log(L - 1.6)", scalelaw::Objective::kSquaredLog, true}};
  for (const Case& c : cases) {
    SECTION(c.what) {
      const scalelaw::FitSummary fit = FitEnvelope(6, c.objective, c.log_linear);
      CHECK(fit.params.at("A") == Approx(95.18).epsilon(0.005));
      CHECK(fit.params.at("alpha") == Approx(0.0941).epsilon(0.005));
      CHECK(Loss(fit, 1e21, c.log_linear) == Approx(2.606).margin(0.003));
      CHECK(Loss(fit, 1e23, c.log_linear) == Approx(2.252).margin(0.003));
    }
  }
}

TEST_CASE("Marin MoE envelope refitted on the first i budgets predicts 1e21 as published", "[golden][marin]") {
  // i, published A, alpha and the prediction at 1e21 (issue #4447's leave-future-out table).
  struct Row {
    std::size_t budgets;
    double a, alpha, at_1e21;
  };
  const Row rows[] = {
      {3, 87.684, 0.0922, 2.617}, {4, 91.571, 0.0932, 2.611}, {5, 93.975, 0.0938, 2.607}, {6, 95.182, 0.0941, 2.606}};
  for (const Row& row : rows) {
    const scalelaw::FitSummary fit = FitEnvelope(row.budgets, scalelaw::Objective::kHuber, false);
    INFO("first " << row.budgets << " budgets: A " << fit.params.at("A") << ", alpha " << fit.params.at("alpha"));
    CHECK(Loss(fit, 1e21, false) == Approx(row.at_1e21).margin(0.002));
    CHECK(fit.params.at("alpha") == Approx(row.alpha).margin(0.0005));
  }
}

TEST_CASE("Marin MoE envelope: 90% predictive intervals at 1e21 and 1e23 from a bootstrap and the residuals",
          "[golden][marin]") {
  // The default fit (Huber on log L, L_inf held at 1.6) with 1000 bootstrap resamples of the six budgets; the
  // predictive interval adds the six residuals (inflated by sqrt(6/4) for the 2 free parameters) to the
  // resamples' predictions (PredictiveInterval, scalelaw/predict.h).
  scalelaw::FitOptions options;
  options.fixed["E"] = kIrreducible;
  options.num_threads = 1;
  options.bootstrap_resamples = 1000;
  options.max_parameter_span = std::numeric_limits<double>::infinity();
  scalelaw::FitSummary fit;
  scalelaw::Fit(Envelope(6, 0), scalelaw::Model::FromName("power-offset"), options, &fit);
  REQUIRE(fit.IsUsable());
  REQUIRE(fit.residuals.size() == 6);
  scalelaw::Law law = scalelaw::FittedLaw(fit, "marin");
  law.predictive_level = 0.9;
  struct Target {
    double flops, measured;
    bool covered;  // whether the later-measured loss lies in the 90% predictive interval, as measured
  };
  // Measured (seed 42): at 1e21, 2.6058 with the 90% predictive interval [2.6007, 2.6112] (95% parameter interval
  // [2.6029, 2.6120]); at 1e23, 2.2522 in [2.2462, 2.2582] ([2.2474, 2.2595]). Neither later run falls inside:
  // 2.599 is 0.0017 below the 1e21 interval and 2.234 is 0.012 below the 1e23 one. Six budgets whose losses are
  // published to three decimals leave residuals of about 1e-3 and a tight bootstrap, so the interval measures the
  // fit's statistical uncertainty, not the envelope's extrapolation bias (the runs came out lower than the law).
  const Target targets[] = {{1e21, 2.599, false}, {1e23, 2.234, false}};
  for (const Target& target : targets) {
    scalelaw::PredictionInputs in;
    in.Set(scalelaw::Input::kX, target.flops);
    const scalelaw::Prediction p = scalelaw::Predict(law, scalelaw::Quantity::kLoss, in);
    const double lo = p.Value("loss_lo90p"), hi = p.Value("loss_hi90p"), point = p.Value("loss");
    INFO("C = " << target.flops << ": " << point << " [90% predictive " << lo << ", " << hi << "], [95% parameter "
                << p.Value("loss_lo95") << ", " << p.Value("loss_hi95") << "], measured " << target.measured);
    CHECK(point == Approx(Loss(fit, target.flops, false)).epsilon(1e-12));
    CHECK(lo < point);
    CHECK(point < hi);
    CHECK((lo <= target.measured && target.measured <= hi) == target.covered);
  }
}
