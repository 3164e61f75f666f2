// The ladder to benchmark (Bhagia et al. 2024, arXiv:2412.04403) on synthetic ladders whose task-loss law and
// accuracy sigmoid are known: recovery of both and of the chained prediction, and the answers it must refuse (a
// task at chance, fewer than 3 sizes, a target too far beyond the ladder). The paper's own numbers are reproduced
// by tests/golden/olmo_ladder_tasks_test.cpp.
#include "scalelaw/analysis/ladder.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "scalelaw/laws/performance_law.h"

namespace {

using scalelaw::AccuracySigmoid;
using scalelaw::LadderOptions;
using scalelaw::LadderRun;
using scalelaw::LadderSummary;
using scalelaw::LadderTask;
using scalelaw::TaskLossLaw;

// Near the paper's MMLU fit (its step-1 and step-2 coefficients), with b inside its bound.
const TaskLossLaw kTrueLoss{3.64, 4.61, 0.226, 0.236, 0.454};
const AccuracySigmoid kTrueAccuracy{-0.742, 0.616, 4.83, 0.98};

// Four sizes at 1, 2, 5 and 10 times 20 tokens per parameter, each run with 20 evenly spaced checkpoints whose
// task loss is kTrueLoss and accuracy kTrueAccuracy of it (or `accuracy_of` when given).
LadderTask SyntheticLadder(std::vector<double> sizes, double (*accuracy_of)(double, int) = nullptr) {
  LadderTask task;
  task.name = "synthetic";
  task.chance = 0.25;
  for (double n : sizes) {
    for (double multiple : {1.0, 2.0, 5.0, 10.0}) {
      LadderRun run;
      run.name = std::to_string(n) + "x" + std::to_string(multiple);
      run.params = n;
      const double final_tokens = multiple * 20 * n;
      for (int j = 1; j <= 20; ++j) {
        const double tokens = final_tokens * j / 20;
        const double loss = kTrueLoss(n, tokens);
        run.tokens.push_back(tokens);
        run.task_loss.push_back(loss);
        run.accuracy.push_back(accuracy_of ? accuracy_of(loss, j) : kTrueAccuracy(loss));
      }
      task.runs.push_back(run);
    }
  }
  task.target.name = "target";
  task.target.params = 1.3e10;
  task.target.tokens = {5e12};
  return task;
}

// Without smoothing, tail means or the ideal point every step-1 and step-2 point lies on the true curves.
LadderOptions ExactOptions() {
  LadderOptions options;
  options.final_rows = 1;
  options.moving_average = 1;
  options.skip_fraction = 0;
  options.ideal_point = false;
  return options;
}

const std::vector<double> kSizes = {1.9e8, 3.7e8, 7.6e8, 1.3e9};

}  // namespace

TEST_CASE("Ladder: a noise-free ladder gives back its task-loss law, its sigmoid and the chained prediction") {
  const LadderSummary s = scalelaw::FitLadder(SyntheticLadder(kSizes), ExactOptions());
  REQUIRE(s.IsUsable());
  CHECK(s.step1.alpha == Approx(kTrueLoss.alpha).epsilon(1e-4));
  CHECK(s.step1.beta == Approx(kTrueLoss.beta).epsilon(1e-4));
  CHECK(s.step1.e == Approx(kTrueLoss.e).epsilon(1e-4));
  CHECK(s.step2_chained.k == Approx(kTrueAccuracy.k).epsilon(1e-4));
  CHECK(s.step2_chained.l0 == Approx(kTrueAccuracy.l0).epsilon(1e-4));
  const double true_loss = kTrueLoss(1.3e10, 5e12);
  CHECK(s.step1_prediction == Approx(true_loss).epsilon(1e-6));
  CHECK(s.chained_prediction == Approx(kTrueAccuracy(true_loss)).epsilon(1e-6));
  // 13B-5T is 10x the largest size and 19x its tokens: predicted, with the extrapolation named.
  CHECK(s.warnings.size() == 2);
}

TEST_CASE("Ladder: a task whose accuracy never leaves chance is not usable, with no number") {
  // Accuracy at chance with a +-0.005 wobble, whatever the loss: no sigmoid to fit.
  const LadderTask task = SyntheticLadder(kSizes, [](double, int j) { return 0.25 + 0.005 * std::sin(j); });
  const LadderSummary s = scalelaw::FitLadder(task, ExactOptions());
  CHECK_FALSE(s.IsUsable());
  CHECK(s.status == scalelaw::AnalysisStatus::kNotIdentifiable);
  CHECK(s.message.find("never leaves chance") != std::string::npos);
  CHECK(std::isnan(s.chained_prediction));
  CHECK(std::isnan(s.step1_prediction));
}

TEST_CASE("Ladder: fewer than 3 model sizes is not usable, with no number") {
  const LadderSummary s = scalelaw::FitLadder(SyntheticLadder({1.9e8, 1.3e9}), ExactOptions());
  CHECK_FALSE(s.IsUsable());
  CHECK(s.message.find("2 ladder size(s)") != std::string::npos);
  CHECK(std::isnan(s.chained_prediction));
}

TEST_CASE("Ladder: a target beyond max_compute_extrapolation times the largest run's compute is not predicted") {
  // The largest run: 1.3e9 parameters, 2.6e11 tokens, 6ND = 2.028e21 FLOPs; the target's 3.9e23 is 192x it.
  LadderOptions options = ExactOptions();
  options.max_compute_extrapolation = 150;
  const LadderSummary refused = scalelaw::FitLadder(SyntheticLadder(kSizes), options);
  CHECK_FALSE(refused.IsUsable());
  CHECK(refused.message.find("192x") != std::string::npos);
  CHECK(std::isnan(refused.chained_prediction));
  options.max_compute_extrapolation = 200;
  CHECK(scalelaw::FitLadder(SyntheticLadder(kSizes), options).IsUsable());
  options.max_compute_extrapolation = 0;  // no limit
  CHECK(scalelaw::FitLadder(SyntheticLadder(kSizes), options).IsUsable());
  options.max_compute_extrapolation = -1;
  CHECK_THROWS_AS(scalelaw::FitLadder(SyntheticLadder(kSizes), options), scalelaw::InvalidArgument);
}

TEST_CASE("Ladder: a published downstream law is evaluated at the ladder's target N and D") {
  const LadderSummary s = scalelaw::FitLadder(SyntheticLadder(kSizes), ExactOptions());
  scalelaw::PredictionInputs shape;
  shape.Set(scalelaw::Input::kLayers, 40).Set(scalelaw::Input::kDModel, 5120).Set(scalelaw::Input::kFfnWidth, 13824);
  const scalelaw::Prediction p = scalelaw::PredictLadderTarget("performance-law", s, shape);
  // The Performance Law itself (Wu & Tang 2024, arXiv:2408.09895) at T = 5 trillion tokens, S = 13 billion.
  CHECK(p.Value("mmlu") == Approx(scalelaw::PredictMmlu(scalelaw::PerformanceLaw{}, 40, 5120, 13824, 5.0, 13.0)));
  bool metric_noted = false;
  for (const std::string& note : p.notes) metric_noted |= note.find("its own metric") != std::string::npos;
  CHECK(metric_noted);
  // The shape is the caller's to give; N and D are the target's.
  CHECK_THROWS(scalelaw::PredictLadderTarget("performance-law", s, {}));
  CHECK_THROWS_AS(scalelaw::PredictLadderTarget("no-such-law", s, shape), scalelaw::InvalidArgument);
}
