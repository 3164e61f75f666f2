#include "scalelaw/curves/curve_fit.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/curves/schedule.h"
#include "scalelaw/error.h"

using namespace scalelaw;

namespace {

// A curve logged every 50 steps from step 250 under the schedule spec, its loss from law (noise-free).
TrainingCurve SyntheticCurve(const std::string& spec, const CurveLaw& law) {
  TrainingCurve curve;
  curve.name = spec;
  curve.lr = LrPerStep(ParseLrSchedule(spec));
  for (long t = 250; t < static_cast<long>(curve.lr.size()); t += 50) curve.steps.push_back(t);
  curve.loss = CurveLoss(law, curve.lr, curve.steps);
  return curve;
}

std::vector<TrainingCurve> SyntheticCurves(const CurveLaw& law) {
  return {SyntheticCurve("cosine:peak=1e-3,end=1e-4,steps=4000,warmup=200", law),
          SyntheticCurve("constant:peak=1e-3,steps=4000,warmup=200", law),
          SyntheticCurve("steps:peak=1e-3,steps=3000,warmup=200,stages=1500@3e-4", law)};
}

}  // namespace

TEST_CASE("Curve law fits recover the parameters of noise-free synthetic curves") {
  const CurveLaw mpl = AsCurveLaw(MultiPowerLaw{3.0, 0.5, 0.5, 300, 1.5, 0.6, 0.6});
  const CurveFitSummary fit = FitCurveLaw(CurveLawForm::kMultiPower, SyntheticCurves(mpl));
  INFO(fit.FullReport());
  REQUIRE(fit.IsUsable());
  CHECK(fit.objective < 1e-12);
  for (std::size_t j = 0; j < mpl.parameters.size(); ++j) {
    INFO(fit.parameter_names[j]);
    CHECK(fit.parameters[j] == Approx(mpl.parameters[j]).epsilon(1e-3));
  }

  const CurveLaw tissue = AsCurveLaw(AnnealingLaw{3.0, 0.5, 0.5, 0.4, 0.999});
  const CurveFitSummary annealing = FitCurveLaw(CurveLawForm::kAnnealing, SyntheticCurves(tissue));
  INFO(annealing.FullReport());
  REQUIRE(annealing.IsUsable());
  for (std::size_t j = 0; j < tissue.parameters.size(); ++j) {
    CHECK(annealing.parameters[j] == Approx(tissue.parameters[j]).epsilon(1e-5));
  }
}

TEST_CASE("Curve law fits: constant-LR curves cannot separate the annealing term") {
  const CurveLaw mpl = AsCurveLaw(MultiPowerLaw{3.0, 0.5, 0.5, 300, 1.5, 0.6, 0.6});
  const std::vector<TrainingCurve> constant = {SyntheticCurve("constant:peak=1e-3,steps=4000,warmup=200", mpl),
                                               SyntheticCurve("constant:peak=5e-4,steps=4000,warmup=200", mpl)};
  for (CurveLawForm form : {CurveLawForm::kMultiPower, CurveLawForm::kAnnealing}) {
    const CurveFitSummary fit = FitCurveLaw(form, constant);
    CHECK_FALSE(fit.IsUsable());
    CHECK(fit.status == AnalysisStatus::kNotIdentifiable);
    CHECK(fit.message.find("constant-LR curves only") != std::string::npos);
    CHECK(fit.parameters.empty());
    CHECK_THROWS_AS(fit.Law(), InvalidArgument);
    CHECK(fit.BriefReport().find("not identifiable") != std::string::npos);
  }
  // the annealing-free law needs no decay
  CHECK(FitCurveLaw(CurveLawForm::kPowerOnly, constant).IsUsable());
}

TEST_CASE("Curve law fits: options and curves out of range are refused") {
  CurveFitOptions options;
  std::string error;
  CHECK(options.IsValid(&error));
  options.lambda = 1;
  CHECK_FALSE(options.IsValid(&error));
  CHECK(error == "lambda must lie in [0, 1), not 1");
  const CurveLaw mpl = AsCurveLaw(MultiPowerLaw{3.0, 0.5, 0.5, 300, 1.5, 0.6, 0.6});
  CHECK_THROWS_WITH(FitCurveLaw(CurveLawForm::kMultiPower, SyntheticCurves(mpl), options),
                    "curve fit options: lambda must lie in [0, 1), not 1");
  CHECK_THROWS_WITH(FitCurveLaw(CurveLawForm::kMultiPower, {}), "curve fit: no curves");
  std::vector<TrainingCurve> curves = SyntheticCurves(mpl);
  std::swap(curves[0].steps[3], curves[0].steps[4]);
  CHECK_THROWS_WITH(FitCurveLaw(CurveLawForm::kMultiPower, curves),
                    "curve 'cosine:peak=1e-3,end=1e-4,steps=4000,warmup=200': step 400 (point 4) does not increase on "
                    "step 450");
  curves = SyntheticCurves(mpl);
  curves[1].loss[2] = -1;
  CHECK_THROWS_WITH(FitCurveLaw(CurveLawForm::kMultiPower, curves),
                    "curve 'constant:peak=1e-3,steps=4000,warmup=200': loss -1 at step 350 is not a positive number");
  curves = SyntheticCurves(mpl);
  curves[2].steps.back() = 5000;
  CHECK_THROWS_WITH(FitCurveLaw(CurveLawForm::kMultiPower, curves),
                    "curve 'steps:peak=1e-3,steps=3000,warmup=200,stages=1500@3e-4': logged step 5000 (index 54) "
                    "lies outside the schedule's 3000 steps");
}

TEST_CASE("Curve law fits: the summary reads back from its JSON") {
  const CurveLaw mpl = AsCurveLaw(MultiPowerLaw{3.0, 0.5, 0.5, 300, 1.5, 0.6, 0.6});
  const CurveFitSummary fit = FitCurveLaw(CurveLawForm::kMultiPower, SyntheticCurves(mpl));
  const CurveFitSummary back = CurveFitFromJson(CurveFitToJson(fit), "fit.json");
  CHECK(back.form == fit.form);
  CHECK(back.status == fit.status);
  CHECK(back.parameters == fit.parameters);
  CHECK(back.objective == fit.objective);
  CHECK(back.curve_names == fit.curve_names);
  REQUIRE(back.curve_errors.size() == fit.curve_errors.size());
  CHECK(back.curve_errors[2].worst_e == fit.curve_errors[2].worst_e);

  const CurveFitSummary constant =
      FitCurveLaw(CurveLawForm::kAnnealing, {SyntheticCurve("constant:peak=1e-3,steps=4000,warmup=200", mpl)});
  const CurveFitSummary constant_back = CurveFitFromJson(CurveFitToJson(constant), "fit.json");
  CHECK(constant_back.status == AnalysisStatus::kNotIdentifiable);
  CHECK(constant_back.message == constant.message);
  CHECK(constant_back.parameters.empty());

  CHECK_THROWS_WITH(CurveFitFromJson(R"({"form": "multi-power", "lambda": 0.999, "status": "usable",
                                         "parameters": {"L0": 3}})",
                                     "fit.json"),
                    Catch::Contains("fit.json") && Catch::Contains("parameters.A"));
  CHECK_THROWS_AS(CurveFitFromJson("[1, 2]", "fit.json"), InputError);
}

TEST_CASE("Curve laws: a whole curve predicted for a schedule") {
  const CurveLaw mpl = AsCurveLaw(MultiPowerLaw{3.0, 0.5, 0.5, 300, 1.5, 0.6, 0.6});
  const std::vector<double> lr = LrPerStep(ParseLrSchedule("cosine:peak=1e-3,end=1e-4,steps=1000,warmup=100"));
  const CurvePrediction curve = PredictCurve(mpl, lr, 100);
  // The warmup's last step, 99, is the first at the peak: 99, 199, ..., 999 (which is also the last step).
  REQUIRE(curve.steps.size() == 10);
  CHECK(lr[99] == *std::max_element(lr.begin(), lr.end()));
  CHECK(lr[98] < lr[99]);
  CHECK(curve.steps.front() == 99);
  CHECK(curve.steps[8] == 899);
  CHECK(curve.steps.back() == 999);
  CHECK(curve.final_loss == curve.loss.back());
  CHECK(curve.final_loss == CurveLoss(mpl, lr, {999})[0]);
  CHECK_THROWS_AS(PredictCurve(mpl, lr, 0), InvalidArgument);
  CHECK_THROWS_AS(PredictCurve(mpl, std::vector<double>(10, 0.0), 1), InvalidArgument);
}
