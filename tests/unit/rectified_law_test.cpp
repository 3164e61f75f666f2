#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/laws/rectified.h"
#include "support/law_record.h"

using scalelaw::RectifiedLaw;

TEST_CASE("Rectified law: D_l flattens the small-data regime, D_l = 0 is the vanilla law", "[rectified]") {
  const RectifiedLaw vanilla{10, 0.5, 1.2, 0.4, 0};
  const RectifiedLaw rectified{10, 0.5, 1.2, 0.4, 50};
  for (double d : {1.0, 1e2, 1e4}) {
    CHECK(scalelaw::Loss(vanilla, d) == Approx(std::pow(10 / std::pow(d, 0.4) + 0.5, 1.2)).epsilon(1e-14));
    CHECK(scalelaw::Loss(rectified, d) < scalelaw::Loss(vanilla, d));
  }
  // Pre-power phase: between D = 1 and 10 the rectified loss barely moves, the vanilla one drops.
  const double rectified_drop = scalelaw::Loss(rectified, 1) - scalelaw::Loss(rectified, 10);
  const double vanilla_drop = scalelaw::Loss(vanilla, 1) - scalelaw::Loss(vanilla, 10);
  CHECK(rectified_drop < 0.1 * vanilla_drop);
  // Monotone decreasing towards E^alpha.
  CHECK(scalelaw::Loss(rectified, 1e5) < scalelaw::Loss(rectified, 1e4));
  CHECK(scalelaw::Loss(rectified, 1e30) == Approx(std::pow(0.5, 1.2)).epsilon(1e-6));
}

TEST_CASE("Rectified law invalid input throws InvalidArgument", "[rectified]") {
  CHECK_THROWS_AS(scalelaw::Loss(RectifiedLaw{10, 0.5, 1, 0.5, 0}, 0), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::Loss(RectifiedLaw{10, 0.5, 1, 0.5, -5}, 4), scalelaw::InvalidArgument);  // 2 - 5 < 0
  CHECK_THROWS_AS(scalelaw::Loss(RectifiedLaw{1, -2, 0.5, 0.5, 0}, 4), scalelaw::InvalidArgument);   // base < 0
}

TEST_CASE("Rectified LawInfo record publishes no constants", "[rectified][law-info]") {
  const auto& infos = scalelaw::RectifiedLawInfos();
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].name == "rectified-finetune");
  CHECK(scalelaw::testing::PublishesNoConstants(infos[0]));
  CHECK_THAT(std::string(infos[0].confidence), Catch::Contains("NO published"));
}
