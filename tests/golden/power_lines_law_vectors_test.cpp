// Worked examples of the Power Lines laws (Bergsma et al. 2025, arXiv:2505.13738; c_tau = 1.084, m_tau = -0.527):
// tau_opt by TPP, the weight decay of a 1B model at TPP 20 and 200, the batch-ratio exponents, and a 7B model
// trained on 2T tokens.
#include <catch2/catch.hpp>

#include "scalelaw/laws/power_lines.h"
#include "support/printed_number.h"

using scalelaw::OptimalTimescale;
using scalelaw::OptimalWeightDecay;
using scalelaw::PowerLinesLaw;
using scalelaw::TimescaleIterations;
using scalelaw::testing::RoundsTo;

TEST_CASE("Power Lines tau_opt by tokens per parameter", "[golden][power-lines]") {
  const PowerLinesLaw law;
  CHECK(RoundsTo(OptimalTimescale(law, 1), "1.0840"));
  CHECK(RoundsTo(OptimalTimescale(law, 20), "0.2236"));
  CHECK(RoundsTo(OptimalTimescale(law, 100), "0.0957"));
  CHECK(RoundsTo(OptimalTimescale(law, 1000), "0.0284"));
}

TEST_CASE("Power Lines weight decay: N = 1e9, B = 2^20 tokens, eta = 1e-3", "[golden][power-lines]") {
  const PowerLinesLaw law;
  const double n = 1e9, batch = 1048576, lr = 1e-3;
  SECTION("D = 2e10 (TPP 20)") {
    const double d = 2e10;
    CHECK(RoundsTo(d / batch, "19073.5"));  // S, optimizer steps
    const double lambda = OptimalWeightDecay(law, n, d, batch, lr);
    CHECK(RoundsTo(lambda, "0.2345"));
    CHECK(RoundsTo(TimescaleIterations(lr, lambda), "4264"));
    // The chosen lambda gives back tau_opt as a fraction of training.
    CHECK(scalelaw::TimescaleEpochs(lr, lambda, batch, d) == Approx(OptimalTimescale(law, 20)).epsilon(1e-12));
  }
  SECTION("D = 2e11 (TPP 200)") {
    const double d = 2e11;
    CHECK(RoundsTo(OptimalTimescale(law, d / n), "0.0664"));
    CHECK(RoundsTo(OptimalWeightDecay(law, n, d, batch, lr), "0.0789"));
  }
}

TEST_CASE("Power Lines batch ratios for 10x the tokens", "[golden][power-lines]") {
  const PowerLinesLaw law;
  CHECK(RoundsTo(scalelaw::OptimalBatchRatio(law, 10), "2.415"));
  CHECK(RoundsTo(scalelaw::CriticalBatchRatio(law, 10), "2.897"));
}

TEST_CASE("Power Lines at N 7e9, D 2e12, B 2^22, eta 3e-4", "[golden][power-lines]") {
  const PowerLinesLaw law;
  CHECK(RoundsTo(2e12 / 7e9, "285.7"));
  CHECK(RoundsTo(OptimalTimescale(law, 2e12 / 7e9), "0.05505"));
  CHECK(RoundsTo(OptimalWeightDecay(law, 7e9, 2e12, 4194304, 3e-4), "0.1270"));
}
