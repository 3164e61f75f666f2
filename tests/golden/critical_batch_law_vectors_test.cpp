// Worked examples of the steps/examples trade-off of McCandlish et al. 2018 (arXiv:1812.06162, Sec. 2) at
// B_noise = 1e6 tokens: S/S_min = 1 + B_noise/B, E/E_min = 1 + B/B_noise, eps/eps_max = 1/(1 + B_noise/B).
#include <catch2/catch.hpp>

#include "scalelaw/laws/critical_batch.h"
#include "support/printed_number.h"

using scalelaw::testing::RoundsTo;

TEST_CASE("Critical-batch trade-off at B_noise = 1e6, worked example", "[golden][mccandlish]") {
  struct Row {
    double batch;
    const char *steps, *examples, *step_size;
  };
  const double noise = 1e6;
  const Row rows[] = {{2.5e5, "5", "1.25", "0.2"}, {1e6, "2", "2", "0.5"}, {4e6, "1.25", "5", "0.8"}};
  for (const Row& row : rows) {
    CAPTURE(row.batch);
    const double steps = scalelaw::StepsOverMinimum(row.batch, noise);
    const double examples = scalelaw::ExamplesOverMinimum(row.batch, noise);
    CHECK(RoundsTo(steps, row.steps));
    CHECK(RoundsTo(examples, row.examples));
    CHECK(RoundsTo(scalelaw::StepSizeOverMaximum(row.batch, noise), row.step_size));
    CHECK((steps - 1) * (examples - 1) == Approx(1).epsilon(1e-14));
  }
}
