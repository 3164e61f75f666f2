// The registry's evaluation contract (scalelaw/predict.h): constants a law does not publish, messages that name
// inputs in each face's spelling.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "scalelaw/laws/registry.h"
#include "scalelaw/predict.h"

TEST_CASE("A law that publishes no constants answers once it is given them, and not before", "[registry]") {
  scalelaw::PredictionInputs in;
  in.Set(scalelaw::Input::kFinetuneExamples, 10000);
  CHECK_THROWS_AS(scalelaw::Predict(scalelaw::PublishedLaw("rectified"), scalelaw::Quantity::kLoss, in),
                  scalelaw::NotApplicable);
  const scalelaw::Law given = scalelaw::WithConstants(scalelaw::PublishedLaw("rectified"),
                                                      {{"B", 10}, {"E", 0.5}, {"alpha", 2}, {"beta", 0.5}, {"D_l", 100}});
  // (10 / (100 + 10000^0.5) + 0.5)^2 = 0.55^2
  CHECK(scalelaw::Predict(given, scalelaw::Quantity::kLoss, in).Value("loss") == Approx(0.3025).epsilon(1e-14));
  CHECK_THROWS_WITH(scalelaw::WithConstants(scalelaw::PublishedLaw("rectified"), {{"gamma", 1}}),
                    Catch::Contains("has no constant 'gamma'"));
}

TEST_CASE("Missing inputs are named together, in each face's spelling", "[registry]") {
  scalelaw::PredictionInputs in;
  try {
    scalelaw::PredictLearningRate("bjorck", in);
    FAIL("no exception");
  } catch (const scalelaw::NotApplicable& e) {
    CHECK(std::string(e.what()) == "law 'bjorck' needs eta, the peak learning rate, D_ref, the tokens of a reference "
                                   "run and D, the training tokens");
    CHECK(e.Spelled(scalelaw::Spelling::kCli) == "law 'bjorck' needs --lr, --reference-tokens and --tokens");
    CHECK(e.Spelled(scalelaw::Spelling::kPython) == "law 'bjorck' needs lr=, reference_tokens= and tokens=");
  }
}

TEST_CASE("A bulk evaluation words the first warnings and counts the rest", "[registry][bulk]") {
  // 1000 points of N beyond the Step Law's 1.1e9: each warns, but the result keeps a few lines and a count.
  std::vector<double> params(1000);
  for (std::size_t k = 0; k < params.size(); ++k) params[k] = 2e9 + 1e6 * static_cast<double>(k);
  scalelaw::InputColumns in;
  in.size = params.size();
  in.columns = {{scalelaw::Input::kNonVocabularyParams, params.data()}};  // the Step Law's own N
  in.fixed.Set(scalelaw::Input::kTokens, 1e10);
  const scalelaw::BulkPrediction bulk = scalelaw::PredictBulk(scalelaw::Quantity::kLearningRate, "step", in).front();
  REQUIRE(bulk.outputs.size() == 1);
  REQUIRE(bulk.outputs[0].second.size() == 1000);
  CHECK(bulk.outputs[0].second[999] == Approx(scalelaw::OptimalLearningRate(scalelaw::StepLaw{}, params[999], 1e10)));
  CHECK(bulk.warnings.size() <= 9);
  CHECK(bulk.warnings.back() == "1000 of the 1000 points carry warnings like these");
  CHECK_THAT(bulk.warnings.front(), Catch::Contains("N = 2e+09 is outside"));
}

TEST_CASE("A bulk evaluation split over threads gives what one pass gives", "[registry]") {
  // 200,000 points (ranges of at least 32,768 per thread): values equal to one-point evaluations, the first
  // point's notes, the first out-of-range points' warnings, and every warned point counted.
  const std::size_t n = 200000;
  std::vector<double> params(n), tokens(n);
  std::size_t outside = 0;
  for (std::size_t k = 0; k < n; ++k) {
    // Inside the Step Law's range except every 7th point from the middle on (N above 1.1e9).
    params[k] = k >= n / 2 && k % 7 == 0 ? 5e9 : 1e8 + 5e3 * static_cast<double>(k % 1000);
    tokens[k] = 1e10 + 1e5 * static_cast<double>(k);
    outside += params[k] > 1.1e9;
  }
  scalelaw::InputColumns in;
  in.size = n;
  in.columns = {{scalelaw::Input::kNonVocabularyParams, params.data()}, {scalelaw::Input::kTokens, tokens.data()}};
  const scalelaw::BulkPrediction bulk = scalelaw::PredictBulk(scalelaw::Quantity::kBatchSize, "step", in).front();
  REQUIRE(bulk.outputs.size() == 2);
  for (std::size_t k : {std::size_t{0}, n / 2 - 1, n / 2, n / 2 + 7, n - 1}) {
    scalelaw::PredictionInputs one;
    one.Set(scalelaw::Input::kNonVocabularyParams, params[k]).Set(scalelaw::Input::kTokens, tokens[k]);
    const scalelaw::Prediction p = scalelaw::PredictBatchSize("step", one).front();
    CHECK(bulk.outputs[0].second[k] == p.Value("batch_tokens"));
    CHECK(bulk.outputs[1].second[k] == p.Value("batch_sequences"));
    if (k == 0) CHECK(bulk.notes == p.notes);
  }
  REQUIRE(bulk.warnings.size() == 2);
  CHECK_THAT(bulk.warnings.front(), Catch::Contains("N = 5e+09 is outside"));
  CHECK(bulk.warnings.back() == std::to_string(outside) + " of the 200000 points carry warnings like these");
}
