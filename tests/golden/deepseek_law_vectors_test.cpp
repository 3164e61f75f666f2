// Worked examples of the DeepSeek LLM laws (Bi et al. 2024, arXiv:2401.02954, Sec. 3.1 and 3.2): the 7B and 67B
// models (whose deployed learning rates the paper lists), the learning rate and batch by budget, the allocation
// at 1e24, and the 7B shape trained on 2T tokens to four digits.
#include <catch2/catch.hpp>

#include "scalelaw/laws/deepseek.h"
#include "support/printed_number.h"

using scalelaw::DeepSeekLaw;
using scalelaw::NonEmbeddingFlopsPerToken;
using scalelaw::OptimalBatchSequences;
using scalelaw::OptimalBatchTokens;
using scalelaw::OptimalLearningRate;
using scalelaw::testing::RoundsTo;

TEST_CASE("DeepSeek 7B and 67B models", "[golden][deepseek]") {
  struct Row {
    double layers, d_model, seq_len, tokens;
    const char *m, *c, *eta, *batch, *sequences;
    double deployed_lr;
  };
  const Row rows[] = {
      {30, 4096, 4096, 2e12, "4.2279e10", "8.4557e22", "4.2460e-4", "9.2226e6", "2251.6", 4.2e-4},
      {95, 8192, 4096, 2e12, "4.9728e11", "9.9455e23", "3.1201e-4", "2.0654e7", "5042.5", 3.2e-4},
  };
  const DeepSeekLaw law;
  for (const Row& row : rows) {
    CAPTURE(row.layers, row.d_model);
    const double m = NonEmbeddingFlopsPerToken(row.layers, row.d_model, row.seq_len);
    CHECK(RoundsTo(m, row.m));
    const double flops = m * row.tokens;
    CHECK(RoundsTo(flops, row.c));
    CHECK(RoundsTo(OptimalLearningRate(law, flops), row.eta));
    CHECK(RoundsTo(OptimalBatchTokens(law, flops), row.batch));
    CHECK(RoundsTo(OptimalBatchSequences(law, flops), row.sequences));
    CHECK(RoundsTo(OptimalBatchTokens(law, flops) / row.seq_len, row.sequences));
    // The law reproduces the deployed learning rates (7B: 4.2e-4, 67B: 3.2e-4) within 3%.
    CHECK(std::abs(OptimalLearningRate(law, flops) / row.deployed_lr - 1) < 0.03);
  }
}

TEST_CASE("DeepSeek learning rate and batch by budget", "[golden][deepseek]") {
  struct Row {
    double flops;
    const char *eta, *batch;
  };
  const Row rows[] = {{1e20, "9.860e-4", "1.0171e6"}, {1e22, "5.5447e-4", "4.5876e6"}, {1e24, "3.1180e-4", "2.0691e7"}};
  const DeepSeekLaw law;
  for (const Row& row : rows) {
    CAPTURE(row.flops);
    CHECK(RoundsTo(OptimalLearningRate(law, row.flops), row.eta));
    CHECK(RoundsTo(OptimalBatchTokens(law, row.flops), row.batch));
  }
}

TEST_CASE("DeepSeek allocation at C = 1e24", "[golden][deepseek]") {
  const scalelaw::DeepSeekAllocation a = scalelaw::ComputeOptimal(DeepSeekLaw{}, 1e24);
  CHECK(a.flops == 1e24);
  CHECK(RoundsTo(a.flops_per_token, "6.5685e11"));
  CHECK(RoundsTo(a.tokens, "1.5226e12"));
  // M_opt · D_opt = 1.0001 C with the published constants.
  CHECK(RoundsTo(a.flops_per_token * a.tokens / a.flops, "1.0001"));
}

TEST_CASE("DeepSeek 7B shape on 2T tokens (C = 8.456e22), four digits", "[golden][deepseek]") {
  const DeepSeekLaw law;
  const double flops = NonEmbeddingFlopsPerToken(30, 4096, 4096) * 2e12;
  CHECK(RoundsTo(flops, "8.456e22"));
  CHECK(RoundsTo(OptimalLearningRate(law, flops), "4.246e-4"));
  CHECK(RoundsTo(OptimalBatchTokens(law, flops), "9.223e6"));
}
