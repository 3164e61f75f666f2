// The diagnostic charts of any fit (src/plot/result_charts.h MakeFitDiagnostics, src/plot/fit_plots.h): observed
// against predicted, residuals on the fit's residual scale, and y against the one input of a one-input form with
// the fitted curve and its bootstrap band. Expected values are computed here independently: the forms written out
// by hand (a sigmoid, a power law, the Chinchilla form), percentiles by hand, the held-out runs from their
// definition (the largest N·D).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "plot/fit_plots.h"
#include "plot/result_charts.h"
#include "plot/svg_plot.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/fit.h"

namespace sp = scalelaw::plot;

namespace {

struct Sigmoid {
  double d, c, gamma, l;
  double operator()(double x) const { return d + c / (1 + std::exp(-gamma * (x - l))); }
  std::map<std::string, double> AsMap() const { return {{"d", d}, {"c", c}, {"gamma", gamma}, {"l", l}}; }
};

const Sigmoid kScore{0.25, 0.5, 1.8, 22.0};

// A benchmark score against log10 FLOPs (19 to 25) as a fitted sigmoid with four resampled laws; the runs scatter
// about the law by a known ±2%.
scalelaw::FitSummary SigmoidFit() {
  scalelaw::FitSummary fit;
  fit.model = "sigmoid";
  fit.formula = "d + c / (1 + exp(-gamma * (x - l)))";
  fit.inputs = {"x"};
  fit.params = kScore.AsMap();
  fit.residual = scalelaw::Residual::kLog;
  fit.status = scalelaw::AnalysisStatus::kUsable;
  // Two resamples above the law everywhere (a higher floor and height, an earlier midpoint) and two below it, so
  // that the 95% band of the four contains the law at every x.
  for (double f : {0.96, 0.98, 1.02, 1.04}) {
    fit.bootstrap_draws.push_back(Sigmoid{kScore.d * f, kScore.c * f, kScore.gamma, kScore.l - 5 * (f - 1)}.AsMap());
  }
  return fit;
}

std::vector<double> LogFlops() {
  std::vector<double> x;
  for (int k = 0; k <= 12; ++k) x.push_back(19 + 0.5 * k);
  return x;
}

std::vector<double> Scores(const std::vector<double>& x) {
  std::vector<double> y;
  for (std::size_t i = 0; i < x.size(); ++i) y.push_back(kScore(x[i]) * (i % 2 == 0 ? 1.02 : 0.98));
  return y;
}

// numpy.percentile's default, written out: linear between the order statistics.
double PercentileByHand(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  const double h = fraction * (values.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(h);
  return lo + 1 < values.size() ? values[lo] + (h - lo) * (values[lo + 1] - values[lo]) : values[lo];
}

}  // namespace

TEST_CASE("diagnostics of a one-input fit: predictions, log residuals, the curve and its band", "[charts]") {
  const scalelaw::FitSummary fit = SigmoidFit();
  const std::vector<double> x = LogFlops(), y = Scores(x);
  sp::FitDiagnosticsOptions options;
  options.y_label = "score";
  options.input_labels["x"] = "x (log10 FLOPs)";
  const sp::FitDiagnosticsData data = sp::MakeFitDiagnostics(fit, {{"x", x}}, y, options);

  REQUIRE(data.observed.size() == x.size());
  CHECK(data.log_residual);
  CHECK(data.log_axes);
  double sum = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    CHECK(data.observed[i] == y[i]);
    CHECK(data.predicted[i] == Approx(kScore(x[i])).epsilon(1e-12));
    // Observed minus predicted on the log scale: ±2% about the law is ln 1.02 and ln 0.98.
    CHECK(data.residual[i] == Approx(std::log(i % 2 == 0 ? 1.02 : 0.98)).epsilon(1e-9));
    CHECK(data.input[i] == x[i]);
    CHECK_FALSE(data.held_out[i]);
    sum += data.residual[i] * data.residual[i];
  }
  CHECK(data.rms_fitted == Approx(std::sqrt(sum / x.size())).epsilon(1e-12));
  CHECK(std::isnan(data.rms_held_out));
  CHECK(data.y_label == "score");
  CHECK(data.form == "sigmoid fit");
  CHECK(data.title == "sigmoid: d + c / (1 + exp(-gamma * (x - l))), 13 runs");

  // The curve: the law along x over the runs' range widened by 5% each side (linear: log10 FLOPs spans far less
  // than a decade).
  CHECK(data.input_label == "x (log10 FLOPs)");
  CHECK_FALSE(data.log_input);
  REQUIRE(data.curve.x.size() == 200);
  CHECK(data.curve.x.front() == Approx(19 - 0.3));
  CHECK(data.curve.x.back() == Approx(25 + 0.3));
  for (std::size_t k = 0; k < data.curve.x.size(); ++k) {
    CHECK(data.curve.y[k] == Approx(kScore(data.curve.x[k])).epsilon(1e-12));
  }

  // The band: the 2.5 and 97.5 percentiles of the four resamples' sigmoids at each point, and the law inside it.
  const sp::Band& band = data.band;
  REQUIRE(band.x.size() == data.curve.x.size());
  CHECK(band.label == "95% band, 4 resamples");
  for (std::size_t k = 0; k < band.x.size(); ++k) {
    std::vector<double> values;
    for (const auto& draw : fit.bootstrap_draws) {
      values.push_back(Sigmoid{draw.at("d"), draw.at("c"), draw.at("gamma"), draw.at("l")}(band.x[k]));
    }
    CHECK(band.lower[k] == Approx(PercentileByHand(values, 0.025)).epsilon(1e-12));
    CHECK(band.upper[k] == Approx(PercentileByHand(values, 0.975)).epsilon(1e-12));
    CHECK(band.lower[k] <= data.curve.y[k]);
    CHECK(band.upper[k] >= data.curve.y[k]);
  }
}

TEST_CASE("diagnostics agree with the fitted law's own predictions", "[charts]") {
  // A formula over one column of the user's own name, and the public Predict as the independent evaluation.
  scalelaw::FitSummary fit;
  fit.model = "formula";
  fit.formula = "E + A * C^(-alpha)";
  fit.inputs = {"C"};
  fit.params = {{"E", 1.7}, {"A", 300.0}, {"alpha", 0.12}};
  fit.residual = scalelaw::Residual::kLog;
  std::vector<double> c, y;
  for (int k = 0; k < 9; ++k) {
    c.push_back(1e18 * std::pow(10.0, 0.5 * k));
    y.push_back(1.7 + 300 * std::pow(c.back(), -0.12) + 0.01 * (k % 3 - 1));
  }
  const sp::FitDiagnosticsData data = sp::MakeFitDiagnostics(fit, {{"C", c}}, y);
  REQUIRE(data.predicted.size() == c.size());
  for (std::size_t i = 0; i < c.size(); ++i) {
    const double expected = scalelaw::Predict(fit, {{"C", c[i]}});
    CHECK(data.predicted[i] == Approx(expected).epsilon(1e-12));
    CHECK(data.residual[i] == Approx(std::log(y[i] / expected)).epsilon(1e-9).margin(1e-12));
  }
  CHECK(data.title == "E + A * C^(-alpha), 9 runs");
  CHECK(data.form == "formula fit");
  CHECK(data.input_label == "C");
  // Four decades of positive C: a log axis, the curve from C_min/1.25 to 1.25 C_max, on the law.
  CHECK(data.log_input);
  CHECK(data.curve.x.front() == Approx(1e18 / 1.25));
  CHECK(data.curve.x.back() == Approx(1e22 * 1.25));
  for (std::size_t k = 0; k < data.curve.x.size(); k += 19) {
    CHECK(data.curve.y[k] == Approx(scalelaw::Predict(fit, {{"C", data.curve.x[k]}})).epsilon(1e-12));
  }
  CHECK(data.band.x.empty());  // no resamples, no band
}

TEST_CASE("diagnostics on the loss itself: y − ŷ, negative values, linear axes", "[charts]") {
  // Tao et al.'s unigram-normalised loss is negative (arXiv:2407.13623): a power law with a negative offset, fitted
  // on the loss itself (a formula: the power-offset preset keeps E positive).
  scalelaw::FitSummary fit;
  fit.model = "formula";
  fit.formula = "E + A * x^(-alpha)";
  fit.inputs = {"x"};
  fit.params = {{"E", -1.2}, {"A", 40.0}, {"alpha", 0.3}};
  fit.residual = scalelaw::Residual::kLoss;
  std::vector<double> x, y;
  for (int k = 0; k < 8; ++k) {
    x.push_back(std::pow(10.0, 3 + 0.5 * k));
    y.push_back(-1.2 + 40 * std::pow(x.back(), -0.3) + (k % 2 == 0 ? 0.05 : -0.05));
  }
  const sp::FitDiagnosticsData data = sp::MakeFitDiagnostics(fit, {{"x", x}}, y);
  REQUIRE(data.observed.size() == 8);  // negative y included
  CHECK_FALSE(data.log_residual);
  CHECK_FALSE(data.log_axes);
  for (std::size_t i = 0; i < x.size(); ++i) {
    CHECK(data.residual[i] == Approx(i % 2 == 0 ? 0.05 : -0.05).epsilon(1e-9));
  }
  CHECK(std::count_if(data.observed.begin(), data.observed.end(), [](double v) { return v < 0; }) == 3);
  CHECK(data.rms_fitted == Approx(0.05).epsilon(1e-9));

  // On log residuals the same runs cannot be shown where y is not positive; all of them: an error.
  fit.residual = scalelaw::Residual::kLog;
  std::vector<double> negative(x.size(), -0.5);
  CHECK_THROWS_AS(sp::MakeFitDiagnostics(fit, {{"x", x}}, negative), scalelaw::InvalidArgument);
}

TEST_CASE("diagnostics of a fit with held-out runs mark them, and its predictions are the fit's", "[charts]") {
  // Noisy Chinchilla runs on a 4 x 4 grid, the 3 of largest N·D held out (FitOptions::holdout_top).
  const double e = 1.8, a = 400, b = 2000, alpha = 0.34, beta = 0.36;
  scalelaw::Dataset runs;
  int k = 0;
  for (double n : {1e8, 3e8, 1e9, 3e9}) {
    for (double d : {2e9, 6e9, 2e10, 6e10}) {
      runs.params.push_back(n);
      runs.tokens.push_back(d);
      runs.loss.push_back((e + a / std::pow(n, alpha) + b / std::pow(d, beta)) * (1 + 0.004 * ((k++ % 5) - 2)));
    }
  }
  scalelaw::FitOptions options;
  options.holdout_top = 3;
  options.num_threads = 1;
  scalelaw::FitSummary fit;
  scalelaw::Fit(runs, scalelaw::Model::FromName("chinchilla"), options, &fit);
  REQUIRE(fit.holdout.size() == 3);

  const sp::FitDiagnosticsData data = sp::MakeFitDiagnostics(fit, runs);
  REQUIRE(data.observed.size() == runs.size());
  // The largest three N·D: (3e9, 6e10), (1e9, 6e10), (3e9, 2e10).
  std::vector<double> compute;
  for (std::size_t i = 0; i < runs.size(); ++i) compute.push_back(runs.params[i] * runs.tokens[i]);
  std::vector<double> sorted = compute;
  std::sort(sorted.rbegin(), sorted.rend());
  double held_sum = 0, fitted_sum = 0;
  int held = 0;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    const bool expected = compute[i] >= sorted[2];
    CHECK(data.held_out[i] == expected);
    const double law = fit.params.at("E") + fit.params.at("A") / std::pow(runs.params[i], fit.params.at("alpha")) +
                       fit.params.at("B") / std::pow(runs.tokens[i], fit.params.at("beta"));
    CHECK(data.predicted[i] == Approx(law).epsilon(1e-12));
    const double r = std::log(runs.loss[i]) - std::log(law);
    CHECK(data.residual[i] == Approx(r).epsilon(1e-9));
    (expected ? held_sum : fitted_sum) += r * r;
    held += expected;
  }
  CHECK(held == 3);
  for (const auto& run : fit.holdout) {  // the fit's own predictions of the held-out runs
    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (runs.params[i] == run.params && runs.tokens[i] == run.tokens)
        CHECK(data.predicted[i] == Approx(run.predicted));
    }
  }
  CHECK(data.rms_held_out == Approx(std::sqrt(held_sum / 3)).epsilon(1e-9));
  CHECK(data.rms_fitted == Approx(std::sqrt(fitted_sum / 13)).epsilon(1e-9));
  CHECK(data.title == "chinchilla: L = E + A/N^alpha + B/D^beta, 16 runs (3 held out)");

  // Two inputs: no curve chart.
  CHECK(data.input_label.empty());
  CHECK(data.curve.x.empty());
  CHECK_THROWS_WITH(sp::FitCurveChart(data), Catch::Contains("more than one input"));

  // The charts: every run once, the held-out ones as squares with their own legend entry.
  const sp::Chart observed = sp::ObservedVsPredictedChart(data);
  CHECK(observed.title == "Observed vs predicted: chinchilla fit, 16 runs (3 held out)");
  REQUIRE(observed.series.size() == 3);
  CHECK(observed.series[0].label == "y = ŷ");
  CHECK(observed.series[1].x.size() == 13);
  CHECK(observed.series[2].x.size() == 3);
  CHECK(observed.series[2].marker == sp::Marker::kSquare);
  CHECK(observed.series[2].label.rfind("held out (3), RMS ", 0) == 0);
  CHECK(observed.x.scale == sp::Scale::kLog);
  CHECK(observed.x.min == observed.y.min);  // one range on both axes
  CHECK(observed.x.max == observed.y.max);
  CHECK(observed.x.min < *std::min_element(data.observed.begin(), data.observed.end()));
  const sp::Chart residuals = sp::ResidualsChart(data);
  CHECK(residuals.y.scale == sp::Scale::kLinear);
  CHECK(residuals.series[0].y == std::vector<double>{0.0, 0.0});
  CHECK(residuals.series[1].y.size() + residuals.series[2].y.size() == 16);
  for (const sp::Chart& chart : {observed, residuals}) {
    const std::string svg = sp::RenderSvg(chart);
    CHECK(svg.find("nan") == std::string::npos);
    CHECK(svg.find("held out (3)") != std::string::npos);
  }
}

TEST_CASE("the one-input chart draws the runs, the law and its band", "[charts]") {
  const std::vector<double> x = LogFlops();
  const sp::FitDiagnosticsData data = sp::MakeFitDiagnostics(SigmoidFit(), {{"x", x}}, Scores(x));
  const sp::Chart chart = sp::FitCurveChart(data);
  REQUIRE(chart.series.size() == 3);
  CHECK(chart.series[0].kind == sp::SeriesKind::kBand);
  CHECK(chart.series[1].kind == sp::SeriesKind::kLine);
  CHECK(chart.series[1].label == "fitted law");
  CHECK(chart.series[2].kind == sp::SeriesKind::kScatter);
  CHECK(chart.series[2].x == x);
  CHECK(chart.x.scale == sp::Scale::kLinear);
  CHECK(chart.x.label == "x");
  CHECK(chart.title == data.title);
  const std::string svg = sp::RenderSvg(chart);
  CHECK(svg.find("95% band, 4 resamples") != std::string::npos);
  CHECK(svg.find("nan") == std::string::npos);
}

TEST_CASE("diagnostics refuse what they cannot draw", "[charts]") {
  const scalelaw::FitSummary fit = SigmoidFit();
  const std::vector<double> x = LogFlops();
  CHECK_THROWS_WITH(sp::MakeFitDiagnostics(fit, {{"t", x}}, Scores(x)), Catch::Contains("the fit reads 'x'"));
  CHECK_THROWS_WITH(sp::MakeFitDiagnostics(fit, {{"x", {20.0, 21.0}}}, Scores(x)), Catch::Contains("same length"));
  scalelaw::FitSummary empty = fit;
  empty.params.clear();
  CHECK_THROWS_WITH(sp::MakeFitDiagnostics(empty, {{"x", x}}, Scores(x)), Catch::Contains("no parameters"));
  scalelaw::Dataset runs;
  runs.loss = Scores(x);
  CHECK_THROWS_WITH(sp::MakeFitDiagnostics(fit, runs), Catch::Contains("the runs have no values of it"));
  runs.columns["x"] = x;
  CHECK(sp::MakeFitDiagnostics(fit, runs).observed.size() == x.size());
}
