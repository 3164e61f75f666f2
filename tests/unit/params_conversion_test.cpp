// Each law reads N in its own definition: a model's shape gives all three counts and Predict picks the law's; a
// bare count of another definition is used as it is, with a warning that sizes the difference.
#include <catch2/catch.hpp>

#include <cmath>
#include <regex>
#include <string>
#include <vector>

#include "scalelaw/laws/kaplan.h"
#include "scalelaw/laws/step_law.h"
#include "scalelaw/model/count.h"
#include "scalelaw/model/model_inputs.h"
#include "scalelaw/predict.h"

namespace {

using scalelaw::Input;
using scalelaw::PredictionInputs;
using scalelaw::Quantity;

// Llama-2-7B (Touvron et al. 2023, arXiv:2307.09288): 32 layers, d_model 4096, FFN 11008, vocabulary 32000,
// untied. Its counts written out: total 6,738,415,616; the token embedding 32000 x 4096 = 131,072,000 out
// (Kaplan's N), and the output head too (Tao et al.'s N_nv).
constexpr double kLlama2Total = 6738415616.0;
constexpr double kLlama2NonEmbedding = kLlama2Total - 32000.0 * 4096;
constexpr double kLlama2NonVocabulary = kLlama2Total - 2 * 32000.0 * 4096;

scalelaw::TransformerShape Llama2() {
  scalelaw::TransformerShape shape;
  shape.layers = 32;
  shape.d_model = 4096;
  shape.heads = 32;
  shape.vocab = 32000;  // SwiGLU with Llama's derived width 11008, RMSNorm, untied: TransformerShape's defaults
  shape.seq_len = 4096;
  return shape;
}

}  // namespace

TEST_CASE("A model's shape gives every law the N it defines", "[params-conversion]") {
  const PredictionInputs model = scalelaw::WithModel(Llama2());
  CHECK(model.Get(Input::kParams) == kLlama2Total);
  CHECK(model.Get(Input::kNonEmbeddingParams) == kLlama2NonEmbedding);
  CHECK(model.Get(Input::kNonVocabularyParams) == kLlama2NonVocabulary);
  PredictionInputs at = model;
  at.Set(Input::kTokens, 2e12);

  const scalelaw::Prediction step = scalelaw::PredictLearningRate("step", at).front();
  CHECK(step.Value("lr") == Approx(scalelaw::OptimalLearningRate(scalelaw::StepLaw{}, kLlama2NonVocabulary, 2e12)).epsilon(1e-14));
  CHECK(step.notes.front() == "N is the non-vocabulary parameter count given, as law 'step-lr' counts N");
  const scalelaw::Prediction kaplan = scalelaw::PredictLearningRate("kaplan", at).front();
  CHECK(kaplan.Value("lr") == Approx(scalelaw::OptimalLearningRate(scalelaw::KaplanLaw{}, kLlama2NonEmbedding)).epsilon(1e-14));
  // A law that reads the total (Chinchilla's) reads the total, and is told nothing.
  const scalelaw::Prediction loss = scalelaw::PredictLoss("chinchilla", at).front();
  CHECK(loss.Value("loss") == Approx(1.69 + 406.4 / std::pow(kLlama2Total, 0.34) + 410.7 / std::pow(2e12, 0.28)).epsilon(1e-12));
  CHECK(loss.notes == std::vector<std::string>{"N is the total parameter count given, as law 'chinchilla' counts N"});
  for (const std::string& warning : step.warnings) CHECK(warning.find("counts N as") == std::string::npos);
}

TEST_CASE("A bare count of another definition is used as it is, with the typical difference", "[params-conversion]") {
  PredictionInputs at;
  at.Set(Input::kParams, 7e9).Set(Input::kTokens, 2e11);
  const scalelaw::Prediction step = scalelaw::PredictLearningRate("step", at).front();
  CHECK(step.Value("lr") == Approx(scalelaw::OptimalLearningRate(scalelaw::StepLaw{}, 7e9, 2e11)).epsilon(1e-14));
  REQUIRE_FALSE(step.warnings.empty());
  const std::string& warning = step.warnings.front();
  CHECK_THAT(warning, Catch::StartsWith("law 'step-lr' counts N as the non-vocabulary parameters; the total count "
                                        "given (7e+09) is used as it is"));
  // The typical model it names, counted here: its non-vocabulary share is the percentage the warning prints.
  const std::regex named(R"(\((\d+) layers, d_model (\d+), vocabulary 32000, untied\) has ([0-9.]+)% fewer)");
  std::smatch match;
  REQUIRE(std::regex_search(warning, match, named));
  scalelaw::TransformerShape typical;
  typical.layers = std::stoi(match[1]);
  typical.d_model = std::stoi(match[2]);
  typical.heads = typical.d_model / 128;
  typical.vocab = 32000;
  typical.seq_len = 4096;
  const scalelaw::ParameterCounts counts = scalelaw::CountParameters(typical);
  const double fewer = 100 * (1 - static_cast<double>(counts.non_vocabulary) / static_cast<double>(counts.total));
  CHECK(std::stod(match[3]) == Approx(fewer).margin(0.051));
  CHECK(std::abs(static_cast<double>(counts.total) / 7e9 - 1) < 0.05);  // a model of that size
  const double aspect = static_cast<double>(typical.d_model) / typical.layers;
  CHECK((aspect >= 96 && aspect <= 160));  // a usual shape (PlanShapeOptions)

  // The law's own count is read without a word; a law that states no definition reads params as it is.
  PredictionInputs own;
  own.Set(Input::kNonVocabularyParams, 7e9).Set(Input::kTokens, 2e11);
  const scalelaw::Prediction read_as_is = scalelaw::PredictLearningRate("step", own).front();
  CHECK(read_as_is.Value("lr") == scalelaw::OptimalLearningRate(scalelaw::StepLaw{}, 7e9, 2e11));
  for (const std::string& w : read_as_is.warnings) CHECK(w.find("counts N as") == std::string::npos);
}

TEST_CASE("Kaplan's allocation says how far its non-embedding N is from a model's total", "[params-conversion]") {
  PredictionInputs at;
  at.Set(Input::kFlops, 1e21);
  const scalelaw::Prediction p = scalelaw::PredictAllocation("kaplan", at).front();
  bool said = false;
  for (const std::string& note : p.notes) said = said || note.find("N is the non-embedding count: a typical model") == 0;
  CHECK(said);
}

TEST_CASE("A shape and a count are two answers to one question", "[params-conversion]") {
  PredictionInputs given;
  given.Set(Input::kNonEmbeddingParams, 1e9);
  try {
    scalelaw::WithModel(Llama2(), given);
    FAIL("no error");
  } catch (const scalelaw::InputProblem& e) {
    CHECK(e.Spelled(scalelaw::Spelling::kCli) == "--non-embedding-params and a model's shape: give one of the two");
  }
  scalelaw::TransformerShape broken = Llama2();
  broken.heads = 33;
  CHECK_THROWS_AS(scalelaw::WithModel(broken), scalelaw::ShapeError);
}

TEST_CASE("Bulk predictions read the column of the law's own N", "[params-conversion][bulk]") {
  const double nv[] = {1e8, 5e8}, total[] = {2e8, 7e8};
  scalelaw::InputColumns in;
  in.size = 2;
  in.columns = {{Input::kParams, total}, {Input::kNonVocabularyParams, nv}};
  in.fixed.Set(Input::kTokens, 1e10);
  const scalelaw::BulkPrediction bulk = scalelaw::PredictBulk(Quantity::kLearningRate, "step", in).front();
  REQUIRE(bulk.outputs.size() == 1);
  for (int k = 0; k < 2; ++k) {
    CHECK(bulk.outputs[0].second[k] == scalelaw::OptimalLearningRate(scalelaw::StepLaw{}, nv[k], 1e10));
  }
}
