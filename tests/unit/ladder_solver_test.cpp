// The ladder's dense bounded Levenberg-Marquardt solver (LadderOptions::Solver::kDense, src/fit/box_least_squares.h)
// against Ceres (kCeres) on a synthetic ladder whose laws are known: both reach the same optima of the paper's two
// objectives (Bhagia et al. 2024, arXiv:2412.04403, Eq. 2 with Huber on log residuals, Eq. 3 by least squares),
// the optima recover the laws the data were drawn from, and a bootstrap refitted by either solver gives the same
// interval. The OLMo ladder's 8 tasks are compared in tests/golden/olmo_ladder_tasks_test.cpp.
#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "scalelaw/analysis/ladder.h"

using namespace scalelaw;

namespace {

// L(N, D) = e^4 / N^0.25 + e^5 / D^0.25 + 0.5 and Acc(L) = -0.7 / (1 + exp(-5 (L - 1.2))) + 1 over 4 sizes x
// 1, 2, 5, 10 x 20 tokens per parameter, 60 checkpoints a run, the loss and the accuracy with multiplicative and
// additive noise; the target is 10x the largest size at 20 tokens per parameter.
const TaskLossLaw kLoss{4.0, 5.0, 0.25, 0.25, 0.5};
const AccuracySigmoid kAccuracy{-0.7, 1.2, 5.0, 1.0};  // b = 1: on its bound, as most of the paper's tasks

LadderTask SyntheticLadder() {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0.0, 1.0);
  LadderTask task;
  task.name = "synthetic";
  task.chance = 0.25;
  for (double n : {2e8, 4e8, 8e8, 1.6e9}) {
    for (double multiple : {1.0, 2.0, 5.0, 10.0}) {
      LadderRun run;
      run.name = std::to_string(n) + "x" + std::to_string(multiple);
      run.params = n;
      const double tokens = 20 * multiple * n;
      for (int c = 1; c <= 60; ++c) {
        const double d = tokens * c / 60.0;
        const double loss = kLoss(n, d) * std::exp(0.002 * noise(rng));
        run.tokens.push_back(d);
        run.task_loss.push_back(loss);
        run.accuracy.push_back(kAccuracy(loss) + 0.005 * noise(rng));
      }
      task.runs.push_back(run);
    }
  }
  task.target.name = "target";
  task.target.params = 1.6e10;
  task.target.tokens = {20 * 1.6e10};
  return task;
}

bool Near(double x, double y, double tolerance) { return std::abs(x - y) <= tolerance * std::max(1.0, std::abs(y)); }

}  // namespace

TEST_CASE("Ladder solvers: the dense solver reaches Ceres' optima of both steps on a synthetic ladder") {
  const LadderTask task = SyntheticLadder();
  LadderOptions dense;
  LadderOptions ceres = dense;
  ceres.solver = LadderOptions::Solver::kCeres;
  const LadderSummary fast = FitLadder(task, dense), reference = FitLadder(task, ceres);
  INFO("dense: " << fast.FullReport() << "Ceres: " << reference.FullReport());
  REQUIRE(fast.IsUsable());
  REQUIRE(reference.IsUsable());
  CHECK(fast.step1_objective == Approx(reference.step1_objective).epsilon(1e-10));
  CHECK(fast.step2_objective == Approx(reference.step2_objective).epsilon(1e-10));
  for (const auto& [law, law_reference] : {std::pair{fast.step1, reference.step1}}) {
    CHECK(Near(law.a, law_reference.a, 1e-6));
    CHECK(Near(law.b, law_reference.b, 1e-6));
    CHECK(Near(law.alpha, law_reference.alpha, 1e-6));
    CHECK(Near(law.beta, law_reference.beta, 1e-6));
    CHECK(Near(law.e, law_reference.e, 1e-6));
  }
  for (const auto& [s, s_reference] :
       {std::pair{fast.step2, reference.step2}, std::pair{fast.step2_chained, reference.step2_chained},
        std::pair{fast.one_step.law, reference.one_step.law}}) {
    CHECK(Near(s.a, s_reference.a, 1e-6));
    CHECK(Near(s.l0, s_reference.l0, 1e-6));
    CHECK(Near(s.k, s_reference.k, 1e-6));
    CHECK(Near(s.b, s_reference.b, 1e-6));
  }
  // The optimum recovers the laws the data were drawn from: the sigmoid's parameters (960 noisy checkpoints) to a
  // few percent, the loss law's predictions at the target (10x the largest size) to 1%.
  CHECK(fast.step2_chained.a == Approx(kAccuracy.a).epsilon(0.05));
  CHECK(fast.step2_chained.l0 == Approx(kAccuracy.l0).epsilon(0.02));
  CHECK(fast.step2_chained.k == Approx(kAccuracy.k).epsilon(0.1));
  CHECK(fast.step2_chained.b == Approx(kAccuracy.b).epsilon(0.02));
  const double target_loss = kLoss(task.target.params, task.target.tokens.back());
  CHECK(fast.step1_prediction == Approx(target_loss).epsilon(0.01));
  CHECK(fast.chained_prediction == Approx(kAccuracy(target_loss)).epsilon(0.02));
}

TEST_CASE("Ladder solvers: a bootstrap refitted by the dense solver gives Ceres' interval") {
  const LadderTask task = SyntheticLadder();
  LadderOptions dense;
  dense.bootstrap_resamples = 40;
  dense.num_threads = 1;
  dense.one_step = false;
  LadderOptions ceres = dense;
  ceres.solver = LadderOptions::Solver::kCeres;
  const LadderSummary fast = FitLadder(task, dense), reference = FitLadder(task, ceres);
  REQUIRE(fast.IsUsable());
  REQUIRE(reference.IsUsable());
  CHECK(fast.bootstrap_failed == reference.bootstrap_failed);
  CHECK(fast.bootstrap_failed < 40);
  // Each resample (the same draws, weighted counts for the dense solver, copies for Ceres) to 1e-4, the interval
  // to 5e-5.
  for (std::size_t r = 0; r < fast.bootstrap_chained.size(); ++r) {
    if (std::isnan(reference.bootstrap_chained[r])) continue;
    CHECK(std::abs(fast.bootstrap_chained[r] - reference.bootstrap_chained[r]) < 1e-4);
  }
  CHECK(std::abs(fast.chained_lower - reference.chained_lower) < 5e-5);
  CHECK(std::abs(fast.chained_upper - reference.chained_upper) < 5e-5);
  CHECK(fast.chained_lower < fast.chained_prediction);
  CHECK(fast.chained_prediction < fast.chained_upper);
}
