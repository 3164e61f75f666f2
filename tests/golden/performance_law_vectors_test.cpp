// Worked examples of the Performance Law (Wu & Tang 2024, arXiv:2408.09895) with the constants of the authors'
// planner (wuch15/performance-law-planner, plan.py): u, T' and the predicted MMLU of five Llama models, and the
// Llama-2-7B arithmetic. The predictions are the law's, not the models' measured scores.
#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/laws/performance_law.h"
#include "support/printed_number.h"

using scalelaw::PerformanceLaw;
using scalelaw::testing::RoundsTo;

TEST_CASE("Performance Law for four Llama models (gamma = 1)", "[golden][performance-law]") {
  struct Row {
    const char* model;
    double layers, hidden, ffn, tokens_t, params_b;
    const char *u, *mmlu;
  };
  const Row rows[] = {{"Llama-3-8B", 32, 4096, 14336, 15, 8.03, "0.9686", "65.45"},
                      {"Llama-2-70B", 80, 8192, 28672, 2, 69.0, "0.9514", "70.21"},
                      {"Llama-3-70B", 80, 8192, 28672, 15, 70.6, "0.9514", "81.09"},
                      {"Llama-2-7B", 32, 4096, 11008, 2, 6.74, "0.9662", "58.03"}};
  const PerformanceLaw law;
  for (const Row& row : rows) {
    CAPTURE(row.model);
    CHECK(RoundsTo(scalelaw::InstabilityDiscount(row.layers, row.hidden, row.ffn), row.u));
    CHECK(RoundsTo(scalelaw::PredictMmlu(law, row.layers, row.hidden, row.ffn, row.tokens_t, row.params_b), row.mmlu));
  }
  // T' = min(T, S): Llama-3-8B's 15T tokens count as 8.03 (8.03B parameters), so any T >= 8.03 predicts the same.
  CHECK(scalelaw::PredictMmlu(law, 32, 4096, 14336, 8.03, 8.03) ==
        Approx(scalelaw::PredictMmlu(law, 32, 4096, 14336, 15, 8.03)).epsilon(1e-15));
}

TEST_CASE("Performance Law arithmetic for Llama-2-7B", "[golden][performance-law]") {
  const PerformanceLaw law;
  const double u = scalelaw::InstabilityDiscount(32, 4096, 11008);
  CHECK(RoundsTo((10.0 / 11008 + 20.0 / 4096) * 32, "0.185320"));
  CHECK(RoundsTo(u, "0.966240"));
  CHECK(RoundsTo(u * 32, "30.91967"));
  CHECK(RoundsTo(u * 4096, "3957.718"));
  CHECK(RoundsTo(u * 11008, "10636.37"));
  CHECK(RoundsTo(u * 2, "1.932479"));
  CHECK(RoundsTo(law.w_layers * std::log(u * 32), "47.86855"));
  CHECK(RoundsTo(law.w_hidden * std::log(u * 4096), "1.91115"));
  CHECK(RoundsTo(law.w_ffn * std::log(u * 11008), "-4.49911"));
  CHECK(RoundsTo(law.w_tokens * std::log(u * 2), "3.55623"));
  CHECK(RoundsTo(scalelaw::PredictMmlu(law, 32, 4096, 11008, 2, 6.74), "58.032"));
}

TEST_CASE("Performance Law: Llama-2-13B predicts 61.1", "[golden][performance-law]") {
  CHECK(RoundsTo(scalelaw::PredictMmlu(PerformanceLaw{}, 40, 5120, 13824, 2, 13.0), "61.1"));
}
