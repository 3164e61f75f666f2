#include "scalelaw/analysis/sweep_design.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/fit/model.h"

namespace {

// The Epoch refit of Chinchilla (Besiroglu et al. 2024, arXiv:2404.10102, Table 1), the registry's "epoch".
const scalelaw::ChinchillaLaw kEpoch{1.8172, 482.01, 2085.43, 0.3478, 0.3658};

// Independent checks of the design's predictions: data sets simulated from the truth with their own generator
// (std::normal_distribution, not the design's Box-Muller draws from its seeds), each fitted the ordinary way (the
// default multi-start search, not the design's start at the truth), as a team would fit its real sweep. Returned:
// the spread over the data sets of each fit's N_opt, D_opt and loss at the target (the sampling distribution the
// design predicts), and, when resamples > 0, the mean width of each fit's own 95% bootstrap interval (what the team
// would report from its one sweep).
struct RealFits {
  std::map<std::string, double> spread_width;     // 95% width of the point estimates over the data sets
  std::map<std::string, double> bootstrap_width;  // mean of the data sets' bootstrap 95% widths
};
double Width(const scalelaw::ResampleSummary& s, const std::string& name) {
  return name == "loss" ? s.ci95.second - s.ci95.first : std::log(s.ci95.second / s.ci95.first);
}
RealFits FitIndependentData(const std::vector<scalelaw::SweepRun>& design, double noise, double flops, int data_sets,
                            int resamples) {
  std::mt19937_64 rng(2024);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::map<std::string, std::vector<double>> estimates;
  std::map<std::string, double> boot_sum;
  int used = 0;
  const scalelaw::Model model = scalelaw::Model::FromName("chinchilla");
  for (int m = 0; m < data_sets; ++m) {
    scalelaw::Dataset data;
    for (const auto& run : design) {
      data.params.push_back(run.params);
      data.tokens.push_back(run.tokens);
      data.loss.push_back(scalelaw::Loss(kEpoch, run.params, run.tokens) * std::exp(noise * normal(rng)));
    }
    scalelaw::FitOptions options;
    options.bootstrap_resamples = resamples;
    options.bootstrap_seed = 100 + m;
    options.max_parameter_span = std::numeric_limits<double>::infinity();  // widths, not the verdict, are compared
    scalelaw::FitSummary fit;
    scalelaw::Fit(data, model, options, &fit);
    if (!fit.IsUsable()) continue;
    ++used;
    const scalelaw::ChinchillaLaw law = scalelaw::AsChinchillaLaw(fit);
    const scalelaw::Allocation optimum = scalelaw::ComputeOptimal(law, flops);
    estimates["N_opt"].push_back(optimum.params);
    estimates["D_opt"].push_back(optimum.tokens);
    estimates["loss"].push_back(scalelaw::Loss(law, optimum.params, optimum.tokens));
    if (resamples == 0) continue;
    std::map<std::string, std::vector<double>> draws;
    for (const auto& resample : scalelaw::BootstrapChinchillaLaws(fit)) {
      const scalelaw::Allocation o = scalelaw::ComputeOptimal(resample, flops);
      draws["N_opt"].push_back(o.params);
      draws["D_opt"].push_back(o.tokens);
      draws["loss"].push_back(scalelaw::Loss(resample, o.params, o.tokens));
    }
    for (auto& [name, values] : draws) boot_sum[name] += Width(scalelaw::SummarizeResamples(values), name);
  }
  REQUIRE(used >= data_sets - data_sets / 20);
  RealFits out;
  for (auto& [name, values] : estimates) out.spread_width[name] = Width(scalelaw::SummarizeResamples(values), name);
  for (const auto& [name, sum] : boot_sum) out.bootstrap_width[name] = sum / used;
  return out;
}

double LogWidth(const scalelaw::ResampleSummary& s) { return std::log(s.ci95.second / s.ci95.first); }

// (1) The design's predicted 95% spread of N_opt, D_opt and the loss (400 simulations) against the spread of
// ordinary fits to 300 independently simulated data sets; (2) the design's expected bootstrap width (32 simulated
// sweeps, 100 resamples each) against the mean bootstrap width of ordinary fits to 32 independent data sets. Both
// within 20%.
void CheckCalibration(const std::vector<scalelaw::SweepRun>& design, double noise, double flops) {
  scalelaw::SweepDesignOptions options;
  options.target_flops = flops;
  options.noise_sd = noise;
  options.simulations = 400;
  options.bootstrap_resamples = 100;
  options.bootstrap_simulations = 32;
  scalelaw::SweepDesignSummary summary;
  REQUIRE(scalelaw::SimulateSweepDesign(design, kEpoch, options, &summary));
  const RealFits spread = FitIndependentData(design, noise, flops, 300, 0);
  const RealFits boot = FitIndependentData(design, noise, flops, 32, 100);
  for (const std::string name : {"N_opt", "D_opt", "loss"}) {
    const double predicted = Width(summary.spread.at(name), name);
    const double spread_ratio = predicted / spread.spread_width.at(name);
    const double boot_ratio = summary.bootstrap_width.at(name) / boot.bootstrap_width.at(name);
    INFO(name << ": predicted spread " << predicted << " vs refits' " << spread.spread_width.at(name) << " (ratio "
              << spread_ratio << "); predicted bootstrap width " << summary.bootstrap_width.at(name) << " vs "
              << boot.bootstrap_width.at(name) << " (ratio " << boot_ratio << ")");
    WARN(name << " calibration: spread ratio " << spread_ratio << ", bootstrap-width ratio " << boot_ratio);
    CHECK(spread_ratio == Approx(1.0).margin(0.2));
    CHECK(boot_ratio == Approx(1.0).margin(0.2));
  }
}
}  // namespace

TEST_CASE("sweep designs are built as grids and isoFLOP curves", "[sweep_design]") {
  const auto grid = scalelaw::GridSweep({1e8, 1e9}, {1e9, 2e9, 4e9});
  REQUIRE(grid.size() == 6);
  CHECK(grid[4].params == 1e9);
  CHECK(grid[4].tokens == 2e9);
  const auto iso = scalelaw::IsoflopSweep({6e18, 6e19}, {1e8, 1e9});
  REQUIRE(iso.size() == 4);
  CHECK(iso[1].tokens == Approx(1e9));  // D = C / (6N)
  CHECK(iso[2].tokens == Approx(1e11));
  CHECK_THROWS_AS(scalelaw::IsoflopSweep({-1}, {1e8}), scalelaw::InvalidArgument);
}

TEST_CASE("a sweep design's simulated spread is centred on the truth and deterministic for any thread count",
          "[sweep_design]") {
  const auto design = scalelaw::GridSweep({5e7, 1e8, 2e8, 4e8, 8e8}, {1e9, 3e9, 1e10, 3e10, 1e11});
  scalelaw::SweepDesignOptions options;
  options.target_flops = 1e21;
  options.noise_sd = 0.01;
  options.simulations = 100;
  options.num_threads = 1;
  scalelaw::SweepDesignSummary one;
  REQUIRE(scalelaw::SimulateSweepDesign(design, kEpoch, options, &one));
  options.num_threads = 2;
  scalelaw::SweepDesignSummary two;
  REQUIRE(scalelaw::SimulateSweepDesign(design, kEpoch, options, &two));
  CHECK(one.spread.at("N_opt").ci95 == two.spread.at("N_opt").ci95);
  CHECK(one.spread.at("D_opt").ci95 == two.spread.at("D_opt").ci95);
  CHECK(one.spread.at("loss").se == two.spread.at("loss").se);
  // The truth's own allocation (Hoffmann et al. 2022, Eq. 4) lies inside the refits' interval, and the mean
  // refitted loss at the target is within a few SDs of the truth's.
  const scalelaw::Allocation truth = scalelaw::ComputeOptimal(kEpoch, 1e21);
  CHECK(one.true_optimum.params == Approx(truth.params));
  CHECK(one.spread.at("N_opt").ci95.first < truth.params);
  CHECK(one.spread.at("N_opt").ci95.second > truth.params);
  CHECK(std::abs(one.spread.at("loss").mean - one.true_loss) < 3 * one.spread.at("loss").se);
  // Halving the noise roughly halves the spread of the fitted exponent (the estimator is locally linear in it).
  options.noise_sd = 0.005;
  scalelaw::SweepDesignSummary quiet;
  REQUIRE(scalelaw::SimulateSweepDesign(design, kEpoch, options, &quiet));
  CHECK(quiet.spread.at("alpha").se / one.spread.at("alpha").se == Approx(0.5).margin(0.15));
}

TEST_CASE("a one-budget isoFLOP design is reported unidentifiable", "[sweep_design]") {
  const auto design = scalelaw::IsoflopSweep({1e19}, {5e7, 1e8, 2e8, 4e8, 8e8, 1.6e9});
  scalelaw::SweepDesignOptions options;
  options.target_flops = 1e21;
  options.noise_sd = 0.01;
  options.simulations = 50;
  scalelaw::SweepDesignSummary summary;
  CHECK_FALSE(scalelaw::SimulateSweepDesign(design, kEpoch, options, &summary));
  CHECK(summary.status == scalelaw::AnalysisStatus::kNotIdentifiable);
  CHECK(summary.refits_not_identifiable > 45);
  CHECK(summary.message.find("not identif") != std::string::npos);
  // Three budgets with the same sizes identify it.
  const auto three = scalelaw::IsoflopSweep({1e18, 1e19, 1e20}, {5e7, 1e8, 2e8, 4e8, 8e8, 1.6e9});
  CHECK(scalelaw::SimulateSweepDesign(three, kEpoch, options, &summary));
}

TEST_CASE("the proposed next run is the candidate whose re-simulated interval shrinks most per FLOP",
          "[sweep_design]") {
  // Sizes up to 2e8, the target 1e22 FLOPs (N_opt ~ 9e9 under the Epoch law). Candidates: a duplicate of a cheap
  // run, two sizes beyond the design's, and a small size trained longer.
  const auto design = scalelaw::GridSweep({2.5e7, 5e7, 1e8, 2e8}, {1e9, 3e9, 1e10, 3e10, 1e11});
  scalelaw::SweepDesignOptions options;
  options.target_flops = 1e22;
  options.noise_sd = 0.01;
  options.simulations = 100;
  options.candidates = {{1e8, 1e9}, {2e9, 1e10}, {8e8, 3e9}, {2.5e7, 3e11}};
  scalelaw::SweepDesignSummary summary;
  REQUIRE(scalelaw::SimulateSweepDesign(design, kEpoch, options, &summary));
  REQUIRE(summary.candidates.size() == 4);
  // Each candidate's width is the simulation of the extended design: recomputed independently with the same seeds.
  for (const auto& candidate : summary.candidates) {
    auto extended = design;
    extended.push_back(candidate.run);
    scalelaw::SweepDesignOptions plain = options;
    plain.candidates.clear();
    scalelaw::SweepDesignSummary check;
    REQUIRE(scalelaw::SimulateSweepDesign(extended, kEpoch, plain, &check));
    CHECK(candidate.width == Approx(LogWidth(check.spread.at("N_opt"))).epsilon(1e-12));
    CHECK(candidate.shrink == Approx(summary.target_width - candidate.width));
    CHECK(candidate.flops == Approx(6 * candidate.run.params * candidate.run.tokens));
    CHECK(candidate.shrink_se > 0);
  }
  // The proposal is a size the design lacks, its shrink beyond its Monte Carlo noise, and no other candidate with
  // a shrink beyond its noise gives more per FLOP; the cheap duplicate's shrink is within its noise.
  REQUIRE(summary.best_candidate >= 0);
  const auto& best = summary.candidates[summary.best_candidate];
  CHECK(best.run.params > 2e8);
  CHECK(best.shrink > 2 * best.shrink_se);
  for (const auto& candidate : summary.candidates) {
    if (candidate.shrink > 2 * candidate.shrink_se) CHECK(candidate.shrink_per_flop <= best.shrink_per_flop);
  }
  CHECK(summary.candidates[0].shrink < 2 * summary.candidates[0].shrink_se);
}

TEST_CASE("sweep design's proposal, candidates and expected bootstrap are the same for 1 and 2 threads",
          "[sweep_design]") {
  const auto design = scalelaw::GridSweep({5e7, 1e8, 2e8, 4e8, 8e8}, {1e9, 3e9, 1e10, 3e10, 1e11});
  scalelaw::SweepDesignOptions options;
  options.target_flops = 1e21;
  options.noise_sd = 0.01;
  options.simulations = 40;
  options.bootstrap_resamples = 20;
  options.bootstrap_simulations = 3;
  options.candidates = {{1e8, 1e9}, {1.6e9, 1e10}};
  options.num_threads = 1;
  scalelaw::SweepDesignSummary one;
  REQUIRE(scalelaw::SimulateSweepDesign(design, kEpoch, options, &one));
  options.num_threads = 2;
  scalelaw::SweepDesignSummary two;
  REQUIRE(scalelaw::SimulateSweepDesign(design, kEpoch, options, &two));
  CHECK(one.best_candidate == two.best_candidate);
  REQUIRE(one.candidates.size() == two.candidates.size());
  for (std::size_t i = 0; i < one.candidates.size(); ++i) CHECK(one.candidates[i].width == two.candidates[i].width);
  CHECK(one.bootstrap_usable == two.bootstrap_usable);
  CHECK(one.bootstrap_width == two.bootstrap_width);
  // A different seed draws different noise.
  options.seed = 7;
  scalelaw::SweepDesignSummary other;
  REQUIRE(scalelaw::SimulateSweepDesign(design, kEpoch, options, &other));
  CHECK(other.spread.at("N_opt").ci95 != one.spread.at("N_opt").ci95);
}

TEST_CASE("on a sweep missing large sizes, a large-size run beats a duplicate of an existing run of the same cost",
          "[sweep_design]") {
  // Sizes up to 2e8 only, the target 1e22 FLOPs (N_opt ~ 1.5e10 under the Epoch law): the duplicate repeats the
  // design's largest-compute run (N 2e8, D 1e11, 1.2e20 FLOPs); the large-size run spends the same FLOPs at N 2e9.
  const auto design = scalelaw::GridSweep({2.5e7, 5e7, 1e8, 2e8}, {1e9, 3e9, 1e10, 3e10, 1e11});
  scalelaw::SweepDesignOptions options;
  options.target_flops = 1e22;
  options.noise_sd = 0.01;
  options.simulations = 150;
  options.candidates = {{2e8, 1e11}, {2e9, 1e10}};
  scalelaw::SweepDesignSummary summary;
  REQUIRE(scalelaw::SimulateSweepDesign(design, kEpoch, options, &summary));
  REQUIRE(summary.candidates.size() == 2);
  const auto& duplicate = summary.candidates[0];
  const auto& large = summary.candidates[1];
  INFO("width now " << summary.target_width << ", with the duplicate " << duplicate.width << ", with N 2e9 "
                    << large.width);
  CHECK(duplicate.flops == Approx(large.flops));
  CHECK(large.shrink > 0);
  CHECK(large.shrink > 2 * duplicate.shrink);
  CHECK(summary.best_candidate == 1);
}

TEST_CASE("sweep design calibration against independent refits and their bootstraps: a grid design",
          "[sweep_design][calibration]") {
  CheckCalibration(scalelaw::GridSweep({5e7, 1e8, 2e8, 4e8, 8e8, 1.6e9}, {1e9, 3e9, 1e10, 3e10, 1e11}), 0.01, 1e21);
}

TEST_CASE("sweep design calibration against independent refits and their bootstraps: an isoFLOP design",
          "[sweep_design][calibration]") {
  CheckCalibration(scalelaw::IsoflopSweep({1e18, 3e18, 1e19, 3e19}, {3e7, 6e7, 1.2e8, 2.4e8, 4.8e8, 9.6e8, 1.9e9}),
                   0.01, 1e21);
}

TEST_CASE("sweep design reads a fit's residual scale and rejects bad options", "[sweep_design]") {
  scalelaw::FitSummary fit;
  fit.residual = scalelaw::Residual::kLog;
  fit.estimator = scalelaw::Estimator::kHuberObjective;
  fit.num_points = 25;
  fit.parameter_names = {"E", "A", "B", "alpha", "beta"};
  // AIC = n log(RSS/n) + 2k with RSS = 20 * 0.01^2 over n - k = 20 degrees of freedom: sd 0.01.
  fit.aic = 25 * std::log(20 * 1e-4 / 25) + 2 * 5;
  CHECK(scalelaw::FitResidualScale(fit) == Approx(0.01));
  fit.estimator = scalelaw::Estimator::kHuberLikelihood;
  fit.log_scale = std::log(0.03);
  CHECK(scalelaw::FitResidualScale(fit) == Approx(0.03));

  scalelaw::SweepDesignOptions options;
  std::string error;
  CHECK_FALSE(options.IsValid(&error));
  options.target_flops = 1e21;
  options.noise_sd = 0.01;
  CHECK(options.IsValid(&error));
  scalelaw::SweepDesignSummary summary;
  CHECK_THROWS_AS(scalelaw::SimulateSweepDesign({}, kEpoch, options, &summary), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::SweepTargetFromName("N"), scalelaw::InvalidArgument);
}
