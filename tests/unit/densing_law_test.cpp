#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/laws/densing.h"

TEST_CASE("Densing helpers are mutually consistent", "[densing]") {
  for (double months : {1.0, 3.3, 3.5, 12.0}) {
    const double a = scalelaw::GrowthPerDayFromDoublingMonths(months);
    CHECK(scalelaw::DensityDoublingMonths(a) == Approx(months).epsilon(1e-14));
    CHECK(scalelaw::DensityDoublingDays(a) == Approx(months * 30.4375).epsilon(1e-14));
    // Growth per year is 2^(365 / doubling days).
    CHECK(scalelaw::DensityGrowthPerYear(a) == Approx(std::pow(2.0, 365 / (months * 30.4375))).epsilon(1e-13));
  }
  // Faster growth: shorter doubling, larger yearly factor.
  CHECK(scalelaw::DensityDoublingDays(0.01) < scalelaw::DensityDoublingDays(0.005));
  CHECK(scalelaw::DensityGrowthPerYear(0.01) > scalelaw::DensityGrowthPerYear(0.005));
  CHECK(scalelaw::ParamsForEqualQuality(1e9, 0.007, 0) == 1e9);
}

TEST_CASE("Densing helpers reject non-positive rates", "[densing]") {
  CHECK_THROWS_AS(scalelaw::DensityDoublingDays(0), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::DensityGrowthPerYear(-0.007), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::GrowthPerDayFromDoublingMonths(std::nan("")), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::ParamsForEqualQuality(1e9, 0.007, HUGE_VAL), scalelaw::InvalidArgument);
}

TEST_CASE("Densing LawInfo record", "[densing][law-info]") {
  const auto& infos = scalelaw::DensingLawInfos();
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].name == "densing");
  CHECK(infos[0].family == "densing");
  CHECK(infos[0].quantity == scalelaw::Quantity::kDownstream);
  REQUIRE(infos[0].constants.size() == 2);
  CHECK(infos[0].constants[0].second == 0.007);
  CHECK(infos[0].constants[1].second == Approx(0.0065065).epsilon(1e-4));
}
