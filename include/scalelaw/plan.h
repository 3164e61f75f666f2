// A training recipe for a budget composed from the published laws (what `scalelaw plan` prints): N and D from a
// loss law (compute-optimal, inference-aware or data-constrained), a real shape near that N with D recomputed
// under the law's FLOP convention, then LR, batch, weight decay and vocabulary from the hyperparameter laws at
// that shape, the expected loss, and the run a trainer launches (steps, batch in sequences, LR schedule). Each
// value names its law; where several laws answer, all their answers are kept so the spread is visible.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scalelaw/curves/curve_fit.h"
#include "scalelaw/curves/curve_size_fit.h"
#include "scalelaw/curves/schedule_design.h"
#include "scalelaw/model/shape_search.h"
#include "scalelaw/predict.h"

namespace scalelaw {

struct PlanItem {
  std::string key;    // "params", "tokens", "epochs", "lr", "batch_tokens", "batch_sequences", ...
  std::string label;  // for a person: "peak learning rate"
  double value = 0;   // the primary law's answer
  std::string law;    // the primary law's registry name
  std::vector<std::pair<std::string, double>> alternatives;  // every law that answered, the primary included
};

// What a trainer launches: the planned N made a real transformer, and the run's length, batch and learning-rate
// schedule. A law's N is an idealised count (of its own definition) and its D assumes its own FLOP convention;
// here the shape nearest that N (SearchShapes: the law's definition, or DeepSeek's M, as the target) is counted
// under the allocation law's convention (LawInfo::flop_convention), D is recomputed so that F D spends the budget
// C, and the hyperparameter laws are evaluated at the shape, each reading its own N (WithModel).
struct TrainingConfiguration {
  ShapeCount model;             // the shape with its exact counts and FLOPs per token under every convention
  std::string matched_on;       // what the shape was chosen by: "total parameters", "FLOPs per token (deepseek)"
  double target = 0;            // the law's N (or M), which the shape is nearest to
  std::string flop_convention;  // the allocation law's convention (FlopConventions())
  double flops_per_token = 0;   // F: the shape under it
  double tokens = 0;            // C / F
  double seq_len = 0;
  double batch_sequences = 0;  // the batch law's tokens in whole sequences (at least one)
  double batch_tokens = 0;     // batch_sequences x seq_len
  double steps = 0;            // ceil(tokens / batch_tokens)
  double peak_lr = 0;
  std::string lr_law;
  // The LR law's schedule at this run's steps (LawInfo::schedule; a spec `scalelaw curve` reads), or empty when
  // the law states none (a fit-hparams sweep: the schedule of the user's own runs).
  std::string schedule;
  // With a schedule law (PlanOptions::schedule_law): the schedule designed against it at this run's steps and peak
  // LR (DesignSchedule, Luo et al. 2025, arXiv:2503.12811, Sec. 5), which the plan then favours over `schedule`;
  // its per-step LR is DesignedScheduleCsv(*designed_schedule). Empty without one, or when the design is not usable
  // (a warning says why).
  std::optional<ScheduleDesignSummary> designed_schedule;
  std::string schedule_law;  // the schedule law's name ("fit:curves.json")
};

// A fitted Multi-Power Law (Luo et al. 2025, arXiv:2503.12811, Eq. 5-7) that a plan designs its run's LR schedule
// against: a `curve fit` of one model size, or a fit across sizes whose constants are power laws in N (evaluated
// at the planned shape's total parameters).
struct PlanScheduleLaw {
  std::string name;             // how the plan names it ("fit:curves.json")
  CurveSizeLaw law;             // one size: no parameter scaled
  CurveDataRange range;         // the steps and peak LRs of the fitted curves
  std::vector<double> sizes;    // the fitted runs' distinct N, increasing (a fit across sizes); empty: one size
  std::string unusable_reason;  // the fit's message when it is not usable (the plan then designs nothing)
};
// The law of a multi-power fit (of a fit that is not usable: its reason, no law); InvalidArgument naming `name`
// for another form.
PlanScheduleLaw ScheduleLawOf(const CurveFitSummary& fit, const std::string& name);
PlanScheduleLaw ScheduleLawOf(const CurveSizeFitSummary& fit, const std::string& name);
// The schedule law in a `scalelaw curve fit --output` file, or nullopt when the JSON is another kind of result
// (a fit, isoflop or fit-hparams one). Throws InputError naming the file for JSON that cannot be read.
std::optional<PlanScheduleLaw> ScheduleLawFromJson(std::string_view text, const std::string& source_name,
                                                   const std::string& name);

struct TrainingPlan {
  double flops = 0;
  Prediction allocation;
  std::vector<PlanItem> items;
  // Empty when no shape satisfies the constraints near the law's N (a warning says why); the items are then the
  // hyperparameter laws at the law's N itself.
  std::optional<TrainingConfiguration> configuration;
  std::vector<std::string> notes;
  std::vector<std::string> warnings;
};

// The flops input is required; inference_tokens, unique_tokens and seq_len are used when given. allocation_law
// sets N and D: any law that answers the allocation (a published family or a fit); the hyperparameter laws are
// the registry's published ones. PlanTraining(inputs, family) uses the published family ("epoch", ...), and the
// data-constrained law ("datablations") when unique tokens are given.
// Laws of the user's own (a fit-hparams sweep) that answer the learning rate, batch size, weight decay or
// vocabulary go first in fitted_laws: each becomes the primary answer of what it answers, with the published
// laws as the alternatives.
// The shape search's constraints for a plan: the search's defaults (SwiGLU, head widths 64 and 128, d_model a
// multiple of 128, vocabulary 32000, untied) with the aspect ratio d_model / n_layer in 96..160 around the 128 of
// Llama-2-7B and GPT-3 175B. Kaplan et al. 2020 (arXiv:2001.08361, Figure 5) find the loss flat from about 20 to
// 200, but there the nearest count wins, and a plan should hand out a usual shape, not a 165-layer one.
ShapeSearchOptions PlanShapeOptions();

// A user's own results sorted for a plan, as every face hands them over: the one law that answers the allocation
// sets N and D (PlanTraining's allocation_law), the laws that answer other quantities (a fit-hparams sweep's LR
// and batch: fitted_laws), and a multi-power curve law the schedule is designed against (PlanOptions).
struct PlanFits {
  std::optional<Law> allocation;
  std::vector<Law> fitted;
  std::optional<PlanScheduleLaw> schedule_law;

  // Files law under what it answers; InvalidArgument naming it for a second law of N and D.
  void Add(Law law);
  // InvalidArgument naming it for a second curve law.
  void Add(PlanScheduleLaw law);
};

struct PlanOptions {
  // The constraints of the shape search (its target, top and seq_len are set by the plan: l_seq is the inputs'
  // seq_len).
  ShapeSearchOptions shape = PlanShapeOptions();
  // Give the shape the vocabulary the vocabulary law predicts (Tao et al. 2024, arXiv:2407.13623) at the shape's
  // non-vocabulary N, rounded up to a multiple of vocab_multiple, instead of shape.vocab: the shape is searched
  // again with it until the rounded vocabulary stops changing (a larger vocabulary moves parameters out of the
  // body, whose N the law reads; at most 5 searches).
  bool vocab_from_law = false;
  int vocab_multiple = 128;
  // The run's LR schedule designed against a fitted loss-curve law (TrainingConfiguration::designed_schedule).
  std::optional<PlanScheduleLaw> schedule_law;
};

TrainingPlan PlanTraining(const PredictionInputs& inputs, const Law& allocation_law,
                          const std::vector<Law>& fitted_laws = {}, const PlanOptions& options = {});
TrainingPlan PlanTraining(const PredictionInputs& inputs, std::string_view family, const PlanOptions& options = {});

}  // namespace scalelaw
