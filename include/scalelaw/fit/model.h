// A model form that can be fitted: a formula for the loss with named parameters. The mathematics of each
// form lives in its own compiled source; this handle is what callers pass around.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace scalelaw {
namespace detail {
class ModelForm;
}  // namespace detail

class Model {
 public:
  // The form registered under name ("chinchilla"); throws InvalidArgument naming the known forms.
  static Model FromName(std::string_view name);
  static std::vector<std::string> Names();
  // A form written as a formula over data columns (see scalelaw/fit/formula.h): identifiers in column_names
  // are data, the others parameters; the formula gives the loss. Throws InvalidArgument on a syntax error.
  static Model FromFormula(std::string_view formula, const std::vector<std::string>& column_names);
  // y = C · prod_i x_i^k_i over the named inputs (--model loglinear): least squares in log space with
  // Objective::kSquaredLog, robust with kHuber.
  static Model LogLinear(const std::vector<std::string>& inputs);

  // Every named form (loglinear shown over one input x), in the order of Names(): what `scalelaw models`,
  // Python's scalelaw.models() and docs/models.md list.
  static std::vector<Model> Catalogue();

  std::string_view name() const;
  std::string_view formula() const;
  // Where the form comes from (paper, equation) and what it is for.
  std::string_view description() const;
  // The data the form reads: "N", "D" (and "U") for named laws, or a formula's data identifiers.
  std::vector<std::string> inputs() const;
  // The parameters a user reads and writes (for Chinchilla: E, A, B, alpha, beta).
  std::vector<std::string> parameter_names() const;
  // Named data columns the model reads besides N, D and U (for a formula, its data identifiers).
  std::vector<std::string> data_columns() const;
  // The model's loss at one run, with params keyed by parameter_names().
  double Predict(const std::map<std::string, double>& params, double params_count, double tokens) const;

  const detail::ModelForm& form() const { return *form_; }

 private:
  explicit Model(std::shared_ptr<const detail::ModelForm> form) : form_(std::move(form)) {}
  std::shared_ptr<const detail::ModelForm> form_;
};

}  // namespace scalelaw
