// The analytic gradients of the objectives against central finite differences, the Huber density's
// normaliser against numerical integration, and block-wise evaluation against the whole design's.
#include "fit/objectives.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <memory>

#include "fit/models/registered_forms.h"

namespace {

scalelaw::detail::LogDesign Design() {
  scalelaw::Dataset data{{1e8, 4e8, 2e9, 9e9, 3e10}, {2e9, 1e10, 3e10, 2e11, 6e11}, {3.3, 2.9, 2.5, 2.21, 2.05}, {}};
  data.weights = {1.0, 0.5, 2.0, 1.0, 1.5};
  return scalelaw::detail::LogDesign::From(data);
}

void CheckGradient(scalelaw::detail::SmoothObjective& objective, std::vector<double> x) {
  const int p = objective.num_parameters();
  std::vector<double> gradient(p);
  double value = 0;
  REQUIRE(objective.Evaluate(x.data(), &value, gradient.data()));
  for (int j = 0; j < p; ++j) {
    const double h = 1e-6 * std::max(1.0, std::abs(x[j]));
    std::vector<double> up = x, down = x;
    up[j] += h;
    down[j] -= h;
    double f_up = 0, f_down = 0;
    objective.Evaluate(up.data(), &f_up, nullptr);
    objective.Evaluate(down.data(), &f_down, nullptr);
    CAPTURE(j);
    CHECK(gradient[j] == Approx((f_up - f_down) / (2 * h)).epsilon(1e-5).margin(1e-9));
  }
}

}  // namespace

TEST_CASE("Every run loss has a gradient matching finite differences", "[objectives]") {
  const auto design = Design();
  using Kind = scalelaw::detail::RunLoss::Kind;
  for (Kind kind : {Kind::kHuber, Kind::kSquared, Kind::kAsymmetricHuber, Kind::kAsymmetricAbsolute}) {
    for (bool log_residual : {true, false}) {
      CAPTURE(static_cast<int>(kind), log_residual);
      // delta (and the absolute loss's smoothing) large enough that some residuals are in the quadratic zone and
      // some in the linear one.
      scalelaw::detail::HuberObjective objective(scalelaw::detail::ChinchillaForm(), design,
                                                 {kind, 0.02, 3.0, log_residual, 0.05});
      CheckGradient(objective, {6.0, 7.5, 0.55, 0.34, 0.36});
      CheckGradient(objective, {5.0, 6.0, 0.3, 0.30, 0.25});
    }
  }
}

TEST_CASE("On the loss itself a formula's prediction and the loss may be negative", "[objectives]") {
  // Tao et al. 2024's unigram-normalised loss is negative (arXiv:2407.13623, Approach 3): r = f - L of any sign.
  scalelaw::Dataset data;
  data.loss = {-1.5, -0.2, 0.0, 0.7};
  data.columns["x"] = {1.0, 2.0, 4.0, 8.0};
  const auto design = scalelaw::detail::LogDesign::From(data);
  CHECK_FALSE(design.all_positive());
  const auto form = scalelaw::detail::MakeFormulaForm("E + A * x", {"x"});
  using Kind = scalelaw::detail::RunLoss::Kind;
  scalelaw::detail::HuberObjective squared(*form, design, {Kind::kSquared, 1e-3, 1.0, false, 0});
  // E = -2, A = 0.5: predictions -1.5, -1, 0, 2; residuals 0, -0.8, 0, 1.3.
  const std::vector<double> x{-2.0, 0.5};
  double value = 0;
  REQUIRE(squared.Evaluate(x.data(), &value, nullptr));
  CHECK(value == Approx(0.5 * (0.8 * 0.8 + 1.3 * 1.3)).epsilon(1e-14));
  CheckGradient(squared, x);
  scalelaw::detail::HuberObjective absolute(*form, design, {Kind::kAsymmetricAbsolute, 1e-3, 10.0, false, 0});
  REQUIRE(absolute.Evaluate(x.data(), &value, nullptr));
  CHECK(value == Approx(0.8 + 10 * 1.3).epsilon(1e-14));
  // On log residuals the same runs give no finite objective.
  scalelaw::detail::HuberObjective log_squared(*form, design, {Kind::kSquared, 1e-3, 1.0, true, 0});
  CHECK_FALSE(log_squared.Evaluate(x.data(), &value, nullptr));
}

TEST_CASE("The smoothed absolute loss is |r| beyond its threshold and at most half of it above |r| within",
          "[objectives]") {
  scalelaw::detail::RunLoss loss{scalelaw::detail::RunLoss::Kind::kAsymmetricAbsolute, 1e-3, 10.0, false, 0.01};
  for (double r : {-0.5, -0.02, -0.004, 0.0, 0.003, 0.02, 0.5}) {
    CAPTURE(r);
    double smooth = 0, exact = 0, slope = 0;
    scalelaw::detail::RunLossValue(loss, r, &smooth, &slope);
    scalelaw::detail::RunLoss plain = loss;
    plain.smoothing = 0;
    scalelaw::detail::RunLossValue(plain, r, &exact, &slope);
    CHECK(exact == Approx((r > 0 ? 10 : 1) * std::abs(r)).epsilon(1e-15));
    const double w = r > 0 ? 10 : 1;
    if (std::abs(r) >= 0.01) CHECK(smooth == Approx(exact).epsilon(1e-13));
    CHECK(smooth >= exact - 1e-15);
    CHECK(smooth <= exact + w * 0.005 + 1e-15);
  }
}

TEST_CASE("The asymmetric loss weights over-predictions only", "[objectives]") {
  const auto design = Design();
  using Kind = scalelaw::detail::RunLoss::Kind;
  scalelaw::detail::HuberObjective plain(scalelaw::detail::ChinchillaForm(), design, {Kind::kHuber, 0.02, 1.0});
  scalelaw::detail::HuberObjective one(scalelaw::detail::ChinchillaForm(), design, {Kind::kAsymmetricHuber, 0.02, 1.0});
  scalelaw::detail::HuberObjective four(scalelaw::detail::ChinchillaForm(), design,
                                        {Kind::kAsymmetricHuber, 0.02, 4.0});
  // A law far above every run (E = e^1.5) over-predicts all of them: the objective scales by exactly 4.
  const std::vector<double> high{6.0, 7.5, 1.5, 0.34, 0.36};
  double p = 0, a1 = 0, a4 = 0;
  plain.Evaluate(high.data(), &p, nullptr);
  one.Evaluate(high.data(), &a1, nullptr);
  four.Evaluate(high.data(), &a4, nullptr);
  CHECK(a1 == p);
  CHECK(a4 == Approx(4 * p).epsilon(1e-14));
  // Far below every run: no over-predictions, no change.
  const std::vector<double> low{-5.0, -5.0, -5.0, 0.34, 0.36};
  plain.Evaluate(low.data(), &p, nullptr);
  four.Evaluate(low.data(), &a4, nullptr);
  CHECK(a4 == p);
}

TEST_CASE("Huber likelihood gradient matches finite differences", "[objectives]") {
  const auto design = Design();
  scalelaw::detail::HuberLikelihoodObjective objective(scalelaw::detail::ChinchillaForm(), design, 1.0);
  CheckGradient(objective, {6.0, 7.5, 0.55, 0.34, 0.36, -3.0});
  CheckGradient(objective, {6.0, 7.5, 0.55, 0.34, 0.36, -1.0});
}

TEST_CASE("Huber density normaliser equals the integral of exp(-Huber)", "[objectives]") {
  for (double delta : {0.5, 1.0, 2.0}) {
    double integral = 0;
    const double h = 1e-4;
    for (double x = -80; x < 80; x += h) {
      integral +=
          0.5 * h * (std::exp(-scalelaw::detail::Huber(x, delta)) + std::exp(-scalelaw::detail::Huber(x + h, delta)));
    }
    CAPTURE(delta);
    CHECK(scalelaw::detail::HuberLikelihoodObjective::LogNormaliser(delta) == Approx(std::log(integral)).epsilon(1e-8));
  }
}

TEST_CASE("The profiled scale minimises the likelihood over sigma", "[objectives]") {
  const auto design = Design();
  scalelaw::detail::HuberLikelihoodObjective objective(scalelaw::detail::ChinchillaForm(), design, 1e-3);
  std::vector<double> x{6.0, 7.5, 0.55, 0.34, 0.36, 0.0};
  x[5] = objective.ProfileLogScale(x.data());
  double best = 0;
  objective.Evaluate(x.data(), &best, nullptr);
  for (double step : {-0.01, 0.01}) {
    std::vector<double> y = x;
    y[5] += step;
    double value = 0;
    objective.Evaluate(y.data(), &value, nullptr);
    CHECK(value > best);
  }
}

namespace {

// n runs spread over the Chinchilla span, with losses off the law so that residuals straddle the Huber delta;
// N and D also as the columns a formula reads.
scalelaw::detail::LogDesign ManyRuns(std::size_t n, bool weighted) {
  scalelaw::Dataset data;
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i) / n;
    data.params.push_back(7e7 * std::pow(200.0, t));
    data.tokens.push_back(1e9 * std::pow(300.0, std::fmod(7.3 * t, 1.0)));
    data.loss.push_back(2.0 + 0.8 * std::fmod(13.7 * t, 1.0));
    if (weighted) data.weights.push_back(1.0 + std::fmod(3.1 * t, 1.0));
  }
  data.columns["N"] = data.params;
  data.columns["D"] = data.tokens;
  return scalelaw::detail::LogDesign::From(data);
}

}  // namespace

TEST_CASE("Unweighted data store no weights, a resample's counts become weights", "[objectives]") {
  const auto design = ManyRuns(10, false);
  CHECK(design.weights.empty());
  CHECK(design.weight(3) == 1.0);
  CHECK(design.total_weight() == 10.0);
  std::vector<int> counts(10, 0);
  counts[2] = 3;
  counts[7] = 1;
  const auto subset = design.Subset(counts);
  REQUIRE(subset.size() == 2);
  CHECK(subset.weights == std::vector<double>{3.0, 1.0});
  CHECK(subset.total_weight() == 4.0);
}

TEST_CASE("A block of LogPredictBlock is the same rows of the whole design's prediction", "[objectives]") {
  const auto design = ManyRuns(1500, false);
  const auto formula = scalelaw::detail::MakeFormulaForm("E + A/N^alpha + B/D^beta", {"N", "D"});
  for (const scalelaw::detail::ModelForm* form :
       {&scalelaw::detail::ChinchillaForm(), &scalelaw::detail::KaplanForm(), formula.get()}) {
    const std::size_t p = form->num_internal();
    std::vector<double> x{30.0, 25.0, 0.08, 0.1};                                       // Kaplan
    if (form == &scalelaw::detail::ChinchillaForm()) x = {6.0, 7.5, 0.55, 0.34, 0.36};  // a, b, e, alpha, beta
    if (form == formula.get()) x = {1.7, 400.0, 0.34, 1800.0, 0.36};                    // E, A, alpha, B, beta
    std::vector<double> all(design.size()), all_jacobian(design.size() * p);
    form->LogPredict(x.data(), design, all.data(), all_jacobian.data());
    const std::size_t begin = 700, count = 613;
    std::vector<double> block(count), block_jacobian(count * p);
    form->LogPredictBlock(x.data(), design, begin, count, block.data(), block_jacobian.data());
    CAPTURE(form->name());
    CHECK(std::equal(block.begin(), block.end(), all.begin() + begin));
    CHECK(std::equal(block_jacobian.begin(), block_jacobian.end(), all_jacobian.begin() + begin * p));
  }
}

TEST_CASE("A formula form predicts what the hand-derived form it spells out does", "[objectives][formula]") {
  // E + A/N^alpha + B/D^beta at (E, A, alpha, B, beta) against the log-sum-exp Chinchilla form at
  // (a, b, e, alpha, beta) = (log A, log B, log E, alpha, beta): the same log predictions, and Jacobians related
  // by the chain rule, d log L / d A = (d log L / d a) / A (likewise B and E), over more runs than one block.
  const auto design = ManyRuns(1500, false);
  const auto formula = scalelaw::detail::MakeFormulaForm("E + A/N^alpha + B/D^beta", {"N", "D"});
  const double E = 1.7, A = 400.0, alpha = 0.34, B = 1800.0, beta = 0.36;
  const std::vector<double> natural{E, A, alpha, B, beta}, internal{std::log(A), std::log(B), std::log(E), alpha, beta};
  const std::size_t n = design.size();
  std::vector<double> f(n), f_jacobian(n * 5), c(n), c_jacobian(n * 5);
  formula->LogPredict(natural.data(), design, f.data(), f_jacobian.data());
  scalelaw::detail::ChinchillaForm().LogPredict(internal.data(), design, c.data(), c_jacobian.data());
  for (std::size_t i = 0; i < n; i += 7) {
    CAPTURE(i);
    CHECK(f[i] == Approx(c[i]).epsilon(1e-14));
    const double* fj = &f_jacobian[i * 5];  // E, A, alpha, B, beta
    const double* cj = &c_jacobian[i * 5];  // a, b, e, alpha, beta
    CHECK(fj[0] == Approx(cj[2] / E).epsilon(1e-13));
    CHECK(fj[1] == Approx(cj[0] / A).epsilon(1e-13));
    CHECK(fj[2] == Approx(cj[3]).epsilon(1e-13));
    CHECK(fj[3] == Approx(cj[1] / B).epsilon(1e-13));
    CHECK(fj[4] == Approx(cj[4]).epsilon(1e-13));
  }
  // A resample carries the columns' logarithms with its rows: its predictions are the full design's, bit for bit.
  std::vector<int> counts(n, 0);
  for (std::size_t i = 0; i < n; i += 3) counts[i] = 1 + static_cast<int>(i % 2);
  const auto subset = design.Subset(counts);
  std::vector<double> s(subset.size()), s_jacobian(subset.size() * 5);
  formula->LogPredict(natural.data(), subset, s.data(), s_jacobian.data());
  for (std::size_t k = 0; k < subset.size(); ++k) {
    CAPTURE(k);
    REQUIRE(s[k] == f[3 * k]);
    for (int j = 0; j < 5; ++j) REQUIRE(s_jacobian[k * 5 + j] == f_jacobian[3 * k * 5 + j]);
  }
}

TEST_CASE("Objectives over more runs than a block sum their parts", "[objectives]") {
  // 1500 runs are three blocks of evaluation; two disjoint subsets of 800 and 700 runs are two and one.
  const auto design = ManyRuns(1500, true);
  std::vector<int> first(design.size(), 0), second(design.size(), 0);
  for (std::size_t i = 0; i < design.size(); ++i) (i % 15 < 8 ? first : second)[i] = 1;
  const auto part1 = design.Subset(first), part2 = design.Subset(second);
  REQUIRE(part1.size() + part2.size() == design.size());
  const std::vector<double> x{6.0, 7.5, 0.55, 0.34, 0.36, -3.0};
  using Kind = scalelaw::detail::RunLoss::Kind;
  auto check_sum = [&](auto make) {
    auto whole = make(design), one = make(part1), two = make(part2);
    const int p = whole->num_parameters();
    std::vector<double> g(p), g1(p), g2(p);
    double f = 0, f1 = 0, f2 = 0;
    REQUIRE(whole->Evaluate(x.data(), &f, g.data()));
    REQUIRE(one->Evaluate(x.data(), &f1, g1.data()));
    REQUIRE(two->Evaluate(x.data(), &f2, g2.data()));
    CHECK(f == Approx(f1 + f2).epsilon(1e-12));
    for (int j = 0; j < p; ++j) CHECK(g[j] == Approx(g1[j] + g2[j]).epsilon(1e-12).margin(1e-12));
  };
  for (Kind kind : {Kind::kHuber, Kind::kSquared}) {
    for (bool log_residual : {true, false}) {
      CAPTURE(static_cast<int>(kind), log_residual);
      check_sum([&](const scalelaw::detail::LogDesign& d) {
        return std::make_unique<scalelaw::detail::HuberObjective>(
            scalelaw::detail::ChinchillaForm(), d, scalelaw::detail::RunLoss{kind, 0.05, 1.0, log_residual});
      });
    }
  }
  // The likelihood's W (log Z + sigma) term is additive over runs too.
  check_sum([&](const scalelaw::detail::LogDesign& d) {
    return std::make_unique<scalelaw::detail::HuberLikelihoodObjective>(scalelaw::detail::ChinchillaForm(), d, 1.0);
  });
}
