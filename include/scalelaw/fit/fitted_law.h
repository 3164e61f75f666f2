// A fit as a Law (scalelaw/predict.h): the value every consumer takes, so a fitted law answers the same calls as
// a published one (predict-loss, allocate, plan, Python's predict and allocate).
//
// What a fit answers depends on its form:
//   - the loss at its inputs (N, D, U or a formula's columns: the fitted form evaluated), for every form;
//   - for forms in N and D, the compute-optimal allocation along C = 6ND: in closed form for the Chinchilla form
//     (Hoffmann et al. 2022, arXiv:2203.15556, Eq. 4, with the target-loss, inference-aware and dollar variants
//     of the published Chinchilla laws), and otherwise by minimising L(N, C/(6N)) over ln N (a scan of the
//     admissible N, 1 <= N <= C/6, then Brent's method in the best bracket; an optimum on the edge of that range
//     is no optimum and is reported as such).
// The fit's bootstrap resamples become the Law's resamples, so every prediction carries a 95% interval.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "scalelaw/analysis/hparam_sweep.h"
#include "scalelaw/analysis/isoflop.h"
#include "scalelaw/curves/curve_fit.h"
#include "scalelaw/curves/curve_size_fit.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/predict.h"

namespace scalelaw {

// The input a form's own name for its data stands for: N the parameters, D the tokens, U the unique tokens, x
// the one variable of the one-input forms; none for a column of the user's own name (a formula's "C"), which a
// fitted law reads as a named input (LawInfo::named_inputs).
std::optional<Input> InputOfFormName(std::string_view name);

// name labels the fit in outputs ("fit:runs.json"). Throws InvalidArgument when the fit has no parameters.
// A fit of the "vocab" form (Tao et al. 2024, arXiv:2407.13623, Approach 3) also answers the vocabulary size,
// through the tao-vocab record with the fitted A2, B, alpha2, beta converted to that record's normalised units.
Law FittedLaw(const FitSummary& fit, const std::string& name = "fit");

// A Step-Law sweep (scalelaw/analysis/hparam_sweep.h) as a Law: the step-lr and step-batch records with the
// fitted lr = c N^a D^b and B = c' D^b', the sweep's (N, D) box as their range, its resamples for intervals.
Law FittedLaw(const HparamSweepResult& sweep, const std::string& name = "fit");

// An IsoFLOP analysis (scalelaw/analysis/isoflop.h) as a Law answering the allocation: N_opt = k C^a and
// D_opt = k' C^b (Hoffmann et al. 2022, arXiv:2203.15556, Approach 2), the budgets' (N, D) box as its range,
// its resamples for intervals.
Law FittedLaw(const IsoflopResult& isoflop, const std::string& name = "fit");

// A curve-law fit (scalelaw/curves/curve_fit.h) as a Law answering the loss: the fitted law's loss at the last
// step of a learning-rate schedule (the input kSchedule, a spec as ParseLrSchedule reads), with "steps" and, given
// the batch in tokens, "tokens" = steps x batch; its bootstrap resamples for intervals; a warning when the schedule
// runs longer than the longest fitted curve or peaks outside the fitted curves' peak LRs. Throws InvalidArgument
// when the fit has no parameters.
Law FittedLaw(const CurveFitSummary& fit, const std::string& name = "fit");
// The same for a fit across sizes (scalelaw/curves/curve_size_fit.h): the law at N (the input kParams), with the
// fitted sizes as its N range.
Law FittedLaw(const CurveSizeFitSummary& fit, const std::string& name = "fit");

// The Law in a file written by `scalelaw fit --output`, `scalelaw fit-hparams --output`, `scalelaw isoflop
// --output` or `scalelaw curve fit --output` (told apart by their keys); name labels it ("fit:PATH"). Throws
// InputError naming the file and key.
Law LawFromJson(std::string_view text, const std::string& source_name, const std::string& name);
Law ReadLawJson(const std::string& path, const std::string& name);

}  // namespace scalelaw
