// Ladder to benchmark (Bhagia et al. 2024, arXiv:2412.04403, Sec. 3-4): from the 190M-1.3B OLMo ladder, the 13B-5T
// model's task loss (step 1), its accuracy from its actual task loss (step 2) and from the predicted one (chained),
// for the paper's 8 main tasks. The expected values are the rows of the paper's released tables
// (src/scripts/paper/figures/step1_main.csv, step2_main.csv, chained_main.csv of github.com/allenai/OLMo-ladder,
// quoted verbatim in ../shared/data/olmo-ladder/SOURCE.txt).
#include "support/olmo_ladder_tasks.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "scalelaw/analysis/ladder.h"

using namespace scalelaw;
using namespace scalelaw::testing;

namespace {

struct Published {
  const char* task;
  double step1_actual, step1_pred, step1_fit_error;
  double step2_actual, step2_pred;
  double chained_pred, chained_rel_error;
};

// figures/step1_main.csv (Actual, Pred, Fit Error), step2_main.csv (Actual, Pred), chained_main.csv (Pred, Rel Error).
const Published kPublished[] = {
    {"mmlu_avg_test_5shot", 0.7488274373888968, 0.7501562439156164, 0.00459955846280895, 0.5161402368605137,
     0.5137559254977586, 0.5126799915287485, 0.006704079791981557},
    {"hellaswag_val_5shot", 0.6609338879585266, 0.6531765996418648, 0.002564809550553303, 0.831905996799469,
     0.8415671300246522, 0.8530359563499285, 0.025399455745903063},
    {"arc_challenge_test_5shot", 0.7157248377799987, 0.783323889494342, 0.004845000187424237, 0.638054609298706,
     0.6030242849964447, 0.5267099358093748, 0.1745064950031654},
    {"arc_easy_test_5shot", 0.5113906025886535, 0.5931045976220826, 0.011775123423672772, 0.8717171669006347,
     0.8193835327090995, 0.7724156000459201, 0.11391489192277633},
    {"piqa_val_5shot", 0.8987890243530273, 0.8747948863685431, 0.003104357884309965, 0.8295973896980285,
     0.8074608283959512, 0.820804177694882, 0.010599372794973767},
    {"csqa_val_5shot", 0.8115828037261963, 0.6617282976368006, 0.010454759586642956, 0.7410319447517395,
     0.7172756908394468, 0.7760887505172276, 0.04730808977099201},
    {"socialiqa_val_5shot", 0.9568508267402649, 0.9915736909585439, 0.005396831679934047, 0.6159672379493714,
     0.6337470338620458, 0.5994822062474122, 0.02676283848608537},
    {"openbookqa_test_5shot", 1.2631986379623412, 1.2750065398700043, 0.00594152057987821, 0.4863999903202057,
     0.4572227807036213, 0.4486477676972386, 0.07761559081881184},
};

}  // namespace

TEST_CASE("OLMo ladder: step 1, step 2 and chained predictions of 13B-5T reproduce the paper's tables") {
  SCALELAW_REQUIRE_SHARED(kOlmoLadderTasksSource);
  const std::vector<LadderTask> tasks = OlmoLadderTaskSet();
  REQUIRE(tasks.size() == 8);
  for (std::size_t t = 0; t < tasks.size(); ++t) {
    const Published& published = kPublished[t];
    const LadderTask& task = tasks[t];
    REQUIRE(task.name == published.task);
    REQUIRE(task.runs.size() == 16);
    const LadderSummary summary = FitLadder(task);
    INFO(summary.FullReport());
    REQUIRE(summary.IsUsable());
    // The target's (N, D) as SOURCE.txt gives them: D = 596057 steps x 8388608 tokens.
    CHECK(summary.target_params == 13202396160.0);
    CHECK(summary.target_tokens == 596057.0 * 8388608.0);
    // Actuals are averages of the data alone.
    CHECK(std::abs(summary.actual_task_loss - published.step1_actual) <= 1e-12);
    CHECK(std::abs(summary.actual_accuracy - published.step2_actual) <= 1e-12);
    // The fits.
    CHECK(std::abs(summary.step1_prediction - published.step1_pred) <= 1e-4);
    CHECK(std::abs(summary.step1_fit_error - published.step1_fit_error) <= 1e-4);
    CHECK(std::abs(summary.step2_prediction - published.step2_pred) <= 1e-4);
    CHECK(std::abs(summary.chained_prediction - published.chained_pred) <= 1e-4);
    // The chained relative error, recomputed here from the prediction and the actual accuracy.
    const double relative = std::abs(summary.chained_prediction - summary.actual_accuracy) / summary.actual_accuracy;
    CHECK(std::abs(relative - published.chained_rel_error) <= 1e-4 / published.step2_actual);
  }
}

namespace {

// The paper's objectives, recomputed here from the ladder and a fit's parameters: step 1's sum of
// Huber_1e-3(ln L_hat - ln L) over the runs' final points (the mean of the last 5 rows), step 2's sum of squares
// over the checkpoints after the first ceil(10%) of each run, smoothed by a trailing mean of 5, and (0, 1).
double Step1Objective(const LadderTask& task, const TaskLossLaw& law) {
  double sum = 0;
  for (const LadderRun& run : task.runs) {
    double loss = 0;
    for (std::size_t i = run.task_loss.size() - 5; i < run.task_loss.size(); ++i) loss += run.task_loss[i] / 5;
    const double predicted = std::exp(law.a) / std::pow(run.params, law.alpha) +
                             std::exp(law.b) / std::pow(run.tokens.back(), law.beta) + law.e;
    const double r = std::abs(std::log(predicted) - std::log(loss));
    sum += r < 1e-3 ? r * r / 2 : 1e-3 * (r - 5e-4);
  }
  return sum;
}

double Step2Objective(const LadderTask& task, const AccuracySigmoid& s) {
  auto acc = [&](double x) { return s.a / (1 + std::exp(-s.k * (x - s.l0))) + s.b; };
  double sum = (acc(0.0) - 1.0) * (acc(0.0) - 1.0);
  for (const LadderRun& run : task.runs) {
    const std::size_t skip = static_cast<std::size_t>(std::ceil(0.1 * static_cast<double>(run.tokens.size())));
    for (std::size_t i = skip; i < run.tokens.size(); ++i) {
      const std::size_t first = i >= skip + 4 ? i - 4 : skip;
      double x = 0, y = 0;
      for (std::size_t j = first; j <= i; ++j) {
        x += run.task_loss[j];
        y += run.accuracy[j];
      }
      const double count = static_cast<double>(i - first + 1);
      sum += (acc(x / count) - y / count) * (acc(x / count) - y / count);
    }
  }
  return sum;
}

}  // namespace

TEST_CASE("OLMo ladder: scalelaw's default multi-start fits reach objectives at least as low as the paper's starts") {
  SCALELAW_REQUIRE_SHARED(kOlmoLadderTasksSource);
  LadderOptions options;
  options.multistart = true;
  for (const LadderTask& task : OlmoLadderTaskSet()) {
    const LadderSummary summary = FitLadder(task, options);
    INFO(summary.FullReport());
    REQUIRE(summary.IsUsable());
    REQUIRE(summary.multistart.usable);
    const double paper1 = Step1Objective(task, summary.step1);
    const double paper2 = Step2Objective(task, summary.step2_chained);
    const double multi1 = Step1Objective(task, summary.multistart.step1);
    const double multi2 = Step2Objective(task, summary.multistart.step2);
    // The library's own objectives agree with this recomputation.
    CHECK(summary.step1_objective == Approx(paper1).epsilon(1e-9));
    CHECK(summary.multistart.step2_objective == Approx(multi2).epsilon(1e-9));
    // E = e^e > 0 in scalelaw's Chinchilla model: where the paper's minimum lies on E = 0 (CSQA) it is approached
    // to within a relative 1e-6.
    CHECK(multi1 <= paper1 * (1 + 1e-6));
    CHECK(multi2 <= paper2 * (1 + 1e-9));
    WARN(task.name << ": chained single start " << summary.chained_prediction << ", multi-start "
                   << summary.multistart.chained_prediction << ", one step (sigmoid in ln C) "
                   << summary.one_step.prediction << ", actual " << summary.actual_accuracy << "; objectives step 1 "
                   << paper1 << " vs " << multi1 << ", step 2 " << paper2 << " vs " << multi2);
  }
}

namespace {

// numpy.percentile's linear interpolation, written out here to check the library's interval.
double PercentileOf(std::vector<double> values, double fraction) {
  std::sort(values.begin(), values.end());
  const double h = fraction * static_cast<double>(values.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(h);
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

}  // namespace

TEST_CASE("OLMo ladder: the joint bootstrap's 90% intervals of the chained 13B-5T accuracies") {
  SCALELAW_REQUIRE_SHARED(kOlmoLadderTasksSource);
  LadderOptions options;
  // 1000 resamples, as the benchmark (each refits both steps, step 2 on ~1700 checkpoints).
  options.bootstrap_resamples = 1000;
  options.num_threads = 2;
  options.one_step = false;
  int covered = 0, covered_recomputed = 0;
  for (const LadderTask& task : OlmoLadderTaskSet()) {
    const LadderSummary summary = FitLadder(task, options);
    INFO(summary.FullReport());
    REQUIRE(summary.IsUsable());
    REQUIRE(summary.bootstrap_chained.size() == 1000);
    std::vector<double> finite;
    for (double v : summary.bootstrap_chained) {
      if (std::isfinite(v)) finite.push_back(v);
    }
    // A resample fails only when it draws fewer than 3 sizes or a fit breaks down: rare with 4 sizes x 4 runs.
    CHECK(summary.bootstrap_failed == 1000 - static_cast<int>(finite.size()));
    CHECK(finite.size() >= 950);
    const double lower = PercentileOf(finite, 0.05), upper = PercentileOf(finite, 0.95);
    CHECK(summary.chained_lower == Approx(lower).epsilon(1e-12));
    CHECK(summary.chained_upper == Approx(upper).epsilon(1e-12));
    // The interval is around the full-data prediction and has width.
    CHECK(summary.chained_lower < summary.chained_prediction);
    CHECK(summary.chained_prediction < summary.chained_upper);
    if (summary.chained_lower <= summary.actual_accuracy && summary.actual_accuracy <= summary.chained_upper) ++covered;
    if (lower <= summary.actual_accuracy && summary.actual_accuracy <= upper) ++covered_recomputed;
    WARN(task.name << ": chained " << summary.chained_prediction << " [90% " << summary.chained_lower << ", "
                   << summary.chained_upper << "], actual " << summary.actual_accuracy);
  }
  CHECK(covered == covered_recomputed);
  // With these 1000 resamples (seed 42) only ARC-Easy (0.872 above [0.7405, 0.8402]) falls outside; with 50,
  // ARC-Challenge (0.638 above [0.478, 0.625]) did too.
  CHECK(covered_recomputed == 7);
  WARN("90% intervals containing the actual accuracy: " << covered << " of 8");
}

TEST_CASE("OLMo ladder: the bootstrap gives the same intervals for 1 and 2 threads") {
  SCALELAW_REQUIRE_SHARED(kOlmoLadderTasksSource);
  const LadderTask task = OlmoLadderTaskSet().at(0);
  LadderOptions options;
  options.bootstrap_resamples = 16;
  options.one_step = false;
  options.num_threads = 1;
  const LadderSummary one = FitLadder(task, options);
  options.num_threads = 2;
  const LadderSummary two = FitLadder(task, options);
  REQUIRE(one.IsUsable());
  REQUIRE(two.IsUsable());
  REQUIRE(one.bootstrap_chained.size() == two.bootstrap_chained.size());
  for (std::size_t r = 0; r < one.bootstrap_chained.size(); ++r) {
    CHECK((one.bootstrap_chained[r] == two.bootstrap_chained[r] ||
           (std::isnan(one.bootstrap_chained[r]) && std::isnan(two.bootstrap_chained[r]))));
  }
  CHECK(one.chained_lower == two.chained_lower);
  CHECK(one.chained_upper == two.chained_upper);
  // A different seed draws different resamples.
  options.bootstrap_seed = 7;
  CHECK(FitLadder(task, options).chained_lower != one.chained_lower);
}

namespace {

// |x - y| <= tolerance × max(1, |y|).
bool Near(double x, double y, double tolerance) { return std::abs(x - y) <= tolerance * std::max(1.0, std::abs(y)); }

}  // namespace

TEST_CASE("OLMo ladder: the dense solver reaches Ceres' optima on every task") {
  SCALELAW_REQUIRE_SHARED(kOlmoLadderTasksSource);
  LadderOptions dense, ceres;
  ceres.solver = LadderOptions::Solver::kCeres;
  for (const LadderTask& task : OlmoLadderTaskSet()) {
    const LadderSummary fast = FitLadder(task, dense), reference = FitLadder(task, ceres);
    INFO(task.name << "\ndense: " << fast.FullReport() << "Ceres: " << reference.FullReport());
    REQUIRE(fast.IsUsable());
    REQUIRE(reference.IsUsable());
    // The objectives, recomputed here from the ladder (not the library's own sums), agree to 1e-10.
    CHECK(Step1Objective(task, fast.step1) == Approx(Step1Objective(task, reference.step1)).epsilon(1e-10));
    CHECK(Step2Objective(task, fast.step2) == Approx(Step2Objective(task, reference.step2)).epsilon(1e-10));
    CHECK(Step2Objective(task, fast.step2_chained) ==
          Approx(Step2Objective(task, reference.step2_chained)).epsilon(1e-10));
    // And so do the parameters, to 1e-6.
    const TaskLossLaw& l = fast.step1;
    const TaskLossLaw& lr = reference.step1;
    CHECK(Near(l.a, lr.a, 1e-6));
    CHECK(Near(l.b, lr.b, 1e-6));
    CHECK(Near(l.alpha, lr.alpha, 1e-6));
    CHECK(Near(l.beta, lr.beta, 1e-6));
    CHECK(Near(l.e, lr.e, 1e-6));
    for (const auto& [s, sr] :
         {std::pair{fast.step2, reference.step2}, std::pair{fast.step2_chained, reference.step2_chained},
          std::pair{fast.one_step.law, reference.one_step.law}}) {
      CHECK(Near(s.a, sr.a, 1e-6));
      CHECK(Near(s.l0, sr.l0, 1e-6));
      CHECK(Near(s.k, sr.k, 1e-6));
      CHECK(Near(s.b, sr.b, 1e-6));
    }
    // The predictions, through the target's 10x extrapolation in N, to 1e-6.
    CHECK(std::abs(fast.step1_prediction - reference.step1_prediction) <= 1e-6);
    CHECK(std::abs(fast.chained_prediction - reference.chained_prediction) <= 1e-6);
    CHECK(std::abs(fast.one_step.prediction - reference.one_step.prediction) <= 1e-6);
  }
}

TEST_CASE("OLMo ladder: the dense solver's bootstrap intervals equal Ceres' to 4 decimals") {
  SCALELAW_REQUIRE_SHARED(kOlmoLadderTasksSource);
  LadderOptions dense;
  dense.bootstrap_resamples = 200;
  dense.num_threads = 2;
  dense.one_step = false;
  LadderOptions ceres = dense;
  ceres.solver = LadderOptions::Solver::kCeres;
  double widest = 0;
  for (const LadderTask& task : OlmoLadderTaskSet()) {
    const LadderSummary fast = FitLadder(task, dense), reference = FitLadder(task, ceres);
    REQUIRE(fast.IsUsable());
    REQUIRE(reference.IsUsable());
    CHECK(fast.bootstrap_failed == reference.bootstrap_failed);
    CHECK(std::abs(fast.chained_lower - reference.chained_lower) < 5e-5);
    CHECK(std::abs(fast.chained_upper - reference.chained_upper) < 5e-5);
    // The resamples one by one: the same draws refitted by either solver.
    int apart = 0;
    for (std::size_t r = 0; r < fast.bootstrap_chained.size(); ++r) {
      const double difference = std::abs(fast.bootstrap_chained[r] - reference.bootstrap_chained[r]);
      if (std::isfinite(difference)) widest = std::max(widest, difference);
      if (!(difference < 5e-5)) ++apart;
    }
    WARN(task.name << ": dense [" << fast.chained_lower << ", " << fast.chained_upper << "], Ceres ["
                   << reference.chained_lower << ", " << reference.chained_upper << "], " << apart
                   << " of 200 resamples apart by 5e-5 or more");
  }
  WARN("largest difference of a resample's chained prediction: " << widest);
}
