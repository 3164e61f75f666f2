// Chinchilla Approach 2 (Hoffmann et al. 2022, arXiv 2203.15556, Table 2: a = 0.49 with 10th–90th percentile
// 0.462–0.534, b = 0.51 with 0.483–0.529) on the 245 runs Besiroglu et al. 2024 digitised from
// Chinchilla Fig. 4 (../shared/data/chinchilla/svg_extracted_data.csv: "Model Size", "Training FLOP", "loss").
//
// What the data are: every final loss of the figure, not only the IsoFLOP runs, with C read off the plot. The
// nine IsoFLOP budgets (6e18, 1e19, 3e19, 6e19, 1e20, 3e20, 6e20, 1e21, 3e21) show up as dense clusters whose
// digitised C lie 2–9% below the nominal value and spread by a few per cent; between them sit runs of the other
// experiments. With budget tolerance 4% and at least 6 distinct N per budget, exactly those nine clusters
// remain (8 to 26 runs each) and give a = 0.4817, b = 0.5183 (our measurement, printed by
// `scalelaw isoflop ... --budget-tolerance 0.04 --min-sizes 6`). Other reasonable groupings (tolerance 2–6%,
// at least 3 or 6 sizes) give a between 0.4692 and 0.5189: all inside Chinchilla's 10th–90th percentile range,
// which is what these data support, not the second decimal. The default 1% tolerance is too tight for
// digitised C (a = 0.451 from 11 scattered clusters) and is not asserted.
#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/analysis/isoflop.h"
#include "scalelaw/io/csv.h"
#include "support/shared_data.h"

namespace {

constexpr const char* kChinchillaRuns = "data/chinchilla/svg_extracted_data.csv";

std::vector<scalelaw::IsoflopRun> ChinchillaRuns() {
  const scalelaw::NumericTable table =
      scalelaw::ReadNumericCsv(scalelaw::testing::SharedPath(kChinchillaRuns), {"Model Size", "Training FLOP", "loss"});
  std::vector<scalelaw::IsoflopRun> runs(table.rows());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    runs[i].params = table.columns[0][i];
    runs[i].flops = table.columns[1][i];
    runs[i].loss = table.columns[2][i];
  }
  return runs;
}

scalelaw::IsoflopOptions Options(double tolerance, int min_sizes) {
  scalelaw::IsoflopOptions options;
  options.budget_tolerance = tolerance;
  options.min_sizes = min_sizes;
  return options;
}

}  // namespace

TEST_CASE("Chinchilla IsoFLOP profiles: the nine budgets and a = 0.48", "[golden][isoflop]") {
  SCALELAW_REQUIRE_SHARED(kChinchillaRuns);
  const std::vector<scalelaw::IsoflopRun> runs = ChinchillaRuns();
  REQUIRE(runs.size() == 245);
  const scalelaw::IsoflopResult r = scalelaw::FitIsoflop(runs, Options(0.04, 6));
  REQUIRE(r.IsUsable());
  REQUIRE(r.n_budgets_used == 9);
  const double nominal[] = {6e18, 1e19, 3e19, 6e19, 1e20, 3e20, 6e20, 1e21, 3e21};
  int k = 0;
  for (const scalelaw::IsoflopBudget& b : r.budgets) {
    if (!b.used) continue;
    CHECK(b.flops / nominal[k] > 0.9);  // digitised C sit 2–9% below the nominal budgets
    CHECK(b.flops / nominal[k] < 1.0);
    CHECK(b.n_runs >= 8);
    CHECK(b.curvature > 0);
    ++k;
  }
  // Our measurement on these data, to its printed precision.
  CHECK(r.a == Approx(0.4817).margin(5e-5));
  CHECK(r.b == Approx(0.5183).margin(5e-5));
  CHECK(r.k_params == Approx(0.2162).epsilon(5e-4));
  CHECK(r.k_tokens == Approx(0.7708).epsilon(5e-4));
  // Inside Chinchilla's published 10th–90th percentile ranges.
  CHECK(r.a > 0.462);
  CHECK(r.a < 0.534);
  CHECK(r.b > 0.483);
  CHECK(r.b < 0.529);
}

TEST_CASE("Chinchilla IsoFLOP profiles: a stays in the published range across groupings", "[golden][isoflop]") {
  SCALELAW_REQUIRE_SHARED(kChinchillaRuns);
  const std::vector<scalelaw::IsoflopRun> runs = ChinchillaRuns();
  for (double tolerance : {0.02, 0.03, 0.04, 0.05, 0.06}) {
    for (int min_sizes : {3, 6}) {
      const scalelaw::IsoflopResult r = scalelaw::FitIsoflop(runs, Options(tolerance, min_sizes));
      INFO("tolerance " << tolerance << ", min sizes " << min_sizes << ": a = " << r.a);
      REQUIRE(r.IsUsable());
      CHECK(r.n_budgets_used >= 9);
      CHECK(r.a > 0.462);
      CHECK(r.a < 0.534);
    }
  }
}

TEST_CASE("Chinchilla IsoFLOP profiles: bootstrap interval covers Chinchilla's a = 0.49", "[golden][isoflop]") {
  SCALELAW_REQUIRE_SHARED(kChinchillaRuns);
  scalelaw::IsoflopOptions options = Options(0.04, 6);
  options.bootstrap = 1000;
  options.seed = 1;
  const scalelaw::IsoflopResult r = scalelaw::FitIsoflop(ChinchillaRuns(), options);
  REQUIRE(r.uncertainty.count("a"));
  CHECK(r.bootstrap_resamples == 1000);
  CHECK(r.bootstrap_failed == 0);
  const scalelaw::ResampleSummary& boot = r.uncertainty.at("a");
  // Measured: SE 0.017, 95% CI 0.4497–0.5187 (seed 1, 1000 resamples of runs within each budget).
  CHECK(boot.se == Approx(0.017).margin(0.002));
  CHECK(boot.ci95.first == Approx(0.4497).margin(0.003));
  CHECK(boot.ci95.second == Approx(0.5187).margin(0.003));
  CHECK(boot.ci95.first < 0.49);
  CHECK(0.49 < boot.ci95.second);
}
