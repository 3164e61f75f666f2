// Curve-law fits as Laws (scalelaw/predict.h): the loss a fitted schedule-aware law predicts at the end of a
// learning-rate schedule, so `predict-loss --fit curves.json --schedule SPEC` and Python's predict("loss",
// fit=..., schedule=...) answer like every other law, with the bootstrap's 95% interval and range warnings.
#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "scalelaw/curves/curve_fit.h"
#include "scalelaw/curves/curve_law.h"
#include "scalelaw/curves/curve_size_fit.h"
#include "scalelaw/curves/schedule.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/fitted_law.h"

namespace scalelaw {
namespace {

Citation FormCitation(CurveLawForm form) {
  switch (form) {
    case CurveLawForm::kMultiPower:
      return {"Luo et al.", 2025, "A Multi-Power Law for Loss Curve Prediction Across Learning Rate Schedules",
              "2503.12811", "Eq. 5-7 (the form; constants fitted by scalelaw)"};
    case CurveLawForm::kAnnealing:
      return {"Tissue et al.", 2024, "Scaling Law with Learning Rate Annealing", "2408.11029",
              "Eq. 1 (the form; constants fitted by scalelaw)"};
    case CurveLawForm::kPowerOnly:
      break;
  }
  return {"fitted by scalelaw (the annealing-free baseline of the schedule-aware laws)", 0, "", "", ""};
}

std::string FormFormula(CurveLawForm form, double lambda) {
  const std::string area = "S1 = sum of the per-step LRs up to T";
  switch (form) {
    case CurveLawForm::kMultiPower:
      return "L(T) = L0 + A*S1^-alpha - B*sum_k (eta_{k-1} - eta_k)*G(eta_k^-gamma*S_k(T)), "
             "G(x) = 1 - (C*x + 1)^-beta; " +
             area;
    case CurveLawForm::kAnnealing:
      return fmt::format("L(T) = L0 + A*S1^-alpha - C*S2, S2 the annealing area with momentum lambda = {:g}; {}",
                         lambda, area);
    case CurveLawForm::kPowerOnly:
      break;
  }
  return "L(T) = L0 + A*S1^-alpha; " + area;
}

// The per-step LRs of the schedule spec given as the input kSchedule, parsed once per spec: a prediction with a
// bootstrap binds the law once per resample and evaluates each at the same schedule.
class ScheduleCache {
 public:
  const std::vector<double>& LrOf(const std::string& spec) {
    if (spec != spec_ || lr_.empty()) {
      lr_ = LrPerStep(ParseLrSchedule(spec));
      spec_ = spec;
      peak_ = *std::max_element(lr_.begin(), lr_.end());
    }
    return lr_;
  }
  double peak() const { return peak_; }

 private:
  std::string spec_;
  std::vector<double> lr_;
  double peak_ = 0;
};

// The record every curve-law fit answers the loss with (its bind is the fit's own).
LawInfo CurveLossRecord(CurveLawForm form, double lambda, const std::string& name, const std::string& status,
                        Constants constants) {
  LawInfo record;
  record.name = name;
  record.family = "fit";
  record.quantity = Quantity::kLoss;
  record.formula = FormFormula(form, lambda) + " (fitted curve law '" + std::string(CurveLawFormName(form)) + "')";
  record.citation = FormCitation(form);
  record.units =
      "loss: the logged metric's units at the schedule's last step; steps are optimizer steps, LRs in the fitted "
      "runs' units; tokens = steps x batch";
  record.confidence = status;
  record.constants = std::move(constants);
  record.inputs = {Input::kSchedule};
  record.optional_inputs = {Input::kBatchTokens};
  record.outputs = {"loss", "steps", "tokens"};
  return record;
}

// The final loss of the schedule in in under law, with the notes and the warnings of a prediction beyond the
// fitted curves' steps or peak LRs.
void EvaluateFinalLoss(const CurveLaw& law, const CurveDataRange& range, ScheduleCache& cache,
                       const PredictionInputs& in, Evaluation& e) {
  const std::string& spec = in.NeedText(Input::kSchedule);
  const std::vector<double>& lr = cache.LrOf(spec);
  const long steps = static_cast<long>(lr.size());
  const double loss = CheckedResult(CurveLoss(law, lr, {steps - 1}).front(), "the predicted final loss");
  e.Set("loss", loss);
  e.Set("steps", static_cast<double>(steps));
  if (in.Has(Input::kBatchTokens)) e.Set("tokens", static_cast<double>(steps) * in.Get(Input::kBatchTokens));
  if (e.detailed) {
    e.Note(
        fmt::format("the loss at the last of the schedule's {} steps ({}); 'scalelaw curve predict' gives the "
                    "whole curve",
                    steps, LrScheduleKindName(ParseLrSchedule(spec).kind)));
  }
  if (range.steps > 0 && steps > range.steps) {
    e.Warn(
        fmt::format("the schedule runs {} steps, beyond the {} of the longest fitted curve: an extrapolation in "
                    "time",
                    steps, range.steps));
  }
  if (range.peak_lr_max > 0 &&
      (cache.peak() < range.peak_lr_min * (1 - 1e-9) || cache.peak() > range.peak_lr_max * (1 + 1e-9))) {
    e.Warn(
        fmt::format("the schedule's peak LR {:g} is outside the fitted curves' peaks ({:g} to {:g}): the law's "
                    "LR dependence is an extrapolation there",
                    cache.peak(), range.peak_lr_min, range.peak_lr_max));
  }
}

Constants Named(const std::vector<std::string>& names, const std::vector<double>& values) {
  Constants constants;
  for (std::size_t j = 0; j < names.size() && j < values.size(); ++j) constants.emplace_back(names[j], values[j]);
  return constants;
}

// The Law of a curve-law fit with its loss record, less the record's evaluator: its name, status, constants
// (parameter_names: values) and the bootstrap's resamples by the same names.
template <typename Summary>
Law CurveFitLaw(const Summary& fit, const std::string& name) {
  Law law;
  law.name = name;
  if (!fit.IsUsable()) law.unusable_reason = fit.message;
  for (const std::vector<double>& draw : fit.resample_parameters) {
    law.resamples.push_back(Named(fit.parameter_names, draw));
  }
  law.records.push_back(CurveLossRecord(fit.form, fit.lambda, name,
                                        fit.IsUsable() ? "a usable fit" : "NOT USABLE: " + fit.message,
                                        Named(fit.parameter_names, fit.parameters)));
  return law;
}

}  // namespace

Law FittedLaw(const CurveFitSummary& fit, const std::string& name) {
  if (fit.parameters.empty()) throw InvalidArgument("the curve fit has no parameters (" + fit.message + ")");
  Law law = CurveFitLaw(fit, name);
  LawInfo& record = law.records.front();
  record.params_definition = "not read: the law was fitted at one model size";
  const CurveLawForm form = fit.form;
  const double lambda = fit.lambda;
  const std::vector<std::string> names = fit.parameter_names;
  const CurveDataRange range = fit.range;
  record.bind = [=](const Constants& c) -> Evaluator {
    auto cache = std::make_shared<ScheduleCache>();  // an evaluator's own: a bulk prediction binds one per thread
    CurveLaw bound{form, {}, lambda};
    for (const std::string& parameter : names) bound.parameters.push_back(ConstantValue(c, parameter, name));
    return [bound, range, cache](const PredictionInputs& in, Evaluation& e) {
      EvaluateFinalLoss(bound, range, *cache, in, e);
    };
  };
  return law;
}

Law FittedLaw(const CurveSizeFitSummary& fit, const std::string& name) {
  if (fit.law.parameters.empty()) throw InvalidArgument("the curve fit has no parameters (" + fit.message + ")");
  Law law = CurveFitLaw(fit, name);
  LawInfo& record = law.records.front();
  record.inputs.push_back(Input::kParams);
  record.params_definition = "as in the fitted runs' N (the law's parameters are power laws in it)";
  if (!fit.sizes.empty()) {
    record.range.params_min = fit.sizes.front();
    record.range.params_max = fit.sizes.back();
  }
  const CurveSizeLaw shape = fit.law;
  const std::vector<std::string> law_names = CurveLawParameterNames(fit.form);
  const CurveDataRange range = fit.range;
  record.bind = [=](const Constants& c) -> Evaluator {
    auto cache = std::make_shared<ScheduleCache>();  // an evaluator's own: a bulk prediction binds one per thread
    CurveSizeLaw bound = shape;
    for (std::size_t j = 0; j < law_names.size(); ++j) {
      bound.parameters[j] = ConstantValue(c, law_names[j], name);
      if (bound.scaled[j]) bound.exponents[j] = ConstantValue(c, "e_" + law_names[j], name);
    }
    return [bound, range, cache](const PredictionInputs& in, Evaluation& e) {
      const double params = in.Need(Input::kParams);
      RequirePositive(params, "N (parameters)");
      EvaluateFinalLoss(bound.At(params), range, *cache, in, e);
      e.CheckRange(params, std::numeric_limits<double>::quiet_NaN());
    };
  };
  return law;
}

}  // namespace scalelaw
