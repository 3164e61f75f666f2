#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/laws/overtraining.h"
#include "support/law_record.h"

using scalelaw::OvertrainingLaw;

TEST_CASE("Gadre L(C, M) equals L(N, D) along C = 6 N D for any M", "[gadre]") {
  const OvertrainingLaw law{1.9, 480, 2100, 0.18};
  for (double c : {1e19, 1e22}) {
    for (double m : {5.0, 20.0, 640.0}) {
      const double n = std::sqrt(c / (6 * m));
      CHECK(scalelaw::Loss(law, c, m) == Approx(scalelaw::ParametricLoss(law, n, m * n)).epsilon(1e-13));
    }
  }
}

TEST_CASE("Gadre: the optimal multiplier is (b/a)^(1/(2 eta)), over-training costs loss", "[gadre]") {
  const OvertrainingLaw law{1.9, 480, 2100, 0.18};
  const scalelaw::OvertrainingCoefficients x = scalelaw::ComputeFormCoefficients(law);
  const double m_opt = std::pow(x.b / x.a, 1 / (2 * law.eta));
  const double best = scalelaw::Loss(law, 1e21, m_opt);
  CHECK(scalelaw::Loss(law, 1e21, m_opt * 1.1) > best);
  CHECK(scalelaw::Loss(law, 1e21, m_opt / 1.1) > best);
  CHECK(scalelaw::Loss(law, 1e21, 32 * m_opt) > scalelaw::Loss(law, 1e21, 4 * m_opt));
  // More compute at a fixed multiplier lowers the loss towards E.
  CHECK(scalelaw::Loss(law, 1e23, 20) < scalelaw::Loss(law, 1e21, 20));
}

TEST_CASE("Gadre downstream error decreases with loss and tends to eps", "[gadre]") {
  CHECK(scalelaw::DownstreamError(2.0, 0.75, 5.0, 1.5) == Approx(0.75 - 5 * std::exp(-3.0)).epsilon(1e-15));
  CHECK(scalelaw::DownstreamError(2.0, 0.75, 5.0, 1.5) < scalelaw::DownstreamError(3.0, 0.75, 5.0, 1.5));
  CHECK(scalelaw::DownstreamError(100.0, 0.75, 5.0, 1.5) == Approx(0.75).epsilon(1e-12));
  CHECK_THROWS_AS(scalelaw::DownstreamError(0, 0.75, 5.0, 1.5), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::DownstreamError(2.0, std::nan(""), 5.0, 1.5), scalelaw::InvalidArgument);
}

TEST_CASE("Gadre invalid input throws and the LawInfo publishes no constants", "[gadre][law-info]") {
  const OvertrainingLaw law{1.9, 480, 2100, 0.18};
  CHECK_THROWS_AS(scalelaw::Loss(law, 0, 20), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::Loss(law, 1e21, -1), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::ParametricLoss(law, 1e9, 0), scalelaw::InvalidArgument);
  const auto& infos = scalelaw::OvertrainingLawInfos();
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].name == "gadre-overtraining");
  CHECK(infos[0].quantity == scalelaw::Quantity::kLoss);
  CHECK(scalelaw::testing::PublishesNoConstants(infos[0]));
}
