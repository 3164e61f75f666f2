#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/laws/llama3.h"

TEST_CASE("Llama 3 tokens law: power law in C, and 6 N D = C", "[llama3]") {
  const scalelaw::Llama3TokensLaw law;
  CHECK(scalelaw::OptimalTokens(law, 1e22) / scalelaw::OptimalTokens(law, 1e21) ==
        Approx(std::pow(10.0, 0.537)).epsilon(1e-14));
  for (double c : {6e18, 1e22, 3.8e25}) {
    CHECK(6 * scalelaw::OptimalParams(law, c) * scalelaw::OptimalTokens(law, c) == Approx(c).epsilon(1e-14));
  }
  CHECK(scalelaw::kLlama3TokensLawRounded.coefficient == 0.29);
  CHECK(scalelaw::kLlama3TokensLawRounded.exponent == 0.53);
}

TEST_CASE("Llama 3 tokens law invalid input throws InvalidArgument", "[llama3]") {
  CHECK_THROWS_AS(scalelaw::OptimalTokens(scalelaw::Llama3TokensLaw{}, 0), scalelaw::InvalidArgument);
  CHECK_THROWS_AS(scalelaw::OptimalParams(scalelaw::Llama3TokensLaw{}, -1e24), scalelaw::InvalidArgument);
}

TEST_CASE("Llama 3 LawInfo record", "[llama3][law-info]") {
  const auto& infos = scalelaw::Llama3LawInfos();
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].name == "llama3-tokens");
  CHECK(infos[0].family == "llama3");
  CHECK(infos[0].quantity == scalelaw::Quantity::kAllocation);
  REQUIRE(infos[0].constants.size() == 2);
  CHECK(infos[0].constants[0].second == 0.299);
  CHECK(infos[0].constants[1].second == 0.537);
}
