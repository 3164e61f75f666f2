// The data-constrained law of Muennighoff et al. 2023 (arXiv:2305.16264) with the C4 constants of the
// huggingface/datablations README ("Parametric Fit"): the README's printed losses and allocation example, and
// worked examples (the grid search from the Chinchilla-optimal start, effective data for U = 1e11).
#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/laws/chinchilla.h"
#include "scalelaw/laws/data_constrained.h"
#include "support/printed_number.h"

using scalelaw::DataConstrainedAllocation;
using scalelaw::DataConstrainedLaw;
using scalelaw::EffectiveData;
using scalelaw::testing::RoundsTo;

TEST_CASE("Datablations C4 constants in linear space", "[golden][datablations]") {
  const DataConstrainedLaw law;
  CHECK(RoundsTo(law.A, "520.82"));
  CHECK(RoundsTo(law.B, "1487.72"));
  CHECK(RoundsTo(law.E, "1.86914"));
  CHECK(RoundsTo(scalelaw::ComputeOptimalExponents(scalelaw::AsChinchillaLaw(law)).G, "0.225802"));
  // Saturation: D' < (1 + R_D*) U = 16.39 U, N' < (1 + R_N*) U_N = 6.31 U_N.
  CHECK(RoundsTo(1 + law.rd_star, "16.39"));
  CHECK(RoundsTo(1 + law.rn_star, "6.31"));
}

TEST_CASE("Datablations README losses (Figure 1, right)", "[golden][datablations]") {
  const DataConstrainedLaw law;
  CHECK(scalelaw::Loss(law, 6.34e9, 242e9, 25e9) == Approx(2.2256440889984477).epsilon(1e-12));
  CHECK(scalelaw::Loss(law, 8.67e9, 178e9, 25e9) == Approx(2.2269634075087867).epsilon(1e-12));
}

TEST_CASE("Datablations grid search: C = 1e22, U = 25e9", "[golden][datablations]") {
  // Worked example: the README's grid search started from the Chinchilla-optimal (N, D) of C.
  const DataConstrainedAllocation best = scalelaw::ComputeOptimal(DataConstrainedLaw{}, 1e22, 25e9);
  CHECK(RoundsTo(best.tokens, "2.37337e11"));
  CHECK(RoundsTo(best.epochs, "9.4935"));
  CHECK(RoundsTo(best.params, "7.02236e9"));
  CHECK(RoundsTo(best.loss, "2.222129"));
  CHECK(best.flops == 1e22);
  CHECK_FALSE(best.at_grid_edge);
}

TEST_CASE("Datablations README example: grid search around (8.67e9, 178e9), U = 25e9", "[golden][datablations]") {
  // README: "-> 227B tokens, 9.1 epochs, 6.8B parameters".
  const DataConstrainedAllocation best = scalelaw::OptimalAllocationAround(DataConstrainedLaw{}, 8.67e9, 178e9, 25e9);
  CHECK(RoundsTo(best.tokens, "227e9"));
  CHECK(RoundsTo(best.epochs, "9.1"));
  CHECK(RoundsTo(best.params, "6.8e9"));
}

TEST_CASE("Effective data for U = 1e11", "[golden][datablations]") {
  const DataConstrainedLaw law;
  struct Row {
    double epochs;
    const char *effective, *ratio;
  };
  const Row rows[] = {{4, "3.7257e11", "3.73"}, {16, "1.0582e12", "10.58"}, {40, "1.5167e12", "15.17"}};
  for (const Row& row : rows) {
    CAPTURE(row.epochs);
    const double effective = EffectiveData(law, row.epochs * 1e11, 1e11);
    CHECK(RoundsTo(effective, row.effective));
    CHECK(RoundsTo(effective / 1e11, row.ratio));
  }
}
