#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <string>

#include "scalelaw/laws/kaplan.h"

using scalelaw::InvalidArgument;
using scalelaw::KaplanLaw;

TEST_CASE("Kaplan L(N, D) falls with N and D and tends to its one-variable limits", "[kaplan]") {
  const KaplanLaw law;
  CHECK(scalelaw::Loss(law, 2e9, 2e10) < scalelaw::Loss(law, 1e9, 2e10));
  CHECK(scalelaw::Loss(law, 1e9, 4e10) < scalelaw::Loss(law, 1e9, 2e10));
  // D → ∞ leaves (N_c/N)^alpha_N, N → ∞ leaves (D_c/D)^alpha_D, with the Table 2 constants.
  CHECK(scalelaw::Loss(law, 1e9, 1e300) == Approx(std::pow(6.4e13 / 1e9, 0.076)).epsilon(1e-12));
  CHECK(scalelaw::Loss(law, 1e300, 1e10) == Approx(std::pow(1.8e13 / 1e10, 0.103)).epsilon(1e-12));
  // The joint law uses Table 2, not Table 5: at D → ∞ it differs from L(N) = (8.8e13/N)^0.076.
  CHECK(scalelaw::Loss(law, 1e9, 1e300) < scalelaw::LossFromParams(law, 1e9) - 0.05);
}

TEST_CASE("Kaplan single-variable laws are the Table 5 power laws", "[kaplan]") {
  const KaplanLaw law;
  CHECK(scalelaw::LossFromParams(law, law.N_c) == Approx(1.0).epsilon(1e-15));
  CHECK(scalelaw::LossFromTokens(law, law.D_c) == Approx(1.0).epsilon(1e-15));
  CHECK(scalelaw::LossFromMinimumCompute(law, law.C_c_min) == Approx(1.0).epsilon(1e-15));
  CHECK(scalelaw::LossFromCompute(law, law.C_c) == Approx(1.0).epsilon(1e-15));
  CHECK(scalelaw::LossFromParams(law, 1e7) / scalelaw::LossFromParams(law, 1e8) == Approx(std::pow(10.0, 0.076)));
  CHECK(scalelaw::LossFromTokens(law, 1e9) / scalelaw::LossFromTokens(law, 1e10) == Approx(std::pow(10.0, 0.095)));
  CHECK(scalelaw::LossFromMinimumCompute(law, 1) / scalelaw::LossFromMinimumCompute(law, 10) ==
        Approx(std::pow(10.0, 0.050)));
  CHECK(scalelaw::LossFromCompute(law, 1) / scalelaw::LossFromCompute(law, 10) == Approx(std::pow(10.0, 0.057)));
}

TEST_CASE("Kaplan critical batch grows as the loss falls and scales with B_*", "[kaplan]") {
  KaplanLaw law;
  CHECK(scalelaw::CriticalBatchTokens(law, 1.0) == Approx(2.1e8).epsilon(1e-15));
  CHECK(scalelaw::CriticalBatchTokens(law, 2.0) > scalelaw::CriticalBatchTokens(law, 2.1));
  CHECK(scalelaw::CriticalBatchTokens(law, 2.0) / scalelaw::CriticalBatchTokens(law, 4.0) ==
        Approx(std::pow(2.0, 1 / 0.21)));
  const double table5 = scalelaw::CriticalBatchTokens(law, 3.0);
  law.B_star = 2e8;
  CHECK(scalelaw::CriticalBatchTokens(law, 3.0) == Approx(table5 * 2.0 / 2.1).epsilon(1e-14));
}

TEST_CASE("Kaplan LR falls with N and refuses sizes where the rule gives LR <= 0", "[kaplan]") {
  const KaplanLaw law;
  CHECK(scalelaw::OptimalLearningRate(law, 1e7) > scalelaw::OptimalLearningRate(law, 1e8));
  // Natural log: one e-fold of N lowers LR by exactly lr_slope.
  CHECK(scalelaw::OptimalLearningRate(law, 1e8) - scalelaw::OptimalLearningRate(law, 1e8 * std::exp(1.0)) ==
        Approx(0.0001395).epsilon(1e-9));
  const double limit = scalelaw::LearningRateRuleLimit(law);
  CHECK(scalelaw::OptimalLearningRate(law, limit * 0.999) > 0);
  CHECK_THROWS_AS(scalelaw::OptimalLearningRate(law, limit * 1.001), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::OptimalLearningRate(law, 1e12), InvalidArgument);
  CHECK_THROWS_WITH(scalelaw::OptimalLearningRate(law, 1e12), Catch::Contains("breaks down"));
  CHECK_THROWS_WITH(scalelaw::OptimalLearningRate(law, 1e12), Catch::Contains("N = 1e+12"));
}

TEST_CASE("Kaplan Table 6 allocation scales as its exponents", "[kaplan]") {
  const KaplanLaw law;
  const scalelaw::KaplanAllocation a = scalelaw::ComputeEfficientAllocation(law, 10);
  const scalelaw::KaplanAllocation b = scalelaw::ComputeEfficientAllocation(law, 100);
  CHECK(b.pf_days == 100);
  CHECK(b.params / a.params == Approx(std::pow(10.0, 0.73)));
  CHECK(b.critical_batch_tokens / a.critical_batch_tokens == Approx(std::pow(10.0, 0.24)));
  CHECK(b.steps / a.steps == Approx(std::pow(10.0, 0.03)));
  CHECK(b.tokens / a.tokens == Approx(std::pow(10.0, 0.27)));
  // Training at B_crit takes about 2 S_min steps (Eq. 6.7): D_opt is within 10% of 2 B_crit S_min at 1 PF-day.
  const scalelaw::KaplanAllocation one = scalelaw::ComputeEfficientAllocation(law, 1);
  CHECK(one.tokens / (2 * one.critical_batch_tokens * one.steps) == Approx(1.0).epsilon(0.1));
}

TEST_CASE("Eq. B.16: the compute-efficient size needs the least compute", "[kaplan]") {
  const KaplanLaw law;
  CHECK(scalelaw::ExcessComputeFactor(law, 1.0) == Approx(1.0).epsilon(1e-15));
  CHECK(scalelaw::StepsFactor(law, 1.0) == Approx(1.0).epsilon(1e-15));
  for (double ratio : {0.3, 0.5, 0.9, 1.1, 2.0, 5.0, 20.0}) {
    CAPTURE(ratio);
    CHECK(scalelaw::ExcessComputeFactor(law, ratio) > 1.0);
    CHECK(scalelaw::ExcessComputeFactor(law, ratio) == Approx(ratio * scalelaw::StepsFactor(law, ratio)));
  }
  // Larger models need fewer steps.
  CHECK(scalelaw::StepsFactor(law, 3.0) < scalelaw::StepsFactor(law, 2.0));
  CHECK(scalelaw::StepsFactor(law, 0.5) > 1.0);
  // Below (1 + alpha_N/alpha_S)^(-1/alpha_N) = 0.2853 a model never reaches the loss.
  CHECK(std::isfinite(scalelaw::ExcessComputeFactor(law, 0.29)));
  CHECK_THROWS_AS(scalelaw::ExcessComputeFactor(law, 0.28), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::StepsFactor(law, 0.1), InvalidArgument);
  CHECK_THROWS_WITH(scalelaw::StepsFactor(law, 0.1), Catch::Contains("N/N_eff > 0.285"));
}

TEST_CASE("Kaplan functions reject invalid input with InvalidArgument", "[kaplan]") {
  const KaplanLaw law;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  CHECK_THROWS_AS(scalelaw::Loss(law, 0, 1e9), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::Loss(law, 1e9, -1), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::Loss(law, nan, 1e9), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::LossFromParams(law, -1), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::LossFromTokens(law, inf), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::LossFromMinimumCompute(law, 0), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::LossFromCompute(law, nan), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::CriticalBatchTokens(law, 0), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::OptimalLearningRate(law, 0), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::ComputeEfficientAllocation(law, -5), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::ExcessComputeFactor(law, 0), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::StepsFactor(law, nan), InvalidArgument);
  CHECK_THROWS_WITH(scalelaw::Loss(law, -2, 1e9), Catch::Contains("non-embedding") && Catch::Contains("-2"));
  CHECK_THROWS_WITH(scalelaw::ComputeEfficientAllocation(law, -5), Catch::Contains("PF-days"));
}

TEST_CASE("Kaplan registry records carry the struct's constants", "[kaplan][law-info]") {
  const auto& infos = scalelaw::KaplanLawInfos();
  REQUIRE(infos.size() == 4);
  const KaplanLaw law;
  auto constant = [](const scalelaw::LawInfo& info, std::string_view key) {
    for (const auto& c : info.constants) {
      if (c.first == key) return c.second;
    }
    FAIL("missing constant " << std::string(key) << " in " << std::string(info.name));
    return 0.0;
  };
  struct Expected {
    const char* name;
    scalelaw::Quantity quantity;
  };
  const Expected expected[] = {{"kaplan-loss", scalelaw::Quantity::kLoss},
                               {"kaplan-lr", scalelaw::Quantity::kLearningRate},
                               {"kaplan-batch", scalelaw::Quantity::kBatchSize},
                               {"kaplan-allocation", scalelaw::Quantity::kAllocation}};
  for (std::size_t i = 0; i < 4; ++i) {
    CAPTURE(i);
    CHECK(infos[i].name == expected[i].name);
    CHECK(infos[i].family == "kaplan");
    CHECK(infos[i].quantity == expected[i].quantity);
    CHECK(infos[i].citation.arxiv == "2001.08361");
    CHECK(infos[i].citation.year == 2020);
    CHECK_FALSE(infos[i].formula.empty());
    CHECK_FALSE(infos[i].confidence.empty());
    CHECK(infos[i].range.params_min == 768);
    CHECK(infos[i].range.params_max == 1.5e9);
  }
  CHECK(constant(infos[0], "joint_alpha_D") == law.joint_alpha_D);
  CHECK(constant(infos[0], "joint_N_c") == 6.4e13);
  CHECK(constant(infos[1], "lr_intercept") == 0.003239);
  CHECK(constant(infos[1], "lr_slope") == 0.0001395);
  CHECK(constant(infos[2], "B_star") == 2.1e8);
  CHECK(constant(infos[2], "alpha_B") == 0.21);
  CHECK(constant(infos[3], "opt_params_exponent") == 0.73);
  CHECK(constant(infos[3], "opt_tokens_coefficient") == 2e10);
  CHECK(infos[0].params_definition.find("non-embedding") != std::string_view::npos);
}
