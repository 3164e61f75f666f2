// The McCandlish et al. 2018 steps/examples trade-off test vectors of laws.md section 8.1 (B_noise = 1e6
// tokens), exact to the digits printed there.
#include <catch2/catch.hpp>

#include "scalelaw/laws/critical_batch.h"
#include "support/printed_number.h"

using scalelaw::testing::RoundsTo;

TEST_CASE("Critical-batch trade-off reproduces laws.md 8.1", "[golden][mccandlish]") {
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
