#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "scalelaw/curves/schedule.h"
#include "scalelaw/error.h"

using scalelaw::InvalidArgument;
using scalelaw::LrFromLoggedColumn;
using scalelaw::LrPerStep;
using scalelaw::ParseLrSchedule;

namespace {

std::string ErrorOf(const std::string& spec) {
  try {
    ParseLrSchedule(spec);
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("LR schedules: warmup, constant and cosine values at chosen steps") {
  const auto lr = LrPerStep(ParseLrSchedule("cosine:peak=1e-3,end=1e-4,steps=110,warmup=11"));
  REQUIRE(lr.size() == 110);
  CHECK(lr[0] == 0);
  CHECK(lr[5] == Approx(0.5e-3).epsilon(1e-15));
  CHECK(lr[10] == Approx(1e-3).epsilon(1e-15));
  CHECK(lr[11] == Approx(1e-3).epsilon(1e-15));  // cos(0)
  // halfway through the 99 decay steps: (peak + end)/2 at i - W = 49.5, so between steps 60 and 61
  CHECK((lr[60] + lr[61]) / 2 == Approx(0.55e-3).epsilon(1e-4));
  CHECK(lr[109] == Approx(1e-4 + 0.45e-3 * (1 + std::cos(M_PI * 98.0 / 99.0))).epsilon(1e-14));

  const auto constant =
      LrPerStep(ParseLrSchedule("constant:peak=2e-4,steps=20,warmup=5,warmup_shape=constant,warmup_lr=1e-5"));
  CHECK(constant[0] == 1e-5);
  CHECK(constant[4] == 1e-5);
  CHECK(constant[5] == 2e-4);
  CHECK(constant[19] == 2e-4);
}

TEST_CASE("LR schedules: wsd decay shapes and the decay fraction") {
  const auto exp = LrPerStep(ParseLrSchedule("wsd:peak=1e-2,end=1e-4,steps=100,decay_fraction=0.2,shape=exp"));
  // D = 100 - 20 = 80; halfway through the decay the geometric mean of peak and end
  CHECK(exp[79] == 1e-2);
  CHECK(exp[80] == Approx(1e-2).epsilon(1e-14));
  CHECK(exp[90] == Approx(1e-3).epsilon(1e-13));
  const auto lin = LrPerStep(ParseLrSchedule("wsd:peak=1e-2,end=0,steps=100,decay_start=80,shape=linear"));
  CHECK(lin[90] == Approx(0.5e-2).epsilon(1e-14));
  CHECK(lin[99] == Approx(0.05e-2).epsilon(1e-13));
  const auto cos = LrPerStep(ParseLrSchedule("wsd:peak=1e-2,end=0,steps=100,decay_start=80,shape=cosine"));
  CHECK(cos[90] == Approx(0.5e-2).epsilon(1e-13));
  CHECK(cos[85] > lin[85]);  // a cosine decay stays higher early in the decay
  const auto linear = LrPerStep(ParseLrSchedule("linear:peak=1,end=0,steps=11"));
  CHECK(linear[0] == 1);
  CHECK(linear[5] == Approx(1 - 5.0 / 11).epsilon(1e-15));  // (i - W)/(T - W), as the cosine
}

TEST_CASE("LR schedules: multi-stage steps") {
  const auto lr = LrPerStep(ParseLrSchedule("steps:peak=1,steps=10,warmup=2,stages=4@0.5/7@0.25"));
  const std::vector<double> expected = {0, 1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25};
  CHECK(lr == expected);
}

TEST_CASE("LR schedules: the spec reads back from its canonical text") {
  for (const std::string spec : {"cosine:peak=0.0003,end=3e-05,steps=24000,warmup=2160",
                                 "wsd:peak=0.0003,end=3e-05,steps=24000,warmup=2160,decay_start=20000,shape=exp",
                                 "wsd:peak=0.001,end=0,steps=1000,decay_fraction=0.1,shape=cosine",
                                 "steps:peak=0.0003,steps=16000,warmup=2160,stages=8000@9e-05/12000@3e-05",
                                 "constant:peak=1,steps=5,warmup=2,warmup_shape=constant,warmup_lr=0.1"}) {
    CHECK(scalelaw::LrScheduleSpec(ParseLrSchedule(spec)) == spec);
  }
}

TEST_CASE("LR schedules: a spec that does not parse names the field") {
  CHECK(ErrorOf("cosin:peak=1,steps=3") ==
        "LR schedule 'cosin:peak=1,steps=3': unknown schedule 'cosin' (choose constant, cosine, linear, wsd or "
        "steps, then ':field=value,...')");
  CHECK(ErrorOf("cosine:peak=1,end=x,steps=3") ==
        "LR schedule 'cosine:peak=1,end=x,steps=3': field 'end': 'x' is not a finite number");
  CHECK(ErrorOf("cosine:peak=1,steps=3").find("field 'end': missing") != std::string::npos);
  CHECK(ErrorOf("constant:peak=1,steps=3,warmup=2.5").find("field 'warmup': '2.5' is not a non-negative whole") !=
        std::string::npos);
  CHECK(ErrorOf("constant:peak=1,steps=3,shape=exp").find("field 'shape': only a wsd schedule has it") !=
        std::string::npos);
  CHECK(ErrorOf("wsd:peak=1,end=0,steps=10,decay_start=5,decay_fraction=0.5").find("field 'decay_start'") !=
        std::string::npos);
  CHECK(ErrorOf("wsd:peak=1,end=0,steps=10,decay_start=5,shape=exp").find("exponential decay needs end > 0") !=
        std::string::npos);
  CHECK(ErrorOf("steps:peak=1,steps=10,stages=4:0.5").find("field 'stages': stage '4:0.5' is not step@lr") !=
        std::string::npos);
  CHECK(ErrorOf("constant:peak=1,steps=10,steps=11").find("field 'steps': given twice") != std::string::npos);
  CHECK(ErrorOf("constant:peak=1,steps=10,colour=red").find("field 'colour': unknown field") != std::string::npos);
  CHECK(ErrorOf("constant:peak=1,steps=10,warmup=10").find("steps (10) must exceed warmup (10)") != std::string::npos);
}

TEST_CASE("LR schedules: a logged LR column is interpolated between logged steps") {
  const auto lr = LrFromLoggedColumn({2, 6, 8}, {1.0, 3.0, 0.0}, 10);
  const std::vector<double> expected = {1, 1, 1, 1.5, 2, 2.5, 3, 1.5, 0, 0};
  CHECK(lr == expected);
  CHECK_THROWS_WITH(LrFromLoggedColumn({2, 2}, {1.0, 1.0}, 5),
                    "logged LR: step 2 at index 1 is not above the previous step and >= 0");
  CHECK_THROWS_WITH(LrFromLoggedColumn({0, 100, 500}, {1.0, 1.0, 1.0}, 600, 200),
                    "logged LR: gap from step 100 to step 500 exceeds 200 steps");
  CHECK_THROWS_AS(LrFromLoggedColumn({0}, {-1.0}, 5), InvalidArgument);
}
