// Synthetic recovery for every formula-preset form: data generated from known parameters with 0.3%
// log-normal noise (fixed seed), fitted from the form's default starting grid.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <map>
#include <random>

#include "scalelaw/fit/fit.h"

namespace {

using Inputs = std::map<std::string, double>;

scalelaw::FitSummary FitGenerated(const std::string& model, const std::vector<Inputs>& rows,
                                  const std::function<double(const Inputs&)>& law,
                                  const scalelaw::FitOptions& options = {}) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal(0.0, 1.0);
  scalelaw::Dataset data;
  for (const Inputs& row : rows) {
    for (const auto& [name, value] : row) data.columns[name].push_back(value);
    data.loss.push_back(law(row) * std::exp(0.003 * normal(rng)));
  }
  scalelaw::FitSummary fit;
  REQUIRE(scalelaw::Fit(data, scalelaw::Model::FromName(model), options, &fit));
  return fit;
}

std::vector<Inputs> Grid(double lo, double hi, int count) {
  std::vector<Inputs> rows;
  for (int k = 0; k < count; ++k) rows.push_back({{"x", lo * std::pow(hi / lo, k / (count - 1.0))}});
  return rows;
}

}  // namespace

TEST_CASE("power recovers A and alpha", "[forms]") {
  const auto fit =
      FitGenerated("power", Grid(1e3, 1e9, 20), [](const Inputs& r) { return 50 * std::pow(r.at("x"), -0.3); });
  CHECK(fit.params.at("alpha") == Approx(0.3).epsilon(0.01));
  CHECK(fit.params.at("A") == Approx(50).epsilon(0.1));
}

TEST_CASE("power-offset recovers E, A and alpha", "[forms]") {
  const auto fit = FitGenerated("power-offset", Grid(1e6, 1e14, 30),
                                [](const Inputs& r) { return 1.7 + 300 * std::pow(r.at("x"), -0.25); });
  CHECK(fit.params.at("E") == Approx(1.7).epsilon(0.03));
  CHECK(fit.params.at("alpha") == Approx(0.25).epsilon(0.05));
}

TEST_CASE("rectified recovers the pre-learned data size", "[forms]") {
  const auto fit = FitGenerated("rectified", Grid(1, 1e6, 30),
                                [](const Inputs& r) { return 300 / (50 + std::pow(r.at("x"), 0.6)) + 0.8; });
  CHECK(fit.params.at("beta") == Approx(0.6).epsilon(0.05));
  CHECK(fit.params.at("E") == Approx(0.8).epsilon(0.05));
  CHECK(fit.params.at("D_l") == Approx(50).epsilon(0.3));
}

TEST_CASE("bnsl recovers the break", "[forms]") {
  const auto law = [](const Inputs& r) {
    const double x = r.at("x");
    return 0.1 + 10 * std::pow(x, -0.1) * std::pow(1 + std::pow(x / 1e5, 1 / 0.5), -0.3 * 0.5);
  };
  const auto fit = FitGenerated("bnsl", Grid(10, 1e10, 40), law);
  CHECK(fit.params.at("c0") == Approx(0.1).epsilon(0.15));
  CHECK(std::log10(fit.params.at("d1")) == Approx(5).margin(0.5));
  CHECK(fit.params.at("c1") == Approx(0.3).epsilon(0.15));
}

TEST_CASE("overtraining recovers the shared exponent (Gadre et al. 2024)", "[forms]") {
  // Synthetic E = 1.8, A = 400, B = 1200, 2 eta = 0.34: a = A 6^eta, b = B 6^eta (arXiv:2403.08540).
  const double eta = 0.17, a = 400 * std::pow(6, eta), b = 1200 * std::pow(6, eta);
  std::vector<Inputs> rows;
  for (double c : {1e18, 1e19, 1e20, 1e21, 1e22})
    for (double m : {5.0, 20.0, 80.0, 320.0}) rows.push_back({{"C", c}, {"M", m}});
  const auto fit = FitGenerated("overtraining", rows, [&](const Inputs& r) {
    return 1.8 + (a * std::pow(r.at("M"), eta) + b * std::pow(r.at("M"), -eta)) * std::pow(r.at("C"), -eta);
  });
  CHECK(fit.params.at("eta") == Approx(eta).epsilon(0.05));
  CHECK(fit.params.at("E") == Approx(1.8).epsilon(0.05));
}

TEST_CASE("sigmoid recovers the midpoint of accuracy against loss", "[forms]") {
  std::vector<Inputs> rows;
  for (int k = 0; k < 25; ++k) rows.push_back({{"x", 1.8 + 0.07 * k}});
  const auto fit =
      FitGenerated("sigmoid", rows, [](const Inputs& r) { return 0.25 + 0.6 / (1 + std::exp(4 * (r.at("x") - 2.5))); });
  CHECK(fit.params.at("l") == Approx(2.5).epsilon(0.02));
  CHECK(fit.params.at("gamma") == Approx(-4).epsilon(0.1));
}

TEST_CASE("loglinear recovers a product of powers by least squares in log space", "[forms]") {
  // lr = 1.79 N^-0.713 D^0.307, the Step Law's form.
  scalelaw::Dataset data;
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0.0, 1.0);
  for (double n : {1e8, 3e8, 1e9, 3e9})
    for (double d : {1e10, 1e11, 1e12}) {
      data.columns["N"].push_back(n);
      data.columns["D"].push_back(d);
      data.loss.push_back(1.79 * std::pow(n, -0.713) * std::pow(d, 0.307) * std::exp(0.01 * normal(rng)));
    }
  scalelaw::FitOptions options;
  options.objective = scalelaw::Objective::kSquaredLog;
  scalelaw::FitSummary fit;
  REQUIRE(scalelaw::Fit(data, scalelaw::Model::LogLinear({"N", "D"}), options, &fit));
  CHECK(fit.params.at("k_N") == Approx(-0.713).epsilon(0.03));
  CHECK(fit.params.at("k_D") == Approx(0.307).epsilon(0.05));
  CHECK_THROWS_WITH(scalelaw::Model::FromName("loglinear"), Catch::Contains("input columns that must be named"));
}

TEST_CASE("vocab recovers the Approach 3 loss of Tao et al. 2024 from its negative unigram-normalised values",
          "[forms]") {
  // Approach 3 (arXiv:2407.13623, Eq. 6 with alpha1 = beta): L_u = -E + A1/n^beta + A2/(V d)^alpha2 + B/D^beta in
  // units n = N_nv/1e6, Vd/1e6, D/1e9; in raw units E = -5.5328 and A1 = 1.8314 (1e6)^beta, ... L_u is negative
  // and is fitted as it is, on the loss itself (no shift: the exponents would move with the shift).
  const double a1 = 1.8313851559554126, a2 = 0.19584238398665638, b = 2.1241123120064955, e = 5.5327846803337435;
  const double beta = 0.44660634152009615, alpha2 = 0.6707374679896795;
  std::vector<Inputs> rows;
  for (double n : {33e6, 85e6, 302e6, 1.13e9, 2.87e9})
    for (double v : {4096.0, 16384.0, 49152.0, 98304.0})
      for (double d : {3e9, 2e10, 1.2e11}) rows.push_back({{"N", n}, {"Nv", v * (n < 1e8 ? 512 : 1536)}, {"D", d}});
  const auto law = [&](const Inputs& r) {
    return -e + a1 * std::pow(r.at("N") / 1e6, -beta) + a2 * std::pow(r.at("Nv") / 1e6, -alpha2) +
           b * std::pow(r.at("D") / 1e9, -beta);
  };
  scalelaw::FitOptions options;
  options.objective = scalelaw::Objective::kSquared;  // on the loss itself
  const auto fit = FitGenerated("vocab", rows, law, options);
  CHECK(fit.residual == scalelaw::Residual::kLoss);
  CHECK(fit.params.at("beta") == Approx(beta).epsilon(0.02));
  // The vocabulary term is the smallest (about 0.02 nats), and 0.3% noise on |L_u| of about 5 is 0.015 nats.
  CHECK(fit.params.at("alpha2") == Approx(alpha2).epsilon(0.1));
  CHECK(fit.params.at("E") == Approx(-e).epsilon(0.01));
  CHECK(fit.params.at("B") == Approx(b * std::pow(1e9, beta)).epsilon(0.15));
  // On log residuals the negative loss is refused, naming the residual that takes it.
  scalelaw::Dataset data;
  for (const Inputs& row : rows) {
    for (const auto& [name, value] : row) data.columns[name].push_back(value);
    data.loss.push_back(law(row));
  }
  scalelaw::FitSummary refused;
  CHECK_THROWS_WITH(scalelaw::Fit(data, scalelaw::Model::FromName("vocab"), {}, &refused),
                    Catch::Contains("fit the loss itself (residual 'loss')"));
}

TEST_CASE("sigmoid starts inside the data: a score against log10 FLOPs is recovered", "[forms]") {
  // Downstream accuracy against x = log10 C from 18 to 24 (not a loss near 2 to 4, which the fixed grid assumed:
  // from it, every start was saturated, with a zero gradient).
  std::vector<Inputs> rows;
  for (int k = 0; k <= 24; ++k) rows.push_back({{"x", 18 + 0.25 * k}});
  const auto fit = FitGenerated("sigmoid", rows,
                                [](const Inputs& r) { return 0.25 + 0.5 / (1 + std::exp(-1.5 * (r.at("x") - 21.0))); });
  REQUIRE(fit.IsUsable());
  CHECK(fit.params.at("gamma") == Approx(1.5).epsilon(0.02));
  CHECK(fit.params.at("l") == Approx(21.0).epsilon(1e-3));
  CHECK(fit.params.at("d") == Approx(0.25).epsilon(0.01));
  CHECK(fit.params.at("c") == Approx(0.5).epsilon(0.01));
}

TEST_CASE("bnsl starts inside the data: a break at 1e18 FLOPs is recovered", "[forms]") {
  // x from 1e15 to 1e21: the fixed grid put the break d1 at 1e3 to 1e9, below every run, and the fit ended with
  // a = 0 and b, c0, c1 trading against each other (a singular information matrix).
  const auto law = [](const Inputs& r) {
    const double x = r.at("x");
    return 1.2 + 400 * std::pow(x, -0.08) * std::pow(1 + std::pow(x / 1e18, 1 / 0.5), -0.25 * 0.5);
  };
  const auto fit = FitGenerated("bnsl", Grid(1e15, 1e21, 20), law);
  CHECK(fit.params.at("a") == Approx(1.2).epsilon(0.05));
  CHECK(std::log10(fit.params.at("d1")) == Approx(18).margin(0.3));
  CHECK(fit.params.at("c1") == Approx(0.25).epsilon(0.15));
}

TEST_CASE("every preset starts from a grid scaled to the runs: far-off scales are recovered", "[forms]") {
  // Each law at scales its fixed grid does not sit at (a rectified curve bending at x^beta = 2e3 over 1e6 to 1e10
  // tokens; an overtraining law at 1e18 to 1e22 FLOPs with a and b of thousands; a vocabulary law of large
  // coefficients), fitted from the data-scaled grid: the optimum is found and the winning start is counted in the
  // best basin.
  const auto rectified = FitGenerated("rectified", Grid(1e6, 1e10, 12),
                                      [](const Inputs& r) { return 3e3 / (2e3 + std::pow(r.at("x"), 0.4)) + 1.9; });
  CHECK(rectified.params.at("beta") == Approx(0.4).epsilon(0.05));
  CHECK(rectified.params.at("E") == Approx(1.9).epsilon(0.02));
  CHECK(rectified.num_starts_in_best_basin >= 1);
  std::vector<Inputs> rows;
  for (int k = 0; k < 5; ++k) {
    for (double m : {5.0, 10.0, 20.0, 40.0, 80.0, 160.0}) rows.push_back({{"C", std::pow(10.0, 18 + k)}, {"M", m}});
  }
  const auto overtraining = FitGenerated("overtraining", rows, [](const Inputs& r) {
    const double eta = 0.12;
    return 1.7 + (2e3 * std::pow(r.at("M"), eta) + 8e3 * std::pow(r.at("M"), -eta)) * std::pow(r.at("C"), -eta);
  });
  CHECK(overtraining.params.at("eta") == Approx(0.12).epsilon(0.05));
  CHECK(overtraining.params.at("E") == Approx(1.7).epsilon(0.05));
  CHECK(overtraining.num_starts_in_best_basin >= 1);
}

TEST_CASE("a parameter no run's prediction depends on is not identified, whatever the optimiser did", "[forms]") {
  // In E + A/x^alpha + 0*B, B moves nothing: a fit would report it at its start value as if estimated.
  scalelaw::Dataset data;
  for (const Inputs& row : Grid(1e3, 1e9, 20)) {
    data.columns["x"].push_back(row.at("x"));
    data.loss.push_back(1.7 + 30 * std::pow(row.at("x"), -0.2));
  }
  scalelaw::FitSummary fit;
  CHECK_FALSE(scalelaw::Fit(data, scalelaw::Model::FromFormula("E + A/x^alpha + 0*B", {"x"}), {}, &fit));
  CHECK(fit.status == scalelaw::AnalysisStatus::kNotIdentifiable);
  CHECK_THAT(fit.message, Catch::Contains("the runs do not inform B"));
  // Without the dead term the same runs are fitted.
  CHECK(scalelaw::Fit(data, scalelaw::Model::FromFormula("E + A/x^alpha", {"x"}), {}, &fit));
  CHECK(fit.params.at("alpha") == Approx(0.2).epsilon(1e-6));
}
