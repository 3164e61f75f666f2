// Schedule design (scalelaw/curves/schedule_design.h): the O(T) final loss agrees with the curve laws' own
// evaluation, its adjoint gradient with central finite differences, the optimised schedule keeps its constraints and
// is no worse than the baselines it is compared with, and bad options are refused.
#include "scalelaw/curves/schedule_design.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "plot/schedule_charts.h"
#include "scalelaw/error.h"

using namespace scalelaw;

namespace {

// The converged 25M parameters of ../shared/data/multipower/SOURCE.txt, as a plausible law (no data read here).
const MultiPowerLaw kLaw{2.98763, 0.56272, 0.49114, 746.961, 0.37848, 0.11288, 0.89517};
const MultiPowerLaw kPublished25{3.04045406, 0.52468604, 0.50786857, 363.78751622, 2.06560812, 0.58279013, 0.64142257};

// A non-monotone schedule with a warmup from 0, plateaus (d_k = 0), rises and falls, in the paper's LR range.
std::vector<double> RandomSchedule(int steps, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<double> lr(static_cast<std::size_t>(steps));
  const int warmup = steps / 10;
  for (int i = 0; i < steps; ++i) {
    if (i < warmup) {
      lr[i] = 3e-4 * i / (warmup - 1);
    } else if (unit(rng) < 0.3) {
      lr[i] = lr[i - 1];
    } else {
      lr[i] = 3e-5 + 2.7e-4 * unit(rng);
    }
  }
  return lr;
}

// The law's definition at the last step, written out as curve_law.h states it (pow, P(t) - P(k-1)).
double DefinitionFinalLoss(const MultiPowerLaw& law, const std::vector<double>& lr, double* ld_scale) {
  const std::size_t t = lr.size() - 1;
  std::vector<double> prefix(lr.size());
  double running = 0;
  for (std::size_t k = 0; k < lr.size(); ++k) prefix[k] = running += lr[k];
  double ld = 0, scale = 0;
  for (std::size_t k = 1; k <= t; ++k) {
    const double s_k = prefix[t] - prefix[k - 1];
    const double g = lr[k] > 0 ? 1 - std::pow(law.c * std::pow(lr[k], -law.gamma) * s_k + 1, -law.beta) : 1.0;
    ld += (lr[k - 1] - lr[k]) * g;
    scale += std::abs(lr[k - 1] - lr[k]) * g;
  }
  *ld_scale = law.b * scale;
  return law.l0 + law.a * std::pow(prefix[t], -law.alpha) - law.b * ld;
}

}  // namespace

TEST_CASE("Schedule design: the O(T) final loss equals the law's definition and CurveLoss at the last step") {
  for (const MultiPowerLaw& law : {kLaw, kPublished25}) {
    for (unsigned seed : {1u, 2u, 3u}) {
      const std::vector<double> lr = RandomSchedule(3000, seed);
      double ld_scale = 0;
      const double definition = DefinitionFinalLoss(law, lr, &ld_scale);
      const double direct = MultiPowerFinalLoss(law, lr);
      const double curve = CurveLoss(law, lr, {static_cast<long>(lr.size()) - 1}).front();
      INFO("seed " << seed << ": " << direct << " vs definition " << definition << " and CurveLoss " << curve
                   << ", B·sum |d_k| G " << ld_scale);
      CHECK(std::abs(direct - definition) <= 1e-13 * ld_scale);
      // CurveLoss sums LD compressed, within 2e-9 of the exact sum relative to its terms (curve_law.h).
      CHECK(std::abs(direct - curve) <= 2e-9 * ld_scale);
    }
  }
  // A schedule of the paper's: cosine 24000 steps.
  const auto cosine = LrPerStep(ParseLrSchedule("cosine:peak=3e-4,end=3e-5,steps=24000,warmup=2160"));
  double ld_scale = 0;
  CHECK(MultiPowerFinalLoss(kLaw, cosine) == Approx(DefinitionFinalLoss(kLaw, cosine, &ld_scale)).epsilon(1e-13));
  CHECK(MultiPowerFinalLoss(kLaw, cosine) == Approx(CurveLoss(kLaw, cosine, {23999}).front()).epsilon(1e-9));
}

TEST_CASE("Schedule design: the adjoint gradient matches central finite differences") {
  for (const MultiPowerLaw& law : {kLaw, kPublished25}) {
    const std::vector<double> lr = RandomSchedule(400, 7);
    std::vector<double> gradient;
    MultiPowerFinalLoss(law, lr, &gradient);
    REQUIRE(gradient.size() == lr.size());
    double worst = 0, scale = 0;
    for (std::size_t j = 1; j < lr.size(); ++j) scale = std::max(scale, std::abs(gradient[j]));
    for (std::size_t j = 1; j < lr.size(); ++j) {  // eta_0 = 0 sits at the bound of the domain
      const double h = 1e-4 * lr[j] + 1e-9;
      std::vector<double> up = lr, down = lr;
      up[j] += h;
      down[j] -= h;
      const double fd = (MultiPowerFinalLoss(law, up) - MultiPowerFinalLoss(law, down)) / (2 * h);
      worst = std::max(worst, std::abs(fd - gradient[j]));
    }
    INFO("largest |dL/d eta| " << scale << ", worst difference " << worst);
    CHECK(scale > 1);  // the gradient is not trivially small
    CHECK(worst < 1e-5 * scale);
  }
}

TEST_CASE("Schedule design: a step with LR 0 after the start counts G = 1 and keeps a finite gradient") {
  std::vector<double> lr = {0, 1e-4, 2e-4, 3e-4, 3e-4, 0, 1e-4, 1e-4};
  std::vector<double> gradient;
  const double loss = MultiPowerFinalLoss(kLaw, lr, &gradient);
  CHECK(loss == Approx(CurveLoss(kLaw, lr, {7}).front()).epsilon(1e-12));
  for (double g : gradient) CHECK(std::isfinite(g));
}

TEST_CASE("Schedule design: the optimised schedule keeps its bounds, decreases and beats cosine and WSD") {
  ScheduleDesignOptions options;
  options.steps = 6000;
  options.peak = 3e-4;
  options.warmup = 500;
  options.knots = 60;
  const ScheduleDesignSummary s = DesignSchedule(kLaw, options);
  INFO(s.FullReport());
  REQUIRE(s.IsUsable());
  REQUIRE(s.lr.size() == 6000u);
  CHECK(s.min_lr == Approx(3e-5));
  // The warmup is the cosine baseline's, step for step.
  const auto cosine = LrPerStep(s.cosine.schedule);
  for (long i = 0; i < 500; ++i) CHECK(s.lr[i] == cosine[i]);
  for (long i = 500; i < 6000; ++i) {
    CHECK(s.lr[i] <= 3e-4 * (1 + 1e-12));
    CHECK(s.lr[i] >= 3e-5 * (1 - 1e-12));
    if (i > 500) CHECK(s.lr[i] <= s.lr[i - 1] * (1 + 1e-12));
  }
  // Its final loss is the law's for that schedule, by the curve laws' own evaluation.
  CHECK(s.final_loss == Approx(CurveLoss(kLaw, s.lr, {5999}).front()).epsilon(1e-9));
  CHECK(s.cosine.final_loss == Approx(MultiPowerFinalLoss(kLaw, cosine)).epsilon(1e-12));
  CHECK(s.wsd.final_loss == Approx(MultiPowerFinalLoss(kLaw, LrPerStep(s.wsd.schedule))).epsilon(1e-12));
  CHECK(s.final_loss < s.cosine.final_loss);
  CHECK(s.final_loss <= s.wsd.final_loss);
  // WSD's decay start is the best one: one step either way is no better.
  for (long shift : {-1L, 1L}) {
    LrSchedule other = s.wsd.schedule;
    other.decay_start += shift;
    CHECK(MultiPowerFinalLoss(kLaw, LrPerStep(other)) >= s.wsd.final_loss);
  }
  // The paper's finding: WSD-like, the LR stays at the peak for most of the run and ends at the floor.
  CHECK(s.decay_fraction < 0.5);
  CHECK(s.lr.back() == Approx(3e-5).epsilon(1e-3));
  // A local optimum over the knot schedules: the set is convex, so moving a little towards any other knot
  // schedule, (1 - e)·opt + e·other, stays feasible and must not lower the loss.
  auto at_knots = [&](const std::vector<double>& other) {
    std::vector<double> out(s.lr.begin(), s.lr.begin() + 500);
    for (std::size_t j = 0; j + 1 < s.knot_steps.size(); ++j) {
      const long a = s.knot_steps[j], b = s.knot_steps[j + 1];
      for (long k = a; k < b; ++k) {
        const double w = static_cast<double>(k - a) / static_cast<double>(b - a);
        out.push_back((1 - w) * other[a] + w * other[b]);
      }
    }
    out.push_back(other.back());
    return out;
  };
  std::vector<std::vector<double>> others = {cosine};
  for (const ScheduleBaseline& b : s.wsd_by_shape) others.push_back(LrPerStep(b.schedule));
  others.push_back(std::vector<double>(6000, 3e-4));
  others.push_back(std::vector<double>(6000, 3e-5));
  for (const auto& other_lr : others) {
    const std::vector<double> other = at_knots(other_lr);
    for (double e : {1e-3, 1e-2, 1e-1}) {
      std::vector<double> mixed = s.lr;
      for (long i = 500; i < 6000; ++i) mixed[i] = (1 - e) * s.lr[i] + e * other[i];
      CHECK(MultiPowerFinalLoss(kLaw, mixed) >= s.final_loss - 1e-10);
    }
  }
  const std::string csv = DesignedScheduleCsv(s);
  CHECK(csv.rfind("step,lr\n0,0\n", 0) == 0);
}

TEST_CASE("Schedule design: invalid options and laws are refused") {
  ScheduleDesignOptions options;
  options.steps = 1000;
  options.peak = 3e-4;
  options.warmup = 100;
  std::string why;
  CHECK(options.IsValid(&why));
  ScheduleDesignOptions bad = options;
  bad.min_lr = 3e-4;
  CHECK_FALSE(bad.IsValid(&why));
  CHECK(why.find("min_lr") != std::string::npos);
  CHECK_THROWS_AS(DesignSchedule(kLaw, bad), InvalidArgument);
  bad = options;
  bad.steps = 101;
  CHECK_FALSE(bad.IsValid(&why));
  CHECK(why.find("steps") != std::string::npos);
  bad = options;
  bad.peak = -1;
  CHECK_FALSE(bad.IsValid());
  bad = options;
  bad.knots = 1;
  CHECK_FALSE(bad.IsValid());
  MultiPowerLaw law = kLaw;
  law.beta = 0;
  CHECK_THROWS_AS(DesignSchedule(law, options), InvalidArgument);
  CHECK_THROWS_AS(DesignSchedule(CurveLaw{CurveLawForm::kPowerOnly, {3, 0.5, 0.5}, 0.999}, options), InvalidArgument);
  CHECK_THROWS_AS(MultiPowerFinalLoss(kLaw, {}), InvalidArgument);
  CHECK_THROWS_AS(MultiPowerFinalLoss(kLaw, {0, -1e-4}), InvalidArgument);
}

TEST_CASE("Schedule design: no warmup, a constant warmup, and more knots than steps") {
  ScheduleDesignOptions options;
  options.steps = 400;
  options.peak = 1e-3;
  options.min_lr = 1e-5;
  options.knots = 1000;  // more than the 400 steps: one knot per step
  const ScheduleDesignSummary none = DesignSchedule(kLaw, options);
  INFO(none.FullReport());
  REQUIRE(none.IsUsable());
  CHECK(none.knot_steps.size() == 400u);
  CHECK(none.lr.front() <= 1e-3);
  CHECK(none.final_loss <= none.wsd.final_loss);
  options.warmup = 50;
  options.warmup_shape = WarmupShape::kConstant;
  options.warmup_lr = 1e-4;
  const ScheduleDesignSummary constant = DesignSchedule(kLaw, options);
  REQUIRE(constant.IsUsable());
  for (long i = 0; i < 50; ++i) CHECK(constant.lr[i] == 1e-4);
  CHECK(constant.knot_steps.front() == 50);
  CHECK(constant.final_loss <= constant.wsd.final_loss);
  CHECK(constant.final_loss < constant.cosine.final_loss);
}

TEST_CASE("Schedule design: the chart shows the designed schedule, cosine and the best WSD at every step") {
  ScheduleDesignOptions options;
  options.steps = 3000;
  options.peak = 3e-4;
  options.warmup = 300;
  const ScheduleDesignSummary s = DesignSchedule(kPublished25, options);
  REQUIRE(s.IsUsable());
  const plot::ScheduleDesignChartData data = plot::MakeScheduleDesignChart(s);
  REQUIRE(data.lines.size() == 3u);
  CHECK(data.lines[0].name == "optimised");
  CHECK(data.lines[0].lr == s.lr);
  CHECK(data.lines[1].lr == LrPerStep(s.cosine.schedule));
  CHECK(data.lines[2].lr == LrPerStep(s.wsd.schedule));
  CHECK(data.lines[2].final_loss == s.wsd.final_loss);
  const std::string svg = plot::RenderSvg(plot::ScheduleDesignChart(data));
  CHECK(svg.find("optimised (") != std::string::npos);
  CHECK(svg.find("cosine (") != std::string::npos);
  CHECK_THROWS_AS(plot::MakeScheduleDesignChart(ScheduleDesignSummary{}), InvalidArgument);
}
