// Worked examples of the horizon-transfer rule of Bjorck et al. 2025 (arXiv:2409.19913, rule-of-thumb exponent
// beta = 0.32): the LR ratio for horizons ×2, ×4, ×10, ×100, and a 10B → 100B transfer.
#include <catch2/catch.hpp>

#include "scalelaw/laws/horizon_transfer.h"
#include "support/printed_number.h"

using scalelaw::HorizonLearningRateRatio;
using scalelaw::TransferLearningRate;
using scalelaw::testing::RoundsTo;

TEST_CASE("Bjorck horizon ratios at beta = 0.32", "[golden][bjorck]") {
  struct Row {
    double horizon;
    const char* ratio;
  };
  const Row rows[] = {{2, "0.8011"}, {4, "0.6417"}, {10, "0.4786"}, {100, "0.2291"}};
  for (const Row& row : rows) {
    CAPTURE(row.horizon);
    CHECK(RoundsTo(HorizonLearningRateRatio(row.horizon), row.ratio));
    // The same ratio through TransferLearningRate, from an LR of 1 at 1e9 tokens.
    CHECK(RoundsTo(TransferLearningRate(1.0, 1e9, row.horizon * 1e9), row.ratio));
  }
}

TEST_CASE("Bjorck example: LR* 1e-3 at 10B tokens moves to 4.786e-4 at 100B", "[golden][bjorck]") {
  CHECK(RoundsTo(TransferLearningRate(1e-3, 10e9, 100e9), "4.786e-4"));
  CHECK(RoundsTo(TransferLearningRate(1e-3, 10e9, 100e9, 0.32), "4.786e-4"));
}
