// Worked example of the Gadre et al. 2024 identity (arXiv:2403.08540): L(C, M) and L(N, D) agree, with synthetic
// constants (not from the paper).
#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/laws/overtraining.h"
#include "support/printed_number.h"

using scalelaw::testing::RoundsTo;

TEST_CASE("Gadre identity: E=1.8, A=400, B=1200, 2eta=0.34, C=1e21, M=20 gives 2.306156", "[golden][gadre]") {
  const scalelaw::OvertrainingLaw law{1.8, 400, 1200, 0.17};
  const double n = std::sqrt(1e21 / (6 * 20.0));
  CHECK(RoundsTo(n, "2.886751e9"));
  CHECK(RoundsTo(scalelaw::Loss(law, 1e21, 20), "2.306156"));
  CHECK(RoundsTo(scalelaw::ParametricLoss(law, n, 20 * n), "2.306156"));
  CHECK(scalelaw::Loss(law, 1e21, 20) == Approx(scalelaw::ParametricLoss(law, n, 20 * n)).epsilon(1e-14));
  // With the wrong b = B 6^-eta the two forms disagree.
  const double a = 400 * std::pow(6.0, 0.17), wrong_b = 1200 * std::pow(6.0, -0.17);
  const double wrong = 1.8 + (a * std::pow(20.0, 0.17) + wrong_b * std::pow(20.0, -0.17)) * std::pow(1e21, -0.17);
  CHECK_FALSE(RoundsTo(wrong, "2.306156"));
}
