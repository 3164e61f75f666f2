// Worked example of the rectified scaling law (Lin et al. 2024, arXiv:2402.02314) with synthetic constants, not
// from the paper.
#include <catch2/catch.hpp>

#include "scalelaw/laws/rectified.h"
#include "support/printed_number.h"

using scalelaw::testing::RoundsTo;

TEST_CASE("Rectified law: B=10, E=0.5, alpha=1, beta=0.5, D_l=100, D=10,000 gives 0.55", "[golden][rectified]") {
  const scalelaw::RectifiedLaw law{10, 0.5, 1, 0.5, 100};
  CHECK(RoundsTo(scalelaw::Loss(law, 10000), "0.55"));
  CHECK(scalelaw::Loss(law, 10000) == Approx(0.55).epsilon(1e-15));  // 10/(100 + 100) + 0.5
}
