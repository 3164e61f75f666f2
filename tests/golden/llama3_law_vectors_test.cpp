// The Llama 3 compute-optimal tokens law (Llama Team, Meta 2024, arXiv:2407.21783, Sec. 3.2.1) at the flagship's
// 3.8e25 FLOPs: worked examples with the printed and the unrounded constants, against the 16.55T tokens the
// paper trained the flagship on.
#include <catch2/catch.hpp>

#include "scalelaw/laws/llama3.h"
#include "support/printed_number.h"

using scalelaw::testing::RoundsTo;

TEST_CASE("Llama 3 tokens law at 3.8e25 FLOPs against the flagship 16.55T tokens", "[golden][llama3]") {
  // Rounded (0.53, 0.29): 1.0464e13 tokens, not the 16.55T Meta trained on.
  CHECK(RoundsTo(scalelaw::OptimalTokens(scalelaw::kLlama3TokensLawRounded, 3.8e25), "1.0464e13"));
  // Unrounded (0.537, 0.299), the default: 1.6294e13, within 2% of 16.55T.
  const scalelaw::Llama3TokensLaw law;
  CHECK(RoundsTo(scalelaw::OptimalTokens(law, 3.8e25), "1.6294e13"));
  CHECK(scalelaw::OptimalTokens(law, 3.8e25) == Approx(16.55e12).epsilon(0.02));
  // N = C/(6D) = 3.887e11 (Meta's 402B uses their own FLOP count).
  CHECK(RoundsTo(scalelaw::OptimalParams(law, 3.8e25), "3.887e11"));
}
