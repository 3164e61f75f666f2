// Step Law (Li et al. 2025, "Predictable Scale: Part I", arXiv 2503.04715) on the 1911 dense lr/batch grid runs
// the authors released (step-law/steplaw data/dense_lr_bs_loss.csv, read from ../shared; SOURCE.txt there).
//
// The authors' procedure on the released runs: runs within 0.25% of each (N, D) cell's best smoothed loss, batch
// "bs" in sequences of 2048 tokens, OLS of ln lr on [1, ln N, ln D] and of ln B on [1, ln D].
// The paper's law (eta = 1.79·N^-0.713·D^0.307, B = 0.58·D^0.571) was fitted on more runs than were released
// (SOURCE.txt). On the released runs the lr's D exponent is 0.197, and the authors' own bootstrap (resampling
// the kept runs) puts its 95% interval at about [0.13, 0.26], excluding 0.307: under the paper's own error
// model the released data do not support the published D exponent, which therefore rests on runs that cannot
// be checked. The run-level bootstrap treats runs of one cell as independent; resampling whole cells (the
// cluster bootstrap, last test) widens the interval to about [0.14, 0.31], which just reaches 0.307, so the
// disagreement is not decisive once cell-to-cell variation is counted (docs/hparam-sweeps.md).
#include "scalelaw/analysis/hparam_sweep.h"

#include <catch2/catch.hpp>

#include "scalelaw/io/csv.h"
#include "support/shared_data.h"

namespace {

constexpr const char* kStepRuns = "data/steplaw/dense_lr_bs_loss.csv";

scalelaw::HparamRuns StepRuns() {
  const scalelaw::NumericTable table =
      scalelaw::ReadNumericCsv(scalelaw::testing::SharedPath(kStepRuns), {"N", "D", "lr", "bs", "smooth loss"});
  return {table.Column("N"), table.Column("D"), table.Column("lr"), table.Column("bs"), table.Column("smooth loss")};
}

scalelaw::HparamSweepOptions StepOptions() {
  scalelaw::HparamSweepOptions options;
  options.seq_len = 2048;
  options.tolerance = 0.0025;
  return options;
}

}  // namespace

TEST_CASE("Step Law released runs: lr and batch laws of the near-optimal runs", "[golden][steplaw]") {
  SCALELAW_REQUIRE_SHARED(kStepRuns);
  const scalelaw::HparamSweepResult r = scalelaw::FitHparamSweep(StepRuns(), StepOptions());
  REQUIRE(r.IsUsable());
  CHECK(r.n_runs == 1911);
  CHECK(r.n_cells == 17);
  CHECK(r.n_kept == 129);
  CHECK(r.lr.coef == Approx(77.687).epsilon(1e-3));
  CHECK(r.lr.exp_params == Approx(-0.76623).epsilon(1e-3));
  CHECK(r.lr.exp_tokens == Approx(0.19701).epsilon(1e-3));
  CHECK(r.batch_tokens.coef == Approx(0.20852).epsilon(1e-3));
  CHECK(r.batch_tokens.exp_tokens == Approx(0.61253).epsilon(1e-3));
  CHECK(r.warnings.empty());  // every cell's best run is inside its lr and batch grid
}

TEST_CASE("Step Law released runs: the bootstrap interval of the lr D-exponent excludes the paper's 0.307",
          "[golden][steplaw]") {
  SCALELAW_REQUIRE_SHARED(kStepRuns);
  scalelaw::HparamSweepOptions options = StepOptions();
  options.bootstrap = 1000;  // as the paper
  options.seed = 0;
  const scalelaw::HparamSweepResult r = scalelaw::FitHparamSweep(StepRuns(), options);
  REQUIRE(r.IsUsable());
  REQUIRE(!r.uncertainty.empty());
  CHECK(r.bootstrap_failed == 0);
  const double low = r.uncertainty.at("lr.exp_tokens").ci95.first;
  const double high = r.uncertainty.at("lr.exp_tokens").ci95.second;
  INFO("lr D-exponent 95% CI [" << low << ", " << high << "], mean " << r.uncertainty.at("lr.exp_tokens").mean);
  CHECK(low < r.lr.exp_tokens);
  CHECK(r.lr.exp_tokens < high);
  CHECK(high < 0.307);
  // The bootstrap mean (the paper's point estimate) stays near the full-data fit.
  CHECK(r.uncertainty.at("lr.exp_tokens").mean == Approx(r.lr.exp_tokens).margin(0.01));
  CHECK(r.uncertainty.at("batch_tokens.exp_tokens").mean == Approx(r.batch_tokens.exp_tokens).margin(0.01));
}

TEST_CASE("Step Law released runs: resampling whole cells widens the intervals", "[golden][steplaw]") {
  SCALELAW_REQUIRE_SHARED(kStepRuns);
  scalelaw::HparamSweepOptions options = StepOptions();
  options.bootstrap = 1000;
  options.seed = 0;  // the seed these intervals were measured with
  const scalelaw::HparamSweepResult runs = scalelaw::FitHparamSweep(StepRuns(), options);
  options.resample = scalelaw::HparamResample::kCells;
  const scalelaw::HparamSweepResult cells = scalelaw::FitHparamSweep(StepRuns(), options);
  REQUIRE(!cells.uncertainty.empty());
  const double low = cells.uncertainty.at("lr.exp_tokens").ci95.first;
  const double high = cells.uncertainty.at("lr.exp_tokens").ci95.second;
  INFO("cluster bootstrap lr D-exponent 95% CI [" << low << ", " << high << "]");
  const scalelaw::ResampleSummary& by_runs = runs.uncertainty.at("lr.exp_tokens");
  CHECK(high - low > by_runs.ci95.second - by_runs.ci95.first);
  CHECK(cells.uncertainty.at("lr.exp_tokens").se > by_runs.se);
  CHECK(low < 0.197);
  CHECK(0.197 < high);
}
