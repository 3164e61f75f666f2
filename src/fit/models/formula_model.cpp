// A model form from a user's formula (scalelaw/fit/formula.h): the formula gives the loss, its parameters are
// fitted on log residuals like every other form, r = log f(x; theta) - log L, with the gradient
// d log f / d theta = (d f / d theta) / f from the formula's forward-mode derivatives. A start where f <= 0
// gives a non-finite objective and is skipped.
#include <array>
#include <cmath>
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
  FormulaModelForm(Formula formula, std::string text) : formula_(std::move(formula)), text_(std::move(text)) {
    if (formula_.columns().size() > kMaxColumns) {
      throw InvalidArgument("a formula may read at most " + std::to_string(kMaxColumns) + " columns");
    }
    if (formula_.parameters().empty()) throw InvalidArgument("the formula has no parameters to fit: " + text_);
  }

  std::string_view name() const override { return "formula"; }
  std::string_view formula() const override { return text_; }
  std::vector<Parameter> parameters() const override {
    std::vector<Parameter> out;
    for (const std::string& p : formula_.parameters()) out.push_back({p, p, false});
    return out;
  }
  bool needs_params_and_tokens() const override { return false; }
  std::vector<std::string> data_columns() const override { return formula_.columns(); }

  void LogPredict(const double* internal, const LogDesign& design, double* log_prediction,
                  double* jacobian) const override {
    const std::vector<std::string>& names = formula_.columns();
    std::array<const std::vector<double>*, kMaxColumns> columns{};
    for (std::size_t k = 0; k < names.size(); ++k) columns[k] = &design.columns.at(names[k]);
    const std::size_t p = formula_.parameters().size();
    std::array<double, kMaxColumns> row{};
    for (std::size_t i = 0; i < design.size(); ++i) {
      for (std::size_t k = 0; k < names.size(); ++k) row[k] = (*columns[k])[i];
      if (jacobian == nullptr) {
        log_prediction[i] = std::log(formula_.Evaluate(internal, row.data()));
        continue;
      }
      double value = 0;
      double* gradient = jacobian + i * p;
      formula_.EvaluateWithGradient(internal, row.data(), &value, gradient);
      log_prediction[i] = std::log(value);
      for (std::size_t j = 0; j < p; ++j) gradient[j] /= value;
    }
  }

  // Without --grid, every parameter starts from 0.1, 1 and 10.
  std::vector<std::vector<double>> DefaultStarts() const override {
    std::vector<std::vector<double>> starts{{}};
    for (std::size_t j = 0; j < formula_.parameters().size(); ++j) {
      std::vector<std::vector<double>> next;
      for (const std::vector<double>& start : starts) {
        for (double v : {0.1, 1.0, 10.0}) {
          next.push_back(start);
          next.back().push_back(v);
        }
      }
      starts.swap(next);
    }
    return starts;
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
};

}  // namespace

std::shared_ptr<const ModelForm> MakeFormulaForm(std::string_view formula, const std::vector<std::string>& columns) {
  return std::make_shared<FormulaModelForm>(Formula::Parse(formula, columns), std::string(formula));
}

}  // namespace scalelaw::detail
