#include "scalelaw/analysis/summary.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "scalelaw/error.h"

using scalelaw::AnalysisStatus;
using scalelaw::ResampleSummary;
using scalelaw::SummarizeResamples;

TEST_CASE("SummarizeResamples: mean, SD with n - 1 and numpy's percentiles, worked by hand", "[summary]") {
  // {2, 4, 4, 4, 5, 5, 7, 9} in shuffled order: mean 40/8 = 5; squared deviations 9+1+1+1+0+0+4+16 = 32, so the
  // SD with n - 1 is sqrt(32/7). Percentiles on the sorted values x_0..x_7 at h = p (n - 1): 2.5% at h = 0.175,
  // x_0 + 0.175 (x_1 - x_0) = 2 + 0.175 * 2 = 2.35; 97.5% at h = 6.825, x_6 + 0.825 (x_7 - x_6) = 7 + 1.65 = 8.65.
  const ResampleSummary s = SummarizeResamples({5, 9, 2, 4, 7, 4, 5, 4}, 3);
  CHECK(s.resamples == 8);
  CHECK(s.failed == 3);
  CHECK(s.mean == Approx(5.0).epsilon(1e-15));
  CHECK(s.se == Approx(std::sqrt(32.0 / 7.0)).epsilon(1e-15));
  CHECK(s.ci95.first == Approx(2.35).epsilon(1e-15));
  CHECK(s.ci95.second == Approx(8.65).epsilon(1e-15));

  // {1, 2, 3, 4, 5}: mean 3, SD sqrt(10/4); 2.5% at h = 0.1 is 1.1, 97.5% at h = 3.9 is 4.9.
  const ResampleSummary t = SummarizeResamples({3, 1, 5, 2, 4});
  CHECK(t.failed == 0);
  CHECK(t.mean == Approx(3.0).epsilon(1e-15));
  CHECK(t.se == Approx(std::sqrt(2.5)).epsilon(1e-15));
  CHECK(t.ci95.first == Approx(1.1).epsilon(1e-14));
  CHECK(t.ci95.second == Approx(4.9).epsilon(1e-14));
}

TEST_CASE("SummarizeResamples: one value has no standard error, none has nothing, non-finite is refused", "[summary]") {
  const ResampleSummary one = SummarizeResamples({0.25}, 4);
  CHECK(one.resamples == 1);
  CHECK(one.failed == 4);
  CHECK(one.mean == 0.25);
  CHECK(std::isnan(one.se));
  CHECK(one.ci95.first == 0.25);
  CHECK(one.ci95.second == 0.25);
  const ResampleSummary none = SummarizeResamples({}, 2);
  CHECK(none.resamples == 0);
  CHECK(none.failed == 2);
  CHECK(std::isnan(none.mean));
  CHECK(std::isnan(none.se));
  CHECK(std::isnan(none.ci95.first));
  CHECK_THROWS_AS(SummarizeResamples({1.0, std::numeric_limits<double>::infinity()}), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(SummarizeResamples({1.0, 2.0}, -1), scalelaw::InvalidArgument);
}

TEST_CASE("Every status has one name, and the name gives the status back", "[summary]") {
  CHECK(scalelaw::AnalysisStatusName(AnalysisStatus::kUsable) == "usable");
  CHECK(scalelaw::AnalysisStatusName(AnalysisStatus::kNotIdentifiable) == "not identifiable");
  CHECK(scalelaw::AnalysisStatusName(AnalysisStatus::kNoConvergence) == "no convergence");
  CHECK(scalelaw::AnalysisStatusName(AnalysisStatus::kInterrupted) == "interrupted");
  for (AnalysisStatus status : {AnalysisStatus::kUsable, AnalysisStatus::kNotIdentifiable,
                                AnalysisStatus::kNoConvergence, AnalysisStatus::kInterrupted}) {
    CHECK(scalelaw::AnalysisStatusFromName(scalelaw::AnalysisStatusName(status)) == status);
  }
  CHECK_THROWS_WITH(scalelaw::AnalysisStatusFromName("converged"), Catch::Contains("unknown status 'converged'"));
}
