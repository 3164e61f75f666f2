// The Broken Neural Scaling Law (Caballero et al. 2023, arXiv:2210.14891, Eq. 1) with the constants of the
// authors' Figure-1 script (make_figure_1__decomposition_of_bnsl_into_power_law_segments.py, n = 3 breaks).
// Worked example: the values are the law evaluated in double precision, not numbers printed in the paper.
#include <catch2/catch.hpp>

#include "scalelaw/laws/bnsl.h"
#include "support/printed_number.h"

using scalelaw::testing::RoundsTo;

TEST_CASE("BNSL with the Figure-1 script constants, worked example", "[golden][bnsl]") {
  const scalelaw::BrokenPowerLaw law = scalelaw::BrokenPowerLawFigure1();
  const std::pair<double, const char*> rows[] = {{1, "4.659998e3"},    {1e3, "3.297802e3"},   {3e6, "1.521520e3"},
                                                 {1e10, "2.772211e1"}, {1e14, "4.276465e-1"}, {1e17, "1.257315"},
                                                 {2e20, "9.082662"},   {1e22, "8.626751e-3"}, {1e25, "1.000025e-3"}};
  for (const auto& [x, y] : rows) {
    CAPTURE(x);
    CHECK(RoundsTo(scalelaw::Evaluate(law, x), y));
  }
  // Non-monotone (double descent): down to 0.43 at 1e14, up to 9.08 at 2e20, then down to the limit a.
  CHECK(scalelaw::Evaluate(law, 2e20) > scalelaw::Evaluate(law, 1e14));
}
