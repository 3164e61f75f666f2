// Properties of the data-constrained law (Muennighoff et al. 2023): it is Chinchilla while data is not
// repeated, repetition and excess parameters have diminishing and bounded value, and the grid search keeps
// C = 6 N D.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "scalelaw/laws/chinchilla.h"
#include "scalelaw/laws/data_constrained.h"

using scalelaw::DataConstrainedAllocation;
using scalelaw::DataConstrainedLaw;
using scalelaw::EffectiveData;
using scalelaw::EffectiveParams;
using scalelaw::InvalidArgument;

TEST_CASE("Without repetition or excess parameters the law is Chinchilla", "[datablations]") {
  const DataConstrainedLaw law;
  const scalelaw::ChinchillaLaw chinchilla = scalelaw::AsChinchillaLaw(law);
  CHECK(chinchilla.E == law.E);
  CHECK(chinchilla.A == law.A);
  CHECK(chinchilla.B == law.B);
  CHECK(chinchilla.alpha == law.alpha);
  CHECK(chinchilla.beta == law.beta);
  // Up to N_opt(D) = G^2 D ≈ 0.051 D parameters (the compute-optimal N for D tokens) nothing is in excess.
  CHECK(scalelaw::UniqueParams(law, 1e12) == Approx(5.0986517653e10).epsilon(1e-9));
  for (double d : {1e10, 1e11, 1e12}) {
    for (double n : {1e-4 * d, 1e-2 * d, 0.05 * d}) {
      CAPTURE(n, d);
      CHECK(scalelaw::Loss(law, n, d, 1e12) == Approx(scalelaw::Loss(chinchilla, n, d)).epsilon(1e-14));
      CHECK(EffectiveData(law, d, 1e12) == Approx(d).epsilon(1e-15));
    }
  }
  // Even in one epoch, parameters beyond N_opt(D) count as excess (U_N = min(N, N_opt(U_D)), U_D = min(U, D)).
  CHECK(scalelaw::Loss(law, 1e9, 1e10, 1e12) > scalelaw::Loss(chinchilla, 1e9, 1e10));
  // More unique tokens than the run uses: the run sees only D of them.
  CHECK(scalelaw::Loss(law, 1e9, 1e10, 5e10) == scalelaw::Loss(law, 1e9, 1e10, 1e10));
}

TEST_CASE("UniqueParams is the compute-optimal N for D = U", "[datablations]") {
  const DataConstrainedLaw law;
  const scalelaw::ChinchillaLaw chinchilla = scalelaw::AsChinchillaLaw(law);
  for (double u : {1e9, 25e9, 1e12}) {
    const double n = scalelaw::UniqueParams(law, u);
    const scalelaw::Allocation a = scalelaw::ComputeOptimal(chinchilla, 6 * n * u);
    CHECK(a.params == Approx(n).epsilon(1e-12));
    CHECK(a.tokens == Approx(u).epsilon(1e-12));
  }
}

TEST_CASE("Repeated data has diminishing, bounded value", "[datablations]") {
  const DataConstrainedLaw law;
  const double u = 1e10;
  double previous = 0;
  for (double epochs : {1.0, 1.5, 2.0, 4.0, 8.0, 16.0, 64.0, 400.0}) {
    CAPTURE(epochs);
    const double effective = EffectiveData(law, epochs * u, u);
    CHECK(effective > previous);
    CHECK(effective <= epochs * u * (1 + 1e-15));
    CHECK(effective <= (1 + law.rd_star) * u);
    previous = effective;
  }
  // Up to ~4 epochs repeated data is almost as good as new (arXiv:2305.16264): 4 epochs are worth > 3.7.
  CHECK(EffectiveData(law, 4 * u, u) > 3.7 * u);
  // The first repetition is worth more than a later one.
  CHECK(EffectiveData(law, 2 * u, u) - EffectiveData(law, u, u) >
        EffectiveData(law, 11 * u, u) - EffectiveData(law, 10 * u, u));
}

TEST_CASE("Excess parameters have diminishing, bounded value", "[datablations]") {
  const DataConstrainedLaw law;
  const double u = 1e10, cap = scalelaw::UniqueParams(law, u);
  CHECK(EffectiveParams(law, 0.5 * cap, u) == 0.5 * cap);
  double previous = 0;
  for (double factor : {0.5, 1.0, 2.0, 5.0, 50.0, 100.0}) {
    const double effective = EffectiveParams(law, factor * cap, u);
    CHECK(effective > previous);
    CHECK(effective <= factor * cap * (1 + 1e-15));
    CHECK(effective < (1 + law.rn_star) * cap * (1 - 1e-12));
    previous = effective;
  }
  // Loss still falls with more parameters, but less than Chinchilla says.
  const scalelaw::ChinchillaLaw chinchilla = scalelaw::AsChinchillaLaw(law);
  CHECK(scalelaw::Loss(law, 4 * cap, 4 * u, u) < scalelaw::Loss(law, 2 * cap, 4 * u, u));
  CHECK(scalelaw::Loss(law, 4 * cap, u, u) > scalelaw::Loss(chinchilla, 4 * cap, u));
}

TEST_CASE("Loss falls with more unique data at a fixed run", "[datablations]") {
  const DataConstrainedLaw law;
  double previous = std::numeric_limits<double>::infinity();
  for (double u : {1e9, 5e9, 2e10, 1e11, 2e11}) {
    const double loss = scalelaw::Loss(law, 5e9, 2e11, u);
    CHECK(loss < previous);
    previous = loss;
  }
}

TEST_CASE("The grid search keeps C = 6ND and moves to fewer parameters and more epochs as data shrinks",
          "[datablations]") {
  const DataConstrainedLaw law;
  const double flops = 1e22;
  const scalelaw::Allocation chinchilla = scalelaw::ComputeOptimal(scalelaw::AsChinchillaLaw(law), flops);
  double previous_params = std::numeric_limits<double>::infinity(), previous_epochs = 0;
  for (double u : {1e13, 1e11, 5e10, 25e9, 1e10}) {
    CAPTURE(u);
    const DataConstrainedAllocation best = scalelaw::ComputeOptimal(law, flops, u);
    CHECK(6 * best.params * best.tokens == Approx(flops).epsilon(1e-12));
    CHECK(best.epochs == Approx(best.tokens / u).epsilon(1e-15));
    CHECK(best.loss == scalelaw::Loss(law, best.params, best.tokens, u));
    CHECK(best.params <= previous_params);
    CHECK(best.epochs > previous_epochs);
    CHECK(best.loss <= scalelaw::Loss(law, chinchilla.params * 1.0001, chinchilla.tokens / 1.0001, u));
    previous_params = best.params;
    previous_epochs = best.epochs;
  }
  // Unlimited data: the first grid point next to the Chinchilla optimum.
  const DataConstrainedAllocation free = scalelaw::ComputeOptimal(law, flops, 1e15);
  CHECK(free.params == Approx(chinchilla.params).epsilon(2e-4));
  CHECK_FALSE(free.at_grid_edge);
  // A start far from the optimum (100x too many parameters): the best point is the last grid point
  // (N/3, 3D), flagged because the optimum lies beyond the grid.
  const DataConstrainedAllocation edge =
      scalelaw::OptimalAllocationAround(law, 100 * chinchilla.params, chinchilla.tokens / 100, 1e15);
  CHECK(edge.at_grid_edge);
  CHECK(edge.params == Approx(100 * chinchilla.params / 3).epsilon(1e-15));
  CHECK(edge.tokens == Approx(chinchilla.tokens / 100 * 3).epsilon(1e-15));
}

TEST_CASE("Invalid data-constrained inputs throw", "[datablations]") {
  const DataConstrainedLaw law;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(scalelaw::Loss(law, 0, 1e11, 1e10), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::Loss(law, 1e9, -1, 1e10), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::Loss(law, 1e9, 1e11, 0), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::Loss(law, 1e9, 1e11, nan), InvalidArgument);
  CHECK_THROWS_AS(EffectiveData(law, 1e11, -1e10), InvalidArgument);
  CHECK_THROWS_AS(EffectiveParams(law, nan, 1e10), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::ComputeOptimal(law, 0, 1e10), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::ComputeOptimal(law, 1e22, std::numeric_limits<double>::infinity()), InvalidArgument);
  DataConstrainedLaw broken;
  broken.rd_star = 0;
  CHECK_THROWS_AS(EffectiveData(broken, 1e11, 1e10), InvalidArgument);
}

TEST_CASE("Data-constrained registry records", "[datablations]") {
  const auto& infos = scalelaw::DataConstrainedLawInfos();
  REQUIRE(infos.size() == 2);
  CHECK(infos[0].name == "datablations-loss");
  CHECK(infos[0].family == "datablations");
  CHECK(infos[0].quantity == scalelaw::Quantity::kLoss);
  CHECK(infos[1].name == "datablations-allocation");
  CHECK(infos[1].family == "datablations");
  CHECK(infos[1].quantity == scalelaw::Quantity::kAllocation);
  CHECK(infos[0].citation.arxiv == "2305.16264");
}
