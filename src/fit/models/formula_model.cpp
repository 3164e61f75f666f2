// A model form from a user's formula (scalelaw/fit/formula.h): the formula gives the loss, its parameters are
// fitted like every other form's, on log residuals r = log f(x; theta) - log L, with the gradient
// d log f / d theta = (d f / d theta) / f from the formula's forward-mode derivatives (a start where f <= 0 gives
// a non-finite objective and is skipped), or on the loss itself, r = f - L, where f and L may have any sign.
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <string>

#include "fit/model_form.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/formula.h"

namespace scalelaw::detail {
namespace {

constexpr std::size_t kMaxColumns = 64;

class FormulaModelForm final : public ModelForm {
 public:
  FormulaModelForm(Formula formula, std::string text, std::string name = "formula",
                   std::map<std::string, std::vector<double>> grid = {}, std::vector<std::string> positive = {},
                   std::string description = "a formula of the user's over data columns",
                   std::function<std::map<std::string, std::vector<double>>(const DataSpan&)> data_grid = {})
      : formula_(std::move(formula)),
        text_(std::move(text)),
        name_(std::move(name)),
        description_(std::move(description)),
        grid_(std::move(grid)),
        positive_(std::move(positive)),
        data_grid_(std::move(data_grid)) {
    if (formula_.columns().size() > kMaxColumns) {
      throw InvalidArgument("a formula may read at most " + std::to_string(kMaxColumns) + " columns");
    }
    if (formula_.parameters().empty()) throw InvalidArgument("the formula has no parameters to fit: " + text_);
  }

  std::string_view name() const override { return name_; }
  std::string_view formula() const override { return text_; }
  std::string_view description() const override { return description_; }
  std::vector<Parameter> parameters() const override {
    std::vector<Parameter> out;
    for (const std::string& p : formula_.parameters()) out.push_back({p, p, false});
    return out;
  }
  bool needs_params_and_tokens() const override { return false; }
  std::vector<std::string> data_columns() const override { return formula_.columns(); }

  void LogPredictBlock(const double* internal, const LogDesign& design, std::size_t begin, std::size_t count,
                       double* log_prediction, double* jacobian) const override {
    // The values f go into log_prediction and the gradients of f into jacobian, then both become logarithmic.
    PredictBlock(internal, design, begin, count, log_prediction, jacobian);
    const std::size_t p = formula_.parameters().size();
    for (std::size_t i = 0; i < count; ++i) {
      const double value = log_prediction[i];
      log_prediction[i] = std::log(value);
      if (jacobian == nullptr) continue;
      for (std::size_t j = 0; j < p; ++j) jacobian[i * p + j] /= value;
    }
  }

  // f itself, which may be zero or negative (fitted on the loss itself, FitOptions::residual).
  void PredictBlock(const double* internal, const LogDesign& design, std::size_t begin, std::size_t count,
                    double* prediction, double* jacobian) const override {
    const std::vector<std::string>& names = formula_.columns();
    std::array<const double*, kMaxColumns> columns{}, log_columns{};
    for (std::size_t k = 0; k < names.size(); ++k) {
      columns[k] = design.columns.at(names[k]).data() + begin;
      const auto logs = design.log_columns.find(names[k]);
      if (logs != design.log_columns.end() && logs->second.size() == design.size()) {
        log_columns[k] = logs->second.data() + begin;
      }
    }
    formula_.EvaluateBlock(internal, columns.data(), log_columns.data(), count, prediction, jacobian);
  }
  bool may_predict_nonpositive() const override { return true; }

  std::map<std::string, std::pair<double, double>> DefaultBounds() const override {
    std::map<std::string, std::pair<double, double>> bounds;
    for (const std::string& name : positive_) bounds[name] = {0.0, std::numeric_limits<double>::infinity()};
    return bounds;
  }

  // The preset's grid; without one (and without --grid), every parameter starts from 0.1, 1 and 10.
  std::vector<std::vector<double>> DefaultStarts() const override { return StartsFrom(grid_); }

  // A preset that scales its grid to the data: its data_grid of the spans of x and y, over the grid.
  std::vector<std::vector<double>> StartsFor(const LogDesign& design) const override {
    if (!data_grid_ || formula_.columns().empty() || design.size() == 0) return DefaultStarts();
    const auto x = design.columns.find(formula_.columns().front());
    if (x == design.columns.end() || x->second.size() != design.size()) return DefaultStarts();
    std::vector<double> xs = x->second, ys(design.size());
    for (std::size_t i = 0; i < design.size(); ++i) ys[i] = design.value(i);
    auto span = [](std::vector<double>& v, double* lo, double* hi, double* median) {
      std::sort(v.begin(), v.end());
      *lo = v.front();
      *hi = v.back();
      *median = v[v.size() / 2];
    };
    DataSpan data;
    span(xs, &data.x_min, &data.x_max, &data.x_median);
    span(ys, &data.y_min, &data.y_max, &data.y_median);
    for (const std::string& column : formula_.columns()) {
      const auto it = design.columns.find(column);
      if (it == design.columns.end() || it->second.size() != design.size()) return DefaultStarts();
      std::vector<double> values = it->second;
      double lo = 0, hi = 0;
      span(values, &lo, &hi, &data.median[column]);
    }
    std::map<std::string, std::vector<double>> grid = grid_;
    for (auto& [name, values] : data_grid_(data)) {
      std::vector<double> finite;
      for (double v : values) {
        if (std::isfinite(v)) finite.push_back(v);
      }
      if (!finite.empty()) grid[name] = std::move(finite);
    }
    return StartsFrom(grid);
  }

  std::string IdentifiabilityProblem(const LogDesign& design) const override {
    for (const std::string& column : formula_.columns()) {
      const auto it = design.columns.find(column);
      if (it == design.columns.end() || it->second.size() != design.size()) {
        return "the data have no column '" + column + "' that the formula reads";
      }
    }
    return {};
  }

 private:
  Formula formula_;
  std::string text_;
  std::string name_;
  std::string description_;
  std::map<std::string, std::vector<double>> grid_;
  std::vector<std::string> positive_;
  std::function<std::map<std::string, std::vector<double>>(const DataSpan&)> data_grid_;

  std::vector<std::vector<double>> StartsFrom(const std::map<std::string, std::vector<double>>& grid) const {
    std::vector<std::vector<double>> axes;
    for (const std::string& name : formula_.parameters()) {
      const auto it = grid.find(name);
      axes.push_back(it != grid.end() ? it->second : std::vector<double>{0.1, 1.0, 10.0});
    }
    return CartesianProduct(axes);
  }
};

}  // namespace

std::shared_ptr<const ModelForm> MakeFormulaForm(std::string_view formula, const std::vector<std::string>& columns) {
  return std::make_shared<FormulaModelForm>(Formula::Parse(formula, columns), std::string(formula));
}

std::shared_ptr<const ModelForm> MakeFormulaForm(const FormulaPreset& preset) {
  return std::make_shared<FormulaModelForm>(Formula::Parse(preset.formula, preset.columns), preset.formula, preset.name,
                                            preset.grid, preset.positive, preset.citation, preset.data_grid);
}

// Forms that are most clearly written as formulas. x is the one input of a single-variable law (compute,
// steps, data size; --col x=COLUMN names it).
const std::vector<FormulaPreset>& FormulaPresets() {
  static const std::vector<FormulaPreset> presets{
      {"power",
       "A * x^(-alpha)",
       "a pure power law, y = A x^-alpha",
       {"x"},
       {{"A", {1e-2, 1, 1e2, 1e4, 1e6}}, {"alpha", {0.05, 0.2, 0.5, 1.0}}},
       {"A"},
       // A in the units of y and x: through the median run at each exponent of the grid.
       [](const DataSpan& s) -> std::map<std::string, std::vector<double>> {
         std::vector<double> a;
         for (double alpha : {0.05, 0.2, 0.5, 1.0}) a.push_back(std::abs(s.y_median) * std::pow(s.x_median, alpha));
         return {{"A", a}};
       }},
      {"power-offset",
       "E + A * x^(-alpha)",
       "a power law with an irreducible offset, y = E + A x^-alpha",
       {"x"},
       {{"E", {0.1, 1.0, 3.0}}, {"A", {1e-2, 1, 1e2, 1e4, 1e6}}, {"alpha", {0.05, 0.2, 0.5, 1.0}}},
       {"E", "A"},
       // E below the lowest y; A through the median run above the middle E, at each exponent of the grid.
       [](const DataSpan& s) -> std::map<std::string, std::vector<double>> {
         if (!(s.y_min > 0)) return {};
         std::vector<double> a;
         for (double alpha : {0.05, 0.2, 0.5, 1.0}) {
           a.push_back(std::max(s.y_median - 0.5 * s.y_min, 1e-3 * s.y_median) * std::pow(s.x_median, alpha));
         }
         return {{"E", {0.1 * s.y_min, 0.5 * s.y_min, 0.9 * s.y_min}}, {"A", a}};
       }},
      {"rectified",
       "B / (D_l + x^beta) + E",
       "Lin et al. 2024 (arXiv 2402.02314), the rectified fine-tuning law with outer exponent 1; x = fine-tuning data",
       {"x"},
       {{"B", {1.0, 1e2, 1e4}}, {"D_l", {1.0, 1e2, 1e4}}, {"beta", {0.2, 0.5, 1.0}}, {"E", {0.1, 1.0}}},
       {"B", "D_l", "beta", "E"},
       // E below the lowest y; D_l, the x^beta at which the curve bends, at the ends and middle of x^0.5's range;
       // B through the median run (B = (y - E)(D_l + x^beta) with D_l small) at each exponent of the grid.
       [](const DataSpan& s) -> std::map<std::string, std::vector<double>> {
         if (!(s.y_min > 0 && s.x_min > 0)) return {};
         std::vector<double> b;
         for (double beta : {0.2, 0.5, 1.0}) b.push_back((s.y_median - 0.5 * s.y_min) * std::pow(s.x_median, beta));
         return {{"E", {0.5 * s.y_min, 0.9 * s.y_min}},
                 {"D_l", {std::sqrt(s.x_min), std::sqrt(s.x_median), std::sqrt(s.x_max)}},
                 {"B", b}};
       }},
      {"bnsl",
       "a + b * x^(-c0) * (1 + (x/d1)^(1/f1))^(-c1*f1)",
       "Caballero et al. 2023 (arXiv 2210.14891), a broken neural scaling law with one break",
       {"x"},
       {{"a", {0.01, 1.0}},
        {"b", {1.0, 1e2}},
        {"c0", {0.05, 0.3}},
        {"d1", {1e3, 1e6, 1e9}},
        {"f1", {0.1, 1.0}},
        {"c1", {-0.2, 0.2}}},
       {"a", "b", "d1", "f1"},
       // a below the lowest y; the break d1 at a quarter, half and three quarters of log x's range; b through the
       // median run above the middle a, at each exponent c0 of the grid.
       [](const DataSpan& s) -> std::map<std::string, std::vector<double>> {
         if (!(s.y_min > 0 && s.x_min > 0)) return {};
         std::vector<double> b;
         for (double c0 : {0.05, 0.3}) b.push_back((s.y_median - 0.5 * s.y_min) * std::pow(s.x_median, c0));
         const double log_lo = std::log(s.x_min), log_hi = std::log(s.x_max);
         return {{"a", {0.1 * s.y_min, 0.5 * s.y_min, 0.9 * s.y_min}},
                 {"d1",
                  {std::exp(log_lo + 0.25 * (log_hi - log_lo)), std::exp(0.5 * (log_lo + log_hi)),
                   std::exp(log_lo + 0.75 * (log_hi - log_lo))}},
                 {"b", b}};
       }},
      {"overtraining",
       "E + (a * M^eta + b * M^(-eta)) * C^(-eta)",
       "Gadre et al. 2024 (arXiv 2403.08540), loss vs compute C and token multiplier M = D/N",
       {"C", "M"},
       {{"E", {1.0, 2.0}}, {"a", {1.0, 1e2, 1e4}}, {"b", {1.0, 1e2, 1e4}}, {"eta", {0.05, 0.15, 0.3}}},
       {"E", "a", "b", "eta"},
       // E below the lowest loss; a and b each carrying half of the median run's excess over E at the medians of C
       // and M, at each exponent of the grid.
       [](const DataSpan& s) -> std::map<std::string, std::vector<double>> {
         const double c = s.median.at("C"), m = s.median.at("M");
         if (!(s.y_min > 0 && c > 0 && m > 0)) return {};
         std::vector<double> a, b;
         for (double eta : {0.05, 0.15, 0.3}) {
           const double half = 0.5 * (s.y_median - 0.7 * s.y_min) * std::pow(c, eta);
           a.push_back(half * std::pow(m, -eta));
           b.push_back(half * std::pow(m, eta));
         }
         return {{"E", {0.5 * s.y_min, 0.9 * s.y_min}}, {"a", a}, {"b", b}};
       }},
      {"vocab",
       "E + A1 * N^(-beta) + A2 * Nv^(-alpha2) + B * D^(-beta)",
       "Tao et al. 2024 (arXiv 2407.13623), the Approach 3 loss over non-vocabulary parameters N, vocabulary "
       "parameters Nv = V d and tokens D, with alpha1 = beta as in the paper; their unigram-normalised loss is "
       "negative: fit it on the loss itself (residual 'loss'), E = -E_Tao",
       {"N", "Nv", "D"},
       {{"E", {-6.0, -3.0}},
        {"A1", {10.0, 1e3, 1e5}},
        {"A2", {10.0, 1e3, 1e5}},
        {"B", {1e2, 1e4, 1e6}},
        {"beta", {0.2, 0.45, 0.7}},
        {"alpha2", {0.3, 0.7}}},
       {"A1", "A2", "B", "beta", "alpha2"},
       // E below the lowest loss by a tenth and a half of the losses' spread (the loss may be negative); A1, A2
       // and B each carrying a third of the median run's excess over E at the medians of N, Nv and D, at each
       // exponent of the grid.
       [](const DataSpan& s) -> std::map<std::string, std::vector<double>> {
         const double n = s.median.at("N"), nv = s.median.at("Nv"), d = s.median.at("D");
         const double spread = std::max(s.y_max - s.y_min, 1e-3 * std::max(std::abs(s.y_min), 1.0));
         if (!(n > 0 && nv > 0 && d > 0)) return {};
         const double third = (s.y_median - (s.y_min - 0.3 * spread)) / 3;
         std::vector<double> a1, a2, b;
         for (double beta : {0.2, 0.45, 0.7}) {
           a1.push_back(third * std::pow(n, beta));
           b.push_back(third * std::pow(d, beta));
         }
         for (double alpha2 : {0.3, 0.7}) a2.push_back(third * std::pow(nv, alpha2));
         return {{"E", {s.y_min - 0.5 * spread, s.y_min - 0.1 * spread}}, {"A1", a1}, {"A2", a2}, {"B", b}};
       }},
      {"sigmoid",
       "d + c / (1 + exp(-gamma * (x - l)))",
       "downstream accuracy from loss x (Llama 3 Team 2024; Xiao et al. 2024): a sigmoid between d and d + c",
       {"x"},
       {{"d", {0.01, 0.25}}, {"c", {0.5, 0.9}}, {"gamma", {-10.0, -3.0, 3.0, 10.0}}, {"l", {1.5, 2.5, 3.5}}},
       {"d", "c"},
       // Scaled to the runs, whatever x is (a loss, log10 FLOPs): the floor d near the lowest y, the height c
       // about the spread of y, the midpoint l inside the range of x, and a steepness that spans that range in
       // about 0.5 to 2 of its widths, rising or falling (a sigmoid from 12% to 88% of its height over a width
       // w has |gamma| = 4/w).
       [](const DataSpan& s) -> std::map<std::string, std::vector<double>> {
         const double height = std::max(s.y_max - s.y_min, 1e-3 * std::max(std::abs(s.y_max), 1.0));
         const double width = std::max(s.x_max - s.x_min, 1e-12 * std::max(std::abs(s.x_max), 1.0));
         const double floor = std::max(s.y_min - 0.1 * height, 0.0);
         return {{"d", {floor, std::max(s.y_min - 0.02 * height, 0.0)}},
                 {"c", {height, 1.5 * height}},
                 {"l", {s.x_min + 0.25 * width, s.x_median, s.x_min + 0.75 * width}},
                 {"gamma", {-8 / width, -2 / width, 2 / width, 8 / width}}};
       }},
  };
  return presets;
}

}  // namespace scalelaw::detail
