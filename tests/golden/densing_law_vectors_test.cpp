// Worked examples of the Densing law (Xiao et al. 2024, arXiv:2412.04315): the doubling times and yearly growth
// of capacity density implied by the arXiv version's A ≈ 0.007/day (~3.3-month doubling) and by the Nature
// Machine Intelligence version's 3.5-month doubling (365-day years, 30.4375-day months).
#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/laws/densing.h"
#include "support/printed_number.h"

using scalelaw::testing::RoundsTo;

TEST_CASE("Densing law: A = 0.007/day doubles in 99.0 days (3.25 months), x12.9 per year", "[golden][densing]") {
  CHECK(RoundsTo(scalelaw::DensityDoublingDays(0.007), "99.0"));
  CHECK(RoundsTo(scalelaw::DensityDoublingMonths(0.007), "3.25"));
  CHECK(RoundsTo(scalelaw::DensityGrowthPerYear(0.007), "12.9"));
}

TEST_CASE("Densing law: A = ln2/100 doubles in 100 days, x12.6 per year", "[golden][densing]") {
  const double a = std::log(2.0) / 100;
  CHECK(scalelaw::DensityDoublingDays(a) == Approx(100).epsilon(1e-14));
  CHECK(RoundsTo(scalelaw::DensityGrowthPerYear(a), "12.6"));
}

TEST_CASE("Densing law: a 3.5-month doubling is A = 0.00651/day, x10.7 per year (Nature MI)", "[golden][densing]") {
  const double a = scalelaw::GrowthPerDayFromDoublingMonths(3.5);
  CHECK(RoundsTo(a, "0.00651"));
  // 10.7497 with 365-day years; a 365.25-day year would give 10.767, which would print as 10.8.
  CHECK(RoundsTo(scalelaw::DensityGrowthPerYear(a), "10.7"));
  CHECK(scalelaw::DensityDoublingMonths(a) == Approx(3.5).epsilon(1e-14));
}

TEST_CASE("Densing law: half the parameters for equal quality every doubling period", "[golden][densing]") {
  const double a = 0.007;
  CHECK(scalelaw::ParamsForEqualQuality(7e9, a, scalelaw::DensityDoublingDays(a)) == Approx(3.5e9).epsilon(1e-14));
}
