// Predictive intervals of a new run's loss (PredictiveInterval, scalelaw/predict.h): the bootstrap's predictions
// (parameter uncertainty) combined with the fit's residuals (observation noise). Checked against an independent
// recomputation of the residual bootstrap's percentiles, and for coverage on simulated runs of a known
// Chinchilla law with log-normal noise.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "scalelaw/fit/fit.h"
#include "scalelaw/fit/fitted_law.h"
#include "scalelaw/laws/chinchilla.h"
#include "scalelaw/predict.h"

namespace {

// numpy's default percentile: linear interpolation between order statistics.
double Percentile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  const double at = q * (values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(at));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (at - below) * (values[above] - values[below]);
}

double NormalCdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

const scalelaw::ChinchillaLaw kTruth{1.75, 420.0, 1800.0, 0.33, 0.31};

// 5 model sizes x 4 tokens-per-parameter ratios, each loss the law's times exp(sigma z), z standard normal.
scalelaw::Dataset SimulatedRuns(double sigma, std::mt19937_64& rng) {
  std::normal_distribution<double> normal(0.0, 1.0);
  scalelaw::Dataset data;
  for (double n : {3e7, 1e8, 3e8, 1e9, 3e9}) {
    for (double tpp : {2.0, 8.0, 30.0, 120.0}) {
      data.params.push_back(n);
      data.tokens.push_back(tpp * n);
      data.loss.push_back(scalelaw::Loss(kTruth, n, tpp * n) * std::exp(sigma * normal(rng)));
    }
  }
  return data;
}

}  // namespace

TEST_CASE(
    "The predictive interval is the percentiles of every bootstrap prediction with every centred, inflated "
    "residual",
    "[predict]") {
  const std::vector<double> predictions{2.00, 2.02, 1.97, 2.05, 1.99};
  scalelaw::ObservationNoise noise;
  noise.residuals = {0.010, -0.020, 0.004, 0.015, -0.012, 0.001, 0.008};
  noise.free_parameters = 2;
  // Independently: centre (mean 0.000857...), inflate by sqrt(7/5), L = L_hat exp(-r) for log residuals.
  double mean = 0;
  for (double r : noise.residuals) mean += r / 7;
  std::vector<double> draws, absolute;
  for (double prediction : predictions) {
    for (double r : noise.residuals) {
      const double e = std::sqrt(7.0 / 5.0) * (r - mean);
      draws.push_back(prediction * std::exp(-e));
      absolute.push_back(prediction - e);
    }
  }
  const auto [lo, hi] = scalelaw::PredictiveInterval(predictions, noise, 0.9);
  CHECK(lo == Approx(Percentile(draws, 0.05)).epsilon(1e-12));
  CHECK(hi == Approx(Percentile(draws, 0.95)).epsilon(1e-12));
  noise.log_scale = false;
  const auto [alo, ahi] = scalelaw::PredictiveInterval(predictions, noise, 0.8);
  CHECK(alo == Approx(Percentile(absolute, 0.10)).epsilon(1e-12));
  CHECK(ahi == Approx(Percentile(absolute, 0.90)).epsilon(1e-12));

  // No degrees of freedom left for the noise, or a single prediction: no interval rather than a number.
  noise.free_parameters = 7;
  CHECK(std::isnan(scalelaw::PredictiveInterval(predictions, noise, 0.9).first));
  noise.free_parameters = 2;
  CHECK(std::isnan(scalelaw::PredictiveInterval({2.0}, noise, 0.9).first));
  CHECK(std::isnan(scalelaw::PredictiveInterval(predictions, noise, 1.0).first));
}

TEST_CASE("A fitted law's loss carries loss_lo90p and loss_hi90p around its 95% parameter interval", "[predict]") {
  std::mt19937_64 rng(3);
  scalelaw::FitOptions options;
  options.bootstrap_resamples = 40;
  options.num_threads = 1;
  options.max_parameter_span = std::numeric_limits<double>::infinity();
  scalelaw::FitSummary fit;
  scalelaw::Fit(SimulatedRuns(0.02, rng), scalelaw::Model::FromName("chinchilla"), options, &fit);
  INFO(fit.message);
  REQUIRE(fit.IsUsable());
  REQUIRE(fit.residuals.size() == 20);
  CHECK(fit.free_parameters == 5);
  scalelaw::Law law = scalelaw::FittedLaw(fit, "fit:test");
  scalelaw::PredictionInputs in;
  in.Set(scalelaw::Input::kParams, 2e9);
  in.Set(scalelaw::Input::kTokens, 4e10);
  // Off unless asked for.
  CHECK_THROWS(scalelaw::Predict(law, scalelaw::Quantity::kLoss, in).Value("loss_lo90p"));
  law.predictive_level = 0.9;
  const scalelaw::Prediction p = scalelaw::Predict(law, scalelaw::Quantity::kLoss, in);
  CHECK(p.Value("loss_lo90p") < p.Value("loss_lo95"));
  CHECK(p.Value("loss_hi90p") > p.Value("loss_hi95"));
  CHECK(p.Value("loss_lo90p") < p.Value("loss"));
  CHECK(p.Value("loss_hi90p") > p.Value("loss"));
  // The noise dominates at 2% log-normal noise: the interval spans about 2 x 1.645 x 2% of the loss.
  const double width = std::log(p.Value("loss_hi90p") / p.Value("loss_lo90p"));
  CHECK(width > 0.04);
  CHECK(width < 0.11);

  // A law without residuals (a curve-law fit, an older fit file) keeps its 95% interval and says nothing more.
  law.noise.residuals.clear();
  const scalelaw::Prediction quiet = scalelaw::Predict(law, scalelaw::Quantity::kLoss, in);
  CHECK(quiet.Value("loss_lo95") == Approx(p.Value("loss_lo95")).epsilon(1e-12));
  CHECK_THROWS(quiet.Value("loss_lo90p"));
  for (const std::string& warning : quiet.warnings) CHECK(warning.find("predictive") == std::string::npos);
}

TEST_CASE("The 90% predictive interval of a new run covers about 90% of fresh draws of a known law", "[predict]") {
  // R independent simulated sweeps of 20 runs with 2% log-normal noise, each fitted with a 40-resample bootstrap;
  // at a point inside the sweep and one beyond it (3x the largest N at 20 tokens per parameter), the interval's
  // probability of covering a fresh run L* = L_true exp(0.02 z) is exactly Phi(log(hi/L_true)/0.02) -
  // Phi(log(lo/L_true)/0.02): that is the limit of infinitely many fresh draws, so the only sampling error is that of
  // the R fits. Their mean is checked against 0.9 within 3 standard errors of the R coverages, plus 0.03 for the
  // residual bootstrap's small-sample bias (its percentile interval is not exact with n = 20 runs and p = 5 parameters;
  // Davison and Hinkley 1997, Sec. 6.3.3). Measured with this seed: 0.905 (standard error 0.006) inside the sweep,
  // 0.928 (0.011) beyond it, where the 95% parameter interval alone covers 0.53 and 0.85.
  constexpr double kSigma = 0.02;
  constexpr int kReplicates = 100;
  const scalelaw::Model chinchilla = scalelaw::Model::FromName("chinchilla");
  std::mt19937_64 rng(20261207);
  struct Point {
    double params, tokens;
    std::vector<double> coverage, parameter_only;
  };
  std::vector<Point> points{{6e8, 1.2e10, {}, {}}, {9e9, 1.8e11, {}, {}}};
  for (int r = 0; r < kReplicates; ++r) {
    scalelaw::FitOptions options;
    options.bootstrap_resamples = 40;
    options.bootstrap_seed = 100 + r;
    options.num_threads = 1;
    // 2% noise on 20 runs leaves A loosely pinned (its bootstrap interval can pass the 1e4-fold span that calls
    // a fit not identifiable); the predictions are what is checked here.
    options.max_parameter_span = std::numeric_limits<double>::infinity();
    scalelaw::FitSummary fit;
    scalelaw::Fit(SimulatedRuns(kSigma, rng), chinchilla, options, &fit);
    if (fit.bootstrap_draws.size() < 2) continue;
    scalelaw::Law law = scalelaw::FittedLaw(fit, "fit");
    law.predictive_level = 0.9;
    for (Point& point : points) {
      scalelaw::PredictionInputs in;
      in.Set(scalelaw::Input::kParams, point.params);
      in.Set(scalelaw::Input::kTokens, point.tokens);
      const scalelaw::Prediction p = scalelaw::Predict(law, scalelaw::Quantity::kLoss, in);
      const double truth = scalelaw::Loss(kTruth, point.params, point.tokens);
      auto covered = [&](double lo, double hi) {
        return NormalCdf(std::log(hi / truth) / kSigma) - NormalCdf(std::log(lo / truth) / kSigma);
      };
      point.coverage.push_back(covered(p.Value("loss_lo90p"), p.Value("loss_hi90p")));
      point.parameter_only.push_back(covered(p.Value("loss_lo95"), p.Value("loss_hi95")));
    }
  }
  for (const Point& point : points) {
    const auto n = static_cast<double>(point.coverage.size());
    REQUIRE(n >= kReplicates - 2);
    double mean = 0, squares = 0, parameter_only = 0;
    for (double c : point.coverage) mean += c / n;
    for (double c : point.coverage) squares += (c - mean) * (c - mean);
    for (double c : point.parameter_only) parameter_only += c / n;
    const double standard_error = std::sqrt(squares / (n - 1) / n);
    INFO("N = " << point.params << ": mean coverage " << mean << " (standard error " << standard_error
                << "), the 95% parameter interval alone " << parameter_only);
    CHECK(std::abs(mean - 0.9) < 3 * standard_error + 0.03);
    // Parameter uncertainty alone covers far fewer new runs: the observation noise is what the interval adds.
    if (&point == &points.front()) CHECK(parameter_only < 0.75);
  }
}
