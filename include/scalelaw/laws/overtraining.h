// Gadre et al. 2024, "Language models scale reliably with over-training and on downstream tasks",
// arXiv:2403.08540.
//
//   L(N, D) = E + A N^(−2 eta) + B D^(−2 eta)            equal exponents for N and D
//   with C = 6 N D and the token multiplier M = D/N (20 ≈ Chinchilla-optimal):
//   L(C, M) = E + (a M^eta + b M^(−eta)) C^(−eta),  a = A 6^eta,  b = B 6^eta
//   downstream average top-1 error: Err(L) = eps − k exp(−gamma L)
//
// N total parameters, D tokens, C = 6 N D FLOPs, L nats/token on the validation set of the training data. The
// authors' code (mlfoundations/scaling, laws.py) fits L = alpha N^b + beta 6^(b/2) (M N)^b + E (b < 0) with a
// 4×4×2×4 grid of starting points, and the error law as e − a exp(−b L). Fitted on 104 models of 0.011B–6.9B
// parameters, M up to 640, on C4, RedPajama and RefinedWeb. [V2] forms (the authors' code and the paper's
// abstract); the fitted constants are per dataset and were not retrieved, so none are shipped.
#pragma once

#include <cmath>
#include <limits>
#include <string_view>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

// L(N, D) = E + A N^(−2 eta) + B D^(−2 eta): note eta is HALF the shared exponent of N and D.
struct OvertrainingLaw {
  double E = 0;
  double A = 0;
  double B = 0;
  double eta = 0;
};

// The C-form coefficients a = A 6^eta and b = B 6^eta (not B 6^−eta).
struct OvertrainingCoefficients {
  double a = 0;
  double b = 0;
};
inline OvertrainingCoefficients ComputeFormCoefficients(const OvertrainingLaw& law) {
  const double six_eta = std::pow(6.0, law.eta);
  return {law.A * six_eta, law.B * six_eta};
}

// L(C, M) = E + (a M^eta + b M^(−eta)) C^(−eta) (Gadre et al. 2024, arXiv:2403.08540): the loss of a
// model trained with `flops` FLOPs (C = 6 N D) at token multiplier M = D/N. nats/token.
inline double Loss(const OvertrainingLaw& law, double flops, double token_multiplier) {
  RequirePositive(flops, "C (FLOPs)");
  RequirePositive(token_multiplier, "M (tokens per parameter)");
  const OvertrainingCoefficients x = ComputeFormCoefficients(law);
  return law.E + (x.a * std::pow(token_multiplier, law.eta) + x.b * std::pow(token_multiplier, -law.eta)) *
                     std::pow(flops, -law.eta);
}

// L(N, D) = E + A N^(−2 eta) + B D^(−2 eta): the same law in parameters and tokens.
inline double ParametricLoss(const OvertrainingLaw& law, double params, double tokens) {
  RequirePositive(params, "N (parameters)");
  RequirePositive(tokens, "D (tokens)");
  return law.E + law.A * std::pow(params, -2 * law.eta) + law.B * std::pow(tokens, -2 * law.eta);
}

// Err(L) = eps − k exp(−gamma L) (Gadre et al. 2024): average top-1 error over the downstream suite
// predicted from the loss L (nats/token). eps is the error as L grows (chance), k and gamma > 0 shape the decay.
inline double DownstreamError(double loss, double eps, double k, double gamma) {
  RequirePositive(loss, "L (loss, nats/token)");
  if (!(std::isfinite(eps) && std::isfinite(k) && std::isfinite(gamma))) {
    throw InvalidArgument("downstream error law: eps, k and gamma must be finite numbers");
  }
  return eps - k * std::exp(-gamma * loss);
}

// The registry record (Quantity::kLoss): a form without constants shipped; a caller (or a fit) gives E, A, B, eta.
inline const std::vector<LawInfo>& OvertrainingLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    const double none = std::numeric_limits<double>::quiet_NaN();
    LawInfo info{
        "gadre-overtraining",
        "gadre",
        Quantity::kLoss,
        "L(C, M) = E + (a M^eta + b M^-eta) C^-eta, a = A 6^eta, b = B 6^eta (from L = E + A N^-2eta + B D^-2eta, "
        "C = 6ND, M = D/N); Err(L) = eps - k exp(-gamma L)",
        {"Gadre et al.", 2024, "Language models scale reliably with over-training and on downstream tasks",
         "2403.08540", "L(C, M) and Err(L) forms; authors' code mlfoundations/scaling (laws.py)"},
        "total parameters",
        "L nats/token on the training distribution; C = 6ND FLOPs; M = D/N tokens per parameter; Err average "
        "top-1 error on the downstream suite",
        ValidityRange{1.1e7, 6.9e9, 0, 0},
        "[V2] forms (code + abstract); NO constants shipped: the paper's fits are per dataset (C4, RedPajama, "
        "RefinedWeb) and were not retrieved; fitted on 0.011B-6.9B parameters, M up to 640",
        {{"E", none}, {"A", none}, {"B", none}, {"eta", none}}};
    info.inputs = {Input::kParams, Input::kTokens};
    info.params_kind = ParamsDefinition::kTotal;
    info.outputs = {"loss", "flops", "token_multiplier"};
    info.bind = [](const Constants& c) -> Evaluator {
      const OvertrainingLaw law{ConstantValue(c, "E", "gadre-overtraining"), ConstantValue(c, "A", "gadre-overtraining"),
                                ConstantValue(c, "B", "gadre-overtraining"),
                                ConstantValue(c, "eta", "gadre-overtraining")};
      return [law](const PredictionInputs& in, Evaluation& e) {
        const double n = in.Need(Input::kParams), d = in.Need(Input::kTokens);
        e.Set("loss", Loss(law, 6 * n * d, d / n));
        e.Set("flops", 6 * n * d);
        e.Set("token_multiplier", d / n);
        e.CheckRange(n, d);
      };
    };
    // Gadre et al. 2024 (arXiv:2403.08540): the L(C, M) identity with E 1.8, A 400, B 1200, 2 eta 0.34 at
    // C = 1e21, M = 20 (N = sqrt(C/120)).
    info.example = {{{Input::kParams, std::sqrt(1e21 / 120)}, {Input::kTokens, 20 * std::sqrt(1e21 / 120)}},
                    {{"E", 1.8}, {"A", 400}, {"B", 1200}, {"eta", 0.17}},
                    {{"loss", "2.306156"}, {"token_multiplier", "20"}},
                    "L(C = 1e21, M = 20) for illustrative constants, equal by the C = 6ND identity"};
    return std::vector<LawInfo>{std::move(info)};
  }();
  return infos;
}
}  // namespace scalelaw
