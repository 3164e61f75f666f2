// Worked examples of the Kaplan et al. 2020 laws (arXiv:2001.08361): each value is the law evaluated in double
// precision with the paper's constants (Table 5, Table 2 with Eq. 1.5, Eq. 1.4, Eq. D.1, Table 6, Eq. B.16) and
// checked to the digits shown; where the paper states a value itself, the test says so.
#include <catch2/catch.hpp>

#include "scalelaw/laws/kaplan.h"
#include "support/printed_number.h"

using scalelaw::KaplanLaw;
using scalelaw::testing::RoundsTo;

TEST_CASE("Kaplan single-variable laws L(N), L(D), L(C_min) with the Table 5 constants", "[golden][kaplan]") {
  const KaplanLaw law;
  CHECK(RoundsTo(scalelaw::LossFromParams(law, 1e9), "2.3756"));
  CHECK(RoundsTo(scalelaw::LossFromParams(law, 85e6), "2.8651"));
  CHECK(RoundsTo(scalelaw::LossFromTokens(law, 22e9), "2.0992"));
  CHECK(RoundsTo(scalelaw::LossFromTokens(law, 3e11), "1.6378"));
  CHECK(RoundsTo(scalelaw::LossFromMinimumCompute(law, 1), "2.658"));
}

TEST_CASE("Kaplan joint L(N, D) of Eq. 1.5 with the Table 2 constants", "[golden][kaplan]") {
  const KaplanLaw law;
  CHECK(RoundsTo(scalelaw::Loss(law, 1e9, 22e9), "2.3693"));
  CHECK(RoundsTo(scalelaw::Loss(law, 1.5e9, 2.29e10), "2.3103"));
  CHECK(RoundsTo(scalelaw::Loss(law, 175e9, 300e9), "1.6610"));
}

TEST_CASE("Kaplan critical batch with B_* = 2e8 (Eq. 1.4) and 2.1e8 (Table 5)", "[golden][kaplan]") {
  KaplanLaw table5;
  CHECK(table5.B_star == 2.1e8);
  KaplanLaw eq14;
  eq14.B_star = 2e8;
  struct Row {
    double loss;
    const char *rounded, *table;
  };
  const Row rows[] = {{2.0, "7.371e6", "7.740e6"},
                      {2.5, "2.547e6", "2.675e6"},
                      {3.0, "1.069e6", "1.123e6"},
                      {4.0, "2.717e5", "2.853e5"}};
  for (const Row& row : rows) {
    CAPTURE(row.loss);
    CHECK(RoundsTo(scalelaw::CriticalBatchTokens(eq14, row.loss), row.rounded));
    CHECK(RoundsTo(scalelaw::CriticalBatchTokens(table5, row.loss), row.table));
  }
  // "B_crit roughly doubles for every 13% drop in loss (0.87^(-1/0.21) = 1.94)".
  CHECK(
      RoundsTo(scalelaw::CriticalBatchTokens(table5, 0.87 * 3.0) / scalelaw::CriticalBatchTokens(table5, 3.0), "1.94"));
}

TEST_CASE("Kaplan LR rule of Eq. D.1 (natural log)", "[golden][kaplan]") {
  const KaplanLaw law;
  CHECK(RoundsTo(scalelaw::OptimalLearningRate(law, 85e6), "6.920e-4"));
  CHECK(RoundsTo(scalelaw::OptimalLearningRate(law, 1e8), "6.693e-4"));
  CHECK(RoundsTo(scalelaw::OptimalLearningRate(law, 3.5e8), "4.946e-4"));
  CHECK(RoundsTo(scalelaw::OptimalLearningRate(law, 1e9), "3.481e-4"));
  CHECK(RoundsTo(scalelaw::OptimalLearningRate(law, 1e10), "2.69e-5"));
  // A 7B model has about 6.5e9 non-embedding parameters: 8.70e-5, outside the rule's validity.
  CHECK(RoundsTo(scalelaw::OptimalLearningRate(law, 6.5e9), "8.70e-5"));
  // The rule reaches zero at exp(0.003239/0.0001395) = 1.21e10.
  CHECK(RoundsTo(scalelaw::LearningRateRuleLimit(law), "1.21e10"));
  CHECK_THROWS_WITH(scalelaw::OptimalLearningRate(law, 1.3e10), Catch::Contains("breaks down at N >= 1.21262e+10"));
}

TEST_CASE("Kaplan Table 6 allocation at 1 and 1e3 PF-days", "[golden][kaplan]") {
  const KaplanLaw law;
  const scalelaw::KaplanAllocation one = scalelaw::ComputeEfficientAllocation(law, 1);
  CHECK(one.pf_days == 1);
  CHECK(RoundsTo(one.params, "1.3e9"));
  CHECK(RoundsTo(one.critical_batch_tokens, "2e6"));
  CHECK(RoundsTo(one.steps, "5400"));
  CHECK(RoundsTo(one.tokens, "2e10"));
  const scalelaw::KaplanAllocation big = scalelaw::ComputeEfficientAllocation(law, 1e3);
  CHECK(RoundsTo(big.params, "2.013e11"));
  CHECK(RoundsTo(big.critical_batch_tokens, "1.05e7"));
  CHECK(RoundsTo(big.steps, "6643"));
  CHECK(RoundsTo(big.tokens, "1.291e11"));
  // The theory value with the Table 5 exponents: alpha_C^min = 1/(1/alpha_S + 1/alpha_B + 1/alpha_N) = 0.0520.
  CHECK(RoundsTo(1 / (1 / law.alpha_S + 1 / law.alpha_B + 1 / law.alpha_N), "0.0520"));
  CHECK(scalelaw::kFlopsPerPetaflopDay == 8.64e19);
}

TEST_CASE("Kaplan Eq. B.16 excess compute of a suboptimal model size", "[golden][kaplan]") {
  const KaplanLaw law;
  // Paper: "+20% compute, 45% fewer steps" at 2.2x the compute-efficient size.
  CHECK(RoundsTo(scalelaw::ExcessComputeFactor(law, 2.2), "1.2035"));
  CHECK(RoundsTo(scalelaw::StepsFactor(law, 2.2), "0.547"));
  CHECK(RoundsTo(scalelaw::ExcessComputeFactor(law, 0.6), "1.1645"));
}
