// Loss curves of several model sizes from a known Multi-Power Law across sizes (L0, A and B power laws in N), for
// the tests of the curve fit across sizes (scalelaw/curves/curve_size_fit.h). The C++ twin of
// synthetic_size_curves.py; the law at N is computed here, not by CurveSizeLaw::At.
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "scalelaw/curves/curve_law.h"
#include "scalelaw/curves/schedule.h"

namespace scalelaw::test {

inline constexpr double kReference = 2e8;
inline const std::vector<double> kSizes = {5e7, 1e8, 2e8, 4e8};

// The Multi-Power Law at N with L0, A and B power laws in N around kReference (computed here, not by
// CurveSizeLaw::At): L0 = 3·(N/N_ref)^-0.05, A = 0.5·(N/N_ref)^-0.1, B = 300·(N/N_ref)^0.2; alpha, C, beta, gamma
// shared.
inline CurveLaw TrueLawAt(double n) {
  const double ratio = n / kReference;
  return AsCurveLaw(MultiPowerLaw{3.0 * std::pow(ratio, -0.05), 0.5 * std::pow(ratio, -0.1), 0.5,
                                  300 * std::pow(ratio, 0.2), 1.5, 0.6, 0.6});
}

// The law at N a synthetic curve follows.
using LawAtSize = CurveLaw (*)(double n);

// A curve logged every 50 steps from step 250 under the schedule spec, its loss from law_at(n) (noise-free).
inline TrainingCurve SyntheticCurve(const std::string& spec, double n, LawAtSize law_at = TrueLawAt) {
  TrainingCurve curve;
  curve.name = std::to_string(static_cast<long>(n)) + " " + spec;
  curve.params = n;
  curve.lr = LrPerStep(ParseLrSchedule(spec));
  for (long t = 250; t < static_cast<long>(curve.lr.size()); t += 50) curve.steps.push_back(t);
  curve.loss = CurveLoss(law_at(n), curve.lr, curve.steps);
  return curve;
}

// The same three schedules at every size.
inline std::vector<TrainingCurve> SyntheticCurves(const std::vector<double>& sizes, LawAtSize law_at = TrueLawAt) {
  std::vector<TrainingCurve> curves;
  for (double n : sizes) {
    for (const char* spec :
         {"cosine:peak=1e-3,end=1e-4,steps=4000,warmup=200", "constant:peak=1e-3,steps=4000,warmup=200",
          "steps:peak=1e-3,steps=3000,warmup=200,stages=1500@3e-4"}) {
      curves.push_back(SyntheticCurve(spec, n, law_at));
    }
  }
  return curves;
}

}  // namespace scalelaw::test
