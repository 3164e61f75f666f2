// A loss-curve law across model sizes: the parameters of a curve law (scalelaw/curves/curve_law.h) as functions
// of the model's parameter count N, fitted jointly to the curves of several sizes, so that it predicts the whole
// loss curve of a size (and schedule) it has not seen.
//
// Each parameter theta_j of the single-size law is either shared by every size or a power law in N around a
// reference size N_ref (the geometric mean of the fitted sizes unless given):
//     theta_j(N) = theta_j · (N / N_ref)^(e_j).
// For the Multi-Power Law (Luo et al. 2025, arXiv:2503.12811, Eq. 5-7) the default scales L0 (the loss the run
// tends to at infinite LR area, whose decrease with N is the Chinchilla term E + A·N^-alpha of Hoffmann et al.
// 2022, arXiv:2203.15556, Eq. 2, written here as one power law over the fitted range: two parameters where three
// sizes could not check a third), A (the scale of the LR-area power law) and B (the annealing amplitude), and shares
// alpha and G's shape (C, beta, gamma), which per-size fits do not pin down (they move by orders of magnitude
// between sizes at nearly the same objective); the Tissue law (arXiv:2408.11029) scales L0, A and C; the
// annealing-free law L0 and A. That is 7 + 3 = 10 parameters for any number of sizes, against 7 per size fitted
// alone. Which parameters scale is an option; a scaled parameter needs at least two distinct sizes.
//
// The Tissue law's momentum lambda is held at its option, or (CurveFitOptions::fit_lambda) fitted as one value
// shared by every size, as FitCurveLaw fits it for one size: from the fixed-lambda joint fit, at lambda and at
// 1 - 10·(1 - lambda), moved in its logit.
//
// Uncertainty: CurveFitOptions::bootstrap_resamples > 0 runs FitCurveLaw's moving-block residual bootstrap
// (docs/curve-laws.md, "Uncertainty") on the joint fit: each resample replaces every curve's log residuals under the
// joint law by blocks of the same curve's residuals and refits the joint law (lambda held at the fit's). The
// resamples give intervals on the parameters, the exponents and (ForecastCurveAtSize) the curve of any N; they
// measure how the law moves with the noise of the fitted curves, not how far the law's form in N is from the truth
// at a size outside the fitted range (docs/curve-laws.md compares the two on the OLMo ladder).
//
// The objective is FitCurveLaw's (Huber on log residuals, delta 1e-3, over every logged point of every curve), and
// the fit is Levenberg-Marquardt with the analytic Jacobian (the single-size Jacobian, by the chain rule:
// dL/dtheta_j,ref = dL/dtheta_j · (N/N_ref)^e_j, dL/de_j = dL/dtheta_j · theta_j(N) · ln(N/N_ref)). Starts come from
// the sizes fitted alone (FitCurveLaw on each size's curves): in the coordinates the fit moves in (logarithms of
// the positive parameters, L0 as it is), a scaled parameter starts at the least-squares line of the per-size
// values on ln(N/N_ref), a shared one at their mean, and at each size's own value (one start per size).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/analysis/summary.h"
#include "scalelaw/curves/curve_fit.h"
#include "scalelaw/curves/curve_law.h"

namespace scalelaw {

// A curve law whose parameters depend on N: parameters[j] at N = reference_params and exponents[j] (0 for a
// shared parameter), in CurveLawParameterNames(form) order.
struct CurveSizeLaw {
  CurveLawForm form = CurveLawForm::kMultiPower;
  std::vector<double> parameters;
  std::vector<double> exponents;
  std::vector<bool> scaled;
  double reference_params = 0;  // N_ref
  double lambda = 0.999;        // the Tissue law's momentum

  // The single-size law at N: theta_j · (N/N_ref)^e_j. Throws InvalidArgument for N <= 0 or sizes that differ.
  CurveLaw At(double params) const;
};

// The parameters a form scales by default (CurveSizeFit's comment): L0 A B / L0 A C / L0 A.
std::vector<std::string> DefaultScaledParameters(CurveLawForm form);

struct CurveSizeFitOptions {
  CurveFitOptions fit;  // the objective, lambda (fixed or fit_lambda), tolerances, threads and the bootstrap
  // Names (CurveLawParameterNames) of the parameters that are power laws in N; empty: DefaultScaledParameters.
  std::vector<std::string> scaled;
  double reference_params = 0;  // N_ref (> 0), or 0: the geometric mean of the distinct sizes of the curves

  bool IsValid(CurveLawForm form, std::string* error = nullptr) const;
};

struct CurveSizeFitSummary {
  // kUsable: a start converged, there are at least two sizes and a decaying LR (forms with an annealing term).
  // kNotIdentifiable: the data cannot answer (message says why; no law). kNoConvergence: no start met a
  // convergence test.
  AnalysisStatus status = AnalysisStatus::kNotIdentifiable;
  std::string message = "FitCurveLawAcrossSizes was not called";
  CurveLawForm form = CurveLawForm::kMultiPower;
  double lambda = 0.999;
  double huber_delta = 1e-3;
  // The free parameters in the order the fit moves them: every law parameter at N_ref, then "e_<name>" per scaled
  // one; values at the fit (empty when not identifiable).
  std::vector<std::string> parameter_names;
  std::vector<double> parameters;
  CurveSizeLaw law;  // the fit as a law (parameters empty when not identifiable)
  double objective = 0;
  int points = 0;
  CurveDataRange range;  // the steps and peak LRs of the fitted curves
  // The distinct sizes in increasing N and each size fitted alone (the starts' source and the in-sample
  // reference a joint fit is compared with).
  std::vector<double> sizes;
  std::vector<CurveFitSummary> size_fits;
  std::vector<std::string> curve_names;
  std::vector<double> curve_params;       // N of each curve
  std::vector<CurveErrors> curve_errors;  // each curve's errors under the joint law at its N
  std::vector<CurveFitStart> starts;
  int best_start = -1;
  // The condition number of the information matrix J'J at the fit (in the coordinates the fit moves in, columns
  // scaled to unit norm): how sharply the data pin the parameters down together; above ~1e12 some combination is
  // not determined. Infinite when J'J is singular.
  double condition_number = 0;
  double seconds = 0;

  // The bootstrap (as CurveFitSummary's): the free parameters of each resample that refitted (parameter_names
  // order; the Tissue law's lambda stays at the fit's), how many failed, and each free parameter's
  // ResampleSummary. Empty without a bootstrap.
  std::vector<std::vector<double>> resample_parameters;
  int failed_resamples = 0;
  std::uint64_t bootstrap_seed = 0;
  int block_length = 0;
  std::vector<ResampleSummary> parameter_resamples;

  bool IsUsable() const { return status == AnalysisStatus::kUsable; }
  // The fitted law (throws InvalidArgument when there is none).
  CurveSizeLaw Law() const;
  // The law of each bootstrap resample (empty without a bootstrap).
  std::vector<CurveSizeLaw> ResampleLaws() const;
  std::string BriefReport() const;
  // The parameters with their N exponents, the per-size fits beside the joint one, every start, each curve's errors.
  std::string FullReport() const;
};

// Fits form across sizes to curves, each with its N in TrainingCurve::params. Throws InvalidArgument for invalid
// options, no curves, a curve without a positive finite N, and as FitCurveLaw for a curve that cannot be fitted.
// Fewer than two distinct sizes (with a scaled parameter) is not identifiable: the exponents are not determined.
CurveSizeFitSummary FitCurveLawAcrossSizes(CurveLawForm form, const std::vector<TrainingCurve>& curves,
                                           const CurveSizeFitOptions& options = {});

// The fit as one line of JSON: "form", "lambda", "huber_delta", "status", "usable", "message" (when not usable),
// "reference_params", "parameters" (object keyed by law parameter name), "exponents" (object keyed by the scaled
// names), "objective", "points", "condition_number" (null when infinite), "sizes" (each with "params", "curves",
// "objective", "usable", "parameters"), "curves" (each with "name", "params", "points", "pred_e", "worst_e", "r2",
// "mae", "rmse"), "starts" (as CurveFitToJson), "best_start", "seconds", and with a bootstrap "bootstrap" (as
// CurveFitToJson's; each resample lists parameter_names' values).
std::string CurveSizeFitToJson(const CurveSizeFitSummary& fit);
// Reads what CurveSizeFitToJson wrote (the starts and extra keys are ignored; each size's own fit keeps its N,
// objective, status and parameters). Throws InputError naming source_name and the key.
CurveSizeFitSummary CurveSizeFitFromJson(std::string_view text, const std::string& source_name);

// Each free parameter's ResampleSummary over fit.resample_parameters (empty without a bootstrap).
std::vector<ResampleSummary> SummarizeCurveSizeResamples(const CurveSizeFitSummary& fit);

// The curve the fit predicts at N = params for the schedule lr, as ForecastCurve: the law at N, and with
// resamples the 95% percentile band of the resample laws at N. Throws InvalidArgument when the fit has no law or N
// is not a positive number, and as PredictCurve.
CurveForecast ForecastCurveAtSize(const CurveSizeFitSummary& fit, double params, const std::vector<double>& lr,
                                  long every = 1);

}  // namespace scalelaw
