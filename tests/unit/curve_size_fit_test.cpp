#include "scalelaw/curves/curve_size_fit.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "scalelaw/curves/schedule.h"
#include "scalelaw/error.h"
#include "support/synthetic_size_curves.h"

using namespace scalelaw;

using namespace scalelaw::test;

TEST_CASE("Curve law across sizes recovers known N exponents from noise-free curves of 4 sizes") {
  CurveSizeFitOptions options;
  options.reference_params = kReference;
  const CurveSizeFitSummary fit = FitCurveLawAcrossSizes(CurveLawForm::kMultiPower, SyntheticCurves(kSizes), options);
  INFO(fit.FullReport());
  REQUIRE(fit.IsUsable());
  CHECK(fit.sizes == kSizes);
  CHECK(fit.size_fits.size() == 4);
  CHECK(fit.objective < 1e-12);
  const CurveSizeLaw law = fit.Law();
  const std::vector<double> expected = {3.0, 0.5, 0.5, 300, 1.5, 0.6, 0.6};
  const std::vector<double> exponents = {-0.05, -0.1, 0, 0.2, 0, 0, 0};
  for (std::size_t j = 0; j < expected.size(); ++j) {
    INFO(fit.parameter_names[j]);
    CHECK(law.parameters[j] == Approx(expected[j]).epsilon(1e-3));
    CHECK(law.exponents[j] == Approx(exponents[j]).margin(1e-4));
  }
  CHECK(fit.parameter_names ==
        std::vector<std::string>{"L0", "A", "alpha", "B", "C", "beta", "gamma", "e_L0", "e_A", "e_B"});
  CHECK(std::isfinite(fit.condition_number));
  for (const CurveErrors& e : fit.curve_errors) CHECK(e.pred_e < 1e-6);

  // The law at a size: theta·(N/N_ref)^e, as computed by hand.
  const CurveLaw at = law.At(8e8);
  CHECK(at.parameters[0] == Approx(law.parameters[0] * std::pow(4.0, law.exponents[0])).epsilon(1e-14));
  CHECK(at.parameters[2] == law.parameters[2]);
  CHECK_THROWS_AS(law.At(0), InvalidArgument);

  const nlohmann::json json = nlohmann::json::parse(CurveSizeFitToJson(fit));
  CHECK(json.at("usable") == true);
  CHECK(json.at("parameters").at("B").get<double>() == law.parameters[3]);
  CHECK(json.at("exponents").at("L0").get<double>() == law.exponents[0]);
  CHECK(json.at("exponents").size() == 3);
  CHECK(json.at("sizes").size() == 4);
  CHECK(json.at("curves").size() == 12);
}

TEST_CASE("Curve law across sizes: fitted on 3 sizes it predicts the curves of a 4th") {
  CurveSizeFitOptions options;
  const CurveSizeFitSummary fit =
      FitCurveLawAcrossSizes(CurveLawForm::kMultiPower, SyntheticCurves({5e7, 1e8, 2e8}), options);
  INFO(fit.FullReport());
  REQUIRE(fit.IsUsable());
  CHECK(fit.law.reference_params == Approx(1e8).epsilon(1e-12));  // the geometric mean of the sizes
  for (const TrainingCurve& held_out : SyntheticCurves({4e8})) {
    const std::vector<double> predicted = CurveLoss(fit.Law().At(4e8), held_out.lr, held_out.steps);
    const CurveErrors e = CurvePredictionErrors(held_out.loss, predicted);
    CHECK(e.worst_e < 1e-5);
  }
}

TEST_CASE("Curve law across sizes: one size cannot determine the N exponents") {
  const CurveSizeFitSummary fit = FitCurveLawAcrossSizes(CurveLawForm::kMultiPower, SyntheticCurves({1e8}));
  CHECK_FALSE(fit.IsUsable());
  CHECK(fit.status == AnalysisStatus::kNotIdentifiable);
  CHECK(fit.message.find("one size") != std::string::npos);
  CHECK_THROWS_AS(fit.Law(), InvalidArgument);
  CHECK(fit.BriefReport().find("not identifiable") != std::string::npos);
  CHECK(nlohmann::json::parse(CurveSizeFitToJson(fit)).at("usable") == false);
  // the size alone is still fitted (the in-sample reference)
  REQUIRE(fit.size_fits.size() == 1);
  CHECK(fit.size_fits[0].IsUsable());
}

TEST_CASE("Curve law across sizes: constant-LR curves and bad input are refused") {
  std::vector<TrainingCurve> constant;
  for (double n : {1e8, 2e8}) constant.push_back(SyntheticCurve("constant:peak=1e-3,steps=4000,warmup=200", n));
  const CurveSizeFitSummary fit = FitCurveLawAcrossSizes(CurveLawForm::kMultiPower, constant);
  CHECK(fit.status == AnalysisStatus::kNotIdentifiable);
  CHECK(fit.message.find("constant-LR curves only") != std::string::npos);

  std::vector<TrainingCurve> curves = SyntheticCurves({1e8, 2e8});
  curves[1].params = std::nan("");
  CHECK_THROWS_WITH(FitCurveLawAcrossSizes(CurveLawForm::kMultiPower, curves),
                    Catch::Contains("N (params) is nan, not a positive number"));
  CurveSizeFitOptions options;
  options.scaled = {"L0", "D"};
  std::string error;
  CHECK_FALSE(options.IsValid(CurveLawForm::kMultiPower, &error));
  CHECK(error == "'D' is not a parameter of the multi-power law (its parameters: L0 A alpha B C beta gamma)");
  CHECK_THROWS_WITH(FitCurveLawAcrossSizes(CurveLawForm::kMultiPower, {}), "curve fit across sizes: no curves");
}

TEST_CASE("Curve law across sizes: a fit survives the trip to JSON and back") {
  const CurveSizeFitSummary fit = FitCurveLawAcrossSizes(CurveLawForm::kMultiPower, SyntheticCurves({1e8, 4e8}));
  REQUIRE(fit.IsUsable());
  const CurveSizeFitSummary back = CurveSizeFitFromJson(CurveSizeFitToJson(fit), "fit.json");
  CHECK(back.IsUsable());
  CHECK(back.form == fit.form);
  CHECK(back.parameter_names == fit.parameter_names);
  CHECK(back.parameters == fit.parameters);
  CHECK(back.law.parameters == fit.law.parameters);
  CHECK(back.law.exponents == fit.law.exponents);
  CHECK(back.law.scaled == fit.law.scaled);
  CHECK(back.law.reference_params == fit.law.reference_params);
  CHECK(back.objective == fit.objective);
  CHECK(back.sizes == fit.sizes);
  REQUIRE(back.size_fits.size() == 2);
  CHECK(back.size_fits[1].parameters == fit.size_fits[1].parameters);
  CHECK(back.curve_params == fit.curve_params);
  REQUIRE(back.curve_errors.size() == fit.curve_errors.size());
  CHECK(back.curve_errors[0].pred_e == fit.curve_errors[0].pred_e);
  // the law read back predicts what the fitted one does
  const TrainingCurve curve = SyntheticCurve("cosine:peak=1e-3,end=1e-4,steps=4000,warmup=200", 2e8);
  CHECK(CurveLoss(back.Law().At(2e8), curve.lr, curve.steps) == CurveLoss(fit.Law().At(2e8), curve.lr, curve.steps));

  const CurveSizeFitSummary refused = CurveSizeFitFromJson(
      CurveSizeFitToJson(FitCurveLawAcrossSizes(CurveLawForm::kMultiPower, SyntheticCurves({1e8}))), "one.json");
  CHECK(refused.status == AnalysisStatus::kNotIdentifiable);
  CHECK(refused.message.find("one size") != std::string::npos);
  CHECK_THROWS_AS(refused.Law(), InvalidArgument);
  CHECK_THROWS_AS(CurveSizeFitFromJson("[1]", "x.json"), InputError);
  CHECK_THROWS_AS(CurveSizeFitFromJson(R"({"form": "multi-power", "lambda": 0.999, "status": "usable",
      "reference_params": 1e8, "parameters": {"L0": 3}})",
                                       "x.json"),
                  InputError);
}

TEST_CASE("Curve law across sizes: noisy curves of 4 sizes give the exponents to within their noise") {
  // Multiplicative Gaussian noise of 0.1% (fixed seed) on every point: the N exponents and the shared alpha come
  // back near the truth (while C, beta and gamma of the sizes fitted alone scatter by 10x), and the joint law's
  // objective is at or below the truth's (it is the minimum).
  std::vector<TrainingCurve> curves = SyntheticCurves(kSizes);
  std::mt19937 generator(20261207);
  std::normal_distribution<double> noise(0.0, 1e-3);
  for (TrainingCurve& curve : curves) {
    for (double& y : curve.loss) y *= 1 + noise(generator);
  }
  CurveSizeFitOptions options;
  options.reference_params = kReference;
  const CurveSizeFitSummary fit = FitCurveLawAcrossSizes(CurveLawForm::kMultiPower, curves, options);
  INFO(fit.FullReport());
  REQUIRE(fit.IsUsable());
  const CurveSizeLaw law = fit.Law();
  CHECK(law.exponents[0] == Approx(-0.05).margin(0.002));
  CHECK(law.exponents[1] == Approx(-0.1).margin(0.005));
  CHECK(law.exponents[3] == Approx(0.2).margin(0.01));
  CHECK(law.parameters[0] == Approx(3.0).epsilon(0.005));
  CHECK(law.parameters[2] == Approx(0.5).epsilon(0.02));
  double truth = 0;
  for (const TrainingCurve& curve : curves) truth += CurveLawObjective(TrueLawAt(curve.params), {curve});
  CHECK(fit.objective <= truth);
}
