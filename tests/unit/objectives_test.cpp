// The analytic gradients of the objectives against central finite differences, and the Huber density's
// normaliser against numerical integration.
#include "fit/objectives.h"

#include <catch2/catch.hpp>
#include <cmath>

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
  for (Kind kind : {Kind::kHuberLog, Kind::kSquaredLog, Kind::kSquaredValue, Kind::kAsymmetricHuberLog}) {
    CAPTURE(static_cast<int>(kind));
    // delta large enough that some residuals are in the quadratic zone and some in the linear one.
    scalelaw::detail::HuberObjective objective(scalelaw::detail::ChinchillaForm(), design, {kind, 0.02, 3.0});
    CheckGradient(objective, {6.0, 7.5, 0.55, 0.34, 0.36});
    CheckGradient(objective, {5.0, 6.0, 0.3, 0.30, 0.25});
  }
}

TEST_CASE("The asymmetric loss weights over-predictions only", "[objectives]") {
  const auto design = Design();
  using Kind = scalelaw::detail::RunLoss::Kind;
  scalelaw::detail::HuberObjective plain(scalelaw::detail::ChinchillaForm(), design, {Kind::kHuberLog, 0.02, 1.0});
  scalelaw::detail::HuberObjective one(scalelaw::detail::ChinchillaForm(), design,
                                       {Kind::kAsymmetricHuberLog, 0.02, 1.0});
  scalelaw::detail::HuberObjective four(scalelaw::detail::ChinchillaForm(), design,
                                        {Kind::kAsymmetricHuberLog, 0.02, 4.0});
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
