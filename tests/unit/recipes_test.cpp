// Comparing two recipes (scalelaw/analysis/recipes.h) on synthetic runs whose multiplier and crossover are known.
//
// Recipe A follows L_A(C) = 1.7 + 2.5·(C/1e19)^-0.12. Recipe B is A given m times the compute,
// L_B(C) = L_A(m·C), so with a shared offset and exponent its multiplier is m at every compute. For the crossover,
// B has its own exponent: L_B(C) = 1.7 + 3.0·(C/1e19)^-0.16 equals L_A where 3.0 x^-0.16 = 2.5 x^-0.12, i.e.
// x = 1.2^(1/0.04) = 1.2^25 = 95.3962, C = 9.53962e20 (B is worse below it, better above).
#include "scalelaw/analysis/recipes.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "scalelaw/error.h"

namespace {

using scalelaw::CompareRecipes;
using scalelaw::RecipeComparison;
using scalelaw::RecipeComparisonOptions;

double LossA(double flops) { return 1.7 + 2.5 * std::pow(flops / 1e19, -0.12); }

using Runs = std::vector<scalelaw::RecipeRun>;

// Eight runs per recipe at half-decade steps from 1e17 to 3e20, each loss times e^(noise·z), z standard normal.
template <typename LossB>
Runs Simulate(LossB loss_b, double noise, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> z(0.0, 1.0);
  Runs runs;
  for (int r = 0; r < 2; ++r) {
    for (int i = 0; i < 8; ++i) {
      const double c = 1e17 * std::pow(10.0, 0.5 * i);
      scalelaw::RecipeRun run;
      run.flops = c;
      run.loss = (r == 0 ? LossA(c) : loss_b(c)) * std::exp(noise * z(rng));
      run.recipe = r;
      runs.push_back(run);
    }
  }
  return runs;
}

RecipeComparison Compare(const Runs& runs, const RecipeComparisonOptions& options) {
  return CompareRecipes(runs, "baseline", "new", options);
}

}  // namespace

TEST_CASE("Recipe comparison: noise-free runs give the multiplier they were made with", "[recipes]") {
  for (double m : {0.5, 1.0, 2.0, 5.0}) {
    const Runs runs = Simulate([m](double c) { return LossA(m * c); }, 0.0, 1);
    RecipeComparisonOptions options;
    options.bootstrap_resamples = 0;
    const RecipeComparison result = Compare(runs, options);
    INFO(result.FullReport());
    REQUIRE(result.IsUsable());
    CHECK(result.multiplier.value == Approx(m).epsilon(1e-5));
    CHECK(result.fit.params.at("E") == Approx(1.7).epsilon(1e-5));
    CHECK(result.fit.params.at("alpha") == Approx(0.12).epsilon(1e-5));
    CHECK_FALSE(result.multiplier_depends_on_flops);
    CHECK(std::isnan(result.crossover_flops.value));
    // The joint law reproduces both recipes.
    CHECK(result.Loss(0, 3e18) == Approx(LossA(3e18)).epsilon(1e-6));
    CHECK(result.Loss(1, 3e18) == Approx(LossA(m * 3e18)).epsilon(1e-6));
  }
}

TEST_CASE("Recipe comparison: the bootstrap interval of a noisy multiplier covers the true one", "[recipes]") {
  // 1% log-normal noise, m = 3. Over 12 independent data sets the 95% interval should cover m about 11.4 times; a
  // binomial(12, 0.95) gives 9 or fewer with probability 2%, so 10 is the bar. Fixed seeds keep the count exact.
  int covered = 0;
  for (unsigned seed = 1; seed <= 12; ++seed) {
    const Runs runs = Simulate([](double c) { return LossA(3.0 * c); }, 0.01, seed);
    RecipeComparisonOptions options;
    options.bootstrap_resamples = 100;
    options.bootstrap_seed = seed;
    const RecipeComparison result = Compare(runs, options);
    INFO(result.FullReport());
    REQUIRE(result.IsUsable());
    REQUIRE(std::isfinite(result.multiplier.lo95));
    CHECK(result.multiplier.lo95 < result.multiplier.value);
    CHECK(result.multiplier.value < result.multiplier.hi95);
    if (result.multiplier.lo95 <= 3.0 && 3.0 <= result.multiplier.hi95) ++covered;
    if (seed == 1) {
      CHECK(result.resamples + result.failed_resamples == 100);
      CHECK(result.failed_resamples <= 5);
    }
  }
  INFO(covered << " of 12 intervals cover m = 3");
  CHECK(covered >= 10);
}

TEST_CASE("Recipe comparison: the same seed gives the same interval on 1 and 2 threads", "[recipes]") {
  const Runs runs = Simulate([](double c) { return LossA(2.0 * c); }, 0.01, 7);
  RecipeComparisonOptions options;
  options.bootstrap_resamples = 64;
  options.num_threads = 1;
  const RecipeComparison one = Compare(runs, options);
  options.num_threads = 2;
  const RecipeComparison two = Compare(runs, options);
  CHECK(one.multiplier.lo95 == two.multiplier.lo95);
  CHECK(one.multiplier.hi95 == two.multiplier.hi95);
}

TEST_CASE("Recipe comparison: N and D stand for C = 6ND", "[recipes]") {
  Runs runs = Simulate([](double c) { return LossA(2.0 * c); }, 0.0, 1);
  for (scalelaw::RecipeRun& run : runs) {
    run.params = 1e8;
    run.tokens = run.flops / 6e8;
    run.flops = 0;
  }
  RecipeComparisonOptions options;
  options.bootstrap_resamples = 0;
  CHECK(Compare(runs, options).multiplier.value == Approx(2.0).epsilon(1e-5));
}

TEST_CASE("Recipe comparison: recipes with their own exponents cross where the laws say", "[recipes]") {
  const double crossover = 1e19 * std::pow(1.2, 25.0);
  const Runs runs = Simulate([](double c) { return 1.7 + 3.0 * std::pow(c / 1e19, -0.16); }, 0.0, 1);
  RecipeComparisonOptions options;
  options.share_exponent = false;
  options.bootstrap_resamples = 0;
  const RecipeComparison result = Compare(runs, options);
  INFO(result.FullReport());
  REQUIRE(result.IsUsable());
  CHECK(result.multiplier_depends_on_flops);
  CHECK(result.crossover_flops.value == Approx(crossover).epsilon(1e-4));
  CHECK(result.fit.params.at("d") == Approx(0.04).epsilon(1e-4));
  // Below the crossover B needs more compute (m < 1), above it less.
  options.reference_flops = 1e18;
  CHECK(Compare(runs, options).multiplier.value < 1);
  options.reference_flops = 1e21 * 3;
  const RecipeComparison above = Compare(runs, options);
  CHECK(above.multiplier.value > 1);
  // The joint law does not depend on where the multiplier is reported.
  CHECK(above.Loss(1, 5e19) == Approx(1.7 + 3.0 * std::pow(5.0, -0.16)).epsilon(1e-6));
}

TEST_CASE("Recipe comparison: too few runs of a recipe is not usable, a bad column is an error", "[recipes]") {
  Runs runs = Simulate([](double c) { return LossA(2.0 * c); }, 0.0, 1);
  for (std::size_t i = 0; i < runs.size(); ++i) runs[i].recipe = i < 3 ? 1 : 0;
  RecipeComparisonOptions options;
  options.bootstrap_resamples = 0;
  const RecipeComparison result = Compare(runs, options);
  CHECK_FALSE(result.IsUsable());
  CHECK_THAT(result.message, Catch::Contains("at least 4 runs"));
  runs = Simulate([](double c) { return LossA(2.0 * c); }, 0.0, 1);
  runs[3].loss = -1;
  CHECK_THROWS_AS(Compare(runs, options), scalelaw::InvalidArgument);
  runs[3].loss = 2;
  runs[4].recipe = 2;
  CHECK_THROWS_AS(Compare(runs, options), scalelaw::InvalidArgument);
  options.crossover_span = 0.5;
  CHECK_THROWS_AS(Compare(Simulate([](double c) { return LossA(c); }, 0.0, 1), options), scalelaw::InvalidArgument);
}
