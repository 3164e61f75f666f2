// Caballero et al. 2023, "Broken Neural Scaling Laws", ICLR 2023, arXiv:2210.14891.
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
#include <limits>
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

// The constants of a broken power law by name: a, b, c0 and c_i, d_i, f_i for each break i = 1, 2, ...; a break
// is used when all three of its constants have values.
inline BrokenPowerLaw BrokenPowerLawFromConstants(const Constants& c) {
  BrokenPowerLaw law;
  law.a = ConstantValue(c, "a", "bnsl");
  law.b = ConstantValue(c, "b", "bnsl");
  law.c0 = ConstantValue(c, "c0", "bnsl");
  for (int i = 1;; ++i) {
    const std::string index = std::to_string(i);
    double value[3];
    int found = 0, valued = 0;
    const char* names[3] = {"c", "d", "f"};
    for (int k = 0; k < 3; ++k) {
      value[k] = std::numeric_limits<double>::quiet_NaN();
      for (const auto& [name, v] : c) {
        if (name == names[k] + index) {
          ++found;
          value[k] = v;
          valued += std::isnan(v) ? 0 : 1;
        }
      }
    }
    if (found == 0) break;
    if (valued == 0) continue;  // a break the law leaves unused
    if (valued < 3) throw InvalidArgument("bnsl: break " + index + " needs all of c" + index + ", d" + index + ", f" + index);
    law.c.push_back(value[0]);
    law.d.push_back(value[1]);
    law.f.push_back(value[2]);
  }
  return law;
}

// The registry record: a form without published constants (Quantity::kLoss; y is any evaluation metric).
inline const std::vector<LawInfo>& BrokenPowerLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    const double none = std::numeric_limits<double>::quiet_NaN();
    Constants constants{{"a", none}, {"b", none}, {"c0", none}};
    for (const char* i : {"1", "2", "3"}) {
      for (const char* name : {"c", "d", "f"}) constants.emplace_back(std::string(name) + i, none);
    }
    LawInfo info{"bnsl",
                 "bnsl",
                 Quantity::kLoss,
                 "y = a + b x^(-c0) prod_i (1 + (x/d_i)^(1/f_i))^(-c_i f_i)",
                 {"Caballero et al.", 2023, "Broken Neural Scaling Laws", "2210.14891", "Eq. 1; ICLR 2023"},
                 "x is whatever the law is fitted on: compute, data, parameters, or steps",
                 "y in the units of the metric fitted (loss, error, score); d_i in the units of x",
                 ValidityRange{},
                 "[V2] form (paper + authors' repo); NO published universal constants: a, b, c_i, d_i, f_i are fitted "
                 "per task with a grid of initialisations (the Figure-1 constants are illustrative); up to 3 breaks",
                 constants};
    info.inputs = {Input::kX};
    info.outputs = {"y"};
    info.bind = [](const Constants& c) -> Evaluator {
      const BrokenPowerLaw law = BrokenPowerLawFromConstants(c);
      return [law](const PredictionInputs& in, Evaluation& e) { e.Set("y", Evaluate(law, in.Need(Input::kX))); };
    };
    // Caballero et al. 2023 (arXiv:2210.14891): the n = 3 curve of the authors' Figure-1 script at x = 1e14.
    const BrokenPowerLaw figure = BrokenPowerLawFigure1();
    Constants figure_constants{{"a", figure.a}, {"b", figure.b}, {"c0", figure.c0}};
    for (std::size_t i = 0; i < figure.c.size(); ++i) {
      const std::string index = std::to_string(i + 1);
      figure_constants.emplace_back("c" + index, figure.c[i]);
      figure_constants.emplace_back("d" + index, figure.d[i]);
      figure_constants.emplace_back("f" + index, figure.f[i]);
    }
    info.example = {{{Input::kX, 1e14}}, figure_constants, {{"y", "4.276465e-1"}},
                    "the Figure-1 decomposition script's curve (illustrative constants)"};
    return std::vector<LawInfo>{std::move(info)};
  }();
  return infos;
}
}  // namespace scalelaw
