// Caballero et al. 2023, "Broken Neural Scaling Laws", ICLR 2023, arXiv:2210.14891 (laws.md section 18.1).
//
//   y = a + b x^(−c0) Π_{i=1..n} (1 + (x/d_i)^(1/f_i))^(−c_i f_i)                    Eq. 1
//
// a = limit (irreducible value), b = offset, c0 = initial slope, c_i = change of the log-log slope at break i,
// d_i = break locations (in units of x), f_i = break sharpness (smaller = sharper). n = 0 is a power law plus a
// constant. [V2] form (authors' repo + paper). x is whatever the law is fitted on (compute, data, parameters);
// there are no universal constants: fit per task, with a grid of initialisations (the authors' README warns that
// the fit is sensitive to them).
#pragma once

#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

struct BrokenPowerLaw {
  double a = 0;
  double b = 0;
  double c0 = 0;
  std::vector<double> c;  // c_1..c_n
  std::vector<double> d;  // d_1..d_n, > 0
  std::vector<double> f;  // f_1..f_n, > 0
};

// The n = 3 example of the authors' Figure-1 script (make_figure_1__decomposition_of_bnsl_into_power_law_
// segments.py): a = 1e-3, b = 4.66e3, c0 = 0.05, c = (0.49, −0.811, 2.1), d = (3e6, 1e14, 2e20),
// f = (1.1, 1.425, 0.05). Illustrative, not a fit to any task; non-monotone (double descent).
inline BrokenPowerLaw BrokenPowerLawFigure1() {
  return {1e-3, 4.66e3, 0.05, {0.49, -0.811, 2.1}, {3e6, 1e14, 2e20}, {1.1, 1.425, 0.05}};
}

// y(x) of Caballero et al. 2023 (arXiv:2210.14891, Eq. 1). Each factor is evaluated in log space,
// ln(1 + (x/d_i)^(1/f_i)) = softplus(ln(x/d_i)/f_i), so that sharp breaks (small f_i) do not overflow.
inline double Evaluate(const BrokenPowerLaw& law, double x) {
  RequirePositive(x, "x");
  if (law.c.size() != law.d.size() || law.c.size() != law.f.size()) {
    throw InvalidArgument("broken power law: c, d and f must have one entry per break (got " +
                          std::to_string(law.c.size()) + ", " + std::to_string(law.d.size()) + ", " +
                          std::to_string(law.f.size()) + ")");
  }
  double log_term = -law.c0 * std::log(x);
  for (std::size_t i = 0; i < law.c.size(); ++i) {
    RequirePositive(law.d[i], "d_i (break location)");
    RequirePositive(law.f[i], "f_i (break sharpness)");
    const double s = std::log(x / law.d[i]) / law.f[i];
    const double softplus = s > 0 ? s + std::log1p(std::exp(-s)) : std::log1p(std::exp(s));
    log_term -= law.c[i] * law.f[i] * softplus;
  }
  const double y = law.a + law.b * std::exp(log_term);
  if (!std::isfinite(y)) throw InvalidArgument("broken power law: y overflows at x = " + FormatNumber(x));
  return y;
}

// The registry record: a form without published constants (Quantity::kLoss; y is any evaluation metric).
inline const std::vector<LawInfo>& BrokenPowerLawInfos() {
  static const std::vector<LawInfo> infos = {
      {"bnsl",
       "bnsl",
       Quantity::kLoss,
       "y = a + b x^(-c0) prod_i (1 + (x/d_i)^(1/f_i))^(-c_i f_i)",
       {"Caballero et al.", 2023, "Broken Neural Scaling Laws", "2210.14891", "Eq. 1; ICLR 2023"},
       "x is whatever the law is fitted on: compute, data, parameters, or steps",
       "y in the units of the metric fitted (loss, error, score); d_i in the units of x",
       ValidityRange{},
       "[V2] form (paper + authors' repo); NO published universal constants: a, b, c_i, d_i, f_i are fitted per task "
       "with a grid of initialisations (the Figure-1 constants are illustrative)",
       {}},
  };
  return infos;
}

}  // namespace scalelaw
