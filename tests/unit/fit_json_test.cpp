#include "scalelaw/io/fit_json.h"

#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/error.h"

namespace {

scalelaw::FitSummary ExampleFit() {
  scalelaw::FitSummary fit;
  fit.model = "chinchilla";
  fit.estimator = scalelaw::Estimator::kHuberLikelihood;
  fit.huber_delta = 1e-3;
  fit.params = {{"E", 1.8}, {"A", 480.0}, {"B", 2100.0}, {"alpha", 0.35}, {"beta", 0.37}};
  fit.objective = -879.5;
  fit.log_scale = -12.25;
  fit.num_points = 240;
  fit.data_range = {5e7, 1.6e10, 8e8, 3e11};
  fit.status = scalelaw::AnalysisStatus::kUsable;
  fit.message = "ok";
  return fit;
}

}  // namespace

TEST_CASE("A fit survives the trip to JSON and back", "[fit-json]") {
  const scalelaw::FitSummary original = ExampleFit();
  const scalelaw::FitSummary back = scalelaw::FitFromJson(scalelaw::FitToJson(original), "fit.json");
  CHECK(back.model == original.model);
  CHECK(back.estimator == original.estimator);
  CHECK(back.params == original.params);
  CHECK(back.objective == original.objective);
  CHECK(back.log_scale == original.log_scale);
  CHECK(back.num_points == 240);
  CHECK(back.status == scalelaw::AnalysisStatus::kUsable);
  CHECK(back.data_range.params_max == 1.6e10);
  CHECK(back.data_range.tokens_min == 8e8);
}

TEST_CASE("Non-finite numbers are written as null, never as NaN", "[fit-json]") {
  scalelaw::FitSummary fit = ExampleFit();
  fit.objective = std::nan("");
  const std::string text = scalelaw::FitToJson(fit);
  CHECK_THAT(text, Catch::Contains("\"objective\":null"));
  CHECK_THAT(text, !Catch::Contains("nan") && !Catch::Contains("NaN"));
}

TEST_CASE("Bad fit files are input errors naming the file and key", "[fit-json]") {
  CHECK_THROWS_WITH(scalelaw::FitFromJson("{not json", "f.json"), Catch::StartsWith("f.json: not valid JSON"));
  CHECK_THROWS_WITH(scalelaw::FitFromJson("[1,2]", "f.json"), Catch::StartsWith("f.json: expected a JSON object"));
  CHECK_THROWS_WITH(scalelaw::FitFromJson("{\"model\": \"chinchilla\"}", "f.json"), Catch::Contains("\"params\""));
  CHECK_THROWS_WITH(scalelaw::FitFromJson(R"({"model":"chinchilla","params":{"E":1,"A":2,"B":3,"alpha":0.3}})", "f"),
                    Catch::Contains("params.beta"));
  CHECK_THROWS_WITH(scalelaw::FitFromJson(R"({"model":"x","params":{"E":1}})", "f"), Catch::Contains("unknown model"));
  CHECK_THROWS_AS(scalelaw::ReadFitJson("/nonexistent.json"), scalelaw::InputError);
}

TEST_CASE("The status survives the trip to JSON, beside \"converged\", and older files get it from their message",
          "[fit-json]") {
  using scalelaw::AnalysisStatus;
  for (AnalysisStatus status : {AnalysisStatus::kUsable, AnalysisStatus::kNotIdentifiable,
                                AnalysisStatus::kNoConvergence, AnalysisStatus::kInterrupted}) {
    scalelaw::FitSummary fit = ExampleFit();
    fit.status = status;
    const std::string text = scalelaw::FitToJson(fit);
    CHECK_THAT(text, Catch::Contains("\"status\":\"" + std::string(scalelaw::AnalysisStatusName(status)) + "\""));
    CHECK_THAT(text, Catch::Contains(status == AnalysisStatus::kUsable ? "\"converged\":true" : "\"converged\":false"));
    CHECK(scalelaw::FitFromJson(text, "fit.json").status == status);
  }
  const std::string params = R"("model":"chinchilla","params":{"E":1,"A":2,"B":3,"alpha":0.3,"beta":0.3})";
  auto read = [&](const std::string& rest) { return scalelaw::FitFromJson("{" + params + rest + "}", "f").status; };
  CHECK(read(R"(,"converged":true)") == AnalysisStatus::kUsable);
  CHECK(read(R"(,"converged":false,"message":"not identifiable: one N")") == AnalysisStatus::kNotIdentifiable);
  CHECK(read(R"(,"converged":false,"message":"interrupted")") == AnalysisStatus::kInterrupted);
  CHECK(read(R"(,"converged":false,"message":"the optimiser did not converge")") == AnalysisStatus::kNoConvergence);
  CHECK_THROWS_WITH(read(R"(,"converged":false,"status":"usable")"), Catch::Contains("disagrees"));
  CHECK_THROWS_WITH(read(R"(,"converged":false,"status":"fine")"), Catch::Contains("unknown status"));
}
