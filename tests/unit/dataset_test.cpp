#include "scalelaw/fit/dataset.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/error.h"

TEST_CASE("Validate names the first bad run", "[dataset]") {
  scalelaw::Dataset data{{1e8, 2e8, 3e8}, {1e9, 2e9, 3e9}, {3.0, 2.9, 2.8}, {}};
  CHECK_NOTHROW(data.Validate());
  data.loss[1] = std::nan("");
  CHECK_THROWS_WITH(data.Validate(), Catch::StartsWith("run 2: loss"));
  // A loss may be zero or negative (a fit on the loss itself takes it; Fit refuses it for log residuals).
  data.loss[1] = -2.9;
  CHECK_NOTHROW(data.Validate());
  data.loss[1] = 2.9;
  data.tokens[2] = std::nan("");
  CHECK_THROWS_WITH(data.Validate(), Catch::StartsWith("run 3: D"));
  data.tokens[2] = 3e9;
  data.weights = {1, 1};
  CHECK_THROWS_AS(data.Validate(), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::Dataset{}.Validate(), scalelaw::InvalidArgument);
  // Each value is a finite double, but the compute 6ND of run 2 is not.
  data.weights.clear();
  data.params[1] = 1e300;
  CHECK_THROWS_WITH(data.Validate(), "run 2: the compute 6·N·D overflows a double (N 1e+300, D 2e+09)");
  data.params[1] = 1e299 / 2e9;  // 6ND = 3e299
  CHECK_NOTHROW(data.Validate());
}

TEST_CASE("DropHighestLoss keeps losses strictly below the k-th largest (Besiroglu et al. 2024)", "[dataset]") {
  const scalelaw::Dataset data{{1, 2, 3, 4, 5}, {10, 20, 30, 40, 50}, {3.0, 5.0, 4.0, 5.0, 2.0}, {}};
  const scalelaw::Dataset one = scalelaw::DropHighestLoss(data, 1);
  // The largest loss (5.0) appears twice: both go, as in the replication's rule loss < sorted(loss)[-1].
  CHECK(one.loss == std::vector<double>{3.0, 4.0, 2.0});
  CHECK(one.params == std::vector<double>{1, 3, 5});
  const scalelaw::Dataset three = scalelaw::DropHighestLoss(data, 3);
  CHECK(three.loss == std::vector<double>{3.0, 2.0});
  CHECK(three.tokens == std::vector<double>{10, 50});
  CHECK(scalelaw::DropHighestLoss(data, 0).size() == 5);
  CHECK_THROWS_AS(scalelaw::DropHighestLoss(data, 5), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::DropHighestLoss(data, -1), scalelaw::InvalidArgument);
}
