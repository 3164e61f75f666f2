// The moving-block residual bootstrap of FitCurveLaw (docs/curve-laws.md, "Uncertainty") and the intervals of
// ForecastCurve.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "scalelaw/curves/curve_fit.h"
#include "scalelaw/curves/schedule.h"
#include "scalelaw/error.h"

using namespace scalelaw;

namespace {

// A curve logged every 50 steps from step 250 under the schedule spec, its loss from law times exp(noise), the
// noise normal with standard deviation sigma (0: none).
TrainingCurve NoisyCurve(const std::string& spec, const CurveLaw& law, double sigma, std::mt19937_64* generator) {
  TrainingCurve curve;
  curve.name = spec;
  curve.lr = LrPerStep(ParseLrSchedule(spec));
  for (long t = 250; t < static_cast<long>(curve.lr.size()); t += 50) curve.steps.push_back(t);
  curve.loss = CurveLoss(law, curve.lr, curve.steps);
  std::normal_distribution<double> noise(0, sigma);
  if (sigma > 0) {
    for (double& y : curve.loss) y *= std::exp(noise(*generator));
  }
  return curve;
}

std::vector<TrainingCurve> NoisyCurves(const CurveLaw& law, double sigma, std::mt19937_64* generator) {
  return {NoisyCurve("cosine:peak=1e-3,end=1e-4,steps=4000,warmup=200", law, sigma, generator),
          NoisyCurve("constant:peak=1e-3,steps=4000,warmup=200", law, sigma, generator),
          NoisyCurve("steps:peak=1e-3,steps=3000,warmup=200,stages=1500@3e-4", law, sigma, generator)};
}

const char* const kHeldOut = "wsd:peak=1e-3,end=1e-4,steps=6000,warmup=200,decay_fraction=0.2,shape=linear";

}  // namespace

TEST_CASE("Curve bootstrap: reproducible for a seed, independent of the thread count, around the estimate") {
  std::mt19937_64 generator(7);
  const CurveLaw mpl = AsCurveLaw(MultiPowerLaw{3.0, 0.5, 0.5, 300, 1.5, 0.6, 0.6});
  const std::vector<TrainingCurve> curves = NoisyCurves(mpl, 0.002, &generator);
  CurveFitOptions options;
  options.bootstrap_resamples = 8;
  options.bootstrap_seed = 11;
  options.num_threads = 1;
  const CurveFitSummary one = FitCurveLaw(CurveLawForm::kMultiPower, curves, options);
  INFO(one.FullReport());
  REQUIRE(one.IsUsable());
  options.num_threads = 2;
  const CurveFitSummary two = FitCurveLaw(CurveLawForm::kMultiPower, curves, options);
  REQUIRE(one.resample_parameters.size() + one.failed_resamples == 8);
  REQUIRE(one.resample_parameters.size() >= 6);
  CHECK(one.resample_parameters == two.resample_parameters);
  CHECK(one.failed_resamples == two.failed_resamples);
  options.bootstrap_seed = 12;
  const CurveFitSummary other = FitCurveLaw(CurveLawForm::kMultiPower, curves, options);
  CHECK(other.resample_parameters != one.resample_parameters);

  // the resamples differ from the fit (they are refits of different data) and scatter around it
  REQUIRE(one.parameter_resamples.size() == one.parameters.size());
  for (std::size_t j = 0; j < one.parameters.size(); ++j) {
    INFO(one.parameter_names[j]);
    CHECK(one.parameter_resamples[j].se > 0);
  }
  const CurveForecast forecast = ForecastCurve(one, LrPerStep(ParseLrSchedule(kHeldOut)), 100);
  REQUIRE(forecast.HasInterval());
  for (std::size_t i = 0; i < forecast.steps.size(); ++i) {
    CHECK(forecast.lower[i] <= forecast.loss[i]);
    CHECK(forecast.loss[i] <= forecast.upper[i]);
  }
  CHECK(forecast.final_loss == forecast.loss.back());
  CHECK(forecast.final_loss_resamples.ci95.second == forecast.upper.back());
  CHECK(forecast.upper.back() > forecast.lower.back());

  // the JSON keeps the resamples, and the summaries come back
  const CurveFitSummary back = CurveFitFromJson(CurveFitToJson(one), "fit.json");
  CHECK(back.resample_parameters == one.resample_parameters);
  CHECK(back.bootstrap_seed == 11);
  REQUIRE(back.parameter_resamples.size() == one.parameters.size());
  CHECK(back.parameter_resamples[0].ci95 == one.parameter_resamples[0].ci95);
  CHECK(ForecastCurve(back, LrPerStep(ParseLrSchedule(kHeldOut)), 100).upper == forecast.upper);
  CHECK(one.FullReport().find("moving-block residual resamples") != std::string::npos);
}

TEST_CASE("Curve bootstrap: the 95% interval of a held-out final loss covers the truth in most replications") {
  // 20 replications of 3 curves with log-normal noise (sd 0.003) around a known Tissue law; each fitted with a
  // 60-resample bootstrap, the interval of the final loss of a schedule none of them ran. A correct 95% interval
  // misses about once in 20; at most 5 misses are allowed (the probability of 6 or more misses of a true 95%
  // interval is 0.0003).
  const CurveLaw truth = AsCurveLaw(AnnealingLaw{3.0, 0.5, 0.5, 0.4, 0.999});
  const std::vector<double> held_out = LrPerStep(ParseLrSchedule(kHeldOut));
  const double true_final = CurveLoss(truth, held_out, {static_cast<long>(held_out.size()) - 1})[0];
  int covered = 0;
  double width = 0;
  for (int replication = 0; replication < 20; ++replication) {
    std::mt19937_64 generator(1000 + replication);
    CurveFitOptions options;
    options.bootstrap_resamples = 60;
    options.bootstrap_seed = static_cast<std::uint64_t>(replication);
    const CurveFitSummary fit = FitCurveLaw(CurveLawForm::kAnnealing, NoisyCurves(truth, 0.003, &generator), options);
    REQUIRE(fit.IsUsable());
    const CurveForecast forecast = ForecastCurve(fit, held_out, 1000);
    REQUIRE(forecast.HasInterval());
    const auto [low, high] = forecast.final_loss_resamples.ci95;
    if (low <= true_final && true_final <= high) ++covered;
    width += (high - low) / 20;
  }
  INFO("covered " << covered << " of 20, mean width " << width << " around " << true_final);
  CHECK(covered >= 15);
  CHECK(width < 0.05 * true_final);  // an interval, not the whole line
}

TEST_CASE("Curve bootstrap: options out of range are refused") {
  CurveFitOptions options;
  std::string error;
  options.bootstrap_resamples = -1;
  CHECK_FALSE(options.IsValid(&error));
  CHECK(error == "bootstrap_resamples must be >= 0, not -1");
  options.bootstrap_resamples = 0;
  options.block_length = -2;
  CHECK_FALSE(options.IsValid(&error));
  CHECK(error == "block_length must be >= 0, not -2");
}
