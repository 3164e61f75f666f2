#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "scalelaw/laws/minicpm.h"

using scalelaw::InvalidArgument;
using scalelaw::MiniCpmBatchLaw;

TEST_CASE("MiniCPM batch grows as the target loss falls, as L^-6.24", "[minicpm]") {
  const MiniCpmBatchLaw law;
  CHECK(scalelaw::OptimalBatchTokens(law, 1.0) == Approx(1.21e9).epsilon(1e-15));
  CHECK(scalelaw::OptimalBatchTokens(law, 2.4) > scalelaw::OptimalBatchTokens(law, 2.5));
  CHECK(scalelaw::OptimalBatchTokens(law, 2.0) / scalelaw::OptimalBatchTokens(law, 4.0) ==
        Approx(std::pow(2.0, 6.24)).epsilon(1e-12));
  const MiniCpmBatchLaw other{2e9, 5.0};
  CHECK(scalelaw::OptimalBatchTokens(other, 2.0) == Approx(2e9 / 32).epsilon(1e-15));
}

TEST_CASE("MiniCPM batch rejects invalid losses", "[minicpm]") {
  const MiniCpmBatchLaw law;
  CHECK_THROWS_AS(scalelaw::OptimalBatchTokens(law, 0), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::OptimalBatchTokens(law, -2.5), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::OptimalBatchTokens(law, std::numeric_limits<double>::quiet_NaN()), InvalidArgument);
  CHECK_THROWS_WITH(scalelaw::OptimalBatchTokens(law, -2.5), Catch::Contains("C4 loss") && Catch::Contains("-2.5"));
}

TEST_CASE("The MiniCPM record carries the batch-law constants", "[minicpm][law-info]") {
  const auto& infos = scalelaw::MiniCpmLawInfos();
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].name == "minicpm-batch");
  CHECK(infos[0].family == "minicpm");
  CHECK(infos[0].quantity == scalelaw::Quantity::kBatchSize);
  CHECK(infos[0].citation.arxiv == "2404.06395");
  REQUIRE(infos[0].constants.size() == 2);
  CHECK(infos[0].constants[0].first == "coefficient");
  CHECK(infos[0].constants[0].second == 1.21e9);
  CHECK(infos[0].constants[1].first == "exponent");
  CHECK(infos[0].constants[1].second == 6.24);
}
