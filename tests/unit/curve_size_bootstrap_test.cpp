// The bootstrap, the fitted lambda and the reference size of the curve fit across sizes
// (scalelaw/curves/curve_size_fit.h), on synthetic curves of a known law (tests/support/synthetic_size_curves.h).
#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "scalelaw/curves/curve_size_fit.h"
#include "scalelaw/curves/schedule.h"
#include "scalelaw/error.h"
#include "support/synthetic_size_curves.h"

using namespace scalelaw;
using namespace scalelaw::test;

namespace {

constexpr const char* kUnseenSchedule = "cosine:peak=1e-3,end=1e-4,steps=4000,warmup=200";
constexpr double kUnseen = 4e8;  // fitted on 5e7, 1e8, 2e8

// The three sizes' curves with multiplicative log-normal noise of sd `noise` (generator seeded with seed).
std::vector<TrainingCurve> NoisyCurves(double noise, std::uint64_t seed, LawAtSize law_at = TrueLawAt) {
  std::vector<TrainingCurve> curves = SyntheticCurves({5e7, 1e8, 2e8}, law_at);
  std::mt19937_64 generator(seed);
  std::normal_distribution<double> normal(0.0, noise);
  for (TrainingCurve& curve : curves) {
    for (double& y : curve.loss) y *= std::exp(normal(generator));
  }
  return curves;
}

double TrueFinalLoss(LawAtSize law_at = TrueLawAt) {
  const std::vector<double> lr = LrPerStep(ParseLrSchedule(kUnseenSchedule));
  return CurveLoss(law_at(kUnseen), lr, {static_cast<long>(lr.size()) - 1})[0];
}

// The Tissue et al. annealing law (arXiv:2408.11029) with lambda 0.99 (not the default 0.999), L0, A and C power
// laws in N around kReference.
CurveLaw TissueLawAt(double n) {
  const double ratio = n / kReference;
  return AsCurveLaw(
      AnnealingLaw{3.0 * std::pow(ratio, -0.05), 0.5 * std::pow(ratio, -0.1), 0.5, 0.4 * std::pow(ratio, 0.1), 0.99});
}

}  // namespace

TEST_CASE("Curve fit across sizes: the bootstrap interval of an unseen size's final loss covers the truth") {
  // 6 replications of noisy curves (log-normal, sd 0.003) of 3 sizes around a known Multi-Power Law across
  // sizes, each with a 40-resample bootstrap; the 95% interval of the final loss at N = 4e8 (twice the largest
  // fitted size) under a schedule. Measured: 4 of 6 cover the truth (the two misses, replications 3 and 5, predict
  // 0.1% to 0.2% high with intervals of half-width 0.1%: the percentile interval of an extrapolation is somewhat
  // narrow, docs/curve-laws.md); at least 4 are required. With a third of the noise the intervals are narrower in
  // proportion (measured: mean width 0.0092 at sd 0.003 against 0.0028 at sd 0.001).
  const double truth = TrueFinalLoss();
  const std::vector<double> lr = LrPerStep(ParseLrSchedule(kUnseenSchedule));
  double mean_width[2] = {0, 0};
  int covered = 0;
  const int replications = 6;
  for (int noise_level = 0; noise_level < 2; ++noise_level) {
    for (int replication = 0; replication < replications; ++replication) {
      CurveSizeFitOptions options;
      options.fit.bootstrap_resamples = 40;
      options.fit.bootstrap_seed = static_cast<std::uint64_t>(replication);
      const double noise = noise_level == 0 ? 0.003 : 0.001;
      const CurveSizeFitSummary fit =
          FitCurveLawAcrossSizes(CurveLawForm::kMultiPower, NoisyCurves(noise, 500 + replication), options);
      INFO(fit.FullReport());
      REQUIRE(fit.IsUsable());
      REQUIRE(fit.resample_parameters.size() + fit.failed_resamples == 40);
      CHECK(fit.failed_resamples <= 4);
      const CurveForecast forecast = ForecastCurveAtSize(fit, kUnseen, lr, 500);
      REQUIRE(forecast.HasInterval());
      const auto [low, high] = forecast.final_loss_resamples.ci95;
      CHECK(low <= forecast.final_loss);
      CHECK(forecast.final_loss <= high);
      if (noise_level == 0 && low <= truth && truth <= high) ++covered;
      mean_width[noise_level] += (high - low) / replications;
    }
  }
  INFO("covered " << covered << " of " << replications << "; mean width " << mean_width[0] << " at sd 0.003, "
                  << mean_width[1] << " at sd 0.001, truth " << truth);
  CHECK(covered >= 4);
  CHECK(mean_width[1] < 0.6 * mean_width[0]);
  CHECK(mean_width[0] < 0.05 * truth);  // an interval, not the whole line
}

TEST_CASE("Curve fit across sizes: the bootstrap depends on the seed only, not on the thread count") {
  const std::vector<TrainingCurve> curves = NoisyCurves(0.002, 7);
  CurveSizeFitOptions options;
  options.fit.bootstrap_resamples = 12;
  options.fit.bootstrap_seed = 3;
  options.fit.num_threads = 1;
  const CurveSizeFitSummary one = FitCurveLawAcrossSizes(CurveLawForm::kMultiPower, curves, options);
  options.fit.num_threads = 3;
  const CurveSizeFitSummary three = FitCurveLawAcrossSizes(CurveLawForm::kMultiPower, curves, options);
  REQUIRE(one.IsUsable());
  REQUIRE(one.resample_parameters.size() >= 10);
  CHECK(one.resample_parameters == three.resample_parameters);
  CHECK(one.failed_resamples == three.failed_resamples);
  CHECK(one.parameters == three.parameters);
  options.fit.bootstrap_seed = 4;
  const CurveSizeFitSummary other = FitCurveLawAcrossSizes(CurveLawForm::kMultiPower, curves, options);
  CHECK(other.resample_parameters != one.resample_parameters);
  // one resample per row, one value per free parameter, summarised per parameter
  for (const std::vector<double>& row : one.resample_parameters) CHECK(row.size() == one.parameter_names.size());
  REQUIRE(one.parameter_resamples.size() == one.parameter_names.size());
  CHECK(one.parameter_resamples[7].ci95.first <= one.parameters[7]);  // e_L0
  CHECK(one.parameters[7] <= one.parameter_resamples[7].ci95.second);
  CHECK(one.FullReport().find("moving-block residual resamples") != std::string::npos);

  // The resamples survive the trip to JSON: the interval of a curve read back is the same.
  const nlohmann::json json = nlohmann::json::parse(CurveSizeFitToJson(one));
  CHECK(json.at("bootstrap").at("seed") == 3);
  CHECK(json.at("bootstrap").at("resamples").size() == one.resample_parameters.size());
  const CurveSizeFitSummary back = CurveSizeFitFromJson(CurveSizeFitToJson(one), "fit.json");
  CHECK(back.resample_parameters == one.resample_parameters);
  REQUIRE(back.parameter_resamples.size() == one.parameter_resamples.size());
  CHECK(back.parameter_resamples[7].ci95 == one.parameter_resamples[7].ci95);
  const std::vector<double> lr = LrPerStep(ParseLrSchedule(kUnseenSchedule));
  const CurveForecast forecast = ForecastCurveAtSize(one, kUnseen, lr, 500);
  CHECK(ForecastCurveAtSize(back, kUnseen, lr, 500).upper == forecast.upper);
  // each resample law at N is the law of that resample's free parameters, as computed by hand
  const CurveSizeLaw first = one.ResampleLaws().front();
  const std::vector<double>& row = one.resample_parameters.front();
  CHECK(first.At(kUnseen).parameters[0] ==
        Approx(row[0] * std::pow(kUnseen / one.law.reference_params, row[7])).epsilon(1e-14));
  CHECK_THROWS_AS(CurveSizeFitFromJson(R"({"form": "power", "lambda": 0.999, "status": "usable",
      "reference_params": 1e8, "parameters": {"L0": 3, "A": 1, "alpha": 0.5}, "exponents": {"L0": -0.1},
      "bootstrap": {"resamples": [[3, 1]]}})",
                                       "x.json"),
                  InputError);
}

TEST_CASE("Curve fit across sizes: the Tissue law's lambda is fitted once for every size when asked") {
  // Noise-free curves of the annealing law with lambda 0.99 at 3 sizes: held at the default 0.999 the joint fit
  // misses them; with fit_lambda it finds 0.99 and fits them, as FitCurveLaw does for one size.
  const std::vector<TrainingCurve> curves = SyntheticCurves({5e7, 1e8, 2e8}, TissueLawAt);
  CurveSizeFitOptions options;
  options.reference_params = kReference;
  const CurveSizeFitSummary held = FitCurveLawAcrossSizes(CurveLawForm::kAnnealing, curves, options);
  options.fit.fit_lambda = true;
  const CurveSizeFitSummary fitted = FitCurveLawAcrossSizes(CurveLawForm::kAnnealing, curves, options);
  INFO(fitted.FullReport());
  REQUIRE(fitted.IsUsable());
  CHECK(held.lambda == 0.999);
  CHECK(fitted.lambda == Approx(0.99).epsilon(1e-4));
  CHECK(fitted.law.lambda == fitted.lambda);
  CHECK(fitted.objective < 1e-3 * held.objective);
  CHECK(fitted.parameter_names == std::vector<std::string>{"L0", "A", "alpha", "C", "e_L0", "e_A", "e_C"});
  const std::vector<double> law = {3.0, 0.5, 0.5, 0.4};
  for (std::size_t j = 0; j < law.size(); ++j) CHECK(fitted.law.parameters[j] == Approx(law[j]).epsilon(1e-3));
  CHECK(fitted.law.exponents[3] == Approx(0.1).margin(1e-3));
  for (const CurveFitSummary& alone : fitted.size_fits) CHECK(alone.lambda == Approx(0.99).epsilon(1e-3));
  // the fitted lambda is written and read back with the law
  CHECK(CurveSizeFitFromJson(CurveSizeFitToJson(fitted), "fit.json").Law().At(kUnseen).lambda == fitted.lambda);
  // and a bootstrap keeps it (one row per resample, without lambda)
  options.fit.bootstrap_resamples = 4;
  const CurveSizeFitSummary booted = FitCurveLawAcrossSizes(CurveLawForm::kAnnealing, curves, options);
  REQUIRE(booted.resample_parameters.size() == 4);
  CHECK(booted.resample_parameters[0].size() == 7);
}

TEST_CASE("Curve fit across sizes: the reference size moves the parameters, not the law") {
  // theta_ref · (N/N_ref)^e is the same law for any N_ref: only theta_ref changes, by (N_ref'/N_ref)^e.
  const std::vector<TrainingCurve> curves = SyntheticCurves({5e7, 1e8, 2e8});
  CurveSizeFitOptions options;
  const CurveSizeFitSummary mean = FitCurveLawAcrossSizes(CurveLawForm::kMultiPower, curves, options);
  options.reference_params = 1e9;
  const CurveSizeFitSummary billion = FitCurveLawAcrossSizes(CurveLawForm::kMultiPower, curves, options);
  REQUIRE(mean.IsUsable());
  REQUIRE(billion.IsUsable());
  CHECK(mean.law.reference_params == Approx(1e8).epsilon(1e-12));
  CHECK(billion.law.reference_params == 1e9);
  CHECK(billion.law.parameters[0] ==
        Approx(mean.law.parameters[0] * std::pow(10.0, mean.law.exponents[0])).epsilon(1e-4));
  CHECK(billion.law.At(kUnseen).parameters[3] == Approx(mean.law.At(kUnseen).parameters[3]).epsilon(1e-4));
}
