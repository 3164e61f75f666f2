// The two L-BFGS engines of MinimizeLbfgs reach the same optimum, with and without a linear preconditioner.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "fit/models/registered_forms.h"
#include "fit/multistart.h"
#include "fit/objectives.h"

namespace {

using scalelaw::detail::LocalSolution;
using scalelaw::detail::LocalSolveOptions;

// 60 runs of a Chinchilla law (E 1.8, A 480, B 2000, alpha 0.35, beta 0.37) with a deterministic +-1.5% wobble.
scalelaw::detail::LogDesign Runs() {
  scalelaw::Dataset data;
  for (int i = 0; i < 60; ++i) {
    const double n = 7e7 * std::pow(200.0, i / 60.0), d = 1e9 * std::pow(300.0, std::fmod(0.37 * i, 1.0));
    data.params.push_back(n);
    data.tokens.push_back(d);
    data.loss.push_back((1.8 + 480 * std::pow(n, -0.35) + 2000 * std::pow(d, -0.37)) * (1 + 0.015 * std::sin(i)));
  }
  return scalelaw::detail::LogDesign::From(data);
}

LocalSolveOptions Tight(LocalSolveOptions::Engine engine) {
  LocalSolveOptions options;
  options.engine = engine;
  options.function_tolerance = 1e-13;
  options.gradient_tolerance = 1e-14;
  options.parameter_tolerance = 1e-14;
  return options;
}

}  // namespace

TEST_CASE("LBFGSpp and Ceres reach the same optimum of the Huber objective", "[local_solve]") {
  const auto design = Runs();
  scalelaw::detail::HuberObjective objective(scalelaw::detail::ChinchillaForm(), design, {});
  const std::vector<double> start{6.0, 7.0, 0.5, 0.3, 0.3};
  const LocalSolution ceres = MinimizeLbfgs(objective, start, Tight(LocalSolveOptions::Engine::kCeres));
  const LocalSolution lean = MinimizeLbfgs(objective, start, Tight(LocalSolveOptions::Engine::kLbfgspp));
  REQUIRE(ceres.evaluable);
  REQUIRE(lean.evaluable);
  CHECK(lean.value == Approx(ceres.value).epsilon(1e-9));
  for (std::size_t j = 0; j < start.size(); ++j) CHECK(lean.x[j] == Approx(ceres.x[j]).epsilon(1e-4).margin(1e-5));
}

TEST_CASE("A preconditioned objective has the chain-rule gradient and the same minimum", "[local_solve]") {
  const auto design = Runs();
  scalelaw::detail::HuberObjective objective(scalelaw::detail::ChinchillaForm(), design, {});
  const std::vector<double> origin{6.0, 7.0, 0.5, 0.3, 0.3};
  // An upper-triangular M with a strong a-alpha coupling, as L^-T of a Gauss-Newton information has.
  std::vector<double> transform(25, 0.0);
  for (int j = 0; j < 5; ++j) transform[j * 5 + j] = 0.1 + 0.05 * j;
  transform[0 * 5 + 3] = 2.0;
  transform[1 * 5 + 4] = 1.5;
  scalelaw::detail::PreconditionedObjective in_metric(objective, origin, transform);
  const std::vector<double> z{0.3, -0.2, 0.1, 0.05, -0.04};
  std::vector<double> gradient(5);
  double value = 0;
  REQUIRE(in_metric.Evaluate(z.data(), &value, gradient.data()));
  for (int j = 0; j < 5; ++j) {
    std::vector<double> up = z, down = z;
    up[j] += 1e-6;
    down[j] -= 1e-6;
    double f_up = 0, f_down = 0;
    in_metric.Evaluate(up.data(), &f_up, nullptr);
    in_metric.Evaluate(down.data(), &f_down, nullptr);
    CHECK(gradient[j] == Approx((f_up - f_down) / 2e-6).epsilon(1e-5).margin(1e-9));
  }
  const LocalSolution direct = MinimizeLbfgs(objective, origin, Tight(LocalSolveOptions::Engine::kCeres));
  LocalSolution preconditioned =
      MinimizeLbfgs(in_metric, std::vector<double>(5, 0.0), Tight(LocalSolveOptions::Engine::kLbfgspp));
  REQUIRE(preconditioned.evaluable);
  CHECK(preconditioned.value == Approx(direct.value).epsilon(1e-9));
  const std::vector<double> x = in_metric.ToX(preconditioned.x);
  for (int j = 0; j < 5; ++j) CHECK(x[j] == Approx(direct.x[j]).epsilon(1e-4).margin(1e-5));
}
