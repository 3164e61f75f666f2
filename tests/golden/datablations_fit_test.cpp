// Muennighoff et al. 2023 (arXiv 2305.16264): the R_D*, R_N* fit of the authors' notebook on its 182 runs,
// with the C4 Chinchilla-form coefficients held fixed (the README's "Parametric Fit";
// ../shared/data/datablations/SOURCE.txt).
#include <catch2/catch.hpp>
#include <cmath>

#include "scalelaw/fit/fit.h"
#include "scalelaw/io/csv.h"
#include "support/shared_data.h"

namespace {

constexpr const char* kRuns = "data/datablations/datablations_fit182.csv";

scalelaw::Dataset Runs() {
  const scalelaw::NumericTable table = scalelaw::ReadNumericCsv(scalelaw::testing::SharedPath(kRuns),
                                                                {"N_billion", "D_billion", "U_D_billion", "val_loss"});
  REQUIRE(table.rows() == 182);
  scalelaw::Dataset data;
  for (std::size_t i = 0; i < table.rows(); ++i) {  // the file is in billions; the law in raw counts
    data.params.push_back(table.columns[0][i] * 1e9);
    data.tokens.push_back(table.columns[1][i] * 1e9);
    data.unique_tokens.push_back(table.columns[2][i] * 1e9);
    data.loss.push_back(table.columns[3][i]);
  }
  return data;
}

scalelaw::FitOptions C4Fixed() {
  scalelaw::FitOptions options;
  // The C4 fit in log space (a, b, e, alpha = beta), as the notebook fixes it.
  options.fixed = {{"A", std::exp(6.255414)},
                   {"B", std::exp(7.3049974)},
                   {"E", std::exp(0.6254804)},
                   {"alpha", 0.3526596},
                   {"beta", 0.3526596}};
  return options;
}

}  // namespace

TEST_CASE("Data-constrained fit reproduces R_D* = 15.39 and R_N* = 5.31", "[golden][datablations]") {
  SCALELAW_REQUIRE_SHARED(kRuns);
  // The notebook searches R_D*, R_N* from a grid over [0, 20]: the same box here.
  scalelaw::FitOptions options = C4Fixed();
  options.bounds = {{"R_D", {0.0, 20.0}}, {"R_N", {0.0, 20.0}}};
  scalelaw::FitSummary fit;
  REQUIRE(scalelaw::Fit(Runs(), scalelaw::Model::FromName("data-constrained"), options, &fit));
  CAPTURE(fit.params.at("R_D"), fit.params.at("R_N"), fit.objective);
  CHECK(std::abs(fit.params.at("R_D") / 15.387756 - 1) < 0.05);
  CHECK(std::abs(fit.params.at("R_N") / 5.309743 - 1) < 0.05);
  CHECK(std::abs(fit.objective / 0.0158259 - 1) < 0.01);
  CHECK(fit.params.at("E") == Approx(std::exp(0.6254804)).epsilon(1e-15));
}

TEST_CASE("Without the [0, 20] box the same objective has a lower optimum at R_D* near 47", "[golden][datablations]") {
  SCALELAW_REQUIRE_SHARED(kRuns);
  // The published R_D* is a local optimum of the notebook's own objective: on these 182 runs the objective
  // keeps falling beyond R_D* = 20 (0.0158474 at R_D* = 20, 0.0158074 near 47). The tool reports the global one.
  scalelaw::FitSummary fit;
  REQUIRE(scalelaw::Fit(Runs(), scalelaw::Model::FromName("data-constrained"), C4Fixed(), &fit));
  CAPTURE(fit.params.at("R_D"), fit.params.at("R_N"), fit.objective);
  CHECK(fit.objective < 0.0158259 - 1e-5);
  CHECK(fit.params.at("R_D") > 30);
  CHECK(fit.params.at("R_N") < 3);
}
