#include "scalelaw/laws/step_law.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

using scalelaw::OptimalBatchSequences;
using scalelaw::OptimalBatchTokens;
using scalelaw::OptimalLearningRate;
using scalelaw::StepLaw;

TEST_CASE("Step Law LR falls with N and rises with D, batch rises with D only", "[step]") {
  const StepLaw law;
  CHECK(OptimalLearningRate(law, 1e9, 1e11) > OptimalLearningRate(law, 2e9, 1e11));
  CHECK(OptimalLearningRate(law, 1e9, 2e11) > OptimalLearningRate(law, 1e9, 1e11));
  CHECK(OptimalBatchTokens(law, 2e11) > OptimalBatchTokens(law, 1e11));
}

TEST_CASE("Step Law scales by its exponents exactly", "[step]") {
  const StepLaw law;
  CHECK(OptimalLearningRate(law, 2e9, 1e11) / OptimalLearningRate(law, 1e9, 1e11) ==
        Approx(std::pow(2.0, -0.713)).epsilon(1e-12));
  CHECK(OptimalLearningRate(law, 1e9, 3e11) / OptimalLearningRate(law, 1e9, 1e11) ==
        Approx(std::pow(3.0, 0.307)).epsilon(1e-12));
  CHECK(OptimalBatchTokens(law, 1e12) / OptimalBatchTokens(law, 1e11) == Approx(std::pow(10.0, 0.571)).epsilon(1e-12));
  // At N = D = 1 the law is its coefficient.
  CHECK(OptimalLearningRate(law, 1, 1) == Approx(1.79).epsilon(1e-15));
  CHECK(OptimalBatchTokens(law, 1) == Approx(0.58).epsilon(1e-15));
}

TEST_CASE("Step Law batch in sequences is tokens over the sequence length", "[step]") {
  const StepLaw law;
  CHECK(OptimalBatchSequences(law, 1e11) == Approx(OptimalBatchTokens(law, 1e11) / 2048).epsilon(1e-15));
  CHECK(OptimalBatchSequences(law, 1e11, 4096) == Approx(OptimalBatchTokens(law, 1e11) / 4096).epsilon(1e-15));
}

TEST_CASE("Step Law repo-mean constants are close to but not the paper's", "[step]") {
  const StepLaw paper;
  const StepLaw repo = scalelaw::StepLawRepoMean();
  const double ratio = OptimalLearningRate(repo, 7e9, 2e12) / OptimalLearningRate(paper, 7e9, 2e12);
  CHECK(ratio > 1.01);
  CHECK(ratio < 1.03);
  CHECK(OptimalBatchTokens(repo, 2e12) != OptimalBatchTokens(paper, 2e12));
}

TEST_CASE("Step Law rejects invalid input with InvalidArgument", "[step]") {
  const StepLaw law;
  CHECK_THROWS_AS(OptimalLearningRate(law, 0, 1e11), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(OptimalLearningRate(law, 1e9, -1), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(OptimalLearningRate(law, std::nan(""), 1e11), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(OptimalLearningRate(law, std::numeric_limits<double>::infinity(), 1e11), scalelaw::InvalidArgument);
  CHECK_THROWS_WITH(OptimalLearningRate(law, -5, 1e11), Catch::Contains("non-vocabulary") && Catch::Contains("-5"));
  CHECK_THROWS_AS(OptimalBatchTokens(law, 0), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(OptimalBatchSequences(law, 1e11, 0), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::StepLawNonVocabularyParams(0, 960, 9368), scalelaw::InvalidArgument);
  // A result that overflows or is not positive throws instead of returning inf or a negative LR.
  CHECK_THROWS_AS(OptimalLearningRate(law, 1e-300, 1e308), scalelaw::InvalidArgument);
  StepLaw negative;
  negative.lr_coefficient = -1;
  CHECK_THROWS_WITH(OptimalLearningRate(negative, 1e9, 1e11), Catch::Contains("constants"));
}

TEST_CASE("Step Law registry records", "[step][law-info]") {
  const auto& infos = scalelaw::StepLawInfos();
  REQUIRE(infos.size() == 2);
  CHECK(infos[0].name == "step-lr");
  CHECK(infos[0].family == "step");
  CHECK(infos[0].quantity == scalelaw::Quantity::kLearningRate);
  CHECK(infos[1].name == "step-batch");
  CHECK(infos[1].family == "step");
  CHECK(infos[1].quantity == scalelaw::Quantity::kBatchSize);
  for (const auto& info : infos) {
    CHECK(info.citation.arxiv == "2503.04715");
    CHECK(info.params_definition.find("non-vocabulary") != std::string_view::npos);
    CHECK_FALSE(info.confidence.empty());
    CHECK_FALSE(info.constants.empty());
  }
  CHECK(infos[0].constants[0].second == 1.79);
  CHECK(infos[1].constants[1].second == 0.571);
}
