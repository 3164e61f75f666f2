// Fitting a model form to training runs, in the manner of ceres::Solve: Fit(data, model, options, &summary).
//
// Two estimators, on log residuals r_i = log L_hat_i - log L_i (Hoffmann et al. 2022, App. D.2) or, for the
// objective estimator, on the loss itself (FitOptions::residual):
//   kHuberObjective:  minimise sum_i w_i rho(r_i) (rho the FitOptions::objective), multi-start L-BFGS from the
//                     model's grid (the Epoch grid of 4500 starts for Chinchilla), the lowest objective kept.
//   kHuberLikelihood: maximise the likelihood of a Huber-shaped error density with a free log-scale sigma,
//                     NLL = sum_i w_i Huber_delta(r_i / s) + W (log Z(delta) + sigma), s = e^sigma
//                     (Besiroglu et al. 2024, the replication's point estimate).
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scalelaw/analysis/summary.h"
#include "scalelaw/fit/dataset.h"
#include "scalelaw/fit/model.h"
#include "scalelaw/laws/chinchilla.h"

namespace scalelaw {

enum class Estimator { kHuberObjective, kHuberLikelihood };

// Where the multi-start search starts.
enum class StartStrategy {
  kAuto,                // explicit starts or a grid when given; else variable projection where the model has
                        // linear parameters (Chinchilla); else the model's grid
  kGrid,                // the model's grid (the Epoch grid of 4500 starts for Chinchilla), or FitOptions::grid
  kLatinHypercube,      // latin_hypercube_starts points in the grid's box, from start_seed
  kVariableProjection,  // projected_starts minima of the model's scan with its linear parameters solved
};
// "auto", "grid", "lhs", "varpro" (the strategies of FitOptions::SetStarts without their counts); throws
// InvalidArgument for an unknown name.
std::string_view StartStrategyName(StartStrategy strategy);
StartStrategy StartStrategyFromName(std::string_view name);

// What the objective estimator sums over runs: rho(r_i) of each run's residual r_i on the scale FitOptions::residual
// chooses (Residual below), with the run's weight:
//   kHuber: Huber_delta(r) (Hoffmann et al. 2022, arXiv:2203.15556, Eq. 11); kSquaredLog and kSquared: r^2/2;
//   kAsymmetric: Huber_delta(r) with over-predictions (r > 0) weighted by FitOptions::asymmetry;
//   kAsymmetricAbsolute: |r| with over-predictions weighted by FitOptions::asymmetry (the `chinchilla` package's
//   asymmetric MAE, a quantile regression at level 1/(1 + asymmetry); Koenker and Bassett 1978).
// squared-log and squared differ only in their default residual (log and the loss itself).
enum class Objective { kHuber, kSquaredLog, kSquared, kAsymmetric, kAsymmetricAbsolute };

// The scale of the residual an objective acts on: kLog, r = log L_hat - log L (relative errors; every run's loss
// must be positive); kLoss, r = L_hat - L (absolute errors; a loss may be zero or negative, as Tao et al.'s
// unigram-normalised loss is, arXiv:2407.13623).
enum class Residual { kLog, kLoss };

// One table per kind of choice, one row per enumerator in its order: the names the CLI and Python accept,
// the CLI's help, FullReport's wording, Python's scalelaw.objectives(), residuals(), estimators() and
// start_strategies(), the fit file's names, and the tables of docs/fitting.md are all read from these rows.
struct ObjectiveInfo {
  Objective id;
  std::string_view name;     // the value of --objective and objective=: "huber"
  std::string_view summand;  // what each run adds to the sum, in the residual r: "Huber_delta(r)"
  Residual residual;         // the residual it acts on unless FitOptions::residual says otherwise
  std::string_view use;      // when it is the right choice, one line
  // How FullReport names it; {delta}, {asymmetry} and {residual} stand for FitOptions::huber_delta, asymmetry and
  // the residual's ResidualInfo::report.
  std::string_view report;
};
const std::vector<ObjectiveInfo>& ObjectiveTable();
const ObjectiveInfo& Describe(Objective objective);

struct ResidualInfo {
  Residual id;
  std::string_view name;      // the value of --residual and residual=: "log", "loss"
  std::string_view residual;  // r: "log L_hat - log L"
  std::string_view use;       // when it is the right choice, one line
  std::string_view report;    // how FullReport names it in an objective's report: "log loss"
};
const std::vector<ResidualInfo>& ResidualTable();
const ResidualInfo& Describe(Residual residual);

struct EstimatorInfo {
  Estimator id;
  std::string_view name;       // the value of --estimator and estimator=: "objective", "mle"
  std::string_view minimises;  // what it minimises, one line
  std::string_view reference;  // where the procedure comes from
  std::string_view report;     // how FullReport names it: "mle, Huber likelihood"
  std::string_view value;      // how reports label FitSummary::objective: "objective", "neg. log-lik."
};
const std::vector<EstimatorInfo>& EstimatorTable();
const EstimatorInfo& Describe(Estimator estimator);

struct StartStrategyInfo {
  StartStrategy id;
  std::string_view name;     // "lhs"
  std::string_view spec;     // as FitOptions::SetStarts reads it: the name, then ":N" (a count) or "[:K]"
                             // (an optional count)
  std::string_view summary;  // one line
};
const std::vector<StartStrategyInfo>& StartStrategyTable();

// The names of the rows: "huber", "squared-log", "squared", "asymmetric", "asymmetric-absolute"; "log" and
// "loss"; "objective" and "mle". The FromName functions throw InvalidArgument naming the known names for an
// unknown one.
std::string_view ObjectiveName(Objective objective);
Objective ObjectiveFromName(std::string_view name);
std::string_view ResidualName(Residual residual);
Residual ResidualFromName(std::string_view name);
std::string_view EstimatorName(Estimator estimator);
Estimator EstimatorFromName(std::string_view name);

struct FitOptions {
  Estimator estimator = Estimator::kHuberObjective;
  Objective objective = Objective::kHuber;
  // The residual the objective acts on; empty: the objective's own (ObjectiveInfo::residual: the loss itself for
  // kSquared, log residuals for the others). ResidualOf gives the one a fit uses.
  std::optional<Residual> residual;
  // kAsymmetric and kAsymmetricAbsolute: the weight of runs the law over-predicts (> 0; 1 is plain Huber).
  double asymmetry = 1.0;
  // Huber threshold on the residuals; 1e-3 on log residuals as in Hoffmann et al. 2022 (smaller changes no
  // prediction, larger over-weights small runs). kAsymmetricAbsolute is minimised through Huber smoothings of |r|
  // whose threshold shrinks from this to 1e-9 of it.
  double huber_delta = 1e-3;
  // Worker threads over starting points; 0 uses every hardware thread. Results do not depend on it.
  int num_threads = 0;
  // L-BFGS iterations allowed from each start.
  int max_iterations_per_start = 2000;
  // Relative function tolerance of the screening run from every start; the best distinct endpoints then
  // converge tightly and the winner is polished, so this trades speed against the chance of stopping a start
  // before it shows its basin.
  double screening_tolerance = 1e-6;
  // A start reached the best basin when its screened objective is within this relative distance of the optimum's,
  // or when its screened endpoint lies within a tenth of a (Laplace) standard error of the optimum in every free
  // parameter: a start the screening stopped short of the optimum in a shallow basin still found it.
  double basin_relative_tolerance = 1e-4;
  // true: the best converged endpoint is polished to the limit of double precision (L-BFGS to 1e-15, up to 10000
  // iterations, restarted up to 20 times while it still descends), so that the reported objective is the basin's
  // minimum. On a flat, kinked valley of the Huber objective (delta 1e-3 with residuals of ~1e-2, most of them
  // on its linear arms) that polish can crawl: every restart runs out its 10000 iterations and lowers the
  // objective by a relative ~1e-7 while the parameters move by ~1e-5 (about one simulated Chinchilla data set in
  // ten; docs/sweep-design.md). false: the fit stops at the converging tolerance (1e-10 relative in the
  // objective), as the bootstrap's refits do; for refits of simulated or resampled data, whose spread between
  // data sets is orders of magnitude larger than that (SimulateSweepDesign sets it).
  bool polish = true;
  // How tightly the runs must pin a positive parameter (log-scaled, like Chinchilla's A = e^a, or bounded below by
  // zero) for the fit to be called identified: its 95% interval may span at most this factor, the interval being
  // exp(log theta +- 1.96 SE(log theta)) from the Laplace approximation at the optimum and, with a bootstrap, the
  // resamples' 2.5 and 97.5 percentiles. Wider (e.g. runs from one isoFLOP curve, which cannot tell E from the
  // A and B terms), the fit is kNotIdentifiable and the message names the parameter. Infinity: never judged.
  double max_parameter_span = 1e4;
  // Starting points in the model's internal parameters (for Chinchilla: a, b, e, alpha, beta with
  // A = e^a, B = e^b, E = e^e); empty means the model's default grid.
  std::vector<std::vector<double>> starts;

  // A starting grid by natural parameter names (--grid alpha=0.2,0.4): every combination is a start; a
  // parameter not named keeps the values of the model's own grid. Empty keeps the model's grid.
  std::map<std::string, std::vector<double>> grid;

  StartStrategy start_strategy = StartStrategy::kAuto;
  // kLatinHypercube: this many starts in the box the grid spans, drawn from start_seed (--starts lhs:N).
  int latin_hypercube_starts = 256;
  std::uint64_t start_seed = 42;
  // kVariableProjection (and kAuto when it projects): the model scans its nonlinear parameters with the
  // linear ones solved in closed form (Chinchilla: alpha and beta on a 0.02 grid over (0, 2], E, A, B by
  // non-negative least squares), and L-BFGS runs from this many of the scan's best distinct minima
  // (--starts varpro:K). Models without linear parameters reject kVariableProjection.
  int projected_starts = 8;

  // Parameters held at a value, by their natural names (--fix E=1.87).
  std::map<std::string, double> fixed;
  // Parameters fitted as one, by natural names (--tie alpha=beta): the second takes the first's value.
  std::vector<std::pair<std::string, std::string>> tied;
  // Bounds on parameters, by natural names (--bound R_D=0:20): the fit stays inside [lower, upper]; use
  // +-infinity for an open side.
  std::map<std::string, std::pair<double, double>> bounds;

  // Nonparametric bootstrap: resample the runs with replacement this many times and refit each from the
  // full-data optimum; 0 switches it off. The same seed gives the same result for any num_threads.
  int bootstrap_resamples = 0;
  std::uint64_t bootstrap_seed = 42;
  // Held-out validation: fit without the holdout_top runs of largest compute C = 6ND and report how well the
  // fit predicts them (extrapolation is what a scaling law is for).
  int holdout_top = 0;
  // Progress of a long fit, called from worker threads (so it must be thread-safe and quick) after every start
  // and every bootstrap resample with the stage ("starts", "bootstrap"), the work done and the total. Return
  // false to stop: the fit then ends with status kInterrupted and the message "interrupted". Empty: no reports.
  std::function<bool(std::string_view stage, int done, int total)> progress;

  // The budget (FLOPs) at which derived quantities such as N_opt and D_opt are reported; NaN for none.
  double at_flops = std::numeric_limits<double>::quiet_NaN();

  // True when the options can be used; otherwise false with the reason in *error.
  bool IsValid(std::string* error) const;
  // Sets start_strategy (and its count) from "auto", "grid", "lhs:N", "varpro" or "varpro:K", the values of
  // the CLI's --starts and Python's starts=; throws InvalidArgument otherwise.
  void SetStarts(std::string_view spec);
};

// The residual a fit with these options acts on: options.residual, else the objective's own.
Residual ResidualOf(const FitOptions& options);

struct FitSummary {
  // The form, as ModelOf rebuilds it: its name ("chinchilla", "formula", "loglinear", ...), its formula (for
  // "formula" the user's text, which Model::FromFormula parses again) and the data it reads (Model::inputs():
  // "N", "D" (and "U") for the laws in N and D, a formula's or loglinear's data names otherwise).
  std::string model;
  std::string formula;  // the model's formula as a person reads it
  std::vector<std::string> inputs;
  Estimator estimator = Estimator::kHuberObjective;
  Objective objective_kind = Objective::kHuber;
  Residual residual = Residual::kLog;  // the residual the objective acted on (ResidualOf(options))
  double huber_delta = 0;
  double asymmetry = 1;  // FitOptions::asymmetry (kAsymmetric)

  // The fitted parameters by their user-facing names, and the internal ones the optimiser moved.
  std::map<std::string, double> params;
  std::vector<std::string> parameter_names;   // the model's parameters in its own order (E, A, B, alpha, beta)
  std::vector<std::string> fixed_parameters;  // those FitOptions::fixed held at a value
  std::vector<std::string> internal_names;
  std::vector<double> internal_params;

  // Summed weighted Huber loss (kHuberObjective) or negative log-likelihood (kHuberLikelihood).
  double objective = std::numeric_limits<double>::quiet_NaN();
  // sigma, the fitted log-scale of the error density (kHuberLikelihood only).
  double log_scale = std::numeric_limits<double>::quiet_NaN();

  int num_points = 0;
  // The box of N and D the runs span: predictions outside it are extrapolations and carry a warning.
  ValidityRange data_range;
  std::string start_strategy = "grid";  // "grid" (explicit, grid or Latin-hypercube points) or "varpro"
  int num_starts = 0;
  int num_starts_failed = 0;  // starts that could not be evaluated (overflow) or broke down
  int num_starts_in_best_basin = 0;
  int best_start = -1;  // index into the starts of the winning run
  int iterations = 0;   // L-BFGS iterations of the winning run, polish included

  // Quantities derived from the parameters (for Chinchilla "a" = beta/(alpha+beta), and "N_opt", "D_opt" at
  // FitOptions::at_flops).
  std::map<std::string, double> derived;
  // The bootstrap (FitOptions::bootstrap_resamples, 0 for none): resamples requested, those that could not be
  // refitted, the seed, and the summary (mean, standard error, 95% percentile interval) of every parameter and
  // derived quantity over the resamples that refitted; empty without a bootstrap or with fewer than 2 refits.
  int bootstrap_resamples = 0;
  int bootstrap_failed = 0;
  std::uint64_t bootstrap_seed = 0;
  std::map<std::string, ResampleSummary> uncertainty;
  // The parameters of every resample that refitted, for prediction intervals.
  std::vector<std::map<std::string, double>> bootstrap_draws;
  // Standard errors from the Gauss-Newton (Laplace) approximation at the optimum, s^2 (J^T W J)^-1: local
  // and cheap; the bootstrap is the trustworthy one for this loss surface.
  std::map<std::string, double> laplace_se;

  // Information criteria from a Gaussian likelihood of the residuals the objective acted on (log or the loss
  // itself), n log(RSS/n) + 2k and
  // n log(RSS/n) + k log n, k free parameters: lower is better when comparing forms on the same runs.
  double aic = std::numeric_limits<double>::quiet_NaN();
  double bic = std::numeric_limits<double>::quiet_NaN();
  // Each run's residual at the optimum on the scale the objective acted on (log L_hat - log L, or L_hat - L), in
  // the runs' order, and the number of free parameters: the observation noise of predictive intervals
  // (ObservationNoise, scalelaw/predict.h). Empty when the fit did not reach an optimum.
  std::vector<double> residuals;
  int free_parameters = 0;

  // Held-out runs (FitOptions::holdout_top), each with the fit's prediction.
  struct HeldOutRun {
    double params = 0;
    double tokens = 0;
    double loss = 0;
    double predicted = 0;
  };
  std::vector<HeldOutRun> holdout;
  double holdout_mean_abs_relative_error = std::numeric_limits<double>::quiet_NaN();
  double holdout_max_abs_relative_error = std::numeric_limits<double>::quiet_NaN();

  // kUsable when the optimiser met its convergence test, every value is finite and the data can identify the
  // model; otherwise why not (kNotIdentifiable, kNoConvergence, kInterrupted), with the details in message.
  AnalysisStatus status = AnalysisStatus::kNoConvergence;
  std::string message = "Fit was not called";
  double wall_seconds = 0;

  // Where the runs came from, for FullReport's first lines: Fit leaves them empty; a caller that read the runs
  // sets them (the CLI: "runs.csv", and "N from column 'params', D from column 'tokens', ...").
  std::string data_source;
  std::vector<std::string> data_columns;
  // The runs with the highest loss a caller dropped before the fit (the CLI's --drop-highest, Python's
  // drop_highest=); Fit leaves it 0.
  int drop_highest = 0;

  // The options the fit ran with, so that it can be repeated: every field but those that change how it ran, not
  // what it found (progress is empty and num_threads 0 here).
  FitOptions options;

  bool IsUsable() const { return status == AnalysisStatus::kUsable; }
  // A few lines for a person: the law, the objective, how many starts agreed, and the status.
  std::string BriefReport() const;
  // The full table `scalelaw fit` prints: every parameter and derived quantity with its standard error
  // (bootstrap, else Laplace) and bootstrap interval, the objective, information criteria, held-out runs, the
  // starts, the compute-optimal allocation of a usable Chinchilla fit, and the status.
  std::string FullReport() const;
};

// Fits model to data. Throws InvalidArgument when the data or options are invalid (see Dataset::Validate and
// FitOptions::IsValid). Everything else is reported in *summary, which says why a fit is not usable: a design
// that cannot identify the model (fewer distinct input points than free parameters, too few distinct N or D,
// every run at one compute), no finite start, no convergence. Returns summary->IsUsable().
bool Fit(const Dataset& data, const Model& model, const FitOptions& options, FitSummary* summary);

// The form fit was made with, rebuilt from fit.model, fit.formula and fit.inputs: Model::FromFormula(formula,
// inputs) for "formula", Model::LogLinear(inputs) for "loglinear", Model::FromName(model) otherwise. Throws
// InvalidArgument when they name no form.
Model ModelOf(const FitSummary& fit);

// In a formula fitted to a table, every identifier is a column or a parameter, and a parameter that looks like a
// misspelt column is taken for one: a parameter whose name differs from one of columns only in case, or (for a
// name of three or more characters) by at most max(1, length/4) edits, is an InvalidArgument naming the closest
// column ("did you mean"), unless it is declared a parameter: held, tied, bounded or given a grid in options, or
// listed in declared. Other models pass.
void CheckFormulaParameters(const Model& model, const std::vector<std::string>& columns, const FitOptions& options,
                            const std::vector<std::string>& declared = {});

// The model's loss at (N, D) for a fitted summary. Each call rebuilds the form from the summary (a formula is
// parsed again): to evaluate many points, make the fit a Law once (FittedLaw, scalelaw/fit/fitted_law.h) and call
// PredictBulk (scalelaw/predict.h), as the CLI and Python do.
double Predict(const FitSummary& fit, double params, double tokens);
// The fitted law at one point of any form: inputs by data name (those of fit.inputs; others are ignored).
// Throws InvalidArgument naming a missing input. Rebuilds the form at each call, as above.
double Predict(const FitSummary& fit, const std::map<std::string, double>& inputs);

// The fitted law as a Chinchilla value type (throws InvalidArgument unless fit.model is "chinchilla").
ChinchillaLaw AsChinchillaLaw(const FitSummary& fit);
// The law of every bootstrap resample of a Chinchilla fit (empty without a bootstrap).
std::vector<ChinchillaLaw> BootstrapChinchillaLaws(const FitSummary& fit);

}  // namespace scalelaw
