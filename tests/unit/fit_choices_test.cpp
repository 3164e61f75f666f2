// The tables of objectives, estimators and start strategies that the CLI, Python and the docs read, and the
// library's messages about fit options, which speak of options and quantities, not of CLI flags.
#include <catch2/catch.hpp>
#include <limits>
#include <set>
#include <string>

#include "scalelaw/error.h"
#include "scalelaw/fit/fit.h"

namespace {

// The message of what fn throws (InvalidArgument), or "" when it throws nothing.
template <typename Fn>
std::string MessageOf(Fn fn) {
  try {
    fn();
  } catch (const scalelaw::InvalidArgument& error) {
    return error.what();
  }
  return "";
}

// A small design the Chinchilla form can identify: 4 sizes x 4 token counts from a known law.
scalelaw::Dataset Runs() {
  const scalelaw::ChinchillaLaw law{1.75, 420.0, 1800.0, 0.33, 0.31};
  scalelaw::Dataset data;
  for (double n : {1e8, 3e8, 1e9, 3e9}) {
    for (double tpp : {5.0, 20.0, 50.0, 150.0}) {
      data.params.push_back(n);
      data.tokens.push_back(tpp * n);
      data.loss.push_back(scalelaw::Loss(law, n, tpp * n));
    }
  }
  return data;
}

}  // namespace

TEST_CASE("Each choice table has one row per enumerator, in order, under a distinct name", "[fit][choices]") {
  std::set<std::string_view> names;
  for (std::size_t k = 0; k < scalelaw::ObjectiveTable().size(); ++k) {
    const scalelaw::ObjectiveInfo& row = scalelaw::ObjectiveTable()[k];
    CAPTURE(row.name);
    CHECK(static_cast<std::size_t>(row.id) == k);
    CHECK(&scalelaw::Describe(row.id) == &row);
    CHECK(scalelaw::ObjectiveFromName(row.name) == row.id);
    CHECK(names.insert(row.name).second);
  }
  for (std::size_t k = 0; k < scalelaw::EstimatorTable().size(); ++k) {
    const scalelaw::EstimatorInfo& row = scalelaw::EstimatorTable()[k];
    CAPTURE(row.name);
    CHECK(static_cast<std::size_t>(row.id) == k);
    CHECK(&scalelaw::Describe(row.id) == &row);
    CHECK(scalelaw::EstimatorFromName(row.name) == row.id);
  }
  for (std::size_t k = 0; k < scalelaw::StartStrategyTable().size(); ++k) {
    CHECK(static_cast<std::size_t>(scalelaw::StartStrategyTable()[k].id) == k);
  }
  for (std::size_t k = 0; k < scalelaw::ResidualTable().size(); ++k) {
    const scalelaw::ResidualInfo& row = scalelaw::ResidualTable()[k];
    CAPTURE(row.name);
    CHECK(static_cast<std::size_t>(row.id) == k);
    CHECK(&scalelaw::Describe(row.id) == &row);
    CHECK(scalelaw::ResidualFromName(row.name) == row.id);
  }
  CHECK(MessageOf([] { scalelaw::ResidualFromName("relative"); }) == "unknown residual 'relative' (known: log, loss)");
  // Every objective acts on log residuals unless told otherwise, but squared, which has always meant the loss itself.
  scalelaw::FitOptions options;
  for (const scalelaw::ObjectiveInfo& row : scalelaw::ObjectiveTable()) {
    options.objective = row.id;
    CHECK(scalelaw::ResidualOf(options) ==
          (row.id == scalelaw::Objective::kSquared ? scalelaw::Residual::kLoss : scalelaw::Residual::kLog));
    options.residual = scalelaw::Residual::kLoss;
    CHECK(scalelaw::ResidualOf(options) == scalelaw::Residual::kLoss);
    options.residual.reset();
  }
  // The names the CLI and Python have always accepted, written out here independently of the tables.
  CHECK(MessageOf([] { scalelaw::ObjectiveFromName("l1"); }) ==
        "unknown objective 'l1' (known: huber, squared-log, squared, asymmetric, asymmetric-absolute)");
  CHECK(MessageOf([] { scalelaw::EstimatorFromName("ols"); }) == "unknown estimator 'ols' (known: objective, mle)");
  CHECK(scalelaw::ObjectiveName(scalelaw::Objective::kSquaredLog) == "squared-log");
  CHECK(scalelaw::EstimatorName(scalelaw::Estimator::kHuberLikelihood) == "mle");
}

TEST_CASE("SetStarts reads every spec of the start table and refuses the rest", "[fit][choices][starts]") {
  using scalelaw::StartStrategy;
  struct Case {
    const char* spec;
    StartStrategy strategy;
    int latin_hypercube_starts, projected_starts;
  };
  const scalelaw::FitOptions defaults;
  for (const Case& c : {Case{"auto", StartStrategy::kAuto, 256, 8}, Case{"grid", StartStrategy::kGrid, 256, 8},
                        Case{"lhs:17", StartStrategy::kLatinHypercube, 17, 8},
                        Case{"varpro", StartStrategy::kVariableProjection, 256, 8},
                        Case{"varpro:3", StartStrategy::kVariableProjection, 256, 3}}) {
    CAPTURE(c.spec);
    scalelaw::FitOptions options;
    options.SetStarts(c.spec);
    CHECK(options.start_strategy == c.strategy);
    CHECK(options.latin_hypercube_starts == c.latin_hypercube_starts);
    CHECK(options.projected_starts == c.projected_starts);
  }
  CHECK(defaults.latin_hypercube_starts == 256);
  CHECK(defaults.projected_starts == 8);
  // The table's specs, and the messages built from them.
  std::string specs;
  for (const scalelaw::StartStrategyInfo& row : scalelaw::StartStrategyTable()) specs += std::string(row.spec) + " ";
  CHECK(specs == "auto grid lhs:N varpro[:K] ");
  scalelaw::FitOptions options;
  CHECK(MessageOf([&] { options.SetStarts("random"); }) == "starts random: expected auto, grid, lhs:N or varpro[:K]");
  CHECK(MessageOf([&] { options.SetStarts("lhs:0"); }) ==
        "starts lhs:0: expected auto, grid, lhs:N or varpro[:K] with N, K >= 1");
  CHECK(MessageOf([&] { options.SetStarts("varpro:x"); }) ==
        "starts varpro:x: expected auto, grid, lhs:N or varpro[:K] with N, K >= 1");
  CHECK_THAT(MessageOf([&] { options.SetStarts("lhs"); }), Catch::StartsWith("starts lhs: expected"));  // needs N
  CHECK_THAT(MessageOf([&] { options.SetStarts("grid:4"); }), Catch::StartsWith("starts grid:4: expected"));
  CHECK(options.start_strategy == StartStrategy::kAuto);  // a refused spec changes nothing
}

TEST_CASE("FullReport words the estimator and objective as their tables do", "[fit][choices][report]") {
  scalelaw::FitSummary fit;
  fit.formula = "L = E + A/N^alpha + B/D^beta";
  fit.num_points = 12;
  fit.estimator = scalelaw::Estimator::kHuberLikelihood;
  fit.objective_kind = scalelaw::Objective::kAsymmetric;
  fit.huber_delta = 0.002;
  fit.asymmetry = 4;
  fit.objective = -12.5;
  const std::string report = fit.FullReport();
  CHECK_THAT(report, Catch::Contains("  estimator: mle, Huber likelihood (summed Huber (delta 0.002) on log loss, "
                                     "over-predictions x4), 0 starts\n"));
  CHECK_THAT(report, Catch::Contains("  neg. log-lik.    -12.5\n"));
  CHECK_THAT(fit.BriefReport(), Catch::Contains("estimator mle, 12 runs"));
  fit.objective_kind = scalelaw::Objective::kSquared;
  fit.residual = scalelaw::Residual::kLoss;
  CHECK_THAT(fit.FullReport(), Catch::Contains("(summed squared residuals of the loss)"));
  fit.objective_kind = scalelaw::Objective::kHuber;
  CHECK_THAT(fit.FullReport(), Catch::Contains("(summed Huber, delta 0.002 on the loss)"));
  fit.objective_kind = scalelaw::Objective::kAsymmetricAbsolute;
  fit.asymmetry = 10;
  CHECK_THAT(fit.FullReport(), Catch::Contains("(summed absolute residuals of the loss, over-predictions x10)"));
}

TEST_CASE("Messages about fit options name options and quantities, not CLI flags", "[fit][choices][messages]") {
  const scalelaw::Model chinchilla = scalelaw::Model::FromName("chinchilla");
  scalelaw::FitSummary fit;
  auto fit_with = [&](const scalelaw::FitOptions& options, const scalelaw::Dataset& data = Runs()) {
    return MessageOf([&] { scalelaw::Fit(data, chinchilla, options, &fit); });
  };
  const double infinity = std::numeric_limits<double>::infinity();
  std::vector<std::string> messages;

  scalelaw::FitOptions options;
  options.fixed = {{"A", -3.0}};
  messages.push_back(fit_with(options));
  CHECK(messages.back() == "fixed parameter 'A': -3 is not a valid value (it must be positive)");

  options = {};
  options.bounds = {{"alpha", {0.5, 0.2}}};
  messages.push_back(fit_with(options));
  CHECK(messages.back() == "bounds of 'alpha': expected lower < upper, got 0.5:0.2");
  options.bounds = {{"A", {-5.0, -1.0}}};
  messages.push_back(fit_with(options));
  CHECK(messages.back() == "bounds of 'A': the interval is empty for this parameter");
  options.fixed = {{"E", 1.75}};
  options.bounds = {{"E", {0.0, infinity}}};
  messages.push_back(fit_with(options));
  CHECK(messages.back() == "bounds of 'E': the parameter is fixed");

  options = {};
  options.estimator = scalelaw::Estimator::kHuberLikelihood;
  options.objective = scalelaw::Objective::kSquaredLog;
  messages.push_back(fit_with(options));
  CHECK(messages.back() ==
        "invalid fit options: the mle estimator is the likelihood of the huber objective and takes no other "
        "(got squared-log)");

  options = {};
  scalelaw::Dataset negative = Runs();
  negative.loss[2] = -0.5;
  messages.push_back(fit_with(options, negative));
  CHECK(messages.back() ==
        "run 3 has loss -0.5: objective 'huber' on log residuals needs every loss positive; fit the loss itself "
        "(residual 'loss') instead");
  options.residual = scalelaw::Residual::kLoss;
  options.objective = scalelaw::Objective::kSquaredLog;
  messages.push_back(fit_with(options));
  CHECK(messages.back() ==
        "invalid fit options: objective 'squared-log' is squared on log residuals; on the loss itself use objective "
        "'squared'");
  options.objective = scalelaw::Objective::kHuber;
  options.estimator = scalelaw::Estimator::kHuberLikelihood;
  messages.push_back(fit_with(options));
  CHECK(messages.back() ==
        "invalid fit options: the mle estimator is a likelihood of log residuals and takes no residual 'loss'");

  options = {};
  options.holdout_top = 2;
  scalelaw::Dataset no_tokens = Runs();
  no_tokens.tokens.clear();
  no_tokens.columns["x"] = no_tokens.params;
  messages.push_back(fit_with(options, no_tokens));
  CHECK_THAT(messages.back(), Catch::Contains("largest compute 6ND needs N and D"));

  messages.push_back(MessageOf([] { scalelaw::Model::LogLinear({}); }));
  CHECK(messages.back() == "the loglinear model needs at least one named input column");
  messages.push_back(MessageOf([] { scalelaw::Model::FromName("loglinear"); }));
  CHECK_THAT(messages.back(), Catch::StartsWith("the loglinear model is a product of powers"));
  messages.push_back(
      MessageOf([&] { scalelaw::Fit(Runs(), scalelaw::Model::FromName("data-constrained"), {}, &fit); }));
  CHECK(messages.back() == "model 'data-constrained' needs the unique tokens U of every run");

  for (const std::string& message : messages) {
    CAPTURE(message);
    CHECK(message.find("--") == std::string::npos);
  }
}
