// Chinchilla Approach 2 (IsoFLOP parabolas) on synthetic runs from a known Chinchilla law.
//
// The numbers these tests expect were computed independently with numpy (np.polyfit of the loss on ln N per
// budget, then of ln N* on ln C) for the same grids:
//   law L = 1.69 + 406.4/N^0.34 + 410.7/D^0.28 (Chinchilla as printed): a = beta/(alpha+beta) = 0.451613,
//   N_opt = k·C^a with k = G·6^-a = 0.598695; 7 budgets 1e18..1e21 (half-decade steps), 9 sizes per budget.
// The known bias of the quadratic approximation, noise-free:
//   - grid symmetric in ln N around each budget's true optimum, half-width h: a is exact (|error| < 1e-13),
//     because every budget's profile has the same shape in ln N − ln N_opt, so the vertex offset δ is the same
//     for all budgets; k is biased by e^δ: 1.0074 (h = 1), 1.0167 (h = 1.5), 1.0299 (h = 2).
//   - grid centred on a guess N ∝ C^0.6 (equal to the optimum at 1e19), h = 3: a = 0.447003 (bias −0.0046);
//     law 1.69 + 406.4/N^0.5 + 410.7/D^0.2 (a = 0.285714), centred on N ∝ C^0.5, h = 2: a = 0.275534 (−0.0102).
//   - with 0.2% log-normal loss noise on the symmetric h = 1.5 grid, the spread of a over 2000 numpy
//     replications is SD 0.0034 (mean bias < 1e-4); the recovery tolerance 0.012 is 3.5 SD.
#include "scalelaw/analysis/isoflop.h"

#include <algorithm>
#include <atomic>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <random>
#include <string_view>
#include <utility>

#include "scalelaw/error.h"
#include "util/resampling.h"

namespace {

struct Law {
  double E, A, B, alpha, beta;
  double Loss(double n, double d) const { return E + A / std::pow(n, alpha) + B / std::pow(d, beta); }
  double a() const { return beta / (alpha + beta); }
  double G() const { return std::pow(alpha * A / (beta * B), 1 / (alpha + beta)); }
  double NOpt(double c) const { return G() * std::pow(c / 6, a()); }
  double k() const { return G() * std::pow(6.0, -a()); }  // N_opt = k·C^a
};

const Law kChinchilla{1.69, 406.4, 410.7, 0.34, 0.28};

// 7 budgets 1e18..1e21, sizes centre(C)·exp(u) for 9 u evenly spaced in [−h, h]; loss times exp(noise·z).
template <typename Centre>
std::vector<scalelaw::IsoflopRun> Runs(const Law& law, Centre centre, double h, double noise = 0, unsigned seed = 1,
                                       bool give_flops = false) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<scalelaw::IsoflopRun> runs;
  for (int i = 0; i < 7; ++i) {
    const double c = std::pow(10.0, 18 + 0.5 * i);
    for (int j = 0; j < 9; ++j) {
      const double u = -h + 2 * h * j / 8.0;
      const double n = centre(c) * std::exp(u);
      const double d = c / (6 * n);
      scalelaw::IsoflopRun run;
      run.params = n;
      if (give_flops) {
        run.flops = c;
      } else {
        run.tokens = d;
      }
      run.loss = law.Loss(n, d) * std::exp(noise * normal(rng));
      runs.push_back(run);
    }
  }
  return runs;
}

auto AtOptimum(const Law& law) {
  return [law](double c) { return law.NOpt(c); };
}

}  // namespace

TEST_CASE("Noise-free symmetric grids: a exact, k off by the quadratic approximation's known factor", "[isoflop]") {
  for (const auto& [h, k_ratio] : {std::pair{1.0, 1.0074}, std::pair{1.5, 1.0167}, std::pair{2.0, 1.0299}}) {
    const scalelaw::IsoflopResult r = scalelaw::FitIsoflop(Runs(kChinchilla, AtOptimum(kChinchilla), h));
    REQUIRE(r.IsUsable());
    CHECK(r.n_budgets_used == 7);
    CHECK(r.budgets.size() == 7);
    CHECK(std::abs(r.a - kChinchilla.a()) < 1e-9);
    CHECK(std::abs(r.b - (1 - kChinchilla.a())) < 1e-9);
    CHECK(r.k_params / kChinchilla.k() == Approx(k_ratio).margin(1e-4));
    CHECK(r.k_tokens * 6 * r.k_params == Approx(1.0).epsilon(1e-9));  // D* = C/(6 N*)
    CHECK(r.warnings.empty());
  }
}

TEST_CASE("The budget table: C, N*, D*, L*, runs and curvature", "[isoflop]") {
  const scalelaw::IsoflopResult r = scalelaw::FitIsoflop(Runs(kChinchilla, AtOptimum(kChinchilla), 1.0));
  REQUIRE(r.IsUsable());
  for (int i = 0; i < 7; ++i) {
    const scalelaw::IsoflopBudget& b = r.budgets[i];
    const double c = std::pow(10.0, 18 + 0.5 * i);
    CHECK(b.flops == Approx(c).epsilon(1e-12));
    CHECK(b.n_runs == 9);
    CHECK(b.n_sizes == 9);
    CHECK(b.used);
    CHECK(b.has_vertex);
    CHECK(b.curvature > 0);
    CHECK(b.params / kChinchilla.NOpt(c) == Approx(1.0074).margin(1e-4));
    CHECK(b.tokens == Approx(c / (6 * b.params)).epsilon(1e-12));
    // The vertex is near the true minimum loss (a parabola through a near-quadratic bowl).
    CHECK(b.loss == Approx(kChinchilla.Loss(kChinchilla.NOpt(c), c / (6 * kChinchilla.NOpt(c)))).epsilon(1e-3));
  }
  const std::string json = scalelaw::IsoflopToJson(r);
  CHECK(json.find("\"k_params\"") != std::string::npos);
  CHECK(json.find("\"budgets\"") != std::string::npos);
  CHECK(json.find("nan") == std::string::npos);
}

TEST_CASE("A FLOPs column gives the same answer as tokens", "[isoflop]") {
  const auto centre = AtOptimum(kChinchilla);
  const scalelaw::IsoflopResult with_tokens = scalelaw::FitIsoflop(Runs(kChinchilla, centre, 1.5, 0.002, 3));
  const scalelaw::IsoflopResult with_flops = scalelaw::FitIsoflop(Runs(kChinchilla, centre, 1.5, 0.002, 3, true));
  CHECK(with_flops.a == Approx(with_tokens.a).epsilon(1e-9));
  CHECK(with_flops.k_params == Approx(with_tokens.k_params).epsilon(1e-8));
}

TEST_CASE("0.2% loss noise: a recovered within 3.5 SD of its sampling spread", "[isoflop]") {
  for (unsigned seed : {1u, 2u, 3u}) {
    const scalelaw::IsoflopResult r = scalelaw::FitIsoflop(Runs(kChinchilla, AtOptimum(kChinchilla), 1.5, 0.002, seed));
    REQUIRE(r.IsUsable());
    CHECK(std::abs(r.a - kChinchilla.a()) < 0.012);
    CHECK(std::abs(r.b - (1 - kChinchilla.a())) < 0.012);
    CHECK(std::abs(std::log(r.k_params / kChinchilla.k())) < 0.35);
  }
}

TEST_CASE("Off-centre grids bias a even without noise (the known bias of Approach 2)", "[isoflop]") {
  // Centred on N ∝ C^0.6, equal to the optimum at 1e19: the grid drifts across the optimum with C.
  const auto drifting = [](double c) { return kChinchilla.NOpt(1e19) * std::pow(c / 1e19, 0.6); };
  const scalelaw::IsoflopResult r = scalelaw::FitIsoflop(Runs(kChinchilla, drifting, 3.0));
  REQUIRE(r.IsUsable());
  CHECK(r.n_budgets_used == 7);
  CHECK(r.a == Approx(0.447003).margin(2e-5));
  CHECK(r.a - kChinchilla.a() < -0.004);  // visible: 1e7 times the symmetric grid's error

  // A strongly asymmetric law (alpha = 0.5, beta = 0.2): a bias of 0.01 from a C^0.5-centred grid.
  const Law skewed{1.69, 406.4, 410.7, 0.5, 0.2};
  const auto half_power = [&](double c) { return skewed.NOpt(1e19) * std::pow(c / 1e19, 0.5); };
  const scalelaw::IsoflopResult s = scalelaw::FitIsoflop(Runs(skewed, half_power, 2.0));
  REQUIRE(s.IsUsable());
  CHECK(s.a == Approx(0.275534).margin(2e-5));
  CHECK(s.a - skewed.a() < -0.01);
  // ... and the same law on a symmetric grid is exact again.
  CHECK(std::abs(scalelaw::FitIsoflop(Runs(skewed, AtOptimum(skewed), 2.0)).a - skewed.a()) < 1e-9);
}

TEST_CASE("Budgets group within the relative tolerance", "[isoflop]") {
  std::vector<scalelaw::IsoflopRun> runs;
  // Two budgets whose C differ in the last digits (±0.3%), and a stray run 5% away.
  for (double c : {1e20, 3e20}) {
    int j = 0;
    for (double n : {1e8, 3e8, 1e9, 3e9}) {
      const double jitter = 1 + 0.003 * ((j++ % 3) - 1);
      runs.push_back({n, 0, c * jitter, kChinchilla.Loss(n, c / (6 * n))});
    }
  }
  runs.push_back({1e9, 0, 1.05e20, 3.0});
  const auto groups = scalelaw::GroupIsoflopBudgets(runs, 0.01);
  REQUIRE(groups.size() == 3);
  CHECK(groups[0].size() == 4);
  CHECK(groups[1].size() == 1);
  CHECK(groups[2].size() == 4);
  CHECK(scalelaw::GroupIsoflopBudgets(runs, 0.001).size() > 3);  // last digits no longer agree
  CHECK(scalelaw::GroupIsoflopBudgets(runs, 0.06).size() == 2);  // the stray run joins the first budget

  const scalelaw::IsoflopResult r = scalelaw::FitIsoflop(runs);
  REQUIRE(r.IsUsable());
  CHECK(r.n_budgets_used == 2);
  CHECK(r.budgets[1].status.find("skipped") == 0);
  CHECK_FALSE(r.budgets[1].used);
  // One warning for the skipped single-run budget, one for a power law through 2 points.
  REQUIRE(r.warnings.size() == 2);
  CHECK(r.warnings[0].find("fewer than 3") != std::string::npos);
}

TEST_CASE("Budgets with a downward parabola or an outside vertex are reported and excluded", "[isoflop]") {
  std::vector<scalelaw::IsoflopRun> runs = Runs(kChinchilla, AtOptimum(kChinchilla), 1.0);
  // Budget 8: loss falls with N all the way (optimum far beyond the largest size): vertex outside the range.
  for (double n : {1e6, 2e6, 4e6, 8e6}) runs.push_back({n, 0, 3e21, kChinchilla.Loss(n, 3e21 / (6 * n))});
  // Budget 9: a hump, loss highest in the middle.
  const double sizes[] = {1e9, 2e9, 4e9, 8e9, 1.6e10};
  for (int j = 0; j < 5; ++j) runs.push_back({sizes[j], 0, 1e22, 2.0 + 0.1 * j * (4 - j)});
  const scalelaw::IsoflopResult r = scalelaw::FitIsoflop(runs);
  REQUIRE(r.IsUsable());
  REQUIRE(r.budgets.size() == 9);
  CHECK(r.n_budgets_used == 7);
  CHECK(std::abs(r.a - kChinchilla.a()) < 1e-9);  // the excluded budgets did not enter the fit

  const scalelaw::IsoflopBudget& outside = r.budgets[7];
  CHECK_FALSE(outside.used);
  CHECK(outside.status.find("outside") != std::string::npos);
  CHECK(outside.curvature > 0);
  const scalelaw::IsoflopBudget& hump = r.budgets[8];
  CHECK_FALSE(hump.used);
  CHECK(hump.curvature < 0);
  CHECK_FALSE(hump.has_vertex);
  CHECK(hump.status.find("downward") != std::string::npos);
  REQUIRE(r.warnings.size() == 2);
  CHECK(r.warnings[0].find("outside the sampled N range") != std::string::npos);
  CHECK(r.warnings[1].find("opens downward") != std::string::npos);
  CHECK(r.warnings[1].find("excluded from the power-law fit") != std::string::npos);
  CHECK(scalelaw::IsoflopToJson(r).find("\"params\":null") != std::string::npos);
}

TEST_CASE("Fewer than 2 usable budgets is an unusable result, not NaN", "[isoflop]") {
  // One budget only.
  std::vector<scalelaw::IsoflopRun> one;
  for (double n : {1e8, 3e8, 1e9, 3e9}) one.push_back({n, 0, 1e20, kChinchilla.Loss(n, 1e20 / (6 * n))});
  scalelaw::IsoflopResult r = scalelaw::FitIsoflop(one);
  CHECK_FALSE(r.IsUsable());
  CHECK(r.message.find("1 of 1 budgets usable") != std::string::npos);
  CHECK(r.a == 0);
  CHECK(r.k_params == 0);
  CHECK(scalelaw::IsoflopToJson(r).find("nan") == std::string::npos);

  // Too few distinct N per budget: two sizes each (one of them twice).
  std::vector<scalelaw::IsoflopRun> few;
  for (double c : {1e19, 1e20, 1e21}) {
    for (double n : {1e8, 1e9, 1e9}) few.push_back({n, 0, c, kChinchilla.Loss(n, c / (6 * n))});
  }
  r = scalelaw::FitIsoflop(few);
  CHECK_FALSE(r.IsUsable());
  CHECK(r.message.find("0 of 3 budgets usable") != std::string::npos);
  REQUIRE(r.warnings.size() == 1);  // one warning lists every skipped budget
  CHECK(r.warnings[0].find("3 of 3 budgets have fewer than 3 distinct N") != std::string::npos);
  CHECK(r.budgets.size() == 3);
  CHECK(r.budgets[0].n_runs == 3);
  CHECK(r.budgets[0].n_sizes == 2);
}

TEST_CASE("Caller errors throw InvalidArgument", "[isoflop]") {
  const auto runs = Runs(kChinchilla, AtOptimum(kChinchilla), 1.0);
  CHECK_THROWS_AS(scalelaw::FitIsoflop({}), scalelaw::InvalidArgument);
  scalelaw::IsoflopOptions options;
  options.budget_tolerance = -0.1;
  CHECK_THROWS_AS(scalelaw::FitIsoflop(runs, options), scalelaw::InvalidArgument);
  options = {};
  options.min_sizes = 2;
  CHECK_THROWS_AS(scalelaw::FitIsoflop(runs, options), scalelaw::InvalidArgument);
  options = {};
  options.bootstrap = -1;
  CHECK_THROWS_AS(scalelaw::FitIsoflop(runs, options), scalelaw::InvalidArgument);
  auto bad = runs;
  bad[3].loss = std::nan("");
  CHECK_THROWS_WITH(scalelaw::FitIsoflop(bad), Catch::Contains("run 4") && Catch::Contains("loss"));
  bad = runs;
  bad[5].tokens = 0;
  CHECK_THROWS_AS(scalelaw::FitIsoflop(bad), scalelaw::InvalidArgument);
  bad = runs;
  bad[0].params = -1;
  CHECK_THROWS_WITH(scalelaw::FitIsoflop(bad), Catch::Contains("run 1") && Catch::Contains("params"));
}

TEST_CASE("Bootstrap: SE and 95% CI, identical for any thread count", "[isoflop][bootstrap]") {
  const auto runs = Runs(kChinchilla, AtOptimum(kChinchilla), 1.5, 0.002, 5);
  scalelaw::IsoflopOptions options;
  options.bootstrap = 400;
  options.seed = 42;
  options.num_threads = 1;
  const scalelaw::IsoflopResult one = scalelaw::FitIsoflop(runs, options);
  options.num_threads = 3;
  const scalelaw::IsoflopResult three = scalelaw::FitIsoflop(runs, options);
  options.num_threads = 0;
  const scalelaw::IsoflopResult all = scalelaw::FitIsoflop(runs, options);
  REQUIRE(one.uncertainty.size() == 4);
  CHECK(one.bootstrap_resamples == 400);
  CHECK(one.bootstrap_failed == 0);
  for (const scalelaw::IsoflopResult* other : {&three, &all}) {
    CHECK(other->uncertainty.at("a").se == one.uncertainty.at("a").se);
    CHECK(other->uncertainty.at("k_tokens").se == one.uncertainty.at("k_tokens").se);
    CHECK(other->uncertainty.at("b").ci95.first == one.uncertainty.at("b").ci95.first);
    CHECK(other->uncertainty.at("k_params").ci95.second == one.uncertainty.at("k_params").ci95.second);
  }
  const scalelaw::ResampleSummary& a = one.uncertainty.at("a");
  const scalelaw::ResampleSummary& k = one.uncertainty.at("k_params");
  CHECK(one.uncertainty.at("b").se == Approx(a.se).epsilon(1e-6));  // b = 1 − a in every resample
  CHECK(one.uncertainty.at("b").mean == Approx(1 - a.mean).epsilon(1e-9));
  CHECK(a.ci95.first < one.a);
  CHECK(one.a < a.ci95.second);
  CHECK(k.ci95.first < one.k_params);
  CHECK(one.k_params < k.ci95.second);
  // The sampling SD of a at this noise is 0.0034 (numpy, see the top of this file); the bootstrap within
  // budgets of 9 runs should be of that order.
  CHECK(a.se > 0.0034 / 3);
  CHECK(a.se < 0.0034 * 3);
  // The true a lies in the interval for this seed.
  CHECK(a.ci95.first < kChinchilla.a());
  CHECK(kChinchilla.a() < a.ci95.second);

  options.seed = 43;
  CHECK(scalelaw::FitIsoflop(runs, options).uncertainty.at("a").se != a.se);
  const std::string json = scalelaw::IsoflopToJson(one);
  CHECK(json.find("\"se\"") != std::string::npos);
  CHECK(json.find("\"ci95\"") != std::string::npos);
}

TEST_CASE("Each status of an IsoFLOP analysis comes from the case that should produce it", "[isoflop][status]") {
  using scalelaw::AnalysisStatus;
  const auto runs = Runs(kChinchilla, AtOptimum(kChinchilla), 1.5, 0.002, 5);
  const scalelaw::IsoflopResult usable = scalelaw::FitIsoflop(runs);
  CHECK(usable.status == AnalysisStatus::kUsable);
  CHECK(usable.message.empty());

  // One budget: a power law in C needs at least two.
  std::vector<scalelaw::IsoflopRun> one;
  for (double n : {1e8, 3e8, 1e9, 3e9}) one.push_back({n, 0, 1e20, kChinchilla.Loss(n, 1e20 / (6 * n))});
  CHECK(scalelaw::FitIsoflop(one).status == AnalysisStatus::kNotIdentifiable);

  // Two budgets 10% apart in C whose parabolas put N* at 1e8 and 1e10: the slope a = ln 100 / ln 1.1 = 48.3
  // makes ln k = ln 1e8 − a ln 1e20 ≈ −2207, so k = e^(ln k) is 0 in a double: no finite power law.
  std::vector<scalelaw::IsoflopRun> steep;
  for (const auto& [c, n_star] : {std::pair{1e20, 1e8}, std::pair{1.1e20, 1e10}}) {
    for (double f : {1 / 3.0, 1.0, 3.0}) steep.push_back({n_star * f, 0, c, 2 + std::pow(std::log(f), 2)});
  }
  const scalelaw::IsoflopResult no_power_law = scalelaw::FitIsoflop(steep);
  CHECK(no_power_law.n_budgets_used == 2);
  CHECK(no_power_law.status == AnalysisStatus::kNoConvergence);
  CHECK(no_power_law.message == "the power-law fit gave a non-finite coefficient");
  CHECK(no_power_law.k_params == 0);

  // The progress callback stops the bootstrap: the point estimates stay, the statistics do not.
  scalelaw::IsoflopOptions options;
  options.bootstrap = 200;
  std::atomic<int> reports{0};
  options.progress = [&](std::string_view stage, int done, int total) {
    ++reports;
    return stage == "bootstrap" && total == 200 && done < 20;
  };
  const scalelaw::IsoflopResult stopped = scalelaw::FitIsoflop(runs, options);
  CHECK(stopped.status == AnalysisStatus::kInterrupted);
  CHECK(stopped.message == "interrupted");
  CHECK(stopped.uncertainty.empty());
  CHECK(stopped.a == usable.a);
  CHECK(reports < 200);
  CHECK(scalelaw::IsoflopToJson(stopped).find("\"status\":\"interrupted\"") != std::string::npos);
}

TEST_CASE("FullReport is the budget table, the power laws with their intervals and the status", "[isoflop][report]") {
  scalelaw::IsoflopOptions options;
  options.bootstrap = 100;
  options.seed = 3;
  scalelaw::IsoflopResult r = scalelaw::FitIsoflop(Runs(kChinchilla, AtOptimum(kChinchilla), 1.5, 0.002, 5), options);
  REQUIRE(r.IsUsable());
  r.data_source = "runs.csv";
  const std::string report = r.FullReport();
  CHECK_THAT(report, Catch::StartsWith("IsoFLOP parabolas (Chinchilla Approach 2) on 63 runs of runs.csv\n"
                                       "  budgets: runs whose C chain within 1% of each other, at least 3 distinct "
                                       "N each\n"));
  CHECK_THAT(report, Catch::Contains("      1e+18     9     9"));  // a budget row: C, runs, sizes
  const scalelaw::ResampleSummary& a = r.uncertainty.at("a");
  char line[200];
  std::snprintf(line, sizeof line, "  N_opt = k·C^a     a  = %.4g  (SE %.2g, 95%% CI %.4g to %.4g)\n", r.a, a.se,
                a.ci95.first, a.ci95.second);
  CHECK_THAT(report, Catch::Contains(line));
  CHECK_THAT(report,
             Catch::Contains("bootstrap         100 of 100 resamples (runs resampled within each budget, seed 3)"));
  CHECK_THAT(report, Catch::EndsWith("  status            usable (7 of 7 budgets in the power-law fit)\n"));

  std::vector<scalelaw::IsoflopRun> one;
  for (double n : {1e8, 3e8, 1e9, 3e9}) one.push_back({n, 0, 1e20, kChinchilla.Loss(n, 1e20 / (6 * n))});
  const scalelaw::IsoflopResult unusable = scalelaw::FitIsoflop(one);
  CHECK_THAT(unusable.FullReport(),
             Catch::Contains("  status            NOT USABLE (not identifiable; 1 of 1 budgets"));
  CHECK_THAT(unusable.FullReport(), Catch::EndsWith("  reason            " + unusable.message + "\n"));
  CHECK_THAT(unusable.BriefReport(), Catch::StartsWith("isoflop: NOT USABLE (not identifiable)"));
}

// --- As labs run it: budget labels, D* on its own, vertex methods, weights (data/generate_isoflop_runs.py) ---
//
// The lab's FLOPs are 6ND·g(N) with g(N) = (N/3e8)^0.1, and every run spends exactly its label C: along a budget
// D = C/(6 N g(N)) ∝ C·N^−1.1. Minimising Chinchilla's printed law along it gives N_opt = k·C^a, D_opt = k'·C^b
// with a = β/(α + 1.1β) = 0.432099, b = α/(α + 1.1β) = 0.524691: a + b = 0.956790, so D* = C/(6N*) (b = 1 − a =
// 0.567901) is wrong by 0.043. The noise tolerance: over 200 replications of the script's set (0.3% log-normal
// loss noise, 7 budgets 1e18..1e21, 9 sizes over ±1.5 in ln N around each optimum), the quadratic vertices give
// SD(a) = 0.0047 and SD(b) = 0.0051 (means 0.4323, 0.5244); the local window of 5 sizes 0.0145 and 0.0160; Akima
// 0.040 and 0.044 (measured with the script and `scalelaw isoflop --budget-col budget --json`). The tolerances
// below are 3.5 SD.
namespace {

constexpr double kGamma = 0.1, kNRef = 3e8;
const double kS = kChinchilla.alpha + kChinchilla.beta * (1 + kGamma);
const double kLabA = kChinchilla.beta / kS;
const double kLabB = kChinchilla.alpha / kS;
const double kLabK =
    std::pow(kChinchilla.alpha * kChinchilla.A / (kChinchilla.beta * (1 + kGamma) * kChinchilla.B), 1 / kS) *
    std::pow(std::pow(kNRef, kGamma) / 6, kLabA);

// The script's runs (same law, grid and FLOPs model; C++'s own random numbers). with_labels false leaves budget 0.
std::vector<scalelaw::IsoflopRun> LabRuns(double noise, unsigned seed, bool with_labels = true, int sizes = 9) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<scalelaw::IsoflopRun> runs;
  for (int i = 0; i < 7; ++i) {
    const double c = std::pow(10.0, 18 + 0.5 * i);
    const double n_opt = kLabK * std::pow(c, kLabA);
    for (int j = 0; j < sizes; ++j) {
      const double n = n_opt * std::exp(-1.5 + 3.0 * j / (sizes - 1));
      const double d = c / (6 * n * std::pow(n / kNRef, kGamma));
      scalelaw::IsoflopRun run;
      run.params = n;
      run.tokens = d;
      run.budget = with_labels ? c : 0;
      run.loss = kChinchilla.Loss(n, d) * std::exp(noise * normal(rng));
      runs.push_back(run);
    }
  }
  return runs;
}

scalelaw::IsoflopOptions WithVertex(scalelaw::IsoflopVertex vertex) {
  scalelaw::IsoflopOptions options;
  options.vertex = vertex;
  return options;
}

}  // namespace

TEST_CASE("Budget labels, noise-free: every vertex method recovers a and b with a + b != 1", "[isoflop][labels]") {
  for (auto vertex :
       {scalelaw::IsoflopVertex::kQuadratic, scalelaw::IsoflopVertex::kLocal, scalelaw::IsoflopVertex::kAkima}) {
    INFO("vertex " << scalelaw::IsoflopVertexName(vertex));
    const scalelaw::IsoflopResult r = scalelaw::FitIsoflop(LabRuns(0, 1), WithVertex(vertex));
    REQUIRE(r.IsUsable());
    CHECK(r.by_label);
    CHECK(r.d_star == scalelaw::IsoflopDStar::kOwn);  // auto: the runs have tokens
    CHECK(r.n_budgets_used == 7);
    // The same grid relative to each optimum: the vertex offset is the same for every budget, so the exponents
    // are exact (only k and k' carry the method's offset).
    CHECK(r.a == Approx(kLabA).margin(1e-7));
    CHECK(r.b == Approx(kLabB).margin(1e-7));
    CHECK(r.a + r.b == Approx(0.956790).margin(1e-6));
    for (const scalelaw::IsoflopBudget& b : r.budgets) {
      CHECK(b.flops == Approx(b.flops_min));                                    // the label itself
      CHECK(b.ratio_max / b.ratio_min == Approx(std::exp(0.3)).epsilon(1e-4));  // 1/g(N) over ±1.5 in ln N
    }
  }
  // The runs' own D at N* gives the same b; Chinchilla's D* = C/(6N*) forces b = 1 - a, off by 0.043.
  scalelaw::IsoflopOptions runs_d;
  runs_d.d_star = scalelaw::IsoflopDStar::kRuns;
  CHECK(scalelaw::FitIsoflop(LabRuns(0, 1), runs_d).b == Approx(kLabB).margin(1e-7));
  scalelaw::IsoflopOptions flops_d;
  flops_d.d_star = scalelaw::IsoflopDStar::kFlops;
  const scalelaw::IsoflopResult chinchilla_d = scalelaw::FitIsoflop(LabRuns(0, 1), flops_d);
  CHECK(chinchilla_d.b == Approx(1 - kLabA).margin(1e-7));
  CHECK(chinchilla_d.b - kLabB > 0.04);
}

TEST_CASE("Budget labels with 0.3% loss noise: a and b within 3.5 SD of their sampling spread", "[isoflop][labels]") {
  for (unsigned seed : {1u, 2u, 3u, 4u}) {
    INFO("seed " << seed);
    const scalelaw::IsoflopResult r = scalelaw::FitIsoflop(LabRuns(0.003, seed));
    REQUIRE(r.IsUsable());
    CHECK(std::abs(r.a - kLabA) < 0.017);
    CHECK(std::abs(r.b - kLabB) < 0.018);
    CHECK(std::abs(r.b - (1 - r.a)) > 0.015);  // a + b = 1 is rejected
    const scalelaw::IsoflopResult local =
        scalelaw::FitIsoflop(LabRuns(0.003, seed), WithVertex(scalelaw::IsoflopVertex::kLocal));
    REQUIRE(local.IsUsable());
    CHECK(std::abs(local.a - kLabA) < 0.051);
    CHECK(std::abs(local.b - kLabB) < 0.056);
    const scalelaw::IsoflopResult akima =
        scalelaw::FitIsoflop(LabRuns(0.003, seed), WithVertex(scalelaw::IsoflopVertex::kAkima));
    REQUIRE(akima.IsUsable());
    CHECK(std::abs(akima.a - kLabA) < 0.14);
    CHECK(std::abs(akima.b - kLabB) < 0.16);
  }
}

TEST_CASE("Budget labels: both exponents get bootstrap intervals, and --at-flops gives k C^a and k' C^b",
          "[isoflop][labels][bootstrap]") {
  scalelaw::IsoflopOptions options;
  options.bootstrap = 300;
  options.seed = 7;
  const scalelaw::IsoflopResult r = scalelaw::FitIsoflop(LabRuns(0.003, 5), options);
  REQUIRE(r.IsUsable());
  REQUIRE(r.uncertainty.count("b"));
  const scalelaw::ResampleSummary& a = r.uncertainty.at("a");
  const scalelaw::ResampleSummary& b = r.uncertainty.at("b");
  CHECK(a.se > 0.001);
  CHECK(a.se < 0.015);
  CHECK(b.se > 0.001);
  CHECK(b.se < 0.015);
  CHECK(a.ci95.first < r.a);
  CHECK(r.a < a.ci95.second);
  CHECK(b.ci95.first < r.b);
  CHECK(r.b < b.ci95.second);
  // b's interval is its own, not 1 − a's.
  CHECK(b.ci95.second - b.ci95.first != Approx(a.ci95.second - a.ci95.first).epsilon(1e-6));
  const scalelaw::IsoflopResult back = scalelaw::IsoflopFromJson(scalelaw::IsoflopToJson(r), "iso.json");
  CHECK(back.by_label);
  CHECK(back.d_star == scalelaw::IsoflopDStar::kOwn);
  CHECK(back.vertex == scalelaw::IsoflopVertex::kQuadratic);
  CHECK(back.b == r.b);
  CHECK(back.budgets.size() == r.budgets.size());
  CHECK(back.budgets[0].ratio_min == r.budgets[0].ratio_min);
  CHECK(back.budgets[0].tokens_max == r.budgets[0].tokens_max);
  CHECK(scalelaw::IsoflopToJson(back) == scalelaw::IsoflopToJson(r));
}

TEST_CASE("6ND against the labels gives a warning, and grouping by 6ND fragments and names --budget-col",
          "[isoflop][labels]") {
  const scalelaw::IsoflopResult labelled = scalelaw::FitIsoflop(LabRuns(0, 1));
  bool said = false;
  for (const std::string& w : labelled.warnings) said = said || w.find("6ND differs from the runs' budget label") == 0;
  CHECK(said);
  const scalelaw::IsoflopResult by_6nd = scalelaw::FitIsoflop(LabRuns(0, 1, false));
  CHECK_FALSE(by_6nd.IsUsable());
  CHECK(by_6nd.status == scalelaw::AnalysisStatus::kNotIdentifiable);
  CHECK_THAT(by_6nd.message, Catch::Contains("--budget-col"));
  // A FLOPs column that is really a label: grouped by it, with the hint in the warning.
  std::vector<scalelaw::IsoflopRun> as_flops = LabRuns(0, 1);
  for (scalelaw::IsoflopRun& run : as_flops) std::swap(run.flops, run.budget);
  const scalelaw::IsoflopResult flops = scalelaw::FitIsoflop(as_flops);
  REQUIRE(flops.IsUsable());
  CHECK(flops.b == Approx(kLabB).margin(1e-7));
  said = false;
  for (const std::string& w : flops.warnings) said = said || w.find("--budget-col") != std::string::npos;
  CHECK(said);
}

TEST_CASE("Vertices outside the sampled range are kept on request, and Akima needs 4 sizes", "[isoflop][labels]") {
  // Every budget sampled on the left half of its profile only: the vertices lie above the largest N.
  std::vector<scalelaw::IsoflopRun> runs;
  for (const scalelaw::IsoflopRun& run : LabRuns(0, 1)) {
    if (run.params < kLabK * std::pow(run.budget, kLabA) * 0.9) runs.push_back(run);
  }
  const scalelaw::IsoflopResult dropped = scalelaw::FitIsoflop(runs);
  CHECK_FALSE(dropped.IsUsable());
  CHECK_THAT(dropped.budgets[0].status, Catch::StartsWith("excluded: vertex outside the sampled N range"));
  scalelaw::IsoflopOptions keep;
  keep.keep_outside = true;
  const scalelaw::IsoflopResult kept = scalelaw::FitIsoflop(runs, keep);
  REQUIRE(kept.IsUsable());
  CHECK(kept.n_budgets_used == 7);
  CHECK(kept.budgets[0].extrapolated);
  CHECK(kept.budgets[0].status == "used (extrapolated)");
  CHECK(std::abs(kept.a - kLabA) < 0.01);  // the same grid relative to every optimum: the exponent survives
  scalelaw::IsoflopOptions akima = keep;
  akima.vertex = scalelaw::IsoflopVertex::kAkima;
  const scalelaw::IsoflopResult edge = scalelaw::FitIsoflop(runs, akima);  // the interpolant cannot extrapolate
  CHECK_FALSE(edge.IsUsable());
  CHECK_THAT(edge.budgets[0].status, Catch::StartsWith("excluded: minimum at the edge"));
  const scalelaw::IsoflopResult three =
      scalelaw::FitIsoflop(LabRuns(0, 1, true, 3), WithVertex(scalelaw::IsoflopVertex::kAkima));
  CHECK_FALSE(three.IsUsable());
  CHECK_THAT(three.budgets[0].status, Catch::Contains("at least 4 distinct sizes"));
}

TEST_CASE("Weighted power laws: weights from each budget's own bootstrap", "[isoflop][labels]") {
  // Budget 1e18 twice as noisy as the others: its vertex spread is larger and it weighs less.
  std::vector<scalelaw::IsoflopRun> runs = LabRuns(0.003, 9);
  std::mt19937_64 rng(99);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (scalelaw::IsoflopRun& run : runs) {
    if (run.budget == 1e18) run.loss *= std::exp(0.01 * normal(rng));
  }
  scalelaw::IsoflopOptions options;
  options.weighted = true;
  const scalelaw::IsoflopResult r = scalelaw::FitIsoflop(runs, options);
  REQUIRE(r.IsUsable());
  CHECK(r.weighted);
  for (const scalelaw::IsoflopBudget& b : r.budgets) {
    CHECK(b.log_params_sd > 0);
    CHECK(b.log_tokens_sd > 0);
  }
  CHECK(r.budgets[0].log_params_sd > 1.5 * r.budgets[3].log_params_sd);
  CHECK(std::abs(r.a - kLabA) < 0.03);
  CHECK(std::abs(r.b - kLabB) < 0.03);
  CHECK(scalelaw::IsoflopToJson(scalelaw::FitIsoflop(runs, options)) == scalelaw::IsoflopToJson(r));  // seeded
  CHECK_THAT(r.FullReport(), Catch::Contains("sd lnN*"));
}

// An independent recomputation of the weighted estimate and of every resample of its bootstrap, on the protocol the
// header documents: budget u's weights from weight_resamples resamples of its runs drawn one after another from
// ResampleGenerator(seed ^ 0x5eedf00d, u) (the full data) or ResampleGenerator(s_i, u) (run-level resample i,
// where s_i is the next number of resample i's generator after its runs were drawn); a resample's vertex counts
// when it has 3 distinct sizes, opens upwards and lies inside its sampled range; the weights are 1/SD² (n − 1).
// Its own parabola (normal equations in raw ln N, by Cramer's rule) and weighted line.
namespace {

struct Recomputed {
  double a = 0;
  std::vector<double> draws;
};

// ln N* of the least-squares parabola of y on x, or false when it is not a usable vertex.
bool Vertex(const std::vector<double>& x, const std::vector<double>& y, double* x_star) {
  std::vector<double> sorted(x);
  std::sort(sorted.begin(), sorted.end());
  if (std::unique(sorted.begin(), sorted.end()) - sorted.begin() < 3) return false;
  const double centre = sorted.front();  // shifted only for rounding; the vertex does not depend on it
  double s[5] = {0, 0, 0, 0, 0}, t[3] = {0, 0, 0};
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double z = x[i] - centre;
    const double zk[5] = {1, z, z * z, z * z * z, z * z * z * z};
    for (int k = 0; k < 5; ++k) s[k] += zk[k];
    for (int k = 0; k < 3; ++k) t[k] += y[i] * zk[k];
  }
  // [s4 s3 s2; s3 s2 s1; s2 s1 s0] (p, q, r) = (t2, t1, t0)
  const auto det = [](double a, double b, double c, double d, double e, double f, double g, double h, double i) {
    return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  };
  const double m = det(s[4], s[3], s[2], s[3], s[2], s[1], s[2], s[1], s[0]);
  const double p = det(t[2], s[3], s[2], t[1], s[2], s[1], t[0], s[1], s[0]) / m;
  const double q = det(s[4], t[2], s[2], s[3], t[1], s[1], s[2], t[0], s[0]) / m;
  if (!(p > 0)) return false;
  *x_star = centre - q / (2 * p);
  return *x_star >= sorted.front() && *x_star <= *std::max_element(x.begin(), x.end());
}

void Draw(const std::vector<double>& x, const std::vector<double>& y, std::mt19937_64& rng, std::vector<double>* rx,
          std::vector<double>* ry) {
  rx->clear();
  ry->clear();
  for (std::size_t j = 0; j < x.size(); ++j) {
    const std::size_t i = scalelaw::detail::Draw(rng, x.size());
    rx->push_back(x[i]);
    ry->push_back(y[i]);
  }
}

double WeightOf(const std::vector<double>& x, const std::vector<double>& y, int resamples, std::uint64_t seed,
                std::uint64_t budget) {
  std::mt19937_64 rng = scalelaw::detail::ResampleGenerator(seed, budget);
  std::vector<double> v, rx, ry;
  for (int r = 0; r < resamples; ++r) {
    Draw(x, y, rng, &rx, &ry);
    double x_star = 0;
    if (Vertex(rx, ry, &x_star)) v.push_back(x_star);
  }
  REQUIRE(2 * v.size() >= static_cast<std::size_t>(resamples));  // no fallback weights in this set
  double mean = 0, ss = 0;
  for (double e : v) mean += e / static_cast<double>(v.size());
  for (double e : v) ss += (e - mean) * (e - mean);
  return static_cast<double>(v.size() - 1) / ss;
}

double WeightedSlope(const std::vector<double>& x, const std::vector<double>& y, const std::vector<double>& w) {
  double sw = 0, mx = 0, my = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sw += w[i];
    mx += w[i] * x[i];
    my += w[i] * y[i];
  }
  mx /= sw;
  my /= sw;
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxx += w[i] * (x[i] - mx) * (x[i] - mx);
    sxy += w[i] * (x[i] - mx) * (y[i] - my);
  }
  return sxy / sxx;
}

// budgets[k] = (ln N, loss) of budget k's runs, ln_c[k] = ln C_k; fixed_weights: the full data's weights in
// every resample (what the bootstrap did before it recomputed them).
Recomputed RecomputeWeighted(const std::vector<std::pair<std::vector<double>, std::vector<double>>>& budgets,
                             const std::vector<double>& ln_c, int weight_resamples, int bootstrap, std::uint64_t seed,
                             bool fixed_weights) {
  Recomputed out;
  std::vector<double> ln_n, w;
  for (std::size_t k = 0; k < budgets.size(); ++k) {
    double x_star = 0;
    REQUIRE(Vertex(budgets[k].first, budgets[k].second, &x_star));
    ln_n.push_back(x_star);
    w.push_back(WeightOf(budgets[k].first, budgets[k].second, weight_resamples, seed ^ 0x5eedf00dULL, k));
  }
  out.a = WeightedSlope(ln_c, ln_n, w);
  for (int i = 0; i < bootstrap; ++i) {
    std::mt19937_64 rng = scalelaw::detail::ResampleGenerator(seed, static_cast<std::uint64_t>(i));
    std::vector<std::vector<double>> rx(budgets.size()), ry(budgets.size());
    std::vector<double> v(budgets.size());
    for (std::size_t k = 0; k < budgets.size(); ++k) {
      Draw(budgets[k].first, budgets[k].second, rng, &rx[k], &ry[k]);
      REQUIRE(Vertex(rx[k], ry[k], &v[k]));  // every budget keeps its vertex in this set
    }
    std::vector<double> wi = w;
    if (!fixed_weights) {
      const std::uint64_t weight_seed = rng();
      for (std::size_t k = 0; k < budgets.size(); ++k) wi[k] = WeightOf(rx[k], ry[k], weight_resamples, weight_seed, k);
    }
    out.draws.push_back(WeightedSlope(ln_c, v, wi));
  }
  return out;
}

}  // namespace

TEST_CASE("Weighted bootstrap: every resample recomputes the weights from its own runs", "[isoflop][bootstrap]") {
  // 4 budgets of 9 sizes each over ±1.5 in ln N with 0.2% loss noise, C = 6ND (no tokens needed: D* = C/(6N*)).
  const std::vector<scalelaw::IsoflopRun> all = Runs(kChinchilla, AtOptimum(kChinchilla), 1.5, 0.002, 3, true);
  std::vector<scalelaw::IsoflopRun> runs(all.begin(), all.begin() + 36);
  scalelaw::IsoflopOptions options;
  options.weighted = true;
  options.weight_resamples = 40;
  options.bootstrap = 60;
  options.seed = 11;
  const scalelaw::IsoflopResult r = scalelaw::FitIsoflop(runs, options);
  REQUIRE(r.IsUsable());
  REQUIRE(r.weighted);
  REQUIRE(r.n_budgets_used == 4);
  REQUIRE(r.bootstrap_failed == 0);
  CHECK(r.weight_resamples == 40);
  std::vector<std::pair<std::vector<double>, std::vector<double>>> budgets(4);
  std::vector<double> ln_c;
  for (int k = 0; k < 4; ++k) {
    for (int j = 0; j < 9; ++j) {
      budgets[k].first.push_back(std::log(runs[9 * k + j].params));
      budgets[k].second.push_back(runs[9 * k + j].loss);
    }
    ln_c.push_back(std::log(runs[9 * k].flops));
  }
  const Recomputed honest = RecomputeWeighted(budgets, ln_c, 40, 60, 11, false);
  CHECK(r.a == Approx(honest.a).epsilon(1e-9));
  REQUIRE(r.bootstrap_draws.size() == honest.draws.size());
  int differ_from_fixed = 0;
  const Recomputed fixed = RecomputeWeighted(budgets, ln_c, 40, 60, 11, true);
  for (std::size_t i = 0; i < honest.draws.size(); ++i) {
    INFO("resample " << i);
    CHECK(r.bootstrap_draws[i].at("a") == Approx(honest.draws[i]).epsilon(1e-9));
    differ_from_fixed += std::abs(r.bootstrap_draws[i].at("a") - fixed.draws[i]) > 1e-6;
  }
  // The fixed-weight bootstrap gives other draws: this test fails for it.
  CHECK(differ_from_fixed > 50);
  std::vector<double> sorted = honest.draws;
  std::sort(sorted.begin(), sorted.end());
  const scalelaw::ResampleSummary& a = r.uncertainty.at("a");
  CHECK(a.ci95.first == Approx(scalelaw::detail::Percentile(sorted, 0.025)).epsilon(1e-9));
  CHECK(a.ci95.second == Approx(scalelaw::detail::Percentile(sorted, 0.975)).epsilon(1e-9));
}

TEST_CASE("Budget labels and the new options: caller errors throw InvalidArgument", "[isoflop][labels]") {
  std::vector<scalelaw::IsoflopRun> runs = LabRuns(0, 1);
  runs[5].budget = 0;
  CHECK_THROWS_WITH(scalelaw::FitIsoflop(runs), Catch::Contains("no budget label"));
  runs[5].budget = -1;
  CHECK_THROWS_AS(scalelaw::FitIsoflop(runs), scalelaw::InvalidArgument);
  std::vector<scalelaw::IsoflopRun> no_tokens = LabRuns(0, 1);
  for (scalelaw::IsoflopRun& run : no_tokens) run.tokens = 0;
  scalelaw::IsoflopOptions own;
  own.d_star = scalelaw::IsoflopDStar::kOwn;
  CHECK_THROWS_WITH(scalelaw::FitIsoflop(no_tokens, own), Catch::Contains("needs the tokens"));
  const scalelaw::IsoflopResult labels_only = scalelaw::FitIsoflop(no_tokens);  // auto: D* = C/(6N*)
  REQUIRE(labels_only.IsUsable());
  CHECK(labels_only.d_star == scalelaw::IsoflopDStar::kFlops);
  scalelaw::IsoflopOptions narrow;
  narrow.window = 2;
  CHECK_THROWS_AS(scalelaw::FitIsoflop(LabRuns(0, 1), narrow), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::IsoflopVertexFromName("cubic"), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::IsoflopDStarFromName("guess"), scalelaw::InvalidArgument);
  CHECK(scalelaw::IsoflopVertexFromName("akima") == scalelaw::IsoflopVertex::kAkima);
}
