#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/laws/shuai.h"

using scalelaw::ShuaiBatchLaw;

TEST_CASE("Shuai ratios are consistent: D = B S and N D ∝ C", "[shuai]") {
  const ShuaiBatchLaw law;
  for (double r : {0.5, 2.0, 10.0, 1e3}) {
    CAPTURE(r);
    CHECK(scalelaw::OptimalBatchRatio(law, r) * scalelaw::OptimalStepsRatio(law, r) ==
          Approx(scalelaw::OptimalTokensRatio(law, r)).epsilon(1e-13));
    CHECK(scalelaw::OptimalParamsRatio(law, r) * scalelaw::OptimalTokensRatio(law, r) == Approx(r).epsilon(1e-13));
  }
}

TEST_CASE("Shuai ratios grow with compute and are 1 at a ratio of 1", "[shuai]") {
  const ShuaiBatchLaw law;
  CHECK(scalelaw::OptimalBatchRatio(law, 1) == 1.0);
  CHECK(scalelaw::OptimalParamsRatio(law, 1) == 1.0);
  CHECK(scalelaw::OptimalBatchRatio(law, 10) > 1.0);
  CHECK(scalelaw::OptimalBatchRatio(law, 0.1) < 1.0);
  // The batch grows far more slowly than the steps.
  CHECK(scalelaw::OptimalBatchRatio(law, 100) < scalelaw::OptimalStepsRatio(law, 100));
  CHECK(scalelaw::OptimalBatchRatio(law, 100) == Approx(std::pow(100.0, 0.102)).epsilon(1e-14));
}

TEST_CASE("Shuai rejects invalid input with InvalidArgument", "[shuai]") {
  const ShuaiBatchLaw law;
  CHECK_THROWS_AS(scalelaw::OptimalBatchRatio(law, 0), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::OptimalParamsRatio(law, -2), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::OptimalTokensRatio(law, std::nan("")), scalelaw::InvalidArgument);
  CHECK_THROWS_WITH(scalelaw::OptimalStepsRatio(law, -1), Catch::Contains("compute ratio"));
  ShuaiBatchLaw broken;
  broken.batch_exponent = 1e3;
  CHECK_THROWS_AS(scalelaw::OptimalBatchRatio(broken, 1e10), scalelaw::InvalidArgument);
}

TEST_CASE("Shuai registry record", "[shuai][law-info]") {
  const auto& infos = scalelaw::ShuaiLawInfos();
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].name == "shuai-batch");
  CHECK(infos[0].family == "shuai");
  CHECK(infos[0].quantity == scalelaw::Quantity::kBatchSize);
  CHECK(infos[0].citation.arxiv == "2412.01505");
  CHECK(infos[0].confidence.find("[U]") != std::string_view::npos);
  REQUIRE(infos[0].constants.size() == 4);
  CHECK(infos[0].constants[3].second == 0.102);
}
