// The steps/examples trade-off around the critical batch size: McCandlish, Kaplan, Amodei et al. 2018,
// "An Empirical Model of Large-Batch Training", arXiv:1812.06162.
//
//   eps_opt(B) = eps_max / (1 + B_noise/B)        optimal SGD step size at batch B (Sec. 2, quadratic model)
//   (S/S_min - 1)(E/E_min - 1) = 1,  E = B S      steps and examples to reach a fixed loss (Sec. 2)
//   S = S_min (1 + B_crit/B),  E = E_min (1 + B/B_crit),  B_crit = E_min/S_min ≈ B_noise
//
// B_noise = tr(H Σ)/(G^T H G) (B_simple = tr(Σ)/|G|^2 when H ∝ I) is a property of the task and of the current
// point of training (it grows as the loss falls): there are no universal constants here. Pass a measured
// noise scale or a critical batch from a law such as CriticalBatchTokens(KaplanLaw, loss). Batch and critical
// batch must be in the same unit (tokens or sequences); the ratios are unit-free. [V2] (Kaplan et al. 2020
// Sec. 5.1 and the McCandlish paper.) The Adam variant eps_opt = eps_max / (0.5 (sqrt(B_noise/B) +
// sqrt(B/B_noise))) of later work on Adam is not shipped.
#pragma once

#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

// S/S_min = 1 + B_crit/B: training steps to reach a fixed loss at batch B, over the minimum (B → ∞)
// (McCandlish et al. 2018, arXiv:1812.06162, Sec. 2; Kaplan et al. 2020, arXiv:2001.08361, Sec. 5.1). 2 at B = B_crit.
inline double StepsOverMinimum(double batch, double critical_batch) {
  RequirePositive(batch, "B (batch size)");
  RequirePositive(critical_batch, "B_crit (critical batch size)");
  return 1 + critical_batch / batch;
}

// E/E_min = 1 + B/B_crit: training examples (or tokens) to reach a fixed loss at batch B, over the minimum
// (B → 0) (McCandlish et al. 2018, Sec. 2; Kaplan et al. 2020, Sec. 5.1). 2 at B = B_crit.
inline double ExamplesOverMinimum(double batch, double critical_batch) {
  RequirePositive(batch, "B (batch size)");
  RequirePositive(critical_batch, "B_crit (critical batch size)");
  return 1 + batch / critical_batch;
}

// eps_opt(B)/eps_max = 1/(1 + B_noise/B): the optimal SGD step size at batch B over its large-batch limit,
// which also bounds the best loss improvement per step, dL_opt(B)/dL_max (McCandlish et al. 2018, Sec. 2,
// derived for SGD on a locally quadratic loss; not for Adam).
inline double StepSizeOverMaximum(double batch, double noise_scale) {
  RequirePositive(batch, "B (batch size)");
  RequirePositive(noise_scale, "B_noise (gradient noise scale)");
  return 1 / (1 + noise_scale / batch);
}

// The registry record: the relations need a measured critical batch, so the record carries no constants.
inline const std::vector<LawInfo>& CriticalBatchLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    LawInfo info{"mccandlish",
                 "mccandlish",
                 Quantity::kBatchSize,
                 "S/S_min = 1 + B_crit/B, E/E_min = 1 + B/B_crit, eps/eps_max = 1/(1 + B_noise/B); B_crit ≈ B_noise",
                 {"McCandlish et al.", 2018, "An Empirical Model of Large-Batch Training", "1812.06162",
                  "Sec. 2; Kaplan et al. 2020, Sec. 5.1"},
                 "not an input: the relations use a measured critical batch or gradient noise scale",
                 "B and B_crit in the same unit (tokens or sequences); outputs are ratios; step size for SGD",
                 ValidityRange{},
                 "[V2] relations; no universal constants (B_noise is task-dependent and grows as the loss falls)",
                 {}};
    info.inputs = {Input::kBatchTokens};
    info.optional_inputs = {Input::kCriticalBatch, Input::kNoiseScale};
    info.outputs = {"steps_over_min", "examples_over_min", "step_size_over_max"};
    info.bind = [](const Constants&) -> Evaluator {
      return [](const PredictionInputs& in, Evaluation& e) {
        const double batch = in.Need(Input::kBatchTokens);
        if (!in.Has(Input::kCriticalBatch) && !in.Has(Input::kNoiseScale)) {
          throw NotApplicable("needs {0} or {1}", {Input::kCriticalBatch, Input::kNoiseScale});
        }
        // B_crit ≈ B_noise (McCandlish et al. 2018, Sec. 2): either stands for the other.
        const double critical = in.Has(Input::kCriticalBatch) ? in.Get(Input::kCriticalBatch) : in.Get(Input::kNoiseScale);
        const double noise = in.Has(Input::kNoiseScale) ? in.Get(Input::kNoiseScale) : critical;
        e.Set("steps_over_min", StepsOverMinimum(batch, critical));
        e.Set("examples_over_min", ExamplesOverMinimum(batch, critical));
        e.Set("step_size_over_max", StepSizeOverMaximum(batch, noise));
        if (!in.Has(Input::kCriticalBatch) || !in.Has(Input::kNoiseScale)) {
          e.Note("B_crit and B_noise taken equal (McCandlish et al. 2018, Sec. 2)");
        }
      };
    };
    // McCandlish et al. 2018 (arXiv:1812.06162), Sec. 2: a quarter of B_crit = B_noise = 1e6.
    info.example = {{{Input::kBatchTokens, 2.5e5}, {Input::kCriticalBatch, 1e6}},
                    {},
                    {{"steps_over_min", "5"}, {"examples_over_min", "1.25"}, {"step_size_over_max", "0.2"}},
                    "B = B_crit/4 with B_crit = B_noise = 1e6"};
    return std::vector<LawInfo>{std::move(info)};
  }();
  return infos;
}
}  // namespace scalelaw
