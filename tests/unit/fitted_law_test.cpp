// Analyses as laws (scalelaw/fit/fitted_law.h): a fit-hparams sweep answers the learning rate and batch, an
// isoFLOP analysis the allocation, a fit of any N-D form the allocation by minimisation along C = 6ND, a vocab fit
// the vocabulary size; each through the same Predict as the published laws, and back from its JSON. Expected
// values are computed here independently (closed forms, a dense scan, the published record with the units
// converted by hand).
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "scalelaw/analysis/hparam_sweep.h"
#include "scalelaw/analysis/isoflop.h"
#include "scalelaw/fit/fitted_law.h"
#include "scalelaw/io/fit_json.h"
#include "scalelaw/laws/registry.h"
#include "scalelaw/laws/vocabulary.h"
#include "scalelaw/predict.h"

using scalelaw::Input;
using scalelaw::PredictionInputs;
using scalelaw::Quantity;

namespace {

// A 3 x 3 grid of (N, D) cells; in each, a 5 x 5 grid of LR and batch around the optimum of lr = 2 N^-0.7 D^0.3
// and B = 0.5 D^0.6 (tokens; batch column in sequences of 1), and a loss bowl in log LR and log batch whose
// minimum is that optimum, so the Step-Law procedure recovers the two laws exactly.
scalelaw::HparamRuns Sweep() {
  scalelaw::HparamRuns runs;
  for (double n : {1e8, 3e8, 1e9}) {
    for (double d : {1e10, 3e10, 1e11}) {
      const double lr_opt = 2 * std::pow(n, -0.7) * std::pow(d, 0.3), b_opt = 0.5 * std::pow(d, 0.6);
      for (int i = -2; i <= 2; ++i) {
        for (int j = -2; j <= 2; ++j) {
          runs.params.push_back(n);
          runs.tokens.push_back(d);
          runs.lr.push_back(lr_opt * std::pow(2.0, i));
          runs.batch.push_back(b_opt * std::pow(2.0, j));
          runs.loss.push_back(3 - 0.1 * std::log10(n) + 0.05 * (i * i + j * j));
        }
      }
    }
  }
  return runs;
}

scalelaw::HparamSweepResult FitSweep(int bootstrap) {
  scalelaw::HparamSweepOptions options;
  options.seq_len = 1;
  options.bootstrap = bootstrap;
  // Runs within 6% of their cell's best are kept: the 3 x 3 runs around each optimum, symmetric in log LR and
  // log batch, so the fit is exact, while a resample of runs breaks the symmetry and moves the law.
  options.tolerance = 0.06;
  options.resample = scalelaw::HparamResample::kRuns;
  options.num_threads = 2;
  return scalelaw::FitHparamSweep(Sweep(), options);
}

PredictionInputs At(double n, double d) {
  PredictionInputs in;
  in.Set(Input::kParams, n).Set(Input::kTokens, d);
  return in;
}

}  // namespace

TEST_CASE("A fit-hparams sweep answers the learning rate and batch as the law it fitted", "[fitted-law]") {
  const scalelaw::HparamSweepResult sweep = FitSweep(0);
  REQUIRE(sweep.IsUsable());
  const scalelaw::Law law = scalelaw::FittedLaw(sweep, "fit:sweep");
  const scalelaw::Prediction lr = scalelaw::Predict(law, Quantity::kLearningRate, At(5e8, 5e10));
  CHECK(lr.law.name == "fit:sweep");
  CHECK(lr.Value("lr") == Approx(2 * std::pow(5e8, -0.7) * std::pow(5e10, 0.3)).epsilon(1e-9));
  const scalelaw::Prediction batch = scalelaw::Predict(law, Quantity::kBatchSize, At(5e8, 5e10));
  CHECK(batch.Value("batch_tokens") == Approx(0.5 * std::pow(5e10, 0.6)).epsilon(1e-9));
  CHECK(batch.Value("batch_sequences") == Approx(0.5 * std::pow(5e10, 0.6) / 2048).epsilon(1e-9));
  // Inside the sweep's box: no warning; beyond it: the sweep's range, not the Step Law's, is the one that warns.
  CHECK(lr.warnings.empty());
  const scalelaw::Prediction far = scalelaw::Predict(law, Quantity::kLearningRate, At(7e9, 2e12));
  REQUIRE(far.warnings.size() == 2);
  CHECK_THAT(far.warnings[0], Catch::Contains("1e+08 to 1e+09 that law 'fit:sweep'"));
}

TEST_CASE("A bootstrapped sweep puts the band of its resampled laws on the LR, and survives its JSON", "[fitted-law]") {
  const scalelaw::HparamSweepResult sweep = FitSweep(50);
  REQUIRE(sweep.bootstrap_draws.size() == 50);
  const scalelaw::Law law = scalelaw::FittedLaw(sweep, "fit:sweep");
  const scalelaw::Prediction p = scalelaw::Predict(law, Quantity::kLearningRate, At(5e8, 5e10));
  std::vector<double> values;
  for (const auto& draw : sweep.bootstrap_draws) {
    values.push_back(draw.at("lr.coef") * std::pow(5e8, draw.at("lr.exp_params")) * std::pow(5e10, draw.at("lr.exp_tokens")));
  }
  std::sort(values.begin(), values.end());
  // numpy's default percentile: linear between order statistics.
  auto percentile = [&](double q) {
    const double at = q * (values.size() - 1);
    const auto below = static_cast<std::size_t>(at);
    return values[below] + (at - below) * (values[std::min(below + 1, values.size() - 1)] - values[below]);
  };
  REQUIRE(values.back() > values.front() * 1.001);
  CHECK(p.Value("lr_lo95") == Approx(percentile(0.025)).epsilon(1e-9));
  CHECK(p.Value("lr_hi95") == Approx(percentile(0.975)).epsilon(1e-9));
  const scalelaw::Law reloaded =
      scalelaw::LawFromJson(scalelaw::HparamSweepToJson(sweep), "sweep.json", "fit:sweep.json");
  const scalelaw::Prediction again = scalelaw::Predict(reloaded, Quantity::kLearningRate, At(5e8, 5e10));
  REQUIRE(again.values.size() == p.values.size());
  for (std::size_t i = 0; i < p.values.size(); ++i) {
    CHECK(again.values[i].first == p.values[i].first);
    CHECK(again.values[i].second == Approx(p.values[i].second).epsilon(1e-12));
  }
}

TEST_CASE("An isoFLOP analysis answers the allocation as its two power laws, and survives its JSON", "[fitted-law]") {
  // Runs on three budgets from the Epoch law; Approach 2 then gives N_opt = k C^a and D_opt = k' C^b.
  const scalelaw::ChinchillaLaw truth{1.8172, 482.01, 2085.43, 0.3478, 0.3658};
  std::vector<scalelaw::IsoflopRun> runs;
  for (double c : {1e19, 1e20, 1e21}) {
    const double n_opt = scalelaw::ComputeOptimal(truth, c).params;
    for (int k = -3; k <= 3; ++k) {
      const double n = n_opt * std::pow(2.0, 0.5 * k);
      runs.push_back({n, c / (6 * n), 0, scalelaw::Loss(truth, n, c / (6 * n))});
    }
  }
  scalelaw::IsoflopOptions options;
  options.bootstrap = 40;
  const scalelaw::IsoflopResult result = scalelaw::FitIsoflop(runs, options);
  REQUIRE(result.IsUsable());
  const scalelaw::Law law = scalelaw::FittedLaw(result, "fit:iso");
  PredictionInputs in;
  in.Set(Input::kFlops, 1e23);
  const scalelaw::Prediction p = scalelaw::Predict(law, Quantity::kAllocation, in);
  CHECK(p.Value("params") == Approx(result.k_params * std::pow(1e23, result.a)).epsilon(1e-12));
  CHECK(p.Value("tokens") == Approx(result.k_tokens * std::pow(1e23, result.b)).epsilon(1e-12));
  // Approach 2 on noiseless profiles sampled symmetrically in log N recovers the exponent to about 1%.
  CHECK(result.a == Approx(scalelaw::ComputeOptimalExponents(truth).a).epsilon(0.01));
  const scalelaw::Law reloaded = scalelaw::LawFromJson(scalelaw::IsoflopToJson(result), "iso.json", "fit:iso.json");
  const scalelaw::Prediction again = scalelaw::Predict(reloaded, Quantity::kAllocation, in);
  REQUIRE(again.values.size() == p.values.size());
  for (std::size_t i = 0; i < p.values.size(); ++i) CHECK(again.values[i].second == Approx(p.values[i].second));
  in.Set(Input::kTargetLoss, 2.0);
  CHECK_THROWS_AS(scalelaw::Predict(law, Quantity::kAllocation, in), scalelaw::NotApplicable);
}

TEST_CASE("A fit of a form without a closed-form split allocates by minimising along C = 6ND", "[fitted-law]") {
  // The Kaplan form L = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D (Kaplan et al. 2020, arXiv:2001.08361, Eq.
  // 1.5) with the constants of its Table 2, written out here.
  const double n_c = 6.4e13, d_c = 1.8e13, alpha_n = 0.076, alpha_d = 0.103;
  auto kaplan = [&](double n, double d) { return std::pow(std::pow(n_c / n, alpha_n / alpha_d) + d_c / d, alpha_d); };
  scalelaw::FitSummary fit;
  fit.model = "kaplan";
  fit.status = scalelaw::AnalysisStatus::kUsable;
  fit.params = {{"N_c", n_c}, {"D_c", d_c}, {"alpha_N", alpha_n}, {"alpha_D", alpha_d}};
  const scalelaw::Law law = scalelaw::FittedLaw(fit, "fit:kaplan");
  const double c = 1e21;
  PredictionInputs in;
  in.Set(Input::kFlops, c);
  const scalelaw::Prediction p = scalelaw::Predict(law, Quantity::kAllocation, in);
  // An independent dense scan of ln N over 1e6 points of the law's own loss along the budget.
  double best_n = 0, best_loss = 1e300;
  for (int k = 0; k <= 1000000; ++k) {
    const double n = std::exp(std::log(1e6) + (std::log(1e13) - std::log(1e6)) * k / 1e6);
    const double loss = kaplan(n, c / (6 * n));
    if (loss < best_loss) best_loss = loss, best_n = n;
  }
  CHECK(p.Value("params") == Approx(best_n).epsilon(1e-4));
  CHECK(p.Value("loss") == Approx(best_loss).epsilon(1e-12));
  CHECK(6 * p.Value("params") * p.Value("tokens") == Approx(c).epsilon(1e-12));
  // Its loss record is the fitted form: Kaplan's own Loss.
  CHECK(scalelaw::Predict(law, Quantity::kLoss, At(1e9, 2.2e10)).Value("loss") ==
        Approx(kaplan(1e9, 2.2e10)).epsilon(1e-12));
}

TEST_CASE("A vocab fit answers the vocabulary size as the published record does with its constants", "[fitted-law]") {
  // Tao et al. 2024's Approach 3 constants, written in a fit's raw units (N, Nv = V d, D): A2 Nv^-alpha2 with
  // A2 = A2' 1e6^alpha2, B D^-beta with B = B' 1e9^beta, A1 N^-beta with A1 = A1' 1e6^beta.
  const scalelaw::VocabularyLaw tao;
  scalelaw::FitSummary fit;
  fit.model = "vocab";
  fit.status = scalelaw::AnalysisStatus::kUsable;
  fit.params = {{"E", -tao.E},
                {"A1", tao.A1 * std::pow(1e6, tao.beta)},
                {"A2", tao.A2 * std::pow(1e6, tao.alpha2)},
                {"B", tao.B * std::pow(1e9, tao.beta)},
                {"beta", tao.beta},
                {"alpha2", tao.alpha2}};
  const scalelaw::Law law = scalelaw::FittedLaw(fit, "fit:vocab");
  PredictionInputs in;
  in.Set(Input::kParams, 6.9e10).Set(Input::kFlops, 1e24);
  const double published = scalelaw::PredictVocabularySize("tao", in).front().Value("vocab_size");
  CHECK(scalelaw::Predict(law, Quantity::kVocabularySize, in).Value("vocab_size") == Approx(published).epsilon(1e-9));
  in.Set(Input::kVocabApproach, 1);
  CHECK_THROWS_AS(scalelaw::Predict(law, Quantity::kVocabularySize, in), scalelaw::NotApplicable);
}

namespace {

// A fit of formula over the given columns with constants, as a FitSummary read back from a file holds it.
scalelaw::FitSummary FormulaFit(const std::string& formula, const std::vector<std::string>& columns,
                                const std::map<std::string, double>& constants) {
  scalelaw::FitSummary fit;
  fit.model = "formula";
  fit.formula = formula;
  fit.inputs = columns;
  fit.status = scalelaw::AnalysisStatus::kUsable;
  fit.params = constants;
  return fit;
}

}  // namespace

TEST_CASE("A formula over N and D is a law of N and D: its loss, and its split of C by minimisation", "[fitted-law]") {
  const std::map<std::string, double> epoch = {
      {"E", 1.8172}, {"A", 482.01}, {"B", 2085.43}, {"alpha", 0.3478}, {"beta", 0.3658}};
  const scalelaw::Law formula = scalelaw::FittedLaw(FormulaFit("E + A/N^alpha + B/D^beta", {"N", "D"}, epoch), "f");
  scalelaw::FitSummary chinchilla;
  chinchilla.model = "chinchilla";
  chinchilla.status = scalelaw::AnalysisStatus::kUsable;
  chinchilla.params = epoch;
  const scalelaw::Law closed_form = scalelaw::FittedLaw(chinchilla, "c");
  CHECK(scalelaw::Predict(formula, Quantity::kLoss, At(1e9, 2e10)).Value("loss") ==
        Approx(1.8172 + 482.01 / std::pow(1e9, 0.3478) + 2085.43 / std::pow(2e10, 0.3658)).epsilon(1e-12));
  // The allocation: Brent's minimum along C = 6ND against Hoffmann et al.'s closed form (arXiv:2203.15556, Eq. 4).
  for (double c : {1e19, 1e22, 1e25}) {
    PredictionInputs in;
    in.Set(Input::kFlops, c);
    const scalelaw::Prediction searched = scalelaw::Predict(formula, Quantity::kAllocation, in);
    const scalelaw::Prediction exact = scalelaw::Predict(closed_form, Quantity::kAllocation, in);
    CHECK(searched.Value("params") == Approx(exact.Value("params")).epsilon(1e-7));
    CHECK(searched.Value("tokens") == Approx(exact.Value("tokens")).epsilon(1e-7));
    CHECK(searched.Value("loss") == Approx(exact.Value("loss")).epsilon(1e-12));
  }
}

TEST_CASE("A formula over a column of the user's own name answers the loss from that named input", "[fitted-law]") {
  const scalelaw::Law law =
      scalelaw::FittedLaw(FormulaFit("E + A/C^alpha", {"C"}, {{"E", 1.7}, {"A", 95.0}, {"alpha", 0.094}}), "fit:c");
  const scalelaw::LawInfo* loss = law.Answer(Quantity::kLoss);
  REQUIRE(loss != nullptr);
  CHECK(loss->inputs.empty());
  CHECK(loss->named_inputs == std::vector<std::string>{"C"});
  CHECK(law.Answer(Quantity::kAllocation) == nullptr);  // no N and D to split

  PredictionInputs in;
  in.SetNamed("C", 1e21);
  CHECK(scalelaw::Predict(law, Quantity::kLoss, in).Value("loss") ==
        Approx(1.7 + 95.0 / std::pow(1e21, 0.094)).epsilon(1e-12));
  // Missing, it is named as the column it is; given but not read (a misspelt column), it is an error too.
  try {
    scalelaw::Predict(law, Quantity::kLoss, PredictionInputs{});
    FAIL("a missing named input was accepted");
  } catch (const scalelaw::NotApplicable& e) {
    CHECK(std::string(e.what()) == "law 'fit:c' needs the input 'C'");
  }
  in.SetNamed("c", 1e21);
  CHECK_THROWS_WITH(scalelaw::Predict(law, Quantity::kLoss, in), Catch::Contains("unknown input 'c' (law 'fit:c' reads C)"));
  CHECK_THROWS_AS(PredictionInputs{}.SetNamed("C", std::nan("")), scalelaw::InvalidArgument);

  // In bulk, a named column gives at each point what one point gives.
  const std::vector<double> compute = {1e18, 3e19, 1e21, 4e23};
  scalelaw::InputColumns columns;
  columns.size = compute.size();
  columns.named_columns = {{"C", compute.data()}};
  const scalelaw::BulkPrediction bulk = scalelaw::PredictBulk(law, Quantity::kLoss, columns);
  REQUIRE(bulk.outputs.size() == 1);
  for (std::size_t k = 0; k < compute.size(); ++k) {
    PredictionInputs one;
    one.SetNamed("C", compute[k]);
    CHECK(bulk.outputs[0].second[k] == scalelaw::Predict(law, Quantity::kLoss, one).Value("loss"));
  }
}
