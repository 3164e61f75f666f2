// Worked example of the Shuai et al. 2024 exponents (arXiv:2412.01505): doubling C multiplies N_opt by 1.379,
// D_opt by 1.450 and B_opt by 1.073 (exponents only).
#include <catch2/catch.hpp>

#include "scalelaw/laws/shuai.h"
#include "support/printed_number.h"

using scalelaw::ShuaiBatchLaw;
using scalelaw::testing::RoundsTo;

TEST_CASE("Shuai doubling factors, worked example", "[golden][shuai]") {
  const ShuaiBatchLaw law;
  CHECK(RoundsTo(scalelaw::OptimalParamsRatio(law, 2), "1.379"));
  CHECK(RoundsTo(scalelaw::OptimalTokensRatio(law, 2), "1.450"));
  CHECK(RoundsTo(scalelaw::OptimalBatchRatio(law, 2), "1.073"));
  // And 2^0.434 for the steps, consistent with D = B S.
  CHECK(RoundsTo(scalelaw::OptimalStepsRatio(law, 2), "1.351"));
}
