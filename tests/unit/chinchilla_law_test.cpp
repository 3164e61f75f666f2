#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/laws/chinchilla.h"

using scalelaw::ChinchillaLaw;

TEST_CASE("Loss is E plus the two power-law terms", "[chinchilla]") {
  const ChinchillaLaw law{2.0, 100.0, 1000.0, 0.5, 0.25};
  // 100/sqrt(1e4) = 1, 1000/(1e8)^(1/4) = 10.
  CHECK(scalelaw::Loss(law, 1e4, 1e8) == Approx(2.0 + 1.0 + 10.0).epsilon(1e-14));
}

TEST_CASE("The compute-optimal point minimises the loss on the iso-FLOP curve", "[chinchilla]") {
  const ChinchillaLaw law{1.8, 480.0, 2100.0, 0.35, 0.37};
  const double flops = 3e22;
  const scalelaw::Allocation best = scalelaw::ComputeOptimal(law, flops);
  const double best_loss = scalelaw::Loss(law, best.params, best.tokens);
  for (double factor : {0.8, 0.95, 1.05, 1.25}) {
    const double n = best.params * factor;
    CHECK(scalelaw::Loss(law, n, flops / (6 * n)) > best_loss);
  }
}

TEST_CASE("ComputeForLoss inverts ComputeOptimal", "[chinchilla]") {
  const ChinchillaLaw law{1.69, 406.4, 410.7, 0.34, 0.28};
  for (double flops : {1e19, 1e22, 1e25}) {
    const scalelaw::Allocation a = scalelaw::ComputeOptimal(law, flops);
    CHECK(scalelaw::ComputeForLoss(law, scalelaw::Loss(law, a.params, a.tokens)) == Approx(flops).epsilon(1e-9));
  }
  CHECK_THROWS_AS(scalelaw::ComputeForLoss(law, 1.5), scalelaw::InvalidArgument);
}

TEST_CASE("Invalid arguments throw InvalidArgument with a short message", "[chinchilla]") {
  const ChinchillaLaw law = scalelaw::FindChinchillaPreset("epoch").law;
  CHECK_THROWS_AS(scalelaw::Loss(law, -1, 1e9), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::Loss(law, 1e9, std::nan("")), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::ComputeOptimal(law, 0), scalelaw::InvalidArgument);
  CHECK_THROWS_WITH(scalelaw::ComputeOptimal(law, -1e308), Catch::Contains("-1e+308"));
  CHECK_THROWS_WITH(scalelaw::FindChinchillaPreset("kaplan-typo"), Catch::Contains("known: chinchilla"));
}

TEST_CASE("Range warnings name the coordinate outside the fitted box", "[law-info]") {
  const scalelaw::ValidityRange range{1e8, 1e10, 1e9, 1e11};
  CHECK(scalelaw::RangeWarnings(range, "x", 1e9, 1e10).empty());
  const auto warnings = scalelaw::RangeWarnings(range, "x", 7e10, 1e10);
  REQUIRE(warnings.size() == 1);
  CHECK_THAT(warnings[0], Catch::StartsWith("N = 7e+10 is outside"));
  CHECK(scalelaw::RangeWarnings(range, "x", 1e7, 1e12).size() == 2);
}
