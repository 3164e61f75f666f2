#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "scalelaw/laws/critical_batch.h"

using scalelaw::InvalidArgument;

TEST_CASE("At B = B_crit both steps and examples are twice their minima", "[mccandlish]") {
  for (double b : {1.0, 512.0, 3.3e6}) {
    CHECK(scalelaw::StepsOverMinimum(b, b) == 2.0);
    CHECK(scalelaw::ExamplesOverMinimum(b, b) == 2.0);
    CHECK(scalelaw::StepSizeOverMaximum(b, b) == 0.5);
  }
}

TEST_CASE("The trade-off (S/S_min - 1)(E/E_min - 1) = 1 holds for any batch", "[mccandlish]") {
  const double critical = 7.7e6;
  double previous_steps = std::numeric_limits<double>::infinity();
  double previous_examples = 0;
  for (double b = 1e3; b < 1e10; b *= 3.7) {
    CAPTURE(b);
    const double steps = scalelaw::StepsOverMinimum(b, critical);
    const double examples = scalelaw::ExamplesOverMinimum(b, critical);
    CHECK((steps - 1) * (examples - 1) == Approx(1.0).epsilon(1e-12));
    // Larger batches take fewer steps and more examples; E = B S ties the two ratios: E/E_min = (B/B_crit) S/S_min.
    CHECK(steps < previous_steps);
    CHECK(examples > previous_examples);
    CHECK(examples == Approx(b / critical * steps).epsilon(1e-12));
    previous_steps = steps;
    previous_examples = examples;
  }
}

TEST_CASE("The optimal step size rises to its maximum with the batch", "[mccandlish]") {
  const double noise = 2e5;
  CHECK(scalelaw::StepSizeOverMaximum(noise / 9, noise) == Approx(0.1).epsilon(1e-14));
  CHECK(scalelaw::StepSizeOverMaximum(9 * noise, noise) == Approx(0.9).epsilon(1e-14));
  CHECK(scalelaw::StepSizeOverMaximum(1e15, noise) < 1.0);
  CHECK(scalelaw::StepSizeOverMaximum(1e15, noise) > 0.9999);
  // Same form as the steps ratio: eps/eps_max = 1/(S/S_min) when B_crit = B_noise.
  CHECK(scalelaw::StepSizeOverMaximum(3e4, noise) == Approx(1 / scalelaw::StepsOverMinimum(3e4, noise)));
}

TEST_CASE("Critical-batch relations reject invalid input", "[mccandlish]") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(scalelaw::StepsOverMinimum(0, 1e6), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::StepsOverMinimum(1e6, -1), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::ExamplesOverMinimum(nan, 1e6), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::ExamplesOverMinimum(1e6, 0), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::StepSizeOverMaximum(-1, 1e6), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::StepSizeOverMaximum(1e6, std::numeric_limits<double>::infinity()), InvalidArgument);
  CHECK_THROWS_WITH(scalelaw::StepsOverMinimum(1e6, -3), Catch::Contains("B_crit") && Catch::Contains("-3"));
}

TEST_CASE("The McCandlish record has no constants", "[mccandlish][law-info]") {
  const auto& infos = scalelaw::CriticalBatchLawInfos();
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].name == "mccandlish");
  CHECK(infos[0].family == "mccandlish");
  CHECK(infos[0].quantity == scalelaw::Quantity::kBatchSize);
  CHECK(infos[0].constants.empty());
  CHECK(infos[0].citation.arxiv == "1812.06162");
  CHECK_FALSE(infos[0].formula.empty());
}
