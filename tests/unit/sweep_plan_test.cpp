// Sweeps ready to launch (scalelaw/analysis/sweep_plan.h): every row's counts against CountParameters of its own
// shape, its tokens against the budget, its steps against its batch, its batch and peak LR against the Step Law
// written out again (Li et al. 2025, arXiv:2503.04715: eta = 1.79 N^-0.713 D^0.307, B = 0.58 D^0.571), and the
// CSV read back by the project's reader and fitted: a Chinchilla-form loss filled into its loss column gives back
// the constants that made it.
#include "scalelaw/analysis/sweep_plan.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <set>
#include <sstream>
#include <string>

#include "scalelaw/analysis/isoflop.h"
#include "scalelaw/curves/schedule.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/io/csv.h"
#include "scalelaw/model/count.h"

using scalelaw::PlannedRun;
using scalelaw::PlanSweep;
using scalelaw::SweepPlan;
using scalelaw::SweepPlanOptions;

namespace {

SweepPlanOptions IsoflopRange() {
  SweepPlanOptions options;
  options.budgets = {1e18, 1e19, 1e20};
  options.min_params = 2e7;
  options.max_params = 2e8;
  options.per_budget = 5;
  options.shapes.seq_len = 2048;
  return options;
}

// The loss of a Chinchilla-form law (Hoffmann et al. 2022, Eq. 2) written out, not the library's.
struct Truth {
  double E = 1.69, A = 406.4, B = 410.7, alpha = 0.34, beta = 0.28;
  double Loss(double n, double d) const { return E + A / std::pow(n, alpha) + B / std::pow(d, beta); }
};

// The plan's CSV with each row's loss cell (the last, empty) filled from the truth at its params and tokens.
std::string Logged(const SweepPlan& plan, const Truth& truth) {
  std::istringstream in(plan.ToCsv());
  std::string line, out;
  std::getline(in, line);
  out = line + "\n";
  std::size_t row = 0;
  while (std::getline(in, line)) {
    const PlannedRun& run = plan.runs.at(row++);
    REQUIRE(line.back() == ',');
    char loss[64];
    std::snprintf(loss, sizeof loss, "%.17g", truth.Loss(static_cast<double>(run.count.params.total), run.tokens));
    out += line + loss + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("Every isoFLOP row is a real shape with its own counts, its budget's tokens and whole steps", "[sweep]") {
  SweepPlan plan;
  REQUIRE(PlanSweep(IsoflopRange(), &plan));
  REQUIRE(plan.isoflop);
  REQUIRE(plan.runs.size() == 15);
  std::set<std::string> ids;
  for (const PlannedRun& run : plan.runs) {
    ids.insert(run.run_id);
    const scalelaw::ParameterCounts counts = scalelaw::CountParameters(run.count.shape);
    CHECK(run.count.params.total == counts.total);
    CHECK(run.count.params.non_embedding == counts.non_embedding);
    CHECK(run.count.params.non_vocabulary == counts.non_vocabulary);
    // 6N of the total parameters, the default convention.
    CHECK(run.flops_per_token == 6.0 * static_cast<double>(counts.total));
    CHECK(run.tokens == std::round(run.tokens));
    CHECK(std::abs(run.tokens * run.flops_per_token - run.budget) <= 0.5 * run.flops_per_token);
    CHECK(run.flops == run.tokens * run.flops_per_token);
    CHECK(run.batch_tokens == run.batch_sequences * run.count.shape.seq_len);
    CHECK(static_cast<double>(run.steps * run.batch_tokens) >= run.tokens);
    CHECK(static_cast<double>((run.steps - 1) * run.batch_tokens) < run.tokens);
    // The Step Law, written out: B in tokens rounded to sequences of 2048, eta at N = non-vocabulary params.
    CHECK(run.batch_sequences == std::llround(0.58 * std::pow(run.tokens, 0.571) / 2048.0));
    CHECK(run.lr ==
          Approx(1.79 * std::pow(static_cast<double>(counts.non_vocabulary), -0.713) * std::pow(run.tokens, 0.307))
              .epsilon(1e-12));
    CHECK(run.lr_law == "step-lr");
    CHECK(run.batch_law == "step-batch");
    // The shape is within the default 50% of its target.
    CHECK(std::abs(static_cast<double>(counts.total) / run.target_params - 1) <= 0.5);
  }
  CHECK(ids.size() == plan.runs.size());
  // Targets evenly spaced in log N from 2e7 to 2e8, both ends included.
  CHECK(plan.runs[0].target_params == 2e7);
  CHECK(plan.runs[4].target_params == 2e8);
  CHECK(plan.runs[2].target_params == Approx(std::sqrt(2e7 * 2e8)).epsilon(1e-12));
}

TEST_CASE("Each row's schedule is its LR law's own, at the row's peak LR and steps", "[sweep]") {
  SweepPlan plan;
  REQUIRE(PlanSweep(IsoflopRange(), &plan));
  for (const PlannedRun& run : plan.runs) {
    // The Step Law's runs: a linear warmup (at most a tenth of the run), then cosine to 1e-5 (Li et al. 2025).
    const scalelaw::LrSchedule schedule = scalelaw::ParseLrSchedule(run.schedule);
    CHECK(schedule.kind == scalelaw::LrScheduleKind::kCosine);
    CHECK(schedule.peak == Approx(run.lr).epsilon(5e-6));  // a spec prints 6 significant digits
    CHECK(schedule.steps == run.steps);
    CHECK(schedule.end == 1e-5);
    CHECK(schedule.warmup == std::min<long>(2000, run.steps / 10));  // runs of thousands of steps
  }
  CHECK(plan.runs.front().schedule != plan.runs.back().schedule);

  // DeepSeek's multi-step schedule: 31.6% of the peak from 80% of the steps, 10% from 90% (Bi et al. 2024).
  SweepPlanOptions deepseek = IsoflopRange();
  deepseek.lr_law = "deepseek";
  REQUIRE(PlanSweep(deepseek, &plan));
  for (const PlannedRun& run : plan.runs) {
    const scalelaw::LrSchedule schedule = scalelaw::ParseLrSchedule(run.schedule);
    CHECK(schedule.kind == scalelaw::LrScheduleKind::kSteps);
    CHECK(schedule.peak == Approx(run.lr).epsilon(5e-6));  // a spec prints 6 significant digits
    REQUIRE(schedule.stages.size() == 2);
    CHECK(schedule.stages[0].first == static_cast<long>(0.8 * static_cast<double>(run.steps)));
    CHECK(schedule.stages[1].second == Approx(0.1 * run.lr).epsilon(5e-6));
  }

  // A schedule given is written as it is.
  SweepPlanOptions given = IsoflopRange();
  given.schedule = "wsd";
  REQUIRE(PlanSweep(given, &plan));
  for (const PlannedRun& run : plan.runs) CHECK(run.schedule == "wsd");
}

TEST_CASE("A sweep under another FLOP convention spends its budget under that convention", "[sweep]") {
  SweepPlanOptions options = IsoflopRange();
  options.convention = "chinchilla";
  SweepPlan plan;
  REQUIRE(PlanSweep(options, &plan));
  for (const PlannedRun& run : plan.runs) {
    const double m = scalelaw::ChinchillaFlopsPerToken(run.count.shape);
    CHECK(run.flops_per_token == m);
    CHECK(std::abs(run.tokens * m - run.budget) <= 0.5 * m);
  }
}

TEST_CASE("Sizes around a law's N_opt span N_opt / spread to N_opt x spread", "[sweep]") {
  SweepPlanOptions options;
  options.budgets = {1e19};
  options.allocation_law = scalelaw::PublishedLaw("chinchilla", scalelaw::Quantity::kAllocation);
  options.spread = 4;
  options.per_budget = 5;
  SweepPlan plan;
  REQUIRE(PlanSweep(options, &plan));
  REQUIRE(plan.runs.size() == 5);
  scalelaw::PredictionInputs in;
  in.Set(scalelaw::Input::kFlops, 1e19);
  const double n_opt = scalelaw::Predict(*options.allocation_law, scalelaw::Quantity::kAllocation, in).Value("params");
  CHECK(plan.runs.front().target_params == Approx(n_opt / 4).epsilon(1e-12));
  CHECK(plan.runs[2].target_params == Approx(n_opt).epsilon(1e-12));
  CHECK(plan.runs.back().target_params == Approx(n_opt * 4).epsilon(1e-12));
}

TEST_CASE("An N x D grid trains every size on every token count, and a given batch overrides the law", "[sweep]") {
  SweepPlanOptions options;
  options.tokens = {1e9, 4e9};
  options.sizes = {5e7, 1e8, 2e8};
  options.batch_tokens = 1e6;
  options.shapes.seq_len = 4096;
  SweepPlan plan;
  REQUIRE(PlanSweep(options, &plan));
  REQUIRE(!plan.isoflop);
  REQUIRE(plan.runs.size() == 6);
  for (const PlannedRun& run : plan.runs) {
    CHECK(run.budget == 0);
    CHECK((run.tokens == 1e9 || run.tokens == 4e9));
    CHECK(run.batch_sequences == 244);  // 1e6 / 4096 = 244.1
    CHECK(run.batch_law.empty());
  }
  // The same size gets the same shape at both token counts.
  CHECK(plan.runs[0].count.params.total == plan.runs[3].count.params.total);
}

TEST_CASE("The CSV read back and fitted gives back the law that filled its loss column", "[sweep]") {
  SweepPlanOptions options;
  options.budgets = {1e18, 3e18, 1e19, 3e19, 1e20};
  options.allocation_law = scalelaw::PublishedLaw("chinchilla", scalelaw::Quantity::kAllocation);
  options.per_budget = 7;
  options.shapes.seq_len = 2048;
  SweepPlan plan;
  REQUIRE(PlanSweep(options, &plan));
  const Truth truth;
  const scalelaw::Dataset runs = scalelaw::ParseRunsCsv(Logged(plan, truth), "sweep.csv");
  REQUIRE(runs.params.size() == 35);
  scalelaw::FitSummary fit;
  REQUIRE(scalelaw::Fit(runs, scalelaw::Model::FromName("chinchilla"), {}, &fit));
  CHECK(fit.params.at("E") == Approx(truth.E).epsilon(1e-5));
  CHECK(fit.params.at("A") == Approx(truth.A).epsilon(1e-4));
  CHECK(fit.params.at("B") == Approx(truth.B).epsilon(1e-4));
  CHECK(fit.params.at("alpha") == Approx(truth.alpha).epsilon(1e-5));
  CHECK(fit.params.at("beta") == Approx(truth.beta).epsilon(1e-5));
}

TEST_CASE("A sweep whose loss column is still empty is not logged yet", "[sweep]") {
  SweepPlan plan;
  REQUIRE(PlanSweep(IsoflopRange(), &plan));
  try {
    scalelaw::ParseRunsCsv(plan.ToCsv(), "sweep.csv");
    FAIL("an empty loss column was read");
  } catch (const scalelaw::InputError& error) {
    CHECK(error.column() == "loss");
    CHECK(std::string(error.what()).find("not been logged yet") != std::string::npos);
  }
}

TEST_CASE("Sizes the constraints cannot build have no shape, and bad options name their field", "[sweep]") {
  SweepPlanOptions options = IsoflopRange();
  options.shapes.max_d_model = 256;  // at most ~2e7 parameters with 32000 tokens of vocabulary
  options.min_params = 1e9;
  options.max_params = 2e9;
  SweepPlan plan;
  CHECK_FALSE(PlanSweep(options, &plan));
  CHECK(plan.status == scalelaw::SweepPlanStatus::kNoShape);
  CHECK(plan.message.find("N = 1e+09") != std::string::npos);
  CHECK(plan.runs.empty());

  SweepPlanOptions both = IsoflopRange();
  both.tokens = {1e9};
  CHECK(both.Problem().rfind("budgets:", 0) == 0);
  SweepPlanOptions two_ways = IsoflopRange();
  two_ways.sizes = {1e8};
  CHECK(two_ways.Problem().rfind("sizes:", 0) == 0);
  SweepPlanOptions law = IsoflopRange();
  law.lr_law = "chinchilla";
  CHECK(law.Problem().rfind("lr_law:", 0) == 0);
  SweepPlanOptions shape = IsoflopRange();
  shape.shapes.head_dims = {};
  CHECK(shape.Problem().rfind("head_dims:", 0) == 0);
  CHECK_THROWS_AS(PlanSweep(law, &plan), scalelaw::InvalidArgument);
  // A batch law that needs a loss cannot answer for a run not yet trained: the option and the laws that can.
  SweepPlanOptions needs_loss = IsoflopRange();
  needs_loss.batch_law = "kaplan";
  CHECK_THROWS_WITH(PlanSweep(needs_loss, &plan),
                    Catch::Matchers::StartsWith("batch_law: law 'kaplan' needs") &&
                        Catch::Matchers::EndsWith("laws that answer there: step, deepseek"));
}

TEST_CASE("Sizes whose nearest shape is the same take distinct shapes, with a warning", "[sweep]") {
  SweepPlanOptions options;
  options.budgets = {1e19};
  options.sizes = {1.00e8, 1.001e8, 1.002e8};
  SweepPlan plan;
  REQUIRE(PlanSweep(options, &plan));
  std::set<std::int64_t> totals;
  for (const PlannedRun& run : plan.runs) totals.insert(run.count.params.total);
  CHECK(totals.size() == 3);
  REQUIRE(!plan.warnings.empty());
  CHECK(plan.warnings.front().find("next nearest") != std::string::npos);
}

TEST_CASE("Text cells with commas and quotes are quoted and read back", "[sweep][csv]") {
  CHECK(scalelaw::CsvCell("cosine") == "cosine");
  CHECK(scalelaw::CsvCell("wsd:peak=3e-4,end=3e-5") == "\"wsd:peak=3e-4,end=3e-5\"");
  CHECK(scalelaw::CsvCell("a \"b\"") == "\"a \"\"b\"\"\"");
  SweepPlanOptions options = IsoflopRange();
  options.schedule = "wsd:peak=3e-4,decay_fraction=0.2";
  SweepPlan plan;
  REQUIRE(PlanSweep(options, &plan));
  const scalelaw::Dataset runs = scalelaw::ParseRunsCsv(Logged(plan, Truth{}), "sweep.csv");
  CHECK(runs.params.size() == plan.runs.size());
  CHECK(scalelaw::CsvHeader(plan.ToCsv()) == scalelaw::SweepCsvColumns());
}

TEST_CASE("Target sizes are counts of the definition asked for", "[sweep]") {
  SweepPlanOptions options;
  options.tokens = {1e10};
  options.sizes = {3e8};
  options.shapes.definition = scalelaw::ParamsDefinition::kNonVocabulary;
  options.shapes.vocab = 128256;
  SweepPlan plan;
  REQUIRE(PlanSweep(options, &plan));
  const scalelaw::ParameterCounts& counts = plan.runs.front().count.params;
  // The nearest shape by N_nv: within the grid's spacing of 3e8, while the total is far above it (the vocabulary).
  CHECK(std::abs(static_cast<double>(counts.non_vocabulary) / 3e8 - 1) < 0.05);
  CHECK(static_cast<double>(counts.total) > 1.5 * 3e8);
}
