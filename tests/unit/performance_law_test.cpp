#include "scalelaw/laws/performance_law.h"

#include <catch2/catch.hpp>
#include <cmath>

using scalelaw::PerformanceLaw;
using scalelaw::PredictMmlu;

TEST_CASE("Performance Law: more tokens help until T (trillions) reaches S (billions)", "[performance-law]") {
  const PerformanceLaw law;
  CHECK(PredictMmlu(law, 32, 4096, 14336, 4, 8) > PredictMmlu(law, 32, 4096, 14336, 2, 8));
  CHECK(PredictMmlu(law, 32, 4096, 14336, 20, 8) == PredictMmlu(law, 32, 4096, 14336, 8, 8));
}

TEST_CASE("Performance Law: gamma > 1 discounts deep models", "[performance-law]") {
  const PerformanceLaw law;
  CHECK(scalelaw::InstabilityDiscount(80, 8192, 28672, 2) < scalelaw::InstabilityDiscount(80, 8192, 28672, 1));
  CHECK(PredictMmlu(law, 80, 8192, 28672, 2, 69, 1.5) < PredictMmlu(law, 80, 8192, 28672, 2, 69, 1.0));
}

TEST_CASE("Performance Law post-processing: floor at 25, soft cap above 90", "[performance-law]") {
  const PerformanceLaw law;
  // A tiny model: the raw law is below chance.
  REQUIRE(scalelaw::PredictMmluRaw(law, 2, 256, 1024, 0.01, 0.01) < 25);
  CHECK(PredictMmlu(law, 2, 256, 1024, 0.01, 0.01) == 25);
  // A large model on many tokens: raw above 90, mapped to 90 + 10 tanh(0.1 raw - 9), below 100.
  const double raw = scalelaw::PredictMmluRaw(law, 126, 16384, 53248, 100, 405);
  REQUIRE(raw > 90);
  const double mmlu = PredictMmlu(law, 126, 16384, 53248, 100, 405);
  CHECK(mmlu == Approx(90 + 10 * std::tanh(0.1 * raw - 9)).epsilon(1e-15));
  CHECK(mmlu < raw);
  CHECK(mmlu < 100);
  CHECK(mmlu > 90);
  // Between the two the raw value is returned unchanged.
  CHECK(PredictMmlu(law, 32, 4096, 11008, 2, 6.74) == scalelaw::PredictMmluRaw(law, 32, 4096, 11008, 2, 6.74));
}

TEST_CASE("Performance Law invalid input throws InvalidArgument", "[performance-law]") {
  const PerformanceLaw law;
  CHECK_THROWS_AS(PredictMmlu(law, 0, 4096, 14336, 15, 8), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(PredictMmlu(law, 32, -1, 14336, 15, 8), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(PredictMmlu(law, 32, 4096, 14336, std::nan(""), 8), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(PredictMmlu(law, 32, 4096, 14336, 15, 0), scalelaw::InvalidArgument);
  CHECK_THROWS_WITH(PredictMmlu(law, 32, 4096, 14336, 15, 8, 0.5), Catch::Contains(">= 1"));
}

TEST_CASE("Performance Law LawInfo record", "[performance-law][law-info]") {
  const auto& infos = scalelaw::PerformanceLawInfos();
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].name == "performance-law-mmlu");
  CHECK(infos[0].family == "performance-law");
  CHECK(infos[0].quantity == scalelaw::Quantity::kDownstream);
  CHECK(infos[0].constants.size() == 5);
}
