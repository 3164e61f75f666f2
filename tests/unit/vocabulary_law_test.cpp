#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/laws/vocabulary.h"

using scalelaw::OptimalVocabularySize;
using scalelaw::VocabularyLaw;

TEST_CASE("EmbeddingDimension follows the repo lookup with inclusive bounds", "[vocabulary]") {
  CHECK(scalelaw::EmbeddingDimension(1e6) == 512);
  CHECK(scalelaw::EmbeddingDimension(50e6) == 512);
  CHECK(scalelaw::EmbeddingDimension(50e6 + 1) == 768);
  CHECK(scalelaw::EmbeddingDimension(1e9) == 1536);
  CHECK(scalelaw::EmbeddingDimension(1e12) == 20480);
  CHECK(scalelaw::EmbeddingDimension(2e12) == 24576);
  CHECK_THROWS_AS(scalelaw::EmbeddingDimension(0), scalelaw::InvalidArgument);
}

TEST_CASE("TokensFromCharacters uses the quadratic in ln V, capped at 200,000", "[vocabulary]") {
  const double lnv = std::log(32000.0);
  const double f = 0.00639222 * lnv * lnv - 0.15811069 * lnv + 1.20470122;
  CHECK(scalelaw::TokensFromCharacters(1e9, 32000) == Approx(1e9 * f).epsilon(1e-15));
  // Larger vocabularies compress more: fewer tokens per character (up to the cap).
  CHECK(scalelaw::TokensFromCharacters(1e9, 64000) < scalelaw::TokensFromCharacters(1e9, 32000));
  CHECK(scalelaw::TokensFromCharacters(1e9, 500000) == scalelaw::TokensFromCharacters(1e9, 200000));
  CHECK(scalelaw::TokensPerCharacter(4096) > 0);
  CHECK_THROWS_AS(scalelaw::TokensFromCharacters(-1, 32000), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::TokensFromCharacters(1e9, 0), scalelaw::InvalidArgument);
}

TEST_CASE("Approach 1: the compute-optimal F inverts N_nv,opt(F)", "[vocabulary]") {
  const VocabularyLaw law;
  for (double n : {33e6, 1e9, 7e10}) {
    const double f = scalelaw::VocabularyComputeOptimalFlops(law, n);
    CHECK(scalelaw::VocabularyOptimalNonVocabParams(law, f) == Approx(n).epsilon(1e-12));
  }
}

TEST_CASE("Approach 3 solves dL_u/dV = 0: its V minimises the unigram loss at fixed N_nv and F", "[vocabulary]") {
  const VocabularyLaw law;
  for (double n : {302e6, 7e9}) {
    for (double factor : {0.3, 1.0, 4.0}) {
      const double f = factor * scalelaw::VocabularyComputeOptimalFlops(law, n);
      const double v = OptimalVocabularySize(law, 3, n, f);
      const double best = scalelaw::VocabularyUnigramLoss(law, n, v, f);
      CAPTURE(n, factor, v);
      for (double step : {0.9, 0.99, 1.01, 1.1}) {
        CHECK(scalelaw::VocabularyUnigramLoss(law, n, v * step, f) > best);
      }
    }
  }
}

TEST_CASE("Approach 3: more FLOPs for the same model give a larger optimal vocabulary", "[vocabulary]") {
  const VocabularyLaw law;
  double previous = 0;
  for (double f : {1e18, 1e19, 1e20, 1e21, 1e23}) {
    const double v = OptimalVocabularySize(law, 3, 302e6, f);
    CHECK(v > previous);
    previous = v;
  }
  // Extreme budgets still bracket the root.
  CHECK(OptimalVocabularySize(law, 3, 302e6, 1e10) > 0);
  CHECK(std::isfinite(OptimalVocabularySize(law, 3, 302e6, 1e35)));
}

TEST_CASE("Approaches 1 and 2 ignore flops, all grow with N_nv", "[vocabulary]") {
  const VocabularyLaw law;
  for (int approach : {1, 2}) {
    CHECK(OptimalVocabularySize(law, approach, 7e9, 1e25) == OptimalVocabularySize(law, approach, 7e9, 0));
    CHECK(OptimalVocabularySize(law, approach, 7e9, -1) == OptimalVocabularySize(law, approach, 7e9, 0));
  }
  for (int approach : {1, 2, 3}) {
    CHECK(scalelaw::OptimalVocabularyParams(law, approach, 7e9, 0) >
          scalelaw::OptimalVocabularyParams(law, approach, 1e9, 0));
    CHECK(scalelaw::OptimalVocabularyParams(law, approach, 7e9, 0) ==
          Approx(OptimalVocabularySize(law, approach, 7e9, 0) * 4096).epsilon(1e-15));
  }
}

TEST_CASE("Vocabulary law invalid input throws InvalidArgument", "[vocabulary]") {
  const VocabularyLaw law;
  CHECK_THROWS_AS(OptimalVocabularySize(law, 4, 7e9, 0), scalelaw::InvalidArgument);
  CHECK_THROWS_WITH(OptimalVocabularySize(law, 0, 7e9, 0), Catch::Contains("approach 0"));
  CHECK_THROWS_AS(OptimalVocabularySize(law, 3, 0, 0), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(OptimalVocabularySize(law, 3, 7e9, std::nan("")), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(OptimalVocabularySize(law, 1, 7e9, HUGE_VAL), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::VocabularyComputeOptimalFlops(law, -1), scalelaw::InvalidArgument);
  VocabularyLaw broken;
  broken.beta = 1.5;
  CHECK_THROWS_AS(OptimalVocabularySize(broken, 3, 7e9, 0), scalelaw::InvalidArgument);
}

TEST_CASE("Vocabulary LawInfo record", "[vocabulary][law-info]") {
  const auto& infos = scalelaw::VocabularyLawInfos();
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].name == "tao-vocab");
  CHECK(infos[0].family == "tao");
  CHECK(infos[0].quantity == scalelaw::Quantity::kVocabularySize);
  CHECK(infos[0].citation.arxiv == "2407.13623");
  CHECK(infos[0].constants.size() == 14);
}
