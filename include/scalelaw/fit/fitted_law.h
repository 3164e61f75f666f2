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

#include <string>

#include "scalelaw/fit/fit.h"
#include "scalelaw/predict.h"

namespace scalelaw {

// name labels the fit in outputs ("fit:runs.json"). Throws InvalidArgument when the fit has no parameters.
Law FittedLaw(const FitSummary& fit, const std::string& name = "fit");

}  // namespace scalelaw
