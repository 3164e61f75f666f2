// Schedule-aware loss-curve laws: the loss L(t) at training step t of a run trained with the per-step learning
// rates eta_0, eta_1, ... (scalelaw/curves/schedule.h). Every law here is a function of the LR sums
//     P(t)   = sum_{tau=0}^{t} eta_tau                 (S1(t) = P(t): all steps up to and including t, warmup included)
//     S_k(t) = sum_{tau=k}^{t} eta_tau = P(t) - P(k-1)
// with the indexing of the Multi-Power Law's code (Luo et al. 2025, arXiv:2503.12811; github.com/thu-yao-01-luo/
// MultiPowerLaw, src/models.py), which reproduces the paper's published numbers.
//
// The laws:
//   - Multi-Power Law (Luo et al. 2025, Eq. 5-7):
//         L(t)  = L0 + A·S1(t)^(-alpha) - LD(t),
//         LD(t) = B · sum_{k=1}^{t} (eta_{k-1} - eta_k) · G(eta_k^(-gamma) · S_k(t)),  G(x) = 1 - (C·x + 1)^(-beta).
//     The sum runs over the warmup too (there eta_{k-1} - eta_k < 0 raises the loss by about B·eta_peak); terms
//     with eta_k = eta_{k-1} vanish, so it has one term per step where the LR changes. The paper's
//     L0 + A·(S1 + S_W)^(-alpha) counts S1 from the end of warmup, the same thing. A step with eta_k = 0 has
//     G = 1 (the limit x -> inf).
//   - LR-annealing law (Tissue et al. 2024, "Scaling Law with Learning Rate Annealing", arXiv:2408.11029, Eq. 1):
//         L(t) = L0 + A·S1(t)^(-alpha) - C·S2(t),
//         S2(t) = sum_{i=1}^{t} m_i,  m_i = lambda·m_{i-1} + (eta_{i-1} - eta_i),  m_0 = 0,
//     the annealing area with momentum lambda (the paper's default 0.999); warmup increments are kept, as above.
//   - the annealing-free baseline L(t) = L0 + A·S1(t)^(-alpha), which sees only the LR area.
#pragma once

#include <limits>
#include <string>
#include <string_view>
#include <vector>

namespace scalelaw {

enum class CurveLawForm { kMultiPower, kAnnealing, kPowerOnly };

// "multi-power", "annealing", "power" / the form of such a name (InvalidArgument naming the choices otherwise).
std::string_view CurveLawFormName(CurveLawForm form);
CurveLawForm CurveLawFormFromName(std::string_view name);
// The parameter names in order: L0 A alpha B C beta gamma / L0 A alpha C / L0 A alpha.
std::vector<std::string> CurveLawParameterNames(CurveLawForm form);

struct MultiPowerLaw {
  double l0 = 0, a = 0, alpha = 0, b = 0, c = 0, beta = 0, gamma = 0;
};
struct AnnealingLaw {
  double l0 = 0, a = 0, alpha = 0, c = 0;
  double lambda = 0.999;  // the momentum of the annealing area
};
struct PowerCurveLaw {
  double l0 = 0, a = 0, alpha = 0;
};

// One law as a value of any form: parameters in CurveLawParameterNames order; lambda is the annealing law's
// momentum (unused by the others).
struct CurveLaw {
  CurveLawForm form = CurveLawForm::kMultiPower;
  std::vector<double> parameters;
  double lambda = 0.999;
};
CurveLaw AsCurveLaw(const MultiPowerLaw& law);
CurveLaw AsCurveLaw(const AnnealingLaw& law);
CurveLaw AsCurveLaw(const PowerCurveLaw& law);

// The loss at each of steps (0-based indices into lr; each step must be < lr.size(), the steps non-decreasing)
// under the per-step LRs lr. The Multi-Power Law's LD sum is evaluated compressed (src/curves/curve_terms.h:
// blocks of smooth changes summed by discrete Newton-Cotes rules on steps of the schedule), within 2e-9 relative
// of the exact double sum, in O(lr.size() + steps · log(lr.size())); the others in O(lr.size() + steps). Throws
// InvalidArgument for steps out of range or not sorted, an LR that is negative or not finite, S1(t) = 0 at a
// requested step, and parameters of the wrong count.
std::vector<double> CurveLoss(const CurveLaw& law, const std::vector<double>& lr, const std::vector<long>& steps);
inline std::vector<double> CurveLoss(const MultiPowerLaw& law, const std::vector<double>& lr,
                                     const std::vector<long>& steps) {
  return CurveLoss(AsCurveLaw(law), lr, steps);
}
inline std::vector<double> CurveLoss(const AnnealingLaw& law, const std::vector<double>& lr,
                                     const std::vector<long>& steps) {
  return CurveLoss(AsCurveLaw(law), lr, steps);
}
inline std::vector<double> CurveLoss(const PowerCurveLaw& law, const std::vector<double>& lr,
                                     const std::vector<long>& steps) {
  return CurveLoss(AsCurveLaw(law), lr, steps);
}

// A law's whole curve for a schedule: the loss at every `every`-th step from the end of the warmup (the first step
// at the schedule's highest LR: the laws describe the loss after the warmup, where their fits' logged points lie;
// within it S1 is a few steps' LR and A·S1^-alpha is no loss a model has) and at the last step T - 1, whose loss
// is final_loss. Throws InvalidArgument
// for every < 1, an empty or all-zero schedule, and as CurveLoss.
struct CurvePrediction {
  std::vector<long> steps;
  std::vector<double> loss;
  double final_loss = 0;
};
CurvePrediction PredictCurve(const CurveLaw& law, const std::vector<double>& lr, long every = 1);

// A run's loss curve: the per-step LRs of its schedule (eta_0..eta_{T-1}), the logged steps (strictly
// increasing, each < T) and the loss logged at each (empty for a curve only to be predicted); params is the
// model's N where known (NaN otherwise), which fits across sizes (scalelaw/curves/curve_size_fit.h) need.
struct TrainingCurve {
  std::string name;
  std::vector<double> lr;
  std::vector<long> steps;
  std::vector<double> loss;
  double params = std::numeric_limits<double>::quiet_NaN();
};

// What a set of curves covers, which a fitted law's predictions are checked against: the steps of the longest
// run (its schedule's T) and the range of the schedules' peak LRs. A prediction beyond them is an
// extrapolation in time or in LR and is warned of. Zero: not known (a fit read from an older file).
struct CurveDataRange {
  long steps = 0;
  double peak_lr_min = 0, peak_lr_max = 0;
};
// Throws InvalidArgument for a curve without steps or without a positive LR.
CurveDataRange DataRangeOf(const std::vector<TrainingCurve>& curves);

// How well predictions match one curve (Luo et al. 2025, Sec. 4 and the repository's src/evaluation.py):
// PredE = mean |yhat - y|/y, WorstE = max |yhat - y|/y, R^2 = 1 - SS_res/SS_tot, MAE = mean |yhat - y|,
// RMSE = sqrt(mean (yhat - y)^2). The paper's tables average each over the test curves (WorstE is then the mean
// of the per-curve maxima).
struct CurveErrors {
  int points = 0;
  double pred_e = 0, worst_e = 0, r2 = 0, mae = 0, rmse = 0;
};
// Throws InvalidArgument for sizes that differ, no points, or an observed loss that is not positive.
CurveErrors CurvePredictionErrors(const std::vector<double>& observed, const std::vector<double>& predicted);
// The mean of each metric over curves (as the paper's tables).
CurveErrors MeanCurveErrors(const std::vector<CurveErrors>& per_curve);

}  // namespace scalelaw
