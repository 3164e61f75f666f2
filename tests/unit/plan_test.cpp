// scalelaw plan ends in a run a trainer launches: the shape nearest the law's N, D recomputed under the law's FLOP
// convention, the batch in whole sequences, the steps, and the LR with its law's schedule. Every number is
// recomputed here from the pieces it is made of.
#include "scalelaw/plan.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "scalelaw/curves/published_curve_laws.h"
#include "scalelaw/curves/schedule.h"
#include "scalelaw/laws/registry.h"
#include "scalelaw/model/count.h"
#include "scalelaw/model/model_inputs.h"

namespace {

using scalelaw::Input;
using scalelaw::PredictionInputs;

const scalelaw::PlanItem& Item(const scalelaw::TrainingPlan& plan, const std::string& key) {
  for (const scalelaw::PlanItem& item : plan.items) {
    if (item.key == key) return item;
  }
  FAIL("no item " << key);
  throw;
}

// What every configuration must satisfy, whatever the law.
void CheckConsistent(const scalelaw::TrainingPlan& plan, const PredictionInputs& inputs) {
  REQUIRE(plan.configuration);
  const scalelaw::TrainingConfiguration& run = *plan.configuration;
  const scalelaw::TransformerShape& shape = run.model.shape;
  // The counts are the shape's, the FLOPs per token its count under the law's convention, D spends C.
  const scalelaw::ParameterCounts counts = scalelaw::CountParameters(shape);
  CHECK(run.model.params.total == counts.total);
  CHECK(run.flops_per_token == scalelaw::FindFlopConvention(run.flop_convention).flops_per_token(shape));
  CHECK(run.tokens * run.flops_per_token == Approx(inputs.Get(Input::kFlops)).epsilon(1e-12));
  CHECK(run.seq_len == inputs.Get(Input::kSeqLen));
  // The batch law's answer at the shape in whole sequences, and enough steps to see every token.
  CHECK(run.batch_sequences == std::max(1.0, std::round(Item(plan, "batch_tokens").value / run.seq_len)));
  CHECK(run.batch_tokens == run.batch_sequences * run.seq_len);
  CHECK(run.steps == std::ceil(run.tokens / run.batch_tokens));
  CHECK(run.steps * run.batch_tokens >= run.tokens);
  // The LR law evaluated at the shape (each law reading its own N) and at D = C / F.
  PredictionInputs at = scalelaw::WithModel(shape);
  at.Set(Input::kTokens, run.tokens).Set(Input::kFlops, inputs.Get(Input::kFlops));
  const scalelaw::Prediction lr = scalelaw::Predict(scalelaw::PublishedLaw(scalelaw::FindLaw(run.lr_law).family),
                                                    scalelaw::Quantity::kLearningRate, at);
  CHECK(run.peak_lr == Approx(lr.Value("lr")).epsilon(1e-12));
  // The schedule is one `scalelaw curve` reads, with that peak and those steps.
  const scalelaw::LrSchedule schedule = scalelaw::ParseLrSchedule(run.schedule);
  CHECK(schedule.peak == Approx(run.peak_lr).epsilon(1e-5));
  CHECK(schedule.steps == static_cast<long>(run.steps));
}

}  // namespace

TEST_CASE("A compute-optimal plan ends in a trainable configuration", "[plan]") {
  PredictionInputs in;
  in.Set(Input::kFlops, 1e21).Set(Input::kSeqLen, 2048);
  const scalelaw::TrainingPlan plan = scalelaw::PlanTraining(in, "epoch");
  CheckConsistent(plan, in);
  const scalelaw::TrainingConfiguration& run = *plan.configuration;
  // Matched on the total N Epoch's allocation gives, within a few percent, under C = 6ND.
  CHECK(run.matched_on == "total parameters");
  CHECK(run.target == Item(plan, "params").value);
  CHECK(std::abs(static_cast<double>(run.model.params.total) / run.target - 1) < 0.03);
  CHECK(run.flop_convention == "6n");
  CHECK(run.tokens == Approx(1e21 / (6.0 * static_cast<double>(run.model.params.total))).epsilon(1e-12));
  const double aspect = static_cast<double>(run.model.shape.d_model) / run.model.shape.layers;
  CHECK((aspect >= 96 && aspect <= 160));
  // The Step Law's LR and its schedule: cosine to 1e-5 after a 2000-step warmup.
  CHECK(run.lr_law == "step-lr");
  const scalelaw::LrSchedule schedule = scalelaw::ParseLrSchedule(run.schedule);
  CHECK(schedule.kind == scalelaw::LrScheduleKind::kCosine);
  CHECK(schedule.end == 1e-5);
  CHECK(schedule.warmup == 2000);
}

TEST_CASE("DeepSeek's plan matches the shape on M and counts D as C / M", "[plan]") {
  PredictionInputs in;
  in.Set(Input::kFlops, 1e21).Set(Input::kSeqLen, 4096);
  const scalelaw::TrainingPlan plan = scalelaw::PlanTraining(in, "deepseek");
  CheckConsistent(plan, in);
  const scalelaw::TrainingConfiguration& run = *plan.configuration;
  CHECK(run.flop_convention == "deepseek");
  const scalelaw::TransformerShape& s = run.model.shape;
  // M = 72 n_layer d^2 + 12 n_layer d l_seq (Bi et al. 2024, Sec. 3.1), written out.
  const double m = 72.0 * s.layers * s.d_model * s.d_model + 12.0 * s.layers * s.d_model * 4096;
  CHECK(run.flops_per_token == Approx(m).epsilon(1e-12));
  CHECK(std::abs(m / plan.allocation.Value("flops_per_token") - 1) < 0.05);
  // No loss law behind DeepSeek's allocation: no expected loss, and no error.
  for (const scalelaw::PlanItem& item : plan.items) CHECK(item.key != "loss");
}

TEST_CASE("Kaplan's plan matches the shape on its non-embedding N", "[plan]") {
  PredictionInputs in;
  in.Set(Input::kFlops, 1e21).Set(Input::kSeqLen, 2048);
  const scalelaw::TrainingPlan plan = scalelaw::PlanTraining(in, "kaplan");
  CheckConsistent(plan, in);
  const scalelaw::TrainingConfiguration& run = *plan.configuration;
  CHECK(run.matched_on == "non-embedding parameters");
  CHECK(std::abs(static_cast<double>(run.model.params.non_embedding) / run.target - 1) < 0.03);
  CHECK(run.flops_per_token == 6.0 * static_cast<double>(run.model.params.non_embedding));
}

TEST_CASE("Every LR law's schedule is a spec the curve tools read", "[plan]") {
  int with_schedule = 0;
  for (const scalelaw::LawInfo& law : scalelaw::LawRegistry()) {
    if (!law.schedule) continue;
    ++with_schedule;
    for (long steps : {50L, 1000L, 250000L}) {
      const scalelaw::LrSchedule schedule = scalelaw::ParseLrSchedule(law.schedule(3e-4, steps));
      CHECK(schedule.peak == 3e-4);
      CHECK(schedule.steps == steps);
      CHECK(schedule.warmup < steps);
    }
  }
  CHECK(with_schedule == 3);  // the Step Law, DeepSeek and Kaplan state theirs
  // DeepSeek's steps: 31.6% of the peak after 80% of the run, 10% after 90%.
  const scalelaw::LrSchedule deepseek =
      scalelaw::ParseLrSchedule(scalelaw::FindLaw("deepseek-lr").schedule(1e-3, 10000));
  REQUIRE(deepseek.stages.size() == 2);
  CHECK(deepseek.stages[0] == std::pair<long, double>{8000, 0.316e-3});
  CHECK(deepseek.stages[1] == std::pair<long, double>{9000, 1e-4});
}

namespace {

// A one-size multi-power fit whose law is the paper's for its 25M model (Luo et al. 2025, arXiv:2503.12811), fitted
// on 24000-step curves peaking at 3e-4, as `curve fit` would have written it.
scalelaw::CurveFitSummary PaperFit() {
  scalelaw::CurveFitSummary fit;
  fit.status = scalelaw::AnalysisStatus::kUsable;
  fit.message = "converged";
  fit.form = scalelaw::CurveLawForm::kMultiPower;
  fit.parameter_names = scalelaw::CurveLawParameterNames(fit.form);
  fit.parameters = scalelaw::PublishedCurveLawByName("multi-power-25m").law.parameters;
  fit.range = {24000, 3e-4, 3e-4};
  return fit;
}

bool Mentions(const std::vector<std::string>& lines, const std::string& text) {
  for (const std::string& line : lines) {
    if (line.find(text) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

TEST_CASE("A curve law designs the run's schedule at its steps, peak and warmup", "[plan][schedule]") {
  PredictionInputs in;
  in.Set(Input::kFlops, 1e20).Set(Input::kSeqLen, 2048);
  scalelaw::PlanOptions options;
  options.schedule_law = scalelaw::ScheduleLawOf(PaperFit(), "fit:paper");
  const scalelaw::TrainingPlan plan = scalelaw::PlanTraining(in, "epoch", options);
  CheckConsistent(plan, in);
  const scalelaw::TrainingConfiguration& run = *plan.configuration;
  REQUIRE(run.designed_schedule);
  CHECK(run.schedule_law == "fit:paper");
  // The same design asked of DesignSchedule directly: the run's steps and peak, the LR law's 2000-step warmup.
  scalelaw::ScheduleDesignOptions asked;
  asked.steps = static_cast<long>(run.steps);
  asked.peak = run.peak_lr;
  asked.warmup = scalelaw::ParseLrSchedule(run.schedule).warmup;
  CHECK(asked.warmup == 2000);
  const scalelaw::ScheduleDesignSummary direct =
      scalelaw::DesignSchedule(scalelaw::PublishedCurveLawByName("multi-power-25m").law, asked);
  const scalelaw::ScheduleDesignSummary& designed = *run.designed_schedule;
  REQUIRE(designed.lr.size() == static_cast<std::size_t>(run.steps));
  CHECK(designed.lr == direct.lr);
  CHECK(designed.final_loss == direct.final_loss);
  CHECK(designed.final_loss <= designed.cosine.final_loss);
  CHECK(designed.final_loss <= designed.wsd.final_loss);
  CHECK(designed.min_lr == Approx(run.peak_lr / 10).epsilon(1e-15));
  // The law's loss of the designed per-step LR, recomputed.
  const long last = static_cast<long>(designed.lr.size()) - 1;
  CHECK(scalelaw::CurveLoss(scalelaw::PublishedCurveLawByName("multi-power-25m").law, designed.lr, {last}).front() ==
        Approx(designed.final_loss).epsilon(1e-9));
  // What the law cannot vouch for is said: one size, a longer run, another peak.
  CHECK(Mentions(plan.warnings, "was fitted at one model size"));
  CHECK(Mentions(plan.warnings, "beyond the 24000 of the longest curve"));
  CHECK(Mentions(plan.warnings, "is outside the fitted curves' peaks"));
  CHECK(Mentions(plan.notes, "schedule designed against 'fit:paper'"));
}

TEST_CASE("A curve law across sizes designs at the shape's N, other forms and unusable fits are refused",
          "[plan][schedule]") {
  PredictionInputs in;
  in.Set(Input::kFlops, 1e20).Set(Input::kSeqLen, 2048);
  scalelaw::CurveSizeFitSummary sizes;
  sizes.status = scalelaw::AnalysisStatus::kUsable;
  sizes.form = scalelaw::CurveLawForm::kMultiPower;
  sizes.law.form = sizes.form;
  sizes.law.parameters = scalelaw::PublishedCurveLawByName("multi-power-25m").law.parameters;
  sizes.law.exponents = {-0.05, -0.1, 0, 0, 0, 0, 0};  // L0 and A power laws in N
  sizes.law.scaled = {true, true, false, false, false, false, false};
  sizes.law.reference_params = 1e8;
  sizes.sizes = {2.5e7, 1e8, 4e8};
  sizes.range = {72000, 3e-4, 3e-4};
  scalelaw::PlanOptions options;
  options.schedule_law = scalelaw::ScheduleLawOf(sizes, "fit:sizes");
  const scalelaw::TrainingPlan plan = scalelaw::PlanTraining(in, "epoch", options);
  REQUIRE(plan.configuration);
  const scalelaw::TrainingConfiguration& run = *plan.configuration;
  REQUIRE(run.designed_schedule);
  const double params = static_cast<double>(run.model.params.total);
  scalelaw::ScheduleDesignOptions asked;
  asked.steps = static_cast<long>(run.steps);
  asked.peak = run.peak_lr;
  asked.warmup = 2000;
  CHECK(run.designed_schedule->final_loss == scalelaw::DesignSchedule(sizes.law.At(params), asked).final_loss);
  CHECK_FALSE(Mentions(plan.warnings, "one model size"));
  CHECK(Mentions(plan.warnings, "outside the sizes"));  // ~1.2e9 parameters, beyond the fitted 4e8

  scalelaw::CurveFitSummary annealing = PaperFit();
  annealing.form = scalelaw::CurveLawForm::kAnnealing;
  CHECK_THROWS_WITH(scalelaw::ScheduleLawOf(annealing, "fit:a.json"),
                    Catch::Matchers::StartsWith("fit:a.json: a annealing curve law"));

  scalelaw::CurveFitSummary unusable = PaperFit();
  unusable.status = scalelaw::AnalysisStatus::kNotIdentifiable;
  unusable.message = "the LR never decays";
  unusable.parameters.clear();
  options.schedule_law = scalelaw::ScheduleLawOf(unusable, "fit:flat");
  const scalelaw::TrainingPlan kept = scalelaw::PlanTraining(in, "epoch", options);
  REQUIRE(kept.configuration);
  CHECK_FALSE(kept.configuration->designed_schedule);
  CHECK(Mentions(kept.warnings, "'fit:flat' is not usable (the LR never decays)"));
  CHECK_FALSE(kept.configuration->schedule.empty());  // the LR law's schedule stands
}

TEST_CASE("The vocabulary from the law is a fixed point of the shape search", "[plan][vocab]") {
  PredictionInputs in;
  in.Set(Input::kFlops, 1e21).Set(Input::kSeqLen, 2048);
  scalelaw::PlanOptions options;
  options.vocab_from_law = true;
  const scalelaw::TrainingPlan plan = scalelaw::PlanTraining(in, "epoch", options);
  CheckConsistent(plan, in);
  const scalelaw::TrainingConfiguration& run = *plan.configuration;
  // Tao et al.'s vocabulary at the final shape's non-vocabulary N, rounded up to a multiple of 128, is the shape's.
  PredictionInputs at = scalelaw::WithModel(run.model.shape);
  at.Set(Input::kTokens, run.tokens).Set(Input::kFlops, 1e21);
  const double vocab = std::floor(
      scalelaw::Predict(scalelaw::PublishedLaw("tao"), scalelaw::Quantity::kVocabularySize, at).Value("vocab_size"));
  CHECK(run.model.shape.vocab == static_cast<std::int64_t>(std::ceil(vocab / 128) * 128));
  CHECK(run.model.shape.vocab != 32000);
  CHECK(Item(plan, "vocab_size").value == vocab);
  CHECK(Mentions(plan.notes, "rounded up to a multiple of 128"));
}

TEST_CASE("A shape far from the law's N is warned about", "[plan]") {
  PredictionInputs in;
  in.Set(Input::kFlops, 1e18).Set(Input::kSeqLen, 2048);
  scalelaw::PlanOptions options;
  options.shape.vocab = 1000000;  // a million-entry embedding alone is 1.3e8 parameters, past the law's 8e7
  const scalelaw::TrainingPlan plan = scalelaw::PlanTraining(in, "epoch", options);
  REQUIRE(plan.configuration);
  const double off = static_cast<double>(plan.configuration->model.params.total) / plan.configuration->target - 1;
  CHECK(off > 0.10);
  CHECK(Mentions(plan.warnings, "the shape constraints cannot build that N"));
  // The default vocabulary builds it within a few percent, without the warning.
  const scalelaw::TrainingPlan usual = scalelaw::PlanTraining(in, "epoch");
  CHECK_FALSE(Mentions(usual.warnings, "cannot build that N"));
}

TEST_CASE("A user's results are sorted by what they answer, one law of N and D and one curve law at most", "[plan]") {
  scalelaw::PlanFits fits;
  scalelaw::Law epoch = scalelaw::PublishedLaw("epoch", scalelaw::Quantity::kAllocation);
  epoch.name = "fit:a.json";
  fits.Add(epoch);
  scalelaw::Law step = scalelaw::PublishedLaw("step", scalelaw::Quantity::kLearningRate);
  step.name = "fit:sweep.json";
  fits.Add(step);
  fits.Add(scalelaw::ScheduleLawOf(PaperFit(), "fit:curves.json"));
  REQUIRE(fits.allocation);
  CHECK(fits.allocation->name == "fit:a.json");
  REQUIRE(fits.fitted.size() == 1);
  CHECK(fits.fitted.front().name == "fit:sweep.json");
  REQUIRE(fits.schedule_law);
  CHECK(fits.schedule_law->name == "fit:curves.json");
  epoch.name = "fit:b.json";
  CHECK_THROWS_WITH(fits.Add(epoch), "fit:b.json: a second law for N and D (the first is fit:a.json)");
  CHECK_THROWS_WITH(fits.Add(scalelaw::ScheduleLawOf(PaperFit(), "fit:more.json")),
                    "fit:more.json: a second curve law for the schedule (the first is fit:curves.json)");
}
