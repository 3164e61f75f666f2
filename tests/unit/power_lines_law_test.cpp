#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/laws/power_lines.h"

using scalelaw::OptimalTimescale;
using scalelaw::OptimalWeightDecay;
using scalelaw::PowerLinesLaw;
using scalelaw::TimescaleEpochs;
using scalelaw::TimescaleIterations;

TEST_CASE("Power Lines tau_opt falls with tokens per parameter", "[power-lines]") {
  const PowerLinesLaw law;
  CHECK(OptimalTimescale(law, 200) < OptimalTimescale(law, 20));
  CHECK(OptimalTimescale(law, 40) / OptimalTimescale(law, 20) == Approx(std::pow(2.0, -0.527)).epsilon(1e-13));
}

TEST_CASE("Power Lines weight decay is linear in B and inverse in eta (Finding 1)", "[power-lines]") {
  const PowerLinesLaw law;
  const double base = OptimalWeightDecay(law, 1e9, 2e10, 1 << 20, 1e-3);
  CHECK(OptimalWeightDecay(law, 1e9, 2e10, 1 << 21, 1e-3) == Approx(2 * base).epsilon(1e-13));
  CHECK(OptimalWeightDecay(law, 1e9, 2e10, 1 << 20, 2e-3) == Approx(base / 2).epsilon(1e-13));
  // N enters only through D/N: at the same TPP, doubling D halves lambda (same tau, twice the steps' worth).
  CHECK(OptimalWeightDecay(law, 2e9, 4e10, 1 << 20, 1e-3) == Approx(base / 2).epsilon(1e-13));
  // At fixed N and B, 10x the tokens: lambda ∝ 1 / (D tau_opt(D/N)) ∝ D^(-1 + 0.527).
  CHECK(OptimalWeightDecay(law, 1e9, 2e11, 1 << 20, 1e-3) == Approx(base * std::pow(10.0, -0.473)).epsilon(1e-13));
}

TEST_CASE("Power Lines timescales: tau_epoch = tau_iter B / D, and the optimum's timescale is tau_opt",
          "[power-lines]") {
  CHECK(TimescaleIterations(1e-3, 0.1) == Approx(1e4).epsilon(1e-13));
  CHECK(TimescaleEpochs(1e-3, 0.1, 1e6, 1e10) == Approx(1e4 * 1e6 / 1e10).epsilon(1e-13));
  const PowerLinesLaw law;
  for (double tpp : {5.0, 20.0, 300.0}) {
    const double n = 5e8, d = tpp * n, batch = 5e5, lr = 2e-3;
    const double lambda = OptimalWeightDecay(law, n, d, batch, lr);
    CHECK(TimescaleEpochs(lr, lambda, batch, d) == Approx(OptimalTimescale(law, tpp)).epsilon(1e-12));
  }
}

TEST_CASE("Power Lines batch ratio rules", "[power-lines]") {
  const PowerLinesLaw law;
  CHECK(scalelaw::OptimalBatchRatio(law, 1) == 1.0);
  CHECK(scalelaw::CriticalBatchRatio(law, 1) == 1.0);
  // B_crit grows faster with D than B_opt.
  CHECK(scalelaw::CriticalBatchRatio(law, 100) > scalelaw::OptimalBatchRatio(law, 100));
  CHECK(scalelaw::OptimalBatchRatio(law, 0.1) * scalelaw::OptimalBatchRatio(law, 10) == Approx(1.0).epsilon(1e-14));
  CHECK(scalelaw::ScaleOptimalBatch(law, 1 << 19, 1e10, 1e11) ==
        Approx((1 << 19) * std::pow(10.0, 0.383)).epsilon(1e-13));
}

TEST_CASE("Power Lines rejects invalid input with InvalidArgument", "[power-lines]") {
  const PowerLinesLaw law;
  CHECK_THROWS_AS(OptimalTimescale(law, 0), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(OptimalWeightDecay(law, -1, 2e10, 1e6, 1e-3), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(OptimalWeightDecay(law, 1e9, 2e10, 0, 1e-3), scalelaw::InvalidArgument);
  CHECK_THROWS_WITH(OptimalWeightDecay(law, 1e9, 2e10, 1e6, std::nan("")),
                    Catch::Contains("learning rate") && Catch::Contains("nan"));
  CHECK_THROWS_AS(TimescaleIterations(1e-3, 0), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(TimescaleEpochs(1e-3, 0.1, 1e6, -1), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::OptimalBatchRatio(law, -2), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::CriticalBatchRatio(law, 0), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::ScaleOptimalBatch(law, 0, 1e10, 1e11), scalelaw::InvalidArgument);
  // Overflow throws instead of returning inf.
  CHECK_THROWS_AS(TimescaleIterations(1e-300, 1e-300), scalelaw::InvalidArgument);
}

TEST_CASE("Power Lines registry records", "[power-lines][law-info]") {
  const auto& infos = scalelaw::PowerLinesLawInfos();
  REQUIRE(infos.size() == 2);
  CHECK(infos[0].name == "power-lines-wd");
  CHECK(infos[0].quantity == scalelaw::Quantity::kWeightDecay);
  CHECK(infos[1].name == "power-lines-batch");
  CHECK(infos[1].quantity == scalelaw::Quantity::kBatchSize);
  for (const auto& info : infos) {
    CHECK(info.family == "power-lines");
    CHECK(info.citation.arxiv == "2505.13738");
  }
  CHECK(infos[0].constants[0].second == 1.084);
  // The batch record ships exponents only.
  for (const auto& constant : infos[1].constants) CHECK(constant.first.find("exponent") != std::string_view::npos);
  CHECK(infos[1].confidence.find("[U]") != std::string_view::npos);
}
