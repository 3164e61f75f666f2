// The MiniCPM batch-size law bs = 1.21e9 / L^6.24 tokens (Hu et al. 2024, arXiv:2404.06395, "Optimal Batch
// Size") at C4 losses 2 to 3.5 (worked examples; 3.98e6 at L = 2.5 is close to MiniCPM-2.4B's ~4M-token batch),
// and the paper's average compute-optimal D/N of 192.
#include <catch2/catch.hpp>

#include "scalelaw/laws/minicpm.h"
#include "support/printed_number.h"

using scalelaw::testing::RoundsTo;

TEST_CASE("MiniCPM optimal batch at C4 loss 2 to 3.5, worked example", "[golden][minicpm]") {
  const scalelaw::MiniCpmBatchLaw law;
  CHECK(RoundsTo(scalelaw::OptimalBatchTokens(law, 2.0), "1.6009e7"));
  CHECK(RoundsTo(scalelaw::OptimalBatchTokens(law, 2.5), "3.9778e6"));
  CHECK(RoundsTo(scalelaw::OptimalBatchTokens(law, 3.0), "1.2751e6"));
  CHECK(RoundsTo(scalelaw::OptimalBatchTokens(law, 3.5), "4.8730e5"));
}

TEST_CASE("MiniCPM compute-optimal tokens per parameter is 192", "[golden][minicpm]") {
  CHECK(scalelaw::kMiniCpmTokensPerParameter == 192);
}
