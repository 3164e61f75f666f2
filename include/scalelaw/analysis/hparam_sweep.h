// Hyperparameter laws from a learning-rate / batch-size grid sweep: the Step Law procedure of Li et al. 2025,
// "Predictable Scale: Part I — Optimal Hyperparameter Scaling Law in Large Language Model Pretraining"
// (arXiv 2503.04715, Sec. 3; authors' code step-law/steplaw, code/fit_tool.py, query_optimal_lr_bs_data and
// get_bootstrap_lr_bs_scaling_models).
//
// Input: one row per training run i with its parameter count N_i, training tokens D_i, peak learning rate
// eta_i, batch size b_i (tokens per optimizer step = b_i · seq_len) and final (smoothed) loss L_i.
//
// 1. Cells. Runs are grouped by their exact (N, D) pair. In each cell c, L*_c = min over the cell of L_i.
// 2. Near-optimal runs. Run i of cell c is kept when L_i / L*_c − 1 < tolerance (strict, as the repository's
//    `abs_relative_error < filter_threshold` with filter_threshold = 0.0025, i.e. within 0.25% of the best),
//    and the cell's best runs (ties included) are always kept, so tolerance = 0 keeps exactly the minimisers. Keeping a
//    band instead of the single argmin averages over the flat bottom of the loss landscape and the grid spacing.
// 3. Laws. Ordinary least squares over all kept runs pooled (every kept run weighs the same, so a cell with a
//    wide flat optimum weighs more):
//        ln eta          = ln c_lr + k_N · ln N + k_D · ln D     →  eta      = c_lr · N^k_N · D^k_D
//        ln (b·seq_len)  = ln c_B  +              k_B · ln D     →  B_tokens = c_B  · D^k_B
//    Step Law's published values (fitted on more runs than the authors released): eta = 1.79·N^−0.713·D^0.307,
//    B = 0.58·D^0.571 tokens (N non-embedding parameters; cosine schedule to a fixed min LR of 1e-5).
//    Beside the Step Law's batch law in D, the batch law in N and D, ln B = ln c + k'_N ln N + k'_D ln D, is
//    fitted the same way and reported (batch_tokens_nd), so a sweep shows whether its batch depends on N too.
//    When the kept runs' N spans less than kMinParamsSpan (a sweep at nearly one model size, e.g. the expert
//    configurations of one MoE total size), k_N is not identified however many runs there are: the LR law is
//    then fitted in D alone (k_N = 0, reported in a warning) and answers only for that N.
// Runs may carry a group label (HparamRuns::group, e.g. an MoE expert configuration): cells are then keyed by
// (group, N, D), so two configurations that share (N, D) keep their own optima instead of being pooled.
// 4. Bootstrap (optional, K resamples). The resampling unit is the kept run, pooled over cells, exactly as
//    the repository does (`query_data.sample(frac=1, replace=True)` on the kept rows): each resample draws
//    n_kept runs with replacement from the kept runs and refits step 3; the selection of step 2 is NOT
//    redone. It measures the regression's sampling error given the selection, not the error of the
//    selection itself, and it treats runs of the same cell as independent (they share a cell optimum, so the
//    intervals are, if anything, narrow). The paper publishes the MEAN of the bootstrap coefficients (mean of
//    ln c, then exp); we report the full-data OLS fit as the point estimate and the bootstrap mean beside it.
//    HparamResample::kCells is the cluster bootstrap instead: draw n_cells cells with replacement and refit on
//    all the kept runs of the cells drawn. It keeps the runs of a cell together, so it also measures how much
//    the law depends on which (N, D) cells were run; its intervals are wider.
//    Resample k draws from std::mt19937_64 seeded with seed ^ SplitMix64(k), through a portable unbiased
//    bounded draw, and is written to slot k: results are identical for any number of threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/analysis/summary.h"

namespace scalelaw {

// One training run per index; all vectors the same length, every value positive and finite.
struct HparamRuns {
  std::vector<double> params;  // N (the Step Law uses non-embedding parameters)
  std::vector<double> tokens;  // D, training tokens
  std::vector<double> lr;      // peak learning rate
  std::vector<double> batch;   // batch size per optimizer step, in sequences (times seq_len gives tokens)
  std::vector<double> loss;    // final loss (the Step Law uses the smoothed training loss)
  std::vector<std::string> group;  // optional label of each run's configuration: cells are (group, N, D)

  std::size_t size() const { return params.size(); }
  // Throws InvalidArgument (one line) for ragged vectors, no runs, or a value that is not positive and finite.
  void Validate() const;
};

// What the bootstrap resamples with replacement.
enum class HparamResample {
  kRuns,   // the kept runs, pooled over cells (the Step Law repository's choice)
  kCells,  // the (N, D) cells, each with all its kept runs (cluster bootstrap)
};

// "runs" and "cells", the names the CLI and Python use; HparamResampleFromName throws InvalidArgument for others.
const char* HparamResampleName(HparamResample unit);
HparamResample HparamResampleFromName(const std::string& name);

struct HparamSweepOptions {
  // A run is kept when loss / best_loss_of_its_cell − 1 < tolerance (the cell's best runs are always kept).
  double tolerance = 0.0025;
  // Tokens per sequence: batch tokens = batch · seq_len. 1 when the batch column is already in tokens.
  double seq_len = 1;
  // Bootstrap resamples; 0 skips the bootstrap.
  int bootstrap = 0;
  std::uint64_t seed = 42;
  HparamResample resample = HparamResample::kRuns;
  // Worker threads over resamples; 0 uses every hardware thread. Results do not depend on it.
  int num_threads = 0;
  // Called from worker threads (so it must be thread-safe and quick) after every bootstrap resample with the
  // stage "bootstrap", the resamples done and the total. Return false to stop: the result then has status
  // kInterrupted, the laws of the kept runs and no bootstrap statistics. Empty: no reports.
  std::function<bool(std::string_view stage, int done, int total)> progress;

  // True when the options can be used; otherwise false with the reason in *error.
  bool IsValid(std::string* error) const;
};

// eta = coef · N^exp_params · D^exp_tokens
struct LrLaw {
  double coef = 0;
  double exp_params = 0;
  double exp_tokens = 0;
  double operator()(double params, double tokens) const;
};

// max N / min N of the kept runs below which the LR law's N exponent is not identified (10%).
inline constexpr double kMinParamsSpan = 1.1;

// B (tokens per optimizer step) = coef · D^exp_tokens
struct BatchTokensLaw {
  double coef = 0;
  double exp_tokens = 0;
  double operator()(double tokens) const;
};

// B (tokens per optimizer step) = coef · N^exp_params · D^exp_tokens
struct BatchTokensLawNd {
  double coef = 0;
  double exp_params = 0;
  double exp_tokens = 0;
};

// One (N, D) cell of the grid (of one group, when runs are grouped) and its best run.
struct HparamCell {
  std::string group;  // the runs' group label; empty when ungrouped
  double params = 0;
  double tokens = 0;
  int n_runs = 0;
  int n_kept = 0;
  double best_loss = 0;
  double best_lr = 0;
  double best_batch_tokens = 0;
};

struct HparamSweepResult {
  LrLaw lr;                     // OLS on every kept run
  BatchTokensLaw batch_tokens;  // OLS on every kept run
  double r2_lr = 0;             // R² of ln eta (1 when every kept run has the same eta and the fit is exact)
  double r2_batch_tokens = 0;   // R² of ln B
  // The batch law in N and D, and its R²; all zero when N and D of the kept runs cannot identify it.
  BatchTokensLawNd batch_tokens_nd;
  double r2_batch_tokens_nd = 0;
  // False when the kept runs' N spans less than kMinParamsSpan: lr.exp_params is then 0 by construction.
  bool lr_depends_on_params = true;

  int n_cells = 0;
  int n_runs = 0;
  int n_kept = 0;
  double tolerance = 0;
  double seq_len = 1;
  std::vector<HparamCell> cells;  // sorted by (N, D)
  std::vector<int> kept;          // indices of the kept runs, ascending

  // The bootstrap (HparamSweepOptions::bootstrap, 0 for none): resamples requested, those whose kept runs could
  // not identify a law (rank-deficient; left out), seed and unit, and the summary of the five quantities
  // "lr.coef", "lr.exp_params", "lr.exp_tokens", "batch_tokens.coef", "batch_tokens.exp_tokens" (the names of
  // HparamQuantityNames) over the others; empty without a bootstrap or with fewer than 2 successful resamples.
  // The mean of a coef is exp of the mean log-intercept, the paper's published form; its standard error and
  // interval are of the coef on its own scale.
  int bootstrap_resamples = 0;
  int bootstrap_failed = 0;
  std::uint64_t bootstrap_seed = 0;
  HparamResample bootstrap_unit = HparamResample::kRuns;
  std::map<std::string, ResampleSummary> uncertainty;
  // Each successful resample's five quantities (keys of HparamQuantityNames), so that predictions made from the
  // result carry intervals (FittedLaw in scalelaw/fit/fitted_law.h).
  std::vector<std::map<std::string, double>> bootstrap_draws;

  // kUsable when the kept runs identify both laws; kNotIdentifiable when they cannot (fewer than two distinct
  // D, or ln N and ln D collinear, e.g. a sweep at a single N; the laws are then all zero); kNoConvergence when
  // a fitted coefficient overflows; kInterrupted when HparamSweepOptions::progress stopped the bootstrap.
  // message says why when not usable.
  AnalysisStatus status = AnalysisStatus::kNotIdentifiable;
  std::string message = "FitHparamSweep was not called";
  // Things a person should check: a cell whose best run is at the edge of the learning rates or batch sizes
  // it tried (the optimum may lie outside the grid), a cell with a single run.
  std::vector<std::string> warnings;

  // Where the runs came from, for FullReport's first lines: FitHparamSweep leaves them empty; a caller that read
  // the runs sets them (the CLI: "sweep.csv", and the columns it read N, D, lr, batch and loss from).
  std::string data_source;
  std::vector<std::string> data_columns;

  bool IsUsable() const { return status == AnalysisStatus::kUsable; }
  // One line: the two laws and the status.
  std::string BriefReport() const;
  // The table `scalelaw fit-hparams` prints: the kept runs, both laws with R², the bootstrap mean, standard
  // error and interval of each quantity, and every (N, D) cell with its best run.
  std::string FullReport() const;
};

// The keys of HparamSweepResult::uncertainty, in the order they are printed.
const std::vector<std::string>& HparamQuantityNames();

// Runs the procedure above. Throws InvalidArgument for invalid runs or options.
HparamSweepResult FitHparamSweep(const HparamRuns& runs, const HparamSweepOptions& options = {});

// The result as one JSON object: {"lr": {"coef", "exp_params", "exp_tokens"}, "batch_tokens": {"coef",
// "exp_tokens"}, "r2": {"lr", "batch_tokens"}, "n_cells", "n_runs", "n_kept", "tolerance", "seq_len", "status",
// "usable", "message", "warnings", "cells": [...], and when bootstrapped "bootstrap": {"resamples", "resample",
// "failed", "seed", "mean": {...}}, "se": {"lr.coef": ...}, "ci95": {"lr.coef": [low, high], ...}}. indent < 0: one
// line.
std::string HparamSweepToJson(const HparamSweepResult& result, int indent = -1);
// Reads what HparamSweepToJson wrote (extra keys are ignored; the kept runs' indices and data source are not in
// it). Throws InputError naming source_name and the key.
HparamSweepResult HparamSweepFromJson(std::string_view text, const std::string& source_name);

}  // namespace scalelaw
