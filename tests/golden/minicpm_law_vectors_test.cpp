// The MiniCPM (Hu et al. 2024) batch-size test vectors of laws.md section 12.2 and the D/N constant of 12.3.
#include <catch2/catch.hpp>

#include "scalelaw/laws/minicpm.h"
#include "support/printed_number.h"

using scalelaw::testing::RoundsTo;

TEST_CASE("MiniCPM optimal batch reproduces laws.md 12.2", "[golden][minicpm]") {
  const scalelaw::MiniCpmBatchLaw law;
  CHECK(RoundsTo(scalelaw::OptimalBatchTokens(law, 2.0), "1.6009e7"));
  CHECK(RoundsTo(scalelaw::OptimalBatchTokens(law, 2.5), "3.9778e6"));
  CHECK(RoundsTo(scalelaw::OptimalBatchTokens(law, 3.0), "1.2751e6"));
  CHECK(RoundsTo(scalelaw::OptimalBatchTokens(law, 3.5), "4.8730e5"));
}

TEST_CASE("MiniCPM compute-optimal tokens per parameter is 192 (laws.md 12.3)", "[golden][minicpm]") {
  CHECK(scalelaw::kMiniCpmTokensPerParameter == 192);
}
