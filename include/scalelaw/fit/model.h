// A model form that can be fitted: a formula for the loss with named parameters. The mathematics of each
// form lives in its own compiled source; this handle is what callers pass around.
#pragma once

#include <map>
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

  std::string_view name() const;
  std::string_view formula() const;
  // The parameters a user reads and writes (for Chinchilla: E, A, B, alpha, beta).
  std::vector<std::string> parameter_names() const;
  // The model's loss at one run, with params keyed by parameter_names().
  double Predict(const std::map<std::string, double>& params, double params_count, double tokens) const;

  const detail::ModelForm& form() const { return *form_; }

 private:
  explicit Model(const detail::ModelForm* form) : form_(form) {}
  const detail::ModelForm* form_;
};

}  // namespace scalelaw
