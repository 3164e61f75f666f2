// Leave-future-out validation (scalelaw/analysis/validation.h) on simulated runs: a law fitted in its own form
// predicts the larger runs to the noise level with near-nominal predictive coverage; a misspecified form's errors
// grow with the extrapolation distance; thresholds that leave too few runs give no answer.
#include "scalelaw/analysis/validation.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <random>

#include "scalelaw/error.h"
#include "scalelaw/laws/chinchilla.h"

namespace {

const scalelaw::ChinchillaLaw kTruth{1.75, 420.0, 1800.0, 0.33, 0.31};

// 6 model sizes x 5 tokens-per-parameter ratios, losses of kTruth times exp(sigma z).
scalelaw::Dataset Runs(double sigma, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  scalelaw::Dataset data;
  for (double n : {3e7, 1e8, 3e8, 1e9, 3e9, 1e10}) {
    for (double tpp : {2.0, 6.0, 20.0, 60.0, 200.0}) {
      data.params.push_back(n);
      data.tokens.push_back(tpp * n);
      data.loss.push_back(scalelaw::Loss(kTruth, n, tpp * n) * std::exp(sigma * normal(rng)));
    }
  }
  return data;
}

}  // namespace

TEST_CASE("Leave-future-out: the law's own form predicts larger runs to the noise level, its intervals near nominal",
          "[validation]") {
  constexpr double kSigma = 0.01;
  scalelaw::LeaveFutureOutOptions options;
  options.fit.bootstrap_resamples = 60;
  options.fit.num_threads = 1;
  options.fit.max_parameter_span = std::numeric_limits<double>::infinity();
  scalelaw::LeaveFutureOutSummary summary;
  REQUIRE(
      scalelaw::ValidateLeaveFutureOut(Runs(kSigma, 11), scalelaw::Model::FromName("chinchilla"), options, &summary));
  INFO(summary.FullReport());
  CHECK(summary.folds.size() >= 3);
  CHECK(summary.runs.size() > 20);
  // Errors of a correct form: the noise's mean |e^z - 1| = 0.8 sigma plus the fit's, well under 3 sigma.
  CHECK(summary.mean_abs_relative_error < 3 * kSigma);
  for (const auto& band : summary.by_distance) CHECK(band.mean_abs_relative_error < 4 * kSigma);
  // Every run held out by some fold lies at or beyond its threshold.
  for (const auto& run : summary.runs) CHECK(run.distance >= 1);
  // Held-out runs of one fold share its fit, so their coverages are correlated: about 90%, within 0.12.
  CHECK(summary.with_interval == static_cast<int>(summary.runs.size()));
  CHECK(summary.coverage == Approx(0.9).margin(0.12));
}

TEST_CASE("Leave-future-out: a misspecified form's errors grow with the extrapolation distance", "[validation]") {
  // Noise-free Chinchilla runs along 20 tokens per parameter, fitted as a pure power law of compute, A C^-alpha:
  // the missing floor E makes it fall too fast, the more so the further it extrapolates.
  scalelaw::Dataset data;
  for (double n = 1e7; n < 2e10; n *= 1.6) {
    data.columns["C"].push_back(6 * n * 20 * n);
    data.loss.push_back(scalelaw::Loss(kTruth, n, 20 * n));
  }
  const scalelaw::Model power = scalelaw::Model::FromFormula("A * C^(-alpha)", {"C"});
  scalelaw::LeaveFutureOutOptions options;
  options.fit.num_threads = 1;
  options.thresholds = {1e17, 1e18, 1e19};
  scalelaw::LeaveFutureOutSummary summary;
  REQUIRE(scalelaw::ValidateLeaveFutureOut(data, power, options, &summary));
  INFO(summary.FullReport());
  REQUIRE(summary.by_distance.size() >= 4);
  const auto& nearest = summary.by_distance.front();
  const auto& farthest = summary.by_distance.back();
  CHECK(farthest.mean_abs_relative_error > 3 * nearest.mean_abs_relative_error);
  for (const auto& run : summary.runs) CHECK(run.predicted < run.observed);  // always too low
  CHECK(summary.with_interval == 0);                                         // no bootstrap, no predictive intervals
}

TEST_CASE("Leave-future-out: thresholds that leave too few runs to fit give no answer", "[validation]") {
  scalelaw::LeaveFutureOutOptions options;
  options.fit.num_threads = 1;
  options.thresholds = {1e15};  // below every run's compute
  scalelaw::LeaveFutureOutSummary summary;
  CHECK_FALSE(
      scalelaw::ValidateLeaveFutureOut(Runs(0.01, 1), scalelaw::Model::FromName("chinchilla"), options, &summary));
  CHECK(summary.status == scalelaw::AnalysisStatus::kNotIdentifiable);
  CHECK(summary.message.find("0 runs to fit (at least 6)") != std::string::npos);
  options.split_by = "V";
  CHECK_THROWS_AS(
      scalelaw::ValidateLeaveFutureOut(Runs(0.01, 1), scalelaw::Model::FromName("chinchilla"), options, &summary),
      scalelaw::InvalidArgument);
  options.split_by = "C";
  options.thresholds = {-1};
  std::string error;
  CHECK_FALSE(options.IsValid(&error));
}
