#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/laws/deepseek.h"

using scalelaw::DeepSeekLaw;
using scalelaw::NonEmbeddingFlopsPerToken;
using scalelaw::OptimalBatchTokens;
using scalelaw::OptimalLearningRate;

TEST_CASE("DeepSeek M is 72 n_layer d^2 plus the attention term 12 n_layer d l_seq", "[deepseek]") {
  // 1 layer, d = 10, l = 100: 72·100 + 12·10·100 = 7200 + 12000.
  CHECK(NonEmbeddingFlopsPerToken(1, 10, 100) == 19200.0);
  // Linear in n_layer and in l_seq's term.
  CHECK(NonEmbeddingFlopsPerToken(4, 256, 1024) == 4 * NonEmbeddingFlopsPerToken(1, 256, 1024));
  CHECK(NonEmbeddingFlopsPerToken(2, 64, 2048) - NonEmbeddingFlopsPerToken(2, 64, 1024) == 12.0 * 2 * 64 * 1024);
}

TEST_CASE("DeepSeek LR falls and batch grows with compute, by their exponents", "[deepseek]") {
  const DeepSeekLaw law;
  CHECK(OptimalLearningRate(law, 1e21) < OptimalLearningRate(law, 1e20));
  CHECK(OptimalBatchTokens(law, 1e21) > OptimalBatchTokens(law, 1e20));
  CHECK(OptimalLearningRate(law, 1e21) / OptimalLearningRate(law, 1e20) == Approx(std::pow(10.0, -0.125)));
  CHECK(OptimalBatchTokens(law, 1e21) / OptimalBatchTokens(law, 1e20) == Approx(std::pow(10.0, 0.3271)));
  CHECK(OptimalLearningRate(law, 1) == Approx(0.3118).epsilon(1e-15));
  CHECK(OptimalBatchTokens(law, 1) == Approx(0.2920).epsilon(1e-15));
}

TEST_CASE("DeepSeek allocation spends about C and scales by its exponents", "[deepseek]") {
  const DeepSeekLaw law;
  for (double flops : {1e18, 1e21, 1e24}) {
    const scalelaw::DeepSeekAllocation a = scalelaw::ComputeOptimal(law, flops);
    CHECK(a.flops_per_token * a.tokens == Approx(flops).epsilon(2e-4));
  }
  const auto small = scalelaw::ComputeOptimal(law, 1e20), large = scalelaw::ComputeOptimal(law, 1e22);
  CHECK(large.flops_per_token / small.flops_per_token == Approx(std::pow(100.0, 0.5243)));
  CHECK(large.tokens / small.tokens == Approx(std::pow(100.0, 0.4757)));
}

TEST_CASE("DeepSeek compute-range warnings", "[deepseek]") {
  CHECK(scalelaw::DeepSeekFlopsWarnings(scalelaw::Quantity::kLearningRate, 1e18).empty());
  const auto lr = scalelaw::DeepSeekFlopsWarnings(scalelaw::Quantity::kLearningRate, 8.4557e22);
  REQUIRE(lr.size() == 1);
  CHECK_THAT(lr[0], Catch::Contains("8.46e+22") && Catch::Contains("deepseek-lr") && Catch::Contains("2e+19"));
  CHECK_THAT(scalelaw::DeepSeekFlopsWarnings(scalelaw::Quantity::kBatchSize, 1e16).at(0),
             Catch::Contains("deepseek-batch"));
  // 1e20 is inside the allocation's range but outside the hyperparameters'.
  CHECK(scalelaw::DeepSeekFlopsWarnings(scalelaw::Quantity::kAllocation, 1e20).empty());
  CHECK(scalelaw::DeepSeekFlopsWarnings(scalelaw::Quantity::kBatchSize, 1e20).size() == 1);
  CHECK_THAT(scalelaw::DeepSeekFlopsWarnings(scalelaw::Quantity::kAllocation, 1e24).at(0),
             Catch::Contains("deepseek-allocation") && Catch::Contains("3e+20"));
}

TEST_CASE("DeepSeek rejects invalid input with InvalidArgument", "[deepseek]") {
  const DeepSeekLaw law;
  CHECK_THROWS_AS(OptimalLearningRate(law, 0), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(OptimalBatchTokens(law, -1e20), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::ComputeOptimal(law, std::nan("")), scalelaw::InvalidArgument);
  CHECK_THROWS_WITH(OptimalLearningRate(law, -3), Catch::Contains("C (FLOPs)") && Catch::Contains("-3"));
  CHECK_THROWS_AS(NonEmbeddingFlopsPerToken(0, 4096, 4096), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(NonEmbeddingFlopsPerToken(30, -1, 4096), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(NonEmbeddingFlopsPerToken(30, 4096, 0), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::OptimalBatchSequences(law, 1e20, 0), scalelaw::InvalidArgument);
  DeepSeekLaw broken;
  broken.tokens_coefficient = 0;
  CHECK_THROWS_AS(scalelaw::ComputeOptimal(broken, 1e20), scalelaw::InvalidArgument);
}

TEST_CASE("DeepSeek registry records", "[deepseek][law-info]") {
  const auto& infos = scalelaw::DeepSeekLawInfos();
  REQUIRE(infos.size() == 3);
  CHECK(infos[0].name == "deepseek-lr");
  CHECK(infos[0].quantity == scalelaw::Quantity::kLearningRate);
  CHECK(infos[1].name == "deepseek-batch");
  CHECK(infos[1].quantity == scalelaw::Quantity::kBatchSize);
  CHECK(infos[2].name == "deepseek-allocation");
  CHECK(infos[2].quantity == scalelaw::Quantity::kAllocation);
  for (const auto& info : infos) {
    CHECK(info.family == "deepseek");
    CHECK(info.citation.arxiv == "2401.02954");
    CHECK(info.params_definition.find("FLOPs/token") != std::string_view::npos);
    CHECK_FALSE(info.constants.empty());
  }
  CHECK(infos[0].constants[0].second == 0.3118);
  CHECK(infos[2].constants[3].second == 0.4757);
}
