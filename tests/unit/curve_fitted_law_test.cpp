// Curve-law fits as Laws: the final loss of a schedule given as a spec, recomputed here by the laws' own sums
// written out step by step (the Multi-Power Law's double sum in O(T^2), not the compressed evaluation), the
// bootstrap interval as numpy's percentiles of the resample laws' losses, and the range warnings.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "scalelaw/curves/curve_fit.h"
#include "scalelaw/curves/curve_size_fit.h"
#include "scalelaw/curves/schedule.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/fitted_law.h"
#include "scalelaw/predict.h"

using Catch::Contains;
using scalelaw::CurveFitSummary;
using scalelaw::CurveLawForm;
using scalelaw::Input;
using scalelaw::PredictionInputs;
using scalelaw::Quantity;

namespace {

constexpr char kSchedule[] = "wsd:peak=1e-3,end=1e-4,steps=400,warmup=20,decay_fraction=0.25,shape=linear";

// L0 A alpha B C beta gamma, near the published 25M law's magnitudes for an LR of 1e-3.
const std::vector<double> kMultiPower = {3.0, 0.6, 0.5, 300.0, 2.0, 0.6, 0.5};

// L(T - 1) of the Multi-Power Law (Luo et al. 2025, arXiv:2503.12811, Eq. 5-7) by its definition: S1 the sum of
// every LR up to the last step, LD the sum over every step k >= 1 of (eta_{k-1} - eta_k) G(eta_k^-gamma S_k).
double MultiPowerByDefinition(const std::vector<double>& p, const std::vector<double>& lr) {
  const std::size_t t = lr.size() - 1;
  double s1 = 0;
  for (double eta : lr) s1 += eta;
  double ld = 0;
  for (std::size_t k = 1; k <= t; ++k) {
    double sk = 0;
    for (std::size_t tau = k; tau <= t; ++tau) sk += lr[tau];
    const double x = std::pow(lr[k], -p[6]) * sk;
    ld += (lr[k - 1] - lr[k]) * (1 - std::pow(p[4] * x + 1, -p[5]));
  }
  return p[0] + p[1] * std::pow(s1, -p[2]) - p[3] * ld;
}

double NumpyPercentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double h = q * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<std::size_t>(h);
  return values[lo] + (h - static_cast<double>(lo)) * (values[std::min(lo + 1, values.size() - 1)] - values[lo]);
}

CurveFitSummary MultiPowerFit() {
  CurveFitSummary fit;
  fit.status = scalelaw::AnalysisStatus::kUsable;
  fit.form = CurveLawForm::kMultiPower;
  fit.parameter_names = scalelaw::CurveLawParameterNames(fit.form);
  fit.parameters = kMultiPower;
  fit.range = {400, 1e-3, 1e-3};
  return fit;
}

PredictionInputs WithSchedule(const std::string& spec) {
  PredictionInputs in;
  in.SetText(Input::kSchedule, spec);
  return in;
}

}  // namespace

TEST_CASE("A curve fit as a Law predicts the loss at the schedule's last step", "[curve_law_value]") {
  const scalelaw::Law law = scalelaw::FittedLaw(MultiPowerFit(), "fit:curves.json");
  PredictionInputs in = WithSchedule(kSchedule);
  in.Set(Input::kBatchTokens, 1 << 20);
  const scalelaw::Prediction p = scalelaw::Predict(law, Quantity::kLoss, in);
  const std::vector<double> lr = scalelaw::LrPerStep(scalelaw::ParseLrSchedule(kSchedule));
  CHECK(p.Value("loss") == Approx(MultiPowerByDefinition(kMultiPower, lr)).epsilon(1e-9));
  CHECK(p.Value("steps") == 400);
  CHECK(p.Value("tokens") == 400.0 * (1 << 20));
  CHECK(p.warnings.empty());
  CHECK_THAT(p.law.citation.ToString(), Contains("2503.12811"));

  // The annealing-free law: L0 + A (sum of the LRs)^-alpha.
  CurveFitSummary power = MultiPowerFit();
  power.form = CurveLawForm::kPowerOnly;
  power.parameter_names = scalelaw::CurveLawParameterNames(power.form);
  power.parameters = {3.0, 0.6, 0.5};
  double s1 = 0;
  for (double eta : lr) s1 += eta;
  CHECK(scalelaw::Predict(scalelaw::FittedLaw(power), Quantity::kLoss, WithSchedule(kSchedule)).Value("loss") ==
        Approx(3.0 + 0.6 * std::pow(s1, -0.5)).epsilon(1e-12));
}

TEST_CASE("A curve-law prediction names what it lacks and what it extrapolates", "[curve_law_value]") {
  const scalelaw::Law law = scalelaw::FittedLaw(MultiPowerFit());
  try {
    scalelaw::Predict(law, Quantity::kLoss, PredictionInputs{});
    FAIL("a prediction without a schedule answered");
  } catch (const scalelaw::NotApplicable& e) {
    CHECK_THAT(e.Spelled(scalelaw::Spelling::kCli), Contains("needs --schedule"));
    CHECK_THAT(e.Spelled(scalelaw::Spelling::kPython), Contains("needs schedule="));
  }
  CHECK_THROWS_WITH(scalelaw::Predict(law, Quantity::kLoss, WithSchedule("cosine:peak=1e-3,steps=ten")),
                    Contains("steps"));
  CHECK_THROWS_AS(PredictionInputs{}.Set(Input::kSchedule, 1.0), scalelaw::InputProblem);

  const scalelaw::Prediction longer =
      scalelaw::Predict(law, Quantity::kLoss, WithSchedule("cosine:peak=2e-3,end=1e-4,steps=4000,warmup=20"));
  REQUIRE(longer.warnings.size() == 2);
  CHECK_THAT(longer.warnings[0], Contains("4000 steps, beyond the 400"));
  CHECK_THAT(longer.warnings[1], Contains("peak LR 0.002 is outside"));
}

TEST_CASE("A curve fit's resamples give the final loss a 95% interval", "[curve_law_value]") {
  CurveFitSummary fit = MultiPowerFit();
  const std::vector<double> lr = scalelaw::LrPerStep(scalelaw::ParseLrSchedule(kSchedule));
  std::vector<double> losses;
  for (int k = 0; k < 40; ++k) {
    std::vector<double> p = kMultiPower;
    p[0] *= 1 + 0.002 * std::sin(1.7 * k);
    p[3] *= 1 + 0.05 * std::cos(0.9 * k);
    fit.resample_parameters.push_back(p);
    losses.push_back(MultiPowerByDefinition(p, lr));
  }
  const scalelaw::Prediction p = scalelaw::Predict(scalelaw::FittedLaw(fit), Quantity::kLoss, WithSchedule(kSchedule));
  CHECK(p.Value("loss_lo95") == Approx(NumpyPercentile(losses, 0.025)).epsilon(1e-9));
  CHECK(p.Value("loss_hi95") == Approx(NumpyPercentile(losses, 0.975)).epsilon(1e-9));
  CHECK(p.Value("loss_lo95") < p.Value("loss"));
  CHECK(p.Value("loss") < p.Value("loss_hi95"));
}

TEST_CASE("A curve fit across sizes as a Law predicts the loss of a size at a schedule", "[curve_law_value]") {
  scalelaw::CurveSizeFitSummary fit;
  fit.status = scalelaw::AnalysisStatus::kUsable;
  fit.form = CurveLawForm::kPowerOnly;
  fit.law.form = fit.form;
  fit.law.parameters = {3.0, 0.6, 0.5};
  fit.law.exponents = {-0.05, -0.1, 0};
  fit.law.scaled = {true, true, false};
  fit.law.reference_params = 1e8;
  fit.parameter_names = {"L0", "A", "alpha", "e_L0", "e_A"};
  fit.parameters = {3.0, 0.6, 0.5, -0.05, -0.1};
  fit.sizes = {5e7, 2e8};
  fit.range = {400, 1e-3, 1e-3};
  const scalelaw::Law law = scalelaw::FittedLaw(fit);
  PredictionInputs in = WithSchedule(kSchedule);
  CHECK_THROWS_AS(scalelaw::Predict(law, Quantity::kLoss, in), scalelaw::NotApplicable);  // N is needed
  in.Set(Input::kParams, 4e8);
  const std::vector<double> lr = scalelaw::LrPerStep(scalelaw::ParseLrSchedule(kSchedule));
  double s1 = 0;
  for (double eta : lr) s1 += eta;
  const double at = 4e8 / 1e8;
  const scalelaw::Prediction p = scalelaw::Predict(law, Quantity::kLoss, in);
  CHECK(p.Value("loss") ==
        Approx(3.0 * std::pow(at, -0.05) + 0.6 * std::pow(at, -0.1) * std::pow(s1, -0.5)).epsilon(1e-12));
  REQUIRE(p.warnings.size() == 1);
  CHECK_THAT(p.warnings[0], Contains("N = 4e+08 is outside the 5e+07 to 2e+08"));
}

TEST_CASE("A curve fit's JSON is read back as a Law", "[curve_law_value]") {
  const CurveFitSummary fit = MultiPowerFit();
  const scalelaw::Law law = scalelaw::LawFromJson(scalelaw::CurveFitToJson(fit), "curves.json", "fit:curves.json");
  const scalelaw::Prediction p = scalelaw::Predict(law, Quantity::kLoss, WithSchedule(kSchedule));
  const std::vector<double> lr = scalelaw::LrPerStep(scalelaw::ParseLrSchedule(kSchedule));
  CHECK(p.Value("loss") == Approx(MultiPowerByDefinition(kMultiPower, lr)).epsilon(1e-9));
  // The range travels with the file: a longer schedule is still warned of.
  CHECK(
      scalelaw::Predict(law, Quantity::kLoss, WithSchedule("constant:peak=1e-3,steps=800,warmup=20")).warnings.size() ==
      1);
}
