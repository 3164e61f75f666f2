#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/laws/bnsl.h"
#include "support/law_record.h"

using scalelaw::BrokenPowerLaw;
using scalelaw::Evaluate;

TEST_CASE("BNSL with no break is a power law plus a constant", "[bnsl]") {
  const BrokenPowerLaw law{0.5, 3.0, 0.25, {}, {}, {}};
  CHECK(Evaluate(law, 16) == Approx(0.5 + 3.0 / 2).epsilon(1e-15));
}

TEST_CASE("BNSL log-log slope changes by c_1 across a break", "[bnsl]") {
  const BrokenPowerLaw law{0, 1, 0.2, {0.3}, {1e6}, {0.5}};
  auto slope = [&](double x) { return std::log(Evaluate(law, x * 1.01) / Evaluate(law, x)) / std::log(1.01); };
  CHECK(slope(1) == Approx(-0.2).margin(1e-4));
  CHECK(slope(1e12) == Approx(-0.5).margin(1e-4));
}

TEST_CASE("BNSL sharp breaks do not overflow", "[bnsl]") {
  const BrokenPowerLaw law = scalelaw::BrokenPowerLawFigure1();
  const double y = Evaluate(law, 1e300);  // (x/d)^(1/0.05) would overflow evaluated directly
  CHECK(y == Approx(law.a).epsilon(1e-9));
}

TEST_CASE("BNSL invalid input throws InvalidArgument", "[bnsl]") {
  const BrokenPowerLaw law = scalelaw::BrokenPowerLawFigure1();
  CHECK_THROWS_AS(Evaluate(law, 0), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(Evaluate(BrokenPowerLaw{0, 1, 0.2, {0.3, 0.1}, {1e6}, {0.5}}, 10), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(Evaluate(BrokenPowerLaw{0, 1, 0.2, {0.3}, {1e6}, {0}}, 10), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(Evaluate(BrokenPowerLaw{0, 1, 0.2, {0.3}, {-1}, {0.5}}, 10), scalelaw::InvalidArgument);
}

TEST_CASE("BNSL LawInfo record publishes no constants", "[bnsl][law-info]") {
  const auto& infos = scalelaw::BrokenPowerLawInfos();
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].name == "bnsl");
  CHECK(scalelaw::testing::PublishesNoConstants(infos[0]));
}
