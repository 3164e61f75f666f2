// The per-step LR schedules of the Multi-Power Law's runs (Luo et al. 2025, arXiv:2503.12811), written as scalelaw
// schedule specs from SOURCE.txt's formulas, reproduce every logged LR of the 9 curves of both sizes to
// 1.3e-15 × peak (what SOURCE.txt measured between its formulas and the CSVs).
#include <catch2/catch.hpp>
#include <cmath>

#include "support/multipower_curves.h"

using namespace scalelaw::testing;

TEST_CASE("Multi-Power Law curves: schedule specs reproduce the logged LR column") {
  SCALELAW_REQUIRE_SHARED(kMultipowerSource);
  const double peak = 3e-4;
  int curves = 0;
  for (int size : {25, 100}) {
    for (const auto* names : {&MultipowerTrainNames(), &MultipowerTestNames()}) {
      for (const std::string& name : *names) {
        const MultipowerCurve curve = ReadMultipowerCurve(size, name);
        const auto lr = scalelaw::LrPerStep(scalelaw::ParseLrSchedule(curve.schedule));
        double worst = 0;
        for (std::size_t i = 0; i < curve.steps.size(); ++i) {
          REQUIRE(curve.steps[i] < static_cast<long>(lr.size()));
          worst = std::max(worst, std::abs(lr[curve.steps[i]] - curve.logged_lr[i]));
        }
        INFO(size << "M " << name << ": worst |lr - logged| = " << worst);
        CHECK(worst <= 1.3e-15 * peak);
        ++curves;
      }
    }
  }
  CHECK(curves == 18);
}
