// Xiao et al. 2024, "Densing Law of LLMs", arXiv:2412.04315 (Nature Machine Intelligence 2025).
//
//   capacity density  rho(M) = N_hat(S_M) / N_M     (effective over actual parameters)
//   densing law       ln rho_max(t) = A t + B        (t = release date in days)
//   doubling time     t_2 = ln 2 / A;   growth per year = exp(365 A)
//
// A ≈ 0.007/day (arXiv: density doubles every ~3.3 months, ~100 days) [V1, A derived]; the Nature MI version
// gives a 3.5-month doubling (A ≈ 0.0065/day) [V2]. The intercept B and the two-step estimation of N_hat
// (loss step, then a sigmoid performance step) are [U] and not shipped: only the growth-rate helpers are.
// Conventions of the worked examples in the tests: a year is 365 days; a month is the mean Gregorian month, 365.25/12 =
// 30.4375 days (with 365.25-day years the 3.5-month doubling gives ×10.77/year, not the printed 10.7).
#pragma once

#include <cmath>
#include <string_view>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

inline constexpr double kDensingDaysPerYear = 365;
inline constexpr double kDensingDaysPerMonth = 365.25 / 12;  // 30.4375
inline constexpr double kDensingGrowthPerDayArxiv = 0.007;   // arXiv version, from "doubles every ~3.3 months"
inline constexpr double kDensingDoublingMonthsNature = 3.5;  // Nature MI version

// t_2 = ln 2 / A: days for the maximum capacity density to double at growth rate A = growth_per_day (the slope
// of ln rho_max per day; Xiao et al. 2024, arXiv:2412.04315). E.g. 0.007 → 99.0 days.
inline double DensityDoublingDays(double growth_per_day) {
  RequirePositive(growth_per_day, "A (densing growth rate, per day)");
  return std::log(2.0) / growth_per_day;
}

// t_2 in months of 30.4375 days. E.g. 0.007 → 3.25 months.
inline double DensityDoublingMonths(double growth_per_day) {
  return DensityDoublingDays(growth_per_day) / kDensingDaysPerMonth;
}

// exp(365 A): the factor by which the maximum capacity density grows in a (365-day) year. E.g. 0.007 → ×12.9.
inline double DensityGrowthPerYear(double growth_per_day) {
  RequirePositive(growth_per_day, "A (densing growth rate, per day)");
  return std::exp(kDensingDaysPerYear * growth_per_day);
}

// A = ln 2 / (months × 30.4375): the growth rate per day of a density that doubles every `months` months.
// E.g. 3.5 → 0.00651/day (Nature MI version).
inline double GrowthPerDayFromDoublingMonths(double months) {
  RequirePositive(months, "doubling time (months)");
  return std::log(2.0) / (months * kDensingDaysPerMonth);
}

// N exp(−A t): the parameters that reach the same quality `days` days later, if the frontier density keeps
// growing at A per day (density doubles ⇒ parameters for equal quality halve every doubling period).
inline double ParamsForEqualQuality(double params, double growth_per_day, double days) {
  RequirePositive(params, "N (parameters)");
  RequirePositive(growth_per_day, "A (densing growth rate, per day)");
  if (!std::isfinite(days)) throw InvalidArgument("days must be a finite number (got " + FormatNumber(days) + ")");
  return params * std::exp(-growth_per_day * days);
}

// The registry record (Quantity::kDownstream): the densing-law growth rate of capacity density.
inline const std::vector<LawInfo>& DensingLawInfos() {
  static const std::vector<LawInfo> infos = [] {
    LawInfo info{
        "densing",
        "densing",
        Quantity::kDownstream,
        "ln rho_max(t) = A t + B, rho = N_hat / N (effective over actual parameters); A = 0.007/day (doubling "
        "ln2/A = 99 days, x12.9/year); Nature MI: doubling 3.5 months (A = 0.00651/day)",
        {"Xiao et al.", 2024, "Densing Law of LLMs", "2412.04315", "arXiv version; Nature Machine Intelligence 2025"},
        "total parameters of the model; N_hat: the size a reference family needs for the same downstream score",
        "A per day of release date; year = 365 days; month = 30.4375 days",
        ValidityRange{},
        "[V1] A = 0.007/day derived from the arXiv '3.3 months'; [V2] Nature MI 3.5-month doubling; the intercept B "
        "and the N_hat estimation (loss then sigmoid performance fit) are [U] and not shipped",
        {{"A_per_day_arxiv", kDensingGrowthPerDayArxiv},
         {"A_per_day_nature", GrowthPerDayFromDoublingMonths(kDensingDoublingMonthsNature)}}};
    info.inputs = {Input::kParams, Input::kDays};
    info.params_kind = ParamsDefinition::kTotal;
    info.outputs = {"params_equal_quality", "doubling_days", "doubling_months", "growth_per_year"};
    info.bind = [](const Constants& c) -> Evaluator {
      const double growth = ConstantValue(c, "A_per_day_arxiv", "densing");
      return [growth](const PredictionInputs& in, Evaluation& e) {
        e.Set("params_equal_quality", ParamsForEqualQuality(in.Need(Input::kParams), growth, in.Need(Input::kDays)));
        e.Set("doubling_days", DensityDoublingDays(growth));
        e.Set("doubling_months", DensityDoublingMonths(growth));
        e.Set("growth_per_year", DensityGrowthPerYear(growth));
        e.Note("growth rate A = " + FormatNumber(growth) + "/day (arXiv version)");
      };
    };
    // Xiao et al. 2024 (arXiv:2412.04315): A = 0.007/day doubles the density in 99.0 days (3.25 months), x12.9 a
    // year; a 7e9 model's quality is reached by about 3.5e9 parameters one doubling period later.
    info.example = {{{Input::kParams, 7e9}, {Input::kDays, 99.02}},
                    {},
                    {{"doubling_days", "99.0"}, {"doubling_months", "3.25"}, {"growth_per_year", "12.9"},
                     {"params_equal_quality", "3.5e9"}},
                    "A = 0.007/day (arXiv version)"};
    return std::vector<LawInfo>{std::move(info)};
  }();
  return infos;
}
}  // namespace scalelaw
