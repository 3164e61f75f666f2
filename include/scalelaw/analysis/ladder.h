// From a ladder of small models to a large model's benchmark accuracy, in two chained steps (Bhagia et al. 2024,
// "Establishing Task Scaling Laws via Compute-Efficient Model Ladders", arXiv:2412.04403, Sec. 3):
//
//   step 1, task loss from size and data (their Eq. 2, a Chinchilla form):
//       L(N, D) = A / N^alpha + B / D^beta + E,   A = e^a, B = e^b,
//     fitted on one point per ladder run (the mean task loss of its last rows) by minimising
//       sum_i Huber_delta(ln L_hat_i - ln L_i),   a, b, alpha, beta, E >= 0, one start;
//   step 2, accuracy from task loss (their Eq. 3, a sigmoid between a chance floor and 1):
//       Acc(L) = a / (1 + exp(-k (L - L0))) + b,   a in [-1, 0], L0 >= 0, k >= 0, b in [0, 1],
//     fitted by least squares on every checkpoint of every run (the first skip_fraction of each run's rows
//     dropped, then a trailing moving average) plus the ideal point (L = 0, Acc = 1);
//   chained: Acc(L(N_target, D_target)).
//
// The task loss is the task's bits per byte on the correct continuation (the paper's "task loss"). The fits run
// from the paper's single start inside its bounds (the procedure of its released scripts, src/scripts/step1.py,
// step2.py, predict.py of github.com/allenai/OLMo-ladder), so their answers are the paper's.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/analysis/summary.h"
#include "scalelaw/predict.h"

namespace scalelaw {

// One run's evaluated checkpoints, in training order.
struct LadderRun {
  std::string name;               // "190M-1xC"
  double params = 0;              // N
  std::vector<double> tokens;     // D at each checkpoint
  std::vector<double> task_loss;  // the task loss (bits per byte) at each checkpoint
  std::vector<double> accuracy;   // the task accuracy at each checkpoint
};

// A task's ladder and the run whose accuracy is predicted.
struct LadderTask {
  std::string name;
  double chance = 0;  // the accuracy of guessing (a four-way choice: 0.25); the step-2 start is a = chance - 1
  std::vector<LadderRun> runs;
  LadderRun target;  // its N and its last checkpoint's D are the prediction's input; its rows, when any, the actual
};

struct LadderOptions {
  // Step 1: a run's point is the mean task loss of its last final_rows checkpoints, at the last one's D.
  int final_rows = 5;
  double huber_delta = 1e-3;  // on log residuals, as Hoffmann et al. 2022 (arXiv:2203.15556, Eq. 11)
  // The step-1 start (a, b, alpha, beta, E); all five are bounded below by 0.
  std::vector<double> step1_start = {3.0, 6.0, 0.1, 0.2, 1.0};
  // Step 2: drop the first ceil(skip_fraction × rows) checkpoints of each ladder run (not the target's), then
  // replace loss and accuracy by their trailing moving average over moving_average checkpoints.
  double skip_fraction = 0.1;
  int moving_average = 5;
  bool ideal_point = true;
  // A task whose smoothed ladder accuracy never rises more than this above chance has no sigmoid to fit: the
  // summary is not usable.
  double min_accuracy_above_chance = 0.02;  // add (L = 0, Acc = 1): a perfect model answers every question
  // The step-2 start (a, L0, k, b) = (chance - 1, 0.9, 3, 1) as the paper's step2.py; its predict.py (the
  // chained numbers) starts a at -1 (chained_start_at_minus_one).
  double step2_start_l0 = 0.9;
  double step2_start_k = 3.0;
  double step2_start_b = 1.0;
  bool chained_start_at_minus_one = true;

  // A target whose compute 6 N D is more than this multiple of the ladder's largest run's is not predicted: the
  // summary is not usable, with the ratio (0: no limit). scalelaw's guard, not the paper's: its 13B-5T target is
  // 200x the 1B-10xC run; the default allows five times that, where the paper has no evidence either way.
  double max_compute_extrapolation = 1000;

  // Intervals: a joint bootstrap over runs and checkpoints through both steps. Each resample draws the ladder's
  // runs with replacement (a run drawn twice counts twice in step 1) and, within every drawn run, its smoothed
  // step-2 checkpoints with replacement; both steps are refitted from the full-data optimum and the chain
  // re-evaluated.
  // 0 switches it off. The same seed gives the same intervals for any num_threads.
  int bootstrap_resamples = 0;
  std::uint64_t bootstrap_seed = 42;
  int num_threads = 0;          // 0: every hardware thread
  double interval_level = 0.9;  // the central percentile interval of the chained prediction

  // Beside the paper's single-start fits, scalelaw's default multi-start answer to the same two objectives:
  // step 1 through Fit (the Chinchilla model, Huber on log residuals with huber_delta, variable-projection and
  // grid starts; E = e^e > 0, so a bound at E = 0 is approached, not reached), step 2 by least squares from every
  // start of a grid over the box (a in {-0.8, -0.4}, L0 in {0.5, 1, 1.5}, k in {1, 4, 16}, b in {0.7, 0.99}),
  // 50 iterations each, the lowest sum of squares solved to convergence.
  bool multistart = false;
  // The one-step alternative: accuracy straight from compute, Acc(C) = a / (1 + exp(-k (ln C - c0))) + b with
  // C = 6 N D, fitted on the same smoothed checkpoints (each at its own D), the same bounds on a and b and the
  // ideal point left out (it has no compute); reported beside the chain.
  bool one_step = true;

  // The solver of every fit above (step 1, step 2, the one-step sigmoid and the bootstrap's refits): kDense, a
  // small dense bounded Levenberg-Marquardt that accumulates the normal equations in one pass over the points
  // (and refits a resample through counts per run and checkpoint instead of copies); kCeres, Ceres' trust region
  // on the same objectives, the same box and the same stopping rules, kept as the reference the dense solver is
  // tested against (both reach the same optima on the OLMo ladder's 8 tasks).
  enum class Solver { kDense, kCeres };
  Solver solver = Solver::kDense;

  // True when the options can be used; otherwise false with the reason in *error.
  bool IsValid(std::string* error) const;
};

// Acc(L) = a / (1 + exp(-k (L - L0))) + b.
struct AccuracySigmoid {
  double a = std::numeric_limits<double>::quiet_NaN();
  double l0 = std::numeric_limits<double>::quiet_NaN();
  double k = std::numeric_limits<double>::quiet_NaN();
  double b = std::numeric_limits<double>::quiet_NaN();
  double operator()(double task_loss) const;
};

// L(N, D) = e^a / N^alpha + e^b / D^beta + E.
struct TaskLossLaw {
  double a = std::numeric_limits<double>::quiet_NaN();
  double b = std::numeric_limits<double>::quiet_NaN();
  double alpha = std::numeric_limits<double>::quiet_NaN();
  double beta = std::numeric_limits<double>::quiet_NaN();
  double e = std::numeric_limits<double>::quiet_NaN();
  double operator()(double params, double tokens) const;
};

// One task's two steps and their chain.
struct LadderSummary {
  AnalysisStatus status = AnalysisStatus::kNotIdentifiable;
  std::string message;
  std::string task;

  TaskLossLaw step1;
  double step1_fit_error = std::numeric_limits<double>::quiet_NaN();  // mean |L_hat - L| / L over the ladder points
  int step1_points = 0;
  // The points step 1 was fitted on, one per ladder run in run order: its N, its last checkpoint's D and the mean
  // task loss of its last final_rows checkpoints (what charts of step 1 show).
  std::vector<double> step1_params, step1_tokens, step1_task_loss;
  AccuracySigmoid step2;          // fitted from the step-2 start (chance - 1, ...)
  AccuracySigmoid step2_chained;  // fitted from the chained start (a = -1 with chained_start_at_minus_one)
  int step2_points = 0;
  // The smoothed checkpoints step 2 was fitted on, every ladder run's in run order, each with its run's N (the
  // ideal point, when used, is not among them).
  std::vector<double> step2_params, step2_task_loss, step2_accuracy;

  double target_params = std::numeric_limits<double>::quiet_NaN();
  double target_tokens = std::numeric_limits<double>::quiet_NaN();
  // Actuals of the target: the mean task loss of its last final_rows rows; the last smoothed loss and accuracy.
  double actual_task_loss = std::numeric_limits<double>::quiet_NaN();
  double actual_smoothed_loss = std::numeric_limits<double>::quiet_NaN();
  double actual_accuracy = std::numeric_limits<double>::quiet_NaN();
  double step1_prediction = std::numeric_limits<double>::quiet_NaN();    // L(N_target, D_target)
  double step2_prediction = std::numeric_limits<double>::quiet_NaN();    // Acc(actual smoothed loss)
  double chained_prediction = std::numeric_limits<double>::quiet_NaN();  // Acc(L(N_target, D_target))

  // The bootstrap (LadderOptions::bootstrap_resamples): the chained prediction of every resample that refitted
  // (NaN for one that did not: fewer than 3 distinct sizes drawn, or a fit that failed), in resample order, and
  // the central interval_level percentile interval over the finite ones (numpy.percentile's interpolation).
  std::vector<double> bootstrap_chained;
  int bootstrap_failed = 0;
  double interval_level = std::numeric_limits<double>::quiet_NaN();
  double chained_lower = std::numeric_limits<double>::quiet_NaN();
  double chained_upper = std::numeric_limits<double>::quiet_NaN();

  // The paper's objectives at its answer: sum_i Huber_delta(ln L_hat_i - ln L_i) over the step-1 points and
  // sum_i (Acc_hat_i - Acc_i)^2 over the step-2 points (the chained fit's).
  double step1_objective = std::numeric_limits<double>::quiet_NaN();
  double step2_objective = std::numeric_limits<double>::quiet_NaN();

  // scalelaw's default multi-start answer (LadderOptions::multistart), the same quantities from its fits.
  struct MultiStart {
    bool usable = false;
    std::string message;
    TaskLossLaw step1;
    AccuracySigmoid step2;
    double step1_objective = std::numeric_limits<double>::quiet_NaN();
    double step2_objective = std::numeric_limits<double>::quiet_NaN();
    double step1_prediction = std::numeric_limits<double>::quiet_NaN();
    double step2_prediction = std::numeric_limits<double>::quiet_NaN();
    double chained_prediction = std::numeric_limits<double>::quiet_NaN();
  } multistart;

  // The one-step alternative (LadderOptions::one_step): Acc(C) = a / (1 + exp(-k (ln C - c0))) + b.
  struct OneStep {
    bool usable = false;
    std::string message;
    AccuracySigmoid law;                                           // l0 holds c0, on ln C
    double prediction = std::numeric_limits<double>::quiet_NaN();  // at C = 6 N_target D_target
  } one_step;

  // The target beyond the ladder: its N or D above the largest of the ladder's runs, by how much (the chain
  // extrapolates; the paper's 13B-5T target is 10x the largest ladder model in N, 200x in compute).
  std::vector<std::string> warnings;

  bool IsUsable() const { return status == AnalysisStatus::kUsable; }
  std::string BriefReport() const;
  std::string FullReport() const;
};

// Fits both steps of one task and predicts its target. Throws InvalidArgument for invalid options; a ladder that
// cannot answer (fewer than 3 sizes, an accuracy that never leaves chance, a fit that does not converge) gives a
// summary that is not usable, with the reason.
LadderSummary FitLadder(const LadderTask& task, const LadderOptions& options = {});

// A published downstream law of the registry (Quantity::kDownstream; "performance-law": MMLU %, 5-shot, Wu & Tang
// 2024, arXiv:2408.09895) at the ladder's target, beside the fitted chain: the target's N and D are the law's
// params and tokens (replacing any in inputs), inputs the rest it reads (the Performance Law: the target's
// layers, d_model and FFN width). The law answers in its own metric, which is not the ladder task's accuracy
// (OLMo's ranked-classification format); the prediction's notes say so. Throws as Predict does (a missing input
// is a NotApplicable naming it).
Prediction PredictLadderTarget(std::string_view family, const LadderSummary& summary, PredictionInputs inputs);

// ---- The OLMo ladder's tasks and files (github.com/allenai/OLMo-ladder, src/scaling/task_utils.py "v2_main") ----

// A task's columns: the loss and accuracy are the weighted means of the parts' columns, per row.
struct LadderTaskColumns {
  struct Part {
    double weight = 1;
    std::string loss_column;
    std::string accuracy_column;
  };
  std::string name;
  double chance = 0;
  std::vector<Part> parts;
};

// The paper's 8 main tasks (MMLU averaged over its four categories), in the paper's order.
const std::vector<LadderTaskColumns>& OlmoLadderTasks();

// One W&B history export (one row per checkpoint): D from "throughput/total_tokens" when the file has it, else
// "_step" × "batch_size_in_tokens". Throws InputError naming file, line and column for a missing or bad cell.
LadderRun ReadLadderRun(const std::string& path, const std::string& name, double params, const LadderTaskColumns& task);

// A ladder run's history file and its N; target marks the run whose accuracy is predicted.
struct LadderRunFile {
  std::string path;
  double params = 0;
  bool target = false;
};

// The entries of the OLMo ladder's final.json (each with "mode" ("train": a ladder run; otherwise the target),
// "n" and "paths"), each path found beside the file, in its ladder-runs/ folder or at the relative path.
// Throws InvalidArgument naming the file and entry when it cannot be read.
std::vector<LadderRunFile> ReadOlmoLadderConfig(const std::string& path);

// FitLadder for each named OLMo task (OlmoLadderTasks(); empty: all 8) over the files: the ladder runs, and the
// target file or, when target_params and target_tokens are given (> 0), a target of that N and D without actuals
// (a target file is then ignored). Throws InvalidArgument for an unknown task or no target, InputError for a bad
// cell.
std::vector<LadderSummary> FitLadderFiles(const std::vector<LadderRunFile>& files,
                                          const std::vector<std::string>& task_names, const LadderOptions& options,
                                          double target_params = 0, double target_tokens = 0);

}  // namespace scalelaw
