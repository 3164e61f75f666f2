// Acceptance of issue 14's schedule design on the Multi-Power Law of Luo et al. 2025 (arXiv:2503.12811): under the
// law fitted to the paper's runs (../shared/data/multipower/SOURCE.txt: the published parameters of its README and
// the converged optimum of the same objective, for the 25M and 100M models), the schedule scalelaw optimises for
// the paper's setting (24000 steps, a 2160-step linear warmup from 0, peak 3e-4, floor 3e-5 = the runs' final LR)
// has a lower predicted final loss than cosine and than the best WSD of the same peak, warmup and floor (each
// decay shape at its best decay start), and than the paper's own WSD runs (decay from step 20000, exponential and
// linear). The paper (Sec. 5, Fig. 6) reports the same ordering with its optimised schedule WSD-like; the numbers
// measured here are printed for docs/curve-laws.md.
#include <fmt/format.h>

#include <catch2/catch.hpp>

#include "scalelaw/curves/schedule_design.h"
#include "support/multipower_schedules.h"

using namespace scalelaw;

namespace {

struct NamedLaw {
  const char* name;
  MultiPowerLaw law;
};

// SOURCE.txt: "published" (README, full-precision PARAMS of src/config.py) and "converged" (the minimum of the
// paper's Huber objective on its 3 training curves).
const NamedLaw kLaws[] = {
    {"25M published", {3.04045406, 0.52468604, 0.50786857, 363.78751622, 2.06560812, 0.58279013, 0.64142257}},
    {"100M published", {2.6514477, 0.60115152, 0.45295811, 437.9464276, 2.13245612, 0.59785199, 0.65523644}},
    {"25M converged", {2.98763, 0.56272, 0.49114, 746.961, 0.37848, 0.11288, 0.89517}},
    {"100M converged", {2.60722, 0.63036, 0.44925, 636.891, 0.00196, 0.24493, 1.35653}},
};

}  // namespace

TEST_CASE("Multi-Power Law schedule design: the optimised 24000-step schedule beats cosine and WSD") {
  ScheduleDesignOptions options;
  options.steps = 24000;
  options.warmup = 2160;
  options.peak = 3e-4;
  options.min_lr = 3e-5;
  for (const NamedLaw& named : kLaws) {
    const ScheduleDesignSummary s = DesignSchedule(named.law, options);
    INFO(named.name << "\n" << s.FullReport());
    REQUIRE(s.IsUsable());
    // The baselines are the paper's schedules: its cosine_24000 run's schedule, step for step.
    const auto paper_cosine = LrPerStep(ParseLrSchedule(testing::MultipowerSchedule("cosine_24000")));
    CHECK(LrPerStep(s.cosine.schedule) == paper_cosine);
    CHECK(s.cosine.final_loss == Approx(CurveLoss(named.law, paper_cosine, {23999}).front()).epsilon(1e-9));
    // The acceptance: below cosine and below the best WSD of each decay shape.
    CHECK(s.final_loss < s.cosine.final_loss);
    for (const ScheduleBaseline& wsd : s.wsd_by_shape) CHECK(s.final_loss < wsd.final_loss);
    // ... and below the paper's own WSD runs (decay from step 20000).
    double paper_wsd[2] = {0, 0};
    int i = 0;
    for (const char* run : {"wsd_20000_24000", "wsdld_20000_24000"}) {
      const auto lr = LrPerStep(ParseLrSchedule(testing::MultipowerSchedule(run)));
      paper_wsd[i] = CurveLoss(named.law, lr, {23999}).front();
      CHECK(s.final_loss < paper_wsd[i]);
      ++i;
    }
    // Its final loss is the law's for the schedule returned, by the curve laws' own (compressed) evaluation.
    CHECK(s.final_loss == Approx(CurveLoss(named.law, s.lr, {23999}).front()).epsilon(1e-9));
    // WSD-like: at the peak for most of the run, at the floor at the end.
    CHECK(s.decay_fraction < 0.5);
    CHECK(s.lr.back() == Approx(3e-5).epsilon(1e-3));
    fmt::print(
        "schedule design {:<15} optimised {:.6f}  cosine {:.6f} ({:+.6f})  best WSD {:.6f} ({:+.6f}, {}, decay "
        "fraction {:.3f})  paper wsd/wsdld {:.6f}/{:.6f}  optimised decays from step {} ({:.3f})  {:.2f} s\n",
        named.name, s.final_loss, s.cosine.final_loss, s.cosine.final_loss - s.final_loss, s.wsd.final_loss,
        s.wsd.final_loss - s.final_loss, s.wsd.name, s.wsd.decay_fraction, paper_wsd[0], paper_wsd[1], s.decay_start,
        s.decay_fraction, s.seconds);
  }
}
