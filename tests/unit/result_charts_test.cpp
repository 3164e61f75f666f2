// The chart data of results (src/plot/result_charts.h), which the CLI's --plot and Python's scalelaw.plot both
// draw, and the JSON readers of isoFLOP and sweep results that let a saved result be drawn. Expected values are
// computed here independently: the Chinchilla frontier in closed form (Hoffmann et al. 2022, arXiv:2203.15556,
// Eq. 4), percentiles by hand, parabolas from their vertex form.
#include "plot/result_charts.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "scalelaw/analysis/hparam_sweep.h"
#include "scalelaw/analysis/isoflop.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/predict.h"

namespace sp = scalelaw::plot;

namespace {

struct Params {
  double E, A, B, alpha, beta;
};

double LawLoss(const Params& p, double n, double d) {
  return p.E + p.A / std::pow(n, p.alpha) + p.B / std::pow(d, p.beta);
}

// L_opt(C) written out: N_opt = G (C/6)^(beta/(alpha+beta)), G = (alpha A / (beta B))^(1/(alpha+beta)), D = C/(6N).
double ClosedFormFrontier(const Params& p, double c) {
  const double g = std::pow(p.alpha * p.A / (p.beta * p.B), 1 / (p.alpha + p.beta));
  const double n = g * std::pow(c / 6, p.beta / (p.alpha + p.beta));
  return LawLoss(p, n, c / (6 * n));
}

std::map<std::string, double> AsMap(const Params& p) {
  return {{"E", p.E}, {"A", p.A}, {"B", p.B}, {"alpha", p.alpha}, {"beta", p.beta}};
}

const Params kEpoch{1.8172, 482.01, 2085.43, 0.3478, 0.3658};

// A usable Chinchilla fit with the Epoch constants, its data range and five resampled laws.
scalelaw::FitSummary EpochFit() {
  scalelaw::FitSummary fit;
  fit.model = "chinchilla";
  fit.formula = "E + A/N^alpha + B/D^beta";
  fit.params = AsMap(kEpoch);
  fit.status = scalelaw::AnalysisStatus::kUsable;
  fit.data_range = {1e8, 1.6e9, 2e9, 3.2e10};
  for (double f : {0.9, 0.95, 1.0, 1.05, 1.1}) {
    fit.bootstrap_draws.push_back(
        AsMap({kEpoch.E * (2 - f), kEpoch.A * f, kEpoch.B / f, kEpoch.alpha, kEpoch.beta * f}));
  }
  return fit;
}

}  // namespace

TEST_CASE("fit chart: the law per size, the frontier and its band, from the runs", "[charts]") {
  const scalelaw::FitSummary fit = EpochFit();
  std::vector<double> n, d, loss;
  for (double size : {1e8, 4e8, 1.6e9}) {
    for (double tokens : {2e9, 8e9, 3.2e10}) {
      n.push_back(size);
      d.push_back(tokens);
      loss.push_back(LawLoss(kEpoch, size, tokens));
    }
  }
  const sp::FitChart chart = sp::MakeFitChart(fit, n, d, loss);
  CHECK(chart.runs.flops.size() == 9);
  CHECK(chart.flops_min == Approx(6 * 1e8 * 2e9));
  CHECK(chart.flops_max == Approx(100 * 6 * 1.6e9 * 3.2e10));
  CHECK(chart.data.observed_max_flops == Approx(6 * 1.6e9 * 3.2e10));
  CHECK(std::isnan(chart.at_flops));
  CHECK(chart.data.title == "E + A/N^alpha + B/D^beta (fitted, model 'chinchilla'), 9 runs");

  REQUIRE(chart.data.law_curves.size() == 3);
  for (const sp::LossCurve& curve : chart.data.law_curves) {
    CHECK(curve.x.front() == Approx(6 * curve.value * 2e9 / 4));  // a quarter of the size's smallest run
    CHECK(curve.x.back() == Approx(chart.flops_max));
    for (std::size_t i = 0; i < curve.x.size(); i += 13) {
      CHECK(curve.y[i] == Approx(LawLoss(kEpoch, curve.value, curve.x[i] / (6 * curve.value))).epsilon(1e-12));
    }
  }

  const sp::LossCurve& frontier = chart.data.frontier;
  REQUIRE(frontier.x.size() == 80);
  CHECK(frontier.x.front() == chart.flops_min);
  CHECK(frontier.x.back() == chart.flops_max);
  for (std::size_t i = 0; i < frontier.x.size(); ++i) {
    CHECK(frontier.y[i] == Approx(ClosedFormFrontier(kEpoch, frontier.x[i])).epsilon(1e-12));
  }
  CHECK(chart.frontier_exponent == Approx(kEpoch.beta / (kEpoch.alpha + kEpoch.beta)).epsilon(1e-12));
  CHECK_THAT(frontier.label, Catch::Contains("N_opt ∝ C^0.513"));

  // The band: at each C the 2.5 and 97.5 percentiles of the five resamples' frontiers, linear between order
  // statistics: with 5 values, 0.1 and 3.9 of the way along the sorted list.
  const sp::Band& band = chart.data.frontier_band;
  REQUIRE(band.x.size() == 80);
  CHECK(chart.band_resamples == 5);
  CHECK(band.label == "95% band, 5 resamples");
  for (std::size_t i : {std::size_t{0}, std::size_t{40}, std::size_t{79}}) {
    std::vector<double> values;
    for (const auto& draw : fit.bootstrap_draws) {
      values.push_back(
          ClosedFormFrontier({draw.at("E"), draw.at("A"), draw.at("B"), draw.at("alpha"), draw.at("beta")}, band.x[i]));
    }
    std::sort(values.begin(), values.end());
    CHECK(band.lower[i] == Approx(values[0] + 0.1 * (values[1] - values[0])).epsilon(1e-12));
    CHECK(band.upper[i] == Approx(values[3] + 0.9 * (values[4] - values[3])).epsilon(1e-12));
  }
}

TEST_CASE("fit chart without runs: the fitted range stands in, at_flops from the fit", "[charts]") {
  scalelaw::FitSummary fit = EpochFit();
  fit.bootstrap_draws.clear();
  fit.derived["N_opt"] = 1e11;
  fit.derived["D_opt"] = 1e13 / 6;  // C = 6 N D = 1e24, beyond 100 x 6 N_max D_max
  const sp::FitChart chart = sp::MakeFitChart(fit, {}, {}, {});
  CHECK(chart.runs.params.empty());
  CHECK(chart.data.params.empty());
  CHECK(chart.flops_min == Approx(6 * 1e8 * 2e9));
  CHECK(chart.data.observed_max_flops == Approx(6 * 1.6e9 * 3.2e10));
  CHECK(chart.at_flops == Approx(1e24));
  CHECK(chart.flops_max == Approx(1e24));
  CHECK_THAT(chart.data.extrapolation_label, Catch::Contains("beyond the fitted range"));
  REQUIRE(chart.data.law_curves.size() == 5);  // five sizes log-spaced over the fitted N
  CHECK(chart.data.law_curves.front().value == Approx(1e8));
  CHECK(chart.data.law_curves[2].value == Approx(4e8));
  CHECK(chart.data.law_curves.back().value == Approx(1.6e9));
  CHECK(chart.data.frontier_band.x.empty());
  CHECK(chart.data.frontier.x.back() == Approx(1e24));
}

TEST_CASE("fit chart: a form without a closed-form split has the frontier of its minimised allocation", "[charts]") {
  // The Kaplan form L = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D (Kaplan et al. 2020, arXiv:2001.08361, Eq. 1.5)
  // with its Table 2 constants, written out here; its frontier checked against a dense scan of ln N.
  const double n_c = 8.8e13, d_c = 5.4e13, alpha_n = 0.076, alpha_d = 0.095;
  auto kaplan = [&](double n, double d) { return std::pow(std::pow(n_c / n, alpha_n / alpha_d) + d_c / d, alpha_d); };
  scalelaw::FitSummary fit;
  fit.model = "kaplan";
  fit.params = {{"N_c", n_c}, {"alpha_N", alpha_n}, {"D_c", d_c}, {"alpha_D", alpha_d}};
  fit.status = scalelaw::AnalysisStatus::kUsable;
  const sp::FitChart chart = sp::MakeFitChart(fit, {1e8, 1e9}, {1e10, 1e10}, {3.0, 2.8});
  CHECK(chart.data.law_curves.size() == 2);
  const sp::LossCurve& frontier = chart.data.frontier;
  REQUIRE(frontier.x.size() == 80);
  for (std::size_t i : {std::size_t{0}, std::size_t{50}, std::size_t{79}}) {
    const double c = frontier.x[i];
    double best = 1e300;
    for (int k = 0; k <= 200000; ++k) {
      const double n = std::exp(std::log(c / 6) * k / 200000.0);
      best = std::min(best, kaplan(n, c / (6 * n)));
    }
    CHECK(frontier.y[i] == Approx(best).epsilon(1e-9));
  }
  // Minimising (N_c/N)^(alpha_N/alpha_D) + 6 D_c N / C gives N_opt ∝ C^(1/(1 + alpha_N/alpha_D)).
  CHECK(chart.frontier_exponent == Approx(1 / (1 + alpha_n / alpha_d)).epsilon(1e-6));

  // Not usable: the runs and the law, no frontier.
  fit.status = scalelaw::AnalysisStatus::kNoConvergence;
  fit.message = "did not converge";
  CHECK(sp::MakeFitChart(fit, {1e8, 1e9}, {1e10, 1e10}, {3.0, 2.8}).data.frontier.x.empty());
}

TEST_CASE("fit chart of a published law: its range, its loss and its allocation's frontier", "[charts]") {
  const scalelaw::Law epoch = scalelaw::PublishedLaw("epoch");
  const scalelaw::LawInfo& loss = *epoch.Answer(scalelaw::Quantity::kLoss);
  auto constant = [&loss](const char* name) {
    for (const auto& [key, value] : loss.constants) {
      if (key == name) return value;
    }
    FAIL("no constant " << name);
    return 0.0;
  };
  const Params published{constant("E"), constant("A"), constant("B"), constant("alpha"), constant("beta")};
  const sp::FitChart chart = sp::MakeFitChart(epoch, {}, {}, {});
  CHECK(chart.flops_min == Approx(6 * loss.range.params_min * loss.range.tokens_min));
  CHECK(chart.data.observed_max_flops == Approx(6 * loss.range.params_max * loss.range.tokens_max));
  REQUIRE(chart.data.law_curves.size() == 5);
  const sp::LossCurve& curve = chart.data.law_curves[2];
  CHECK(curve.y[10] == Approx(LawLoss(published, curve.value, curve.x[10] / (6 * curve.value))).epsilon(1e-12));
  REQUIRE(chart.data.frontier.x.size() == 80);
  for (std::size_t i = 0; i < 80; i += 20) {
    CHECK(chart.data.frontier.y[i] == Approx(ClosedFormFrontier(published, chart.data.frontier.x[i])).epsilon(1e-12));
  }
  CHECK(chart.data.frontier_band.x.empty());  // a published law has no resamples
  CHECK_THAT(chart.data.title, Catch::StartsWith("epoch: "));
}

TEST_CASE("fit chart: a formula over N and D draws as the Chinchilla form does", "[charts]") {
  scalelaw::FitSummary formula = EpochFit();
  formula.model = "formula";
  formula.inputs = {"N", "D"};
  const std::vector<double> n = {1e8, 4e8, 1.6e9}, d = {2e9, 8e9, 3.2e10};
  const std::vector<double> loss = {LawLoss(kEpoch, n[0], d[0]), LawLoss(kEpoch, n[1], d[1]), LawLoss(kEpoch, n[2], d[2])};
  const sp::FitChart drawn = sp::MakeFitChart(formula, n, d, loss);
  const sp::FitChart chinchilla = sp::MakeFitChart(EpochFit(), n, d, loss);
  REQUIRE(drawn.data.law_curves.size() == 3);
  REQUIRE(drawn.data.frontier.x.size() == chinchilla.data.frontier.x.size());
  for (std::size_t i = 0; i < drawn.data.frontier.x.size(); ++i) {
    CHECK(drawn.data.frontier.y[i] == Approx(chinchilla.data.frontier.y[i]).epsilon(1e-12));
  }
  CHECK(drawn.band_resamples == 5);
  CHECK(drawn.frontier_exponent == Approx(chinchilla.frontier_exponent).epsilon(1e-7));
}

TEST_CASE("fit chart: nothing to draw is an error", "[charts]") {
  scalelaw::FitSummary empty = EpochFit();
  empty.data_range = {};
  CHECK_THROWS_AS(sp::MakeFitChart(empty, {}, {}, {}), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(sp::MakeFitChart(EpochFit(), {1e8}, {1e9, 2e9}, {3}), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(sp::MakeFitChart(EpochFit(), {-1}, {1e9}, {3}), scalelaw::InvalidArgument);
  // A law of other quantities (the Step Law's LR and batch) has no loss in N and D to draw without runs.
  CHECK_THROWS_WITH(sp::MakeFitChart(scalelaw::PublishedLaw("step"), {}, {}, {}), Catch::Contains("no loss in N and D"));
}

TEST_CASE("isoflop chart: each budget's runs, parabola and vertex, and N_opt = k C^a on the parabolas", "[charts]") {
  const scalelaw::ChinchillaLaw truth{kEpoch.E, kEpoch.A, kEpoch.B, kEpoch.alpha, kEpoch.beta};
  std::vector<scalelaw::IsoflopRun> runs;
  for (double c : {1e19, 1e20, 1e21}) {
    const double n_opt = scalelaw::ComputeOptimal(truth, c).params;
    for (int k = -3; k <= 3; ++k) {
      const double n = n_opt * std::pow(2.0, 0.5 * k);
      runs.push_back({n, 0, c, scalelaw::Loss(truth, n, c / (6 * n))});
    }
  }
  runs.push_back({1e9, 0, 1e23, 2.0});  // a budget with one size: listed, not used, no vertex
  const scalelaw::IsoflopResult result = scalelaw::FitIsoflop(runs);
  REQUIRE(result.IsUsable());
  REQUIRE(result.budgets.size() == 4);
  const sp::IsoflopChartData chart = sp::MakeIsoflopChart(result, runs);
  REQUIRE(chart.budgets.size() == 4);
  CHECK_THAT(chart.title, Catch::Contains("3 of 4 budgets used"));
  for (std::size_t k = 0; k < 3; ++k) {
    const sp::IsoflopBudgetData& b = chart.budgets[k];
    const scalelaw::IsoflopBudget& fitted = result.budgets[k];
    CHECK(b.used);
    CHECK(b.params.size() == 7);
    const sp::LossCurve parabola = sp::IsoflopParabola(b);
    REQUIRE(parabola.x.size() == 60);
    CHECK(parabola.x.front() == Approx(std::min(fitted.params_min, fitted.params) / 1.25));
    CHECK(parabola.x.back() == Approx(std::max(fitted.params_max, fitted.params) * 1.25));
    for (std::size_t i = 0; i < 60; i += 7) {
      const double u = std::log(parabola.x[i] / fitted.params);
      CHECK(parabola.y[i] == Approx(fitted.loss + fitted.curvature * u * u).epsilon(1e-12));
    }
    const double n_opt = result.k_params * std::pow(fitted.flops, result.a);
    CHECK(chart.optimum.x[k] == Approx(n_opt).epsilon(1e-12));
    const double u = std::log(n_opt / fitted.params);
    CHECK(chart.optimum.y[k] == Approx(fitted.loss + fitted.curvature * u * u).epsilon(1e-12));
  }
  CHECK(chart.optimum.x.size() == 3);
  CHECK_FALSE(chart.budgets[3].used);
  CHECK(chart.budgets[3].params.size() == 1);
  CHECK(sp::IsoflopParabola(chart.budgets[3]).x.empty());
  // Without runs: the same budgets and parabolas, no points.
  const sp::IsoflopChartData bare = sp::MakeIsoflopChart(result, {});
  CHECK(bare.budgets[0].params.empty());
  CHECK(sp::IsoflopParabola(bare.budgets[0]).x == sp::IsoflopParabola(chart.budgets[0]).x);
}

TEST_CASE("hparam charts: the law per D over the cells' N, and the batch law", "[charts]") {
  scalelaw::HparamSweepResult sweep;
  sweep.lr = {2.0, -0.7, 0.3};
  sweep.batch_tokens = {0.5, 0.6};
  for (double n : {1e8, 1e9}) {
    for (double d : {1e10, 1e11})
      sweep.cells.push_back({"", n, d, 25, 9, 3.0, 2 * std::pow(n, -0.7) * std::pow(d, 0.3), 1e6});
  }
  const sp::HparamCharts charts = sp::MakeHparamCharts(sweep);
  const std::vector<sp::LossCurve> lines = sp::HparamLawLines(charts.lr);
  REQUIRE(lines.size() == 2);
  for (const sp::LossCurve& line : lines) {
    CHECK(line.x.front() == Approx(1e8 / 1.25));
    CHECK(line.x.back() == Approx(1e9 * 1.25));
    for (std::size_t i = 0; i < line.x.size(); i += 11) {
      CHECK(line.y[i] == Approx(2 * std::pow(line.x[i], -0.7) * std::pow(line.value, 0.3)).epsilon(1e-12));
    }
  }
  CHECK(lines[0].value == Approx(1e10));
  CHECK(lines[1].value == Approx(1e11));
  const std::vector<sp::LossCurve> batch = sp::HparamLawLines(charts.batch);
  REQUIRE(batch.size() == 1);
  CHECK(batch[0].label == "fitted power law");
  CHECK(batch[0].y[30] == Approx(0.5 * std::pow(batch[0].x[30], 0.6)).epsilon(1e-12));
  CHECK(charts.lr.title == "Optimal peak LR = 2 N^-0.7000 D^0.3000");
}

TEST_CASE("isoflop and sweep results read back from their JSON", "[charts][json]") {
  const scalelaw::ChinchillaLaw truth{kEpoch.E, kEpoch.A, kEpoch.B, kEpoch.alpha, kEpoch.beta};
  std::vector<scalelaw::IsoflopRun> runs;
  for (double c : {1e19, 1e20, 1e21}) {
    const double n_opt = scalelaw::ComputeOptimal(truth, c).params;
    for (int k = -3; k <= 3; ++k) {
      const double n = n_opt * std::pow(2.0, 0.5 * k);
      runs.push_back({n, 0, c, scalelaw::Loss(truth, n, c / (6 * n)) * (1 + 0.002 * ((k * 7 + 3) % 5 - 2))});
    }
  }
  scalelaw::IsoflopOptions options;
  options.bootstrap = 30;
  const scalelaw::IsoflopResult iso = scalelaw::FitIsoflop(runs, options);
  REQUIRE(iso.uncertainty.size() == 4);
  const std::string text = scalelaw::IsoflopToJson(iso);
  const scalelaw::IsoflopResult back = scalelaw::IsoflopFromJson(text, "iso.json");
  CHECK(scalelaw::IsoflopToJson(back) == text);  // every field the JSON holds survives
  CHECK(back.budgets[1].flops_min == iso.budgets[1].flops_min);
  CHECK(back.uncertainty.at("a").ci95 == iso.uncertainty.at("a").ci95);

  scalelaw::HparamRuns sweep_runs;
  for (double n : {1e8, 3e8, 1e9}) {
    for (double d : {1e10, 1e11}) {
      for (int i = -2; i <= 2; ++i) {
        sweep_runs.params.push_back(n);
        sweep_runs.tokens.push_back(d);
        sweep_runs.lr.push_back(2 * std::pow(n, -0.7) * std::pow(d, 0.3) * std::pow(2.0, i));
        sweep_runs.batch.push_back(0.5 * std::pow(d, 0.6) * std::pow(2.0, (i * 3) % 5 - 2));
        sweep_runs.loss.push_back(3 - 0.1 * std::log10(n) + 0.01 * i * i);
      }
    }
  }
  scalelaw::HparamSweepOptions sweep_options;
  sweep_options.tolerance = 0.05;
  sweep_options.bootstrap = 20;
  const scalelaw::HparamSweepResult sweep = scalelaw::FitHparamSweep(sweep_runs, sweep_options);
  const std::string sweep_text = scalelaw::HparamSweepToJson(sweep);
  CHECK(scalelaw::HparamSweepToJson(scalelaw::HparamSweepFromJson(sweep_text, "sweep.json")) == sweep_text);

  try {
    scalelaw::IsoflopFromJson(R"({"method": "isoflop", "b": 0.5, "k_params": 1, "k_tokens": 1})", "bad.json");
    FAIL("no error for a missing key");
  } catch (const scalelaw::InputError& e) {
    CHECK_THAT(e.what(), Catch::Contains("bad.json") && Catch::Contains("\"a\""));
  }
  CHECK_THROWS_AS(scalelaw::HparamSweepFromJson("[1, 2]", "x.json"), scalelaw::InputError);
}
