// Fitting a loss-curve law (scalelaw/curves/curve_law.h) to many training curves at once.
//
// The objective is the Multi-Power Law paper's (Luo et al. 2025, arXiv:2503.12811, Sec. 4; the repository's
// src/models.py): the sum over every logged point of every curve (no per-curve weights) of
//     Huber_delta(r),  r = ln(observed loss) - ln(L(t)),  Huber_delta(r) = r²/2 for |r| <= delta, else delta(|r| -
//     delta/2),
// with delta = 1e-3, the same objective every other scalelaw fit uses (Hoffmann et al. 2022, arXiv:2203.15556,
// App. D.2). The paper stops its AdamW optimiser after about 100 steps; scalelaw minimises the objective to
// convergence (Levenberg-Marquardt on the residuals sign(r)·sqrt(2·Huber(r)), whose squares sum to the objective,
// with the analytic Jacobian), from several starts derived from the data:
//   1. the annealing-free law L0 + A·S1^-alpha, from L0 just below the lowest loss and alpha = 0.5 (A by least
//      squares);
//   2. the paper's simplified law L0 + A·S1^-alpha - B·(eta_max(t) - eta_t) (eta_max(t): the highest LR up to t),
//      from 1.'s parameters, whose B starts the Multi-Power Law's B;
//   3. the Multi-Power Law from 2.'s L0, A, alpha, B and 4 shapes (C, beta, gamma) whose G rises over 30 or 300
//      steps at the curves' highest LR (src/curves/curve_fit.cpp says why); the Tissue law from 1.'s L0, A, alpha
//      and C from 2.'s B (and a tenth and ten times it).
// Positive parameters (all but L0, and the Tissue law's C) are moved in logarithms, so every iterate is a valid law.
// The lowest objective over the starts is the fit.
//
// Whether the data can answer: the annealing term is separated from the power law only by curves whose LR
// decreases (after its peak) within their logged steps; with constant-LR curves only (a warmup is an increase, not
// an anneal), a Multi-Power or Tissue fit is not identifiable and is reported so, with that reason.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/analysis/summary.h"
#include "scalelaw/curves/curve_law.h"

namespace scalelaw {

struct CurveFitOptions {
  double huber_delta = 1e-3;  // delta of the Huber loss on log residuals (> 0)
  double lambda = 0.999;      // the Tissue law's momentum of the annealing area, in [0, 1)
  // Fit the Tissue law's lambda too (in (0, 1), from the fixed-lambda fit at lambda and at 1 - 10·(1 - lambda));
  // the summary's lambda is then the fitted one, and its starts list the lambda-free solves with lambda last.
  bool fit_lambda = false;
  int max_iterations = 1000;  // Levenberg-Marquardt iterations per start (>= 1)
  // Convergence tests per start (Ceres Solver::Options): relative change of the objective, max-norm of the
  // gradient, relative step size.
  double function_tolerance = 1e-12;
  double gradient_tolerance = 1e-16;
  double parameter_tolerance = 1e-12;
  int num_threads = 0;  // starts (and bootstrap resamples) run in parallel on this many threads (0 = the hardware's)

  // The moving-block residual bootstrap (docs/curve-laws.md, "Uncertainty"): 0 for none, else the number of
  // resampled data sets refitted. Each resample keeps every curve's schedule and fitted curve and replaces its
  // log residuals by blocks of block_length consecutive residuals of the same curve, drawn with replacement
  // (Kunsch 1989, Ann. Statist. 17(3):1217); block_length 0 takes round(n^(1/3)) for a curve of n points (Hall,
  // Horowitz and Jing 1995, Biometrika 82(3):561: the order that minimises the error of a variance estimate).
  // Resample k draws from a generator seeded with (bootstrap_seed, k), so the result depends on the seed only,
  // not on num_threads.
  int bootstrap_resamples = 0;
  std::uint64_t bootstrap_seed = 0;
  int block_length = 0;

  // True when every option is in its range; otherwise why not in *error (when given).
  bool IsValid(std::string* error = nullptr) const;
};

// One start of the fit and where it ended.
struct CurveFitStart {
  std::vector<double> start;
  std::vector<double> parameters;
  double objective = 0;
  int iterations = 0;
  bool converged = false;
  std::string message;
};

struct CurveFitSummary {
  // kUsable: a start converged and the data can separate the law's terms. kNotIdentifiable: they cannot (message
  // says why; no parameters). kNoConvergence: no start met a convergence test with a finite objective.
  AnalysisStatus status = AnalysisStatus::kNotIdentifiable;
  std::string message = "FitCurveLaw was not called";
  CurveLawForm form = CurveLawForm::kMultiPower;
  double lambda = 0.999;
  double huber_delta = 1e-3;
  std::vector<std::string> parameter_names;
  std::vector<double> parameters;  // the fit (empty when not identifiable)
  double objective = 0;            // the Huber objective at parameters
  int points = 0;                  // logged points of all curves
  CurveDataRange range;  // the steps and peak LRs of the fitted curves
  std::vector<std::string> curve_names;
  std::vector<CurveErrors> curve_errors;  // each curve's fit errors at parameters
  std::vector<CurveFitStart> starts;      // every start, in the order run
  int best_start = -1;
  double seconds = 0;  // wall time of the fit (and bootstrap)

  // The bootstrap (CurveFitOptions::bootstrap_resamples > 0 and a usable fit): the parameters of each resample
  // that refitted (CurveLawParameterNames order; the Tissue law's lambda stays at the fit's), how many failed,
  // and each parameter's ResampleSummary. Empty without a bootstrap.
  std::vector<std::vector<double>> resample_parameters;
  int failed_resamples = 0;
  std::uint64_t bootstrap_seed = 0;
  int block_length = 0;  // as asked (0: round(n^(1/3)) per curve)
  std::vector<ResampleSummary> parameter_resamples;

  bool IsUsable() const { return status == AnalysisStatus::kUsable; }
  // The fitted law (throws InvalidArgument when there are no parameters).
  CurveLaw Law() const;
  // One line: form, parameters, objective, points, status.
  std::string BriefReport() const;
  // The parameters, the objective, every start's end, each curve's errors, and the status with its message.
  std::string FullReport() const;
};

// Fits form to curves (each with losses at its logged steps). Throws InvalidArgument for invalid options, no
// curves, a curve without losses or with losses that are not positive, or a curve the laws cannot evaluate
// (steps outside its schedule, decreasing, a negative LR).
CurveFitSummary FitCurveLaw(CurveLawForm form, const std::vector<TrainingCurve>& curves,
                            const CurveFitOptions& options = {});

// The fit as one line of JSON: "form", "lambda", "huber_delta", "status", "usable", "message" (when not usable),
// "parameters" (an object keyed by CurveLawParameterNames, empty when not identifiable), "objective", "points",
// "curves" (each with "name", "points", "pred_e", "worst_e", "r2", "mae", "rmse"), "starts" (each with "start",
// "parameters", "objective", "iterations", "converged"), "best_start", "seconds", and with a bootstrap "bootstrap"
// ({"seed", "block_length", "failed", "resamples": [[parameters], ...]}; the summaries are recomputed on reading).
std::string CurveFitToJson(const CurveFitSummary& fit);
// Reads what CurveFitToJson wrote (extra keys are ignored). Throws InputError naming source_name and the key.
CurveFitSummary CurveFitFromJson(std::string_view text, const std::string& source_name);

// Each parameter's ResampleSummary over fit.resample_parameters (empty without a bootstrap), as the fit and
// CurveFitFromJson restore parameter_resamples.
std::vector<ResampleSummary> SummarizeCurveResamples(const CurveFitSummary& fit);

// A fitted law's prediction for a schedule, with the bootstrap's interval when the fit has resamples: the loss
// at every `every`-th step and the last (PredictCurve), the LR at those steps, and for each step the 95%
// percentile interval of the resample laws' predictions (SummarizeResamples; empty without resamples), the last
// step's being final_loss_resamples.ci95. Throws InvalidArgument when the fit has no parameters, and as
// PredictCurve.
struct CurveForecast {
  std::vector<long> steps;
  std::vector<double> lr;
  std::vector<double> loss;
  double final_loss = 0;
  std::vector<double> lower, upper;      // per step; empty without resamples
  ResampleSummary final_loss_resamples;  // resamples = 0 without a bootstrap
  bool HasInterval() const { return !lower.empty(); }
};
CurveForecast ForecastCurve(const CurveFitSummary& fit, const std::vector<double>& lr, long every = 1);

// The Huber objective of law on curves (as FitCurveLaw minimises it), for comparing fits and published
// parameters.
double CurveLawObjective(const CurveLaw& law, const std::vector<TrainingCurve>& curves, double huber_delta = 1e-3);

}  // namespace scalelaw
