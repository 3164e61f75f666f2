// Sweeps ready to launch (issue 16): the training runs of an isoFLOP grid or an N x D grid, each a real transformer
// shape with its tokens, optimizer steps, batch and peak learning rate, as a table a trainer reads and the fit
// commands read back once the loss column is filled in.
//
// The grids. An isoFLOP grid (Hoffmann et al. 2022, arXiv:2203.15556, Sec. 3.2, "Approach 2") trains, at each
// budget C, K model sizes on the tokens the budget buys: D = C / M with M the shape's training FLOPs per token
// under a named convention of FlopConventions() (default 6N of the total parameters, Chinchilla's C = 6ND). The K
// target sizes are spread evenly in log N over [min_params, max_params], or over [N_opt(C) / spread,
// N_opt(C) spread] around the compute-optimal size of an allocation law (a published family or a fit), or given
// one by one. An N x D grid (Chinchilla's Approach 3 data: every size at every token count) trains every size on
// every D.
//
// The shapes. Every target N becomes the nearest shape SearchShapes finds under the caller's constraints, and the
// row carries that shape's own counts (CountParameters), not the target: a trainer builds the shape, and the fit
// must see what was trained. Two targets of one budget whose nearest shape is the same take the next nearest
// distinct shape, so a budget's runs have distinct sizes (an isoFLOP parabola needs at least 3).
//
// Tokens, steps and batch. D is rounded to a whole token, so tokens x flops_per_token equals the budget to within
// one token's FLOPs. The batch is the batch law's B_opt(D) in tokens, rounded to whole sequences of the shape's
// seq_len (at least one); steps = ceil(D / batch_tokens). D is not adjusted to a whole number of steps: the trainer
// stops after D tokens (the last step may be partial), so the row's tokens, params and flops are what the fit and
// the isoFLOP analysis read. The peak learning rate is the learning-rate law's prediction at the row's N and D
// (SweepLawInputs says which N each law reads).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/model/count.h"
#include "scalelaw/model/shape_search.h"
#include "scalelaw/predict.h"

namespace scalelaw {

struct SweepPlanOptions {
  // The grid: budgets C (FLOPs) for an isoFLOP grid, or token counts D for an N x D grid; exactly one of the two.
  std::vector<double> budgets;
  std::vector<double> tokens;

  // The target sizes (parameter counts of shapes.definition, total by default); exactly one way:
  //   sizes: these N (at every budget, or every D);
  //   min_params..max_params: per_budget sizes evenly spaced in log N, both ends included;
  //   allocation_law (isoFLOP only): per_budget sizes evenly spaced in log N over [N_opt / spread, N_opt spread],
  //   N_opt = the law's compute-optimal params at the budget (its N taken as shapes.definition).
  std::vector<double> sizes;
  double min_params = 0;
  double max_params = 0;
  std::optional<Law> allocation_law;
  double spread = 4;
  int per_budget = 5;  // K; at least 1 (3 for an isoFLOP parabola)
  // A target whose nearest distinct shape is farther than this, |N_shape / N_target - 1|, has no shape: the
  // constraints cannot build that size (the plan is kNoShape, naming it).
  double max_relative_distance = 0.5;

  // FLOPs per token of a shape (FlopConventions()): D = C / M on an isoFLOP grid, and flops = D M in every row.
  std::string convention = "6n";
  // Published families (scalelaw laws): the peak learning rate and the batch size of every run.
  std::string lr_law = "step";
  std::string batch_law = "step";
  // > 0: every run's batch in tokens (rounded to whole sequences) instead of batch_law's.
  double batch_tokens = 0;
  // The learning-rate schedule of every row. Empty: the LR law's own (LawInfo::schedule), the one its peak LR was
  // found under, as a spec at each run's peak and steps (the step law's: warmup then cosine decay to a fixed
  // minimum, Li et al. 2025, arXiv:2503.04715); empty in the rows when the law states none. Otherwise this text,
  // written as given (a name the trainer knows, or a spec of scalelaw/curves/schedule.h).
  std::string schedule;
  // Prefix of each run's id ("run-001").
  std::string run_prefix = "run";

  // The shape constraints (head widths, group sizes, ffn kind, d_model multiple, layer and aspect-ratio ranges,
  // vocab, tied, norm, seq_len) and the definition of a target N; the target and top are set per size.
  ShapeSearchOptions shapes;

  // Empty when the options can be planned; else the first problem, one line starting with the option's field name.
  std::string Problem() const;
  bool IsValid() const { return Problem().empty(); }
};

// One training run to launch.
struct PlannedRun {
  std::string run_id;
  double budget = 0;         // the isoFLOP budget C this run belongs to; 0 on an N x D grid
  double target_params = 0;  // the target N (of the options' definition) the shape was searched for
  ShapeCount count;          // the shape and its counts (shape, params, ffn_width)
  std::string convention;    // the FLOP convention of flops_per_token
  double flops_per_token = 0;
  double tokens = 0;  // D, a whole number
  double flops = 0;   // tokens x flops_per_token
  std::int64_t batch_sequences = 0;
  std::int64_t batch_tokens = 0;  // batch_sequences x seq_len
  std::int64_t steps = 0;         // ceil(tokens / batch_tokens)
  double lr = 0;                  // peak learning rate
  std::string lr_law;             // the registry names of the laws that answered ("step-lr")
  std::string batch_law;          // "" when the batch was given
  std::string schedule;           // the LR law's schedule spec at lr and steps, or the options' text
};

enum class SweepPlanStatus {
  kUsable,   // every target has a shape
  kNoShape,  // the constraints admit no shape near the sizes (message says which target)
};
std::string_view Name(SweepPlanStatus status);  // "usable", "no shape"

struct SweepPlan {
  SweepPlanStatus status = SweepPlanStatus::kNoShape;
  std::string message;
  bool isoflop = true;  // an isoFLOP grid, else an N x D grid
  std::vector<PlannedRun> runs;
  std::vector<std::string> notes;     // what was assumed: conventions, laws, how the sizes were chosen
  std::vector<std::string> warnings;  // targets moved to a distant shape, predictions outside a law's range

  bool IsUsable() const { return status == SweepPlanStatus::kUsable; }
  std::string BriefReport() const;
  // The runs as a table, then the notes (the warnings are not in it: the CLI prints them on stderr).
  std::string FullReport() const;
  // The runs as CSV (RFC 4180), SweepCsvColumns() in order, the loss column empty for the trainer to fill in.
  std::string ToCsv() const;
};

// The CSV's columns. params, tokens and loss are what `scalelaw fit` reads by default; `scalelaw isoflop` reads
// params, tokens and loss (C = 6ND) or, under another FLOP convention, --budget-col budget.
const std::vector<std::string>& SweepCsvColumns();

// The inputs a learning-rate or batch law is evaluated at for one run: N, D, and the shape (n_layer, d_model,
// seq_len; DeepSeek's M = 72 n_layer d^2 + 12 n_layer d l_seq reads them). N is the non-vocabulary count, the step
// law's N (Li et al. 2025: "n_layer (4 h^2 + 3 h ffn), embeddings and output head excluded"), for every law: one
// place to replace by each law's own N definition.
PredictionInputs SweepLawInputs(const PlannedRun& run);

// Throws InvalidArgument naming the option when the options are not valid (or a law cannot answer at a run);
// else fills the plan (status kNoShape when the constraints admit no shape) and returns IsUsable().
bool PlanSweep(const SweepPlanOptions& options, SweepPlan* plan);

}  // namespace scalelaw
