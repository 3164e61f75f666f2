// Properties of the inference-aware allocation (Sardana et al. 2024): optimality against an independent
// minimiser, the convexity the solver relies on, limits, inverses and invalid input.
#include <boost/math/tools/minima.hpp>
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "scalelaw/laws/chinchilla.h"
#include "scalelaw/laws/inference_aware.h"

using scalelaw::AllocationForParams;
using scalelaw::ChinchillaLaw;
using scalelaw::FindChinchillaPreset;
using scalelaw::HardwareCost;
using scalelaw::InferenceAwareAllocation;
using scalelaw::InvalidArgument;
using scalelaw::MinimizeLossForBudget;
using scalelaw::MinimizeTotalFlopsForLoss;

namespace {

// Smallest N that can reach loss with any data: A/N^alpha = loss - E.
double SmallestParams(const ChinchillaLaw& law, double loss) { return std::pow(law.A / (loss - law.E), 1 / law.alpha); }

}  // namespace

TEST_CASE("The optimum matches Brent's minimiser on ln N and the objective is convex in ln N", "[sardana]") {
  for (const char* name : {"chinchilla", "chinchilla-unrounded", "epoch"}) {
    const ChinchillaLaw law = FindChinchillaPreset(name).law;
    for (double inference_tokens : {1e9, 2e12, 1e14}) {
      CAPTURE(name, inference_tokens);
      const double target = scalelaw::ChinchillaOptimalLossForParams(law, 13e9);
      const double log_min = std::log(SmallestParams(law, target));
      auto cost = [&](double log_n) {
        return AllocationForParams(law, target, inference_tokens, std::exp(log_n)).total_flops;
      };
      // Convexity on a grid from just above the smallest N to 1000x it.
      std::vector<double> values;
      for (int k = 1; k <= 200; ++k) values.push_back(cost(log_min + 1e-3 + k * std::log(1000.0) / 200));
      for (std::size_t k = 1; k + 1 < values.size(); ++k) {
        CHECK(values[k - 1] + values[k + 1] - 2 * values[k] >= -1e-9 * values[k]);
      }
      const auto brent = boost::math::tools::brent_find_minima(cost, log_min + 1e-6, log_min + 30.0, 40);
      const InferenceAwareAllocation best = MinimizeTotalFlopsForLoss(law, target, inference_tokens);
      CHECK(best.total_flops <= brent.second * (1 + 1e-12));
      CHECK(std::log(best.params) == Approx(brent.first).margin(1e-5));
      CHECK(best.loss == Approx(target).epsilon(1e-13));
      for (double factor : {0.99, 1.01}) {
        CHECK(AllocationForParams(law, target, inference_tokens, best.params * factor).total_flops > best.total_flops);
      }
    }
  }
}

TEST_CASE("Without inference the optimum is the Chinchilla-optimal model of that loss", "[sardana]") {
  const ChinchillaLaw law = FindChinchillaPreset("epoch").law;
  const double target = 2.2;
  const scalelaw::Allocation chinchilla = scalelaw::ComputeOptimal(law, scalelaw::ComputeForLoss(law, target));
  for (double inference_tokens : {0.0, 1e-3}) {
    const InferenceAwareAllocation best = MinimizeTotalFlopsForLoss(law, target, inference_tokens);
    CHECK(best.params == Approx(chinchilla.params).epsilon(1e-9));
    CHECK(best.tokens == Approx(chinchilla.tokens).epsilon(1e-9));
  }
  const InferenceAwareAllocation zero = MinimizeTotalFlopsForLoss(law, target, 0.0);
  CHECK(zero.inference_flops == 0);
  CHECK(zero.total_flops == zero.training_flops);
}

TEST_CASE("More inference demand means a smaller model trained longer", "[sardana]") {
  const ChinchillaLaw law = FindChinchillaPreset("chinchilla-unrounded").law;
  const double target = scalelaw::ChinchillaOptimalLossForParams(law, 70e9);
  double previous_params = std::numeric_limits<double>::infinity(), previous_tokens = 0;
  for (double inference_tokens : {0.0, 1e9, 1e11, 1e12, 1e13, 1e15, 1e18, 1e22}) {
    CAPTURE(inference_tokens);
    const InferenceAwareAllocation best = MinimizeTotalFlopsForLoss(law, target, inference_tokens);
    CHECK(best.params < previous_params);
    CHECK(best.tokens > previous_tokens);
    CHECK(best.params > SmallestParams(law, target));
    CHECK(best.loss == Approx(target).epsilon(1e-12));
    CHECK(best.total_flops == Approx(best.training_flops + best.inference_flops).epsilon(1e-15));
    previous_params = best.params;
    previous_tokens = best.tokens;
  }
}

TEST_CASE("MinimizeLossForBudget inverts MinimizeTotalFlopsForLoss", "[sardana]") {
  const ChinchillaLaw law = FindChinchillaPreset("chinchilla-unrounded").law;
  for (double inference_tokens : {0.0, 1e10, 2e12, 1e15}) {
    for (double target : {2.5, 2.0238, 1.9}) {
      CAPTURE(inference_tokens, target);
      const InferenceAwareAllocation cheapest = MinimizeTotalFlopsForLoss(law, target, inference_tokens);
      const InferenceAwareAllocation best = MinimizeLossForBudget(law, cheapest.total_flops, inference_tokens);
      CHECK(best.loss == Approx(target).epsilon(1e-10));
      CHECK(best.params == Approx(cheapest.params).epsilon(1e-6));
      CHECK(best.total_flops == Approx(cheapest.total_flops).epsilon(1e-10));
    }
  }
}

TEST_CASE("MinimizeLossForBudget beats its neighbours on the same total budget", "[sardana]") {
  const ChinchillaLaw law = FindChinchillaPreset("epoch").law;
  const double total = 1e23, inference_tokens = 5e12;
  const InferenceAwareAllocation best = MinimizeLossForBudget(law, total, inference_tokens);
  CHECK(best.total_flops == Approx(total).epsilon(1e-10));
  for (double factor : {0.9, 0.99, 1.01, 1.1}) {
    const double n = best.params * factor;
    const double tokens = (total - 2 * n * inference_tokens) / (6 * n);
    CHECK(scalelaw::Loss(law, n, tokens) > best.loss);
  }
  // Without inference it is the Chinchilla-optimal split of the budget.
  const scalelaw::Allocation chinchilla = scalelaw::ComputeOptimal(law, total);
  const InferenceAwareAllocation none = MinimizeLossForBudget(law, total, 0.0);
  CHECK(none.params == Approx(chinchilla.params).epsilon(1e-9));
  CHECK(none.tokens == Approx(chinchilla.tokens).epsilon(1e-9));
  // Serving tokens costs quality.
  CHECK(best.loss > none.loss);
}

TEST_CASE("ChinchillaOptimalForParams inverts N_opt(C)", "[sardana]") {
  const ChinchillaLaw law = FindChinchillaPreset("chinchilla").law;
  for (double n : {1e8, 13e9, 1e12}) {
    const scalelaw::Allocation a = scalelaw::ChinchillaOptimalForParams(law, n);
    const scalelaw::Allocation b = scalelaw::ComputeOptimal(law, a.flops);
    CHECK(b.params == Approx(n).epsilon(1e-12));
    CHECK(b.tokens == Approx(a.tokens).epsilon(1e-12));
  }
}

TEST_CASE("Dollar cost: same optimum as FLOPs when MFUs are equal, smaller model when inference is slower",
          "[sardana]") {
  const ChinchillaLaw law = FindChinchillaPreset("chinchilla-unrounded").law;
  const double target = scalelaw::ChinchillaOptimalLossForParams(law, 13e9), inference_tokens = 2e12;
  const HardwareCost equal{1e15, 0.4, 0.4, 2.0 / 3600};
  const scalelaw::InferenceAwareCostAllocation same =
      scalelaw::MinimizeTotalCostForLoss(law, equal, target, inference_tokens);
  const InferenceAwareAllocation flops = MinimizeTotalFlopsForLoss(law, target, inference_tokens);
  CHECK(same.allocation.params == Approx(flops.params).epsilon(1e-12));
  CHECK(same.total_dollars == Approx(flops.total_flops / (0.4 * 1e15) * (2.0 / 3600)).epsilon(1e-12));

  const HardwareCost slow_decode{1e15, 0.5, 0.05, 2.0 / 3600};
  const scalelaw::InferenceAwareCostAllocation cheap =
      scalelaw::MinimizeTotalCostForLoss(law, slow_decode, target, inference_tokens);
  CHECK(cheap.allocation.params < flops.params);
  CHECK(cheap.allocation.loss == Approx(target).epsilon(1e-12));
  CHECK(cheap.allocation.inference_flops == Approx(2 * cheap.allocation.params * inference_tokens).epsilon(1e-15));
  CHECK(cheap.total_dollars == Approx(scalelaw::TotalCostDollars(slow_decode, cheap.allocation.params,
                                                                 cheap.allocation.tokens, inference_tokens))
                                   .epsilon(1e-12));
  CHECK(cheap.total_dollars == Approx(cheap.training_dollars + cheap.inference_dollars).epsilon(1e-15));
  for (double factor : {0.98, 1.02}) {
    const InferenceAwareAllocation other =
        AllocationForParams(law, target, inference_tokens, cheap.allocation.params * factor);
    CHECK(scalelaw::TotalCostDollars(slow_decode, other.params, other.tokens, inference_tokens) > cheap.total_dollars);
  }
  // 6 N D / (0.5 · 1e15) s + 2 N D_inf / (0.05 · 1e15) s at $2/hour.
  CHECK(scalelaw::TotalCostDollars(slow_decode, 1e9, 1e11, 1e10) ==
        Approx((6e20 / 5e14 + 2e19 / 5e13) * 2.0 / 3600).epsilon(1e-14));
}

TEST_CASE("Invalid inference-aware inputs throw", "[sardana]") {
  const ChinchillaLaw law = FindChinchillaPreset("chinchilla").law;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(MinimizeTotalFlopsForLoss(law, law.E, 1e12), InvalidArgument);
  CHECK_THROWS_AS(MinimizeTotalFlopsForLoss(law, 1.5, 1e12), InvalidArgument);
  CHECK_THROWS_AS(MinimizeTotalFlopsForLoss(law, nan, 1e12), InvalidArgument);
  CHECK_THROWS_AS(MinimizeTotalFlopsForLoss(law, 2.0, -1), InvalidArgument);
  CHECK_THROWS_AS(MinimizeTotalFlopsForLoss(law, 2.0, nan), InvalidArgument);
  CHECK_THROWS_AS(MinimizeTotalFlopsForLoss(ChinchillaLaw{1.69, 406.4, 410.7, 0, 0.28}, 2.0, 1e12), InvalidArgument);
  CHECK_THROWS_AS(MinimizeLossForBudget(law, 0, 1e12), InvalidArgument);
  CHECK_THROWS_AS(MinimizeLossForBudget(law, 1e23, -5), InvalidArgument);
  // 406.4/N^0.34 >= 0.31 below N ≈ 1.5e9: no amount of data reaches 2.0.
  CHECK_THROWS_AS(AllocationForParams(law, 2.0, 1e12, 1e9), InvalidArgument);
  CHECK_NOTHROW(AllocationForParams(law, 2.0, 1e12, 1e10));
  CHECK_THROWS_AS(AllocationForParams(law, 2.0, 1e12, 0), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::ChinchillaOptimalLossForParams(law, -1), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::TotalCostDollars(HardwareCost{1e15, 0.5, 0, 1e-3}, 1e9, 1e11, 1e10), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::TotalCostDollars(HardwareCost{1e15, 1.5, 0.1, 1e-3}, 1e9, 1e11, 1e10), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::TotalCostDollars(HardwareCost{0, 0.5, 0.1, 1e-3}, 1e9, 1e11, 1e10), InvalidArgument);
  CHECK_THROWS_AS(scalelaw::MinimizeTotalCostForLoss(law, HardwareCost{1e15, 0.5, 0.1, 0}, 2.0, 1e12), InvalidArgument);
}

TEST_CASE("Inference-aware registry record", "[sardana]") {
  const auto& infos = scalelaw::InferenceAwareLawInfos();
  REQUIRE(infos.size() == 1);
  CHECK(infos[0].name == "sardana");
  CHECK(infos[0].family == "sardana");
  CHECK(infos[0].quantity == scalelaw::Quantity::kAllocation);
  CHECK(infos[0].citation.arxiv == "2401.00448");
}
