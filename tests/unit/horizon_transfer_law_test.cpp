#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/laws/horizon_transfer.h"

using scalelaw::HorizonLearningRateRatio;
using scalelaw::TransferLearningRate;

TEST_CASE("Horizon transfer lowers the LR for longer horizons and raises it for shorter", "[bjorck]") {
  CHECK(TransferLearningRate(3e-4, 1e10, 1e11) < 3e-4);
  CHECK(TransferLearningRate(3e-4, 1e11, 1e10) > 3e-4);
  CHECK(TransferLearningRate(3e-4, 5e10, 5e10) == 3e-4);
}

TEST_CASE("Horizon transfer is its own inverse and composes", "[bjorck]") {
  const double there = TransferLearningRate(6e-4, 2e10, 7e11);
  CHECK(TransferLearningRate(there, 7e11, 2e10) == Approx(6e-4).epsilon(1e-13));
  const double via = TransferLearningRate(TransferLearningRate(6e-4, 2e10, 1e11), 1e11, 7e11);
  CHECK(via == Approx(there).epsilon(1e-13));
}

TEST_CASE("Horizon transfer uses the exponent given", "[bjorck]") {
  CHECK(scalelaw::kBjorckHorizonExponent == 0.32);
  CHECK(TransferLearningRate(1e-3, 1e10, 4e10, 0.5) == Approx(5e-4).epsilon(1e-13));
  CHECK(TransferLearningRate(1e-3, 1e10, 4e10, 0.0) == 1e-3);
  CHECK(HorizonLearningRateRatio(8, 1.0 / 3) == Approx(0.5).epsilon(1e-13));
  // Only the ratio matters, not the unit of D.
  CHECK(TransferLearningRate(1e-3, 10, 100) == Approx(TransferLearningRate(1e-3, 1e10, 1e11)).epsilon(1e-14));
}

TEST_CASE("Horizon transfer rejects invalid input with InvalidArgument", "[bjorck]") {
  CHECK_THROWS_AS(TransferLearningRate(0, 1e10, 1e11), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(TransferLearningRate(1e-3, -1, 1e11), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(TransferLearningRate(1e-3, 1e10, std::nan("")), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(TransferLearningRate(1e-3, 1e10, 1e11, std::nan("")), scalelaw::InvalidArgument);
  CHECK_THROWS_WITH(TransferLearningRate(1e-3, 1e10, 1e11, INFINITY), Catch::Contains("exponent"));
  CHECK_THROWS_WITH(TransferLearningRate(-2e-3, 1e10, 1e11),
                    Catch::Contains("learning rate") && Catch::Contains("-0.002"));
  CHECK_THROWS_AS(HorizonLearningRateRatio(0), scalelaw::InvalidArgument);
  // Out of double range: throws instead of returning inf or 0.
  CHECK_THROWS_AS(HorizonLearningRateRatio(1e300, 2.0), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(TransferLearningRate(1e300, 1, 1e300, -1.0), scalelaw::InvalidArgument);
}

TEST_CASE("Horizon transfer registry record ships no joint-law prefactor", "[bjorck][law-info]") {
  const auto& infos = scalelaw::HorizonTransferLawInfos();
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].name == "bjorck-transfer");
  CHECK(infos[0].family == "bjorck");
  CHECK(infos[0].quantity == scalelaw::Quantity::kLearningRate);
  CHECK(infos[0].citation.arxiv == "2409.19913");
  REQUIRE(infos[0].constants.size() == 1);
  CHECK(infos[0].constants[0].first == "beta");
  CHECK(infos[0].constants[0].second == 0.32);
  CHECK(infos[0].confidence.find("[U]") != std::string_view::npos);
}
