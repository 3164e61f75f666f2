// Training curves with their per-step LRs from logs (scalelaw/curves/log_curves.h).
#include "scalelaw/curves/log_curves.h"

#include <catch2/catch.hpp>

#include "scalelaw/curves/schedule.h"
#include "scalelaw/error.h"

using namespace scalelaw;

TEST_CASE("Log curves: the LR from a spec, a run's schedule fact, or the logged column") {
  const std::string log = "step,lr,loss\n100,1e-3,4.0\n200,8e-4,3.5\n300,4e-4,3.2\n";
  const CurveTable table = ParseCurves(log, "run.csv");
  REQUIRE(table.curves.size() == 1);

  std::vector<std::string> warnings;
  const std::vector<TrainingCurve> logged = TrainingCurvesFromTable(table, {}, &warnings);
  REQUIRE(logged.size() == 1);
  CHECK(logged[0].steps == std::vector<long>{100, 200, 300});
  CHECK(logged[0].loss == std::vector<double>{4.0, 3.5, 3.2});
  REQUIRE(logged[0].lr.size() == 301);
  CHECK(logged[0].lr[0] == 1e-3);  // before the first logged step: its value
  CHECK(logged[0].lr[150] == Approx(9e-4));
  CHECK(logged[0].lr[250] == Approx(6e-4));
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0].find("first logged step 100") != std::string::npos);

  LogCurvesOptions options;
  options.schedule = "cosine:peak=1e-3,end=1e-4,steps=400,warmup=50";
  const std::vector<TrainingCurve> spec = TrainingCurvesFromTable(table, options);
  CHECK(spec[0].lr == LrPerStep(ParseLrSchedule(options.schedule)));

  CurveTable with_fact = table;
  with_fact.curves[0].facts.schedule = "constant:peak=2e-3,steps=500";
  CHECK(TrainingCurvesFromTable(with_fact)[0].lr == std::vector<double>(500, 2e-3));
  // a spec for every run comes before the run's fact
  CHECK(TrainingCurvesFromTable(with_fact, options)[0].lr.size() == 400);

  options.schedule = "constant:peak=1e-3,steps=300";
  CHECK_THROWS_WITH(TrainingCurvesFromTable(table, options),
                    Catch::Contains("run.csv") && Catch::Contains("step 300") && Catch::Contains("has 300 steps"));
  options.schedule = "cosine:peak=1e-3,end=z,steps=400";
  CHECK_THROWS_WITH(TrainingCurvesFromTable(table, options), Catch::StartsWith("run 'run': LR schedule"));

  CurveReadOptions no_lr;
  no_lr.lr = "-";
  CHECK_THROWS_WITH(TrainingCurvesFromTable(ParseCurves(log, "run.csv", no_lr)), Catch::Contains("no learning rate"));
  CHECK_THROWS_WITH(TrainingCurvesFromTable(ParseCurves("step,lr,loss\n1.5,1e-3,4\n", "half.csv")),
                    Catch::Contains("half.csv") && Catch::Contains("whole number"));
}

TEST_CASE("Log curves: SelectCurves keeps the named runs in the order named") {
  std::vector<TrainingCurve> curves(3);
  curves[0].name = "a";
  curves[1].name = "b";
  curves[2].name = "c";
  const std::vector<TrainingCurve> picked = SelectCurves(curves, {"c", "a"});
  REQUIRE(picked.size() == 2);
  CHECK(picked[0].name == "c");
  CHECK(picked[1].name == "a");
  CHECK_THROWS_WITH(SelectCurves(curves, {"d"}), "no run named 'd' (the runs: a, b, c)");
}
