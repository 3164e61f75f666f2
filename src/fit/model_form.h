// The interface every fittable model form implements, and the registry that lists them. Adding a form is
// one source file under models/ and one line in model.cpp.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/fit/dataset.h"

namespace scalelaw::detail {

// The data in the form the objectives read: logarithms computed once, weights always present.
struct LogDesign {
  std::vector<double> log_params;
  std::vector<double> log_tokens;
  std::vector<double> log_loss;
  std::vector<double> weights;

  std::size_t size() const { return log_loss.size(); }
  static LogDesign From(const Dataset& data);
};

class ModelForm {
 public:
  virtual ~ModelForm() = default;

  virtual std::string_view name() const = 0;
  virtual std::string_view formula() const = 0;
  // The parameters the optimiser moves (for Chinchilla a, b, e, alpha, beta) ...
  virtual std::vector<std::string> internal_names() const = 0;
  // ... and the ones a person reads (E, A, B, alpha, beta), with the maps between them.
  virtual std::vector<std::string> natural_names() const = 0;
  virtual std::vector<double> ToNatural(const double* internal) const = 0;
  virtual std::vector<double> FromNatural(const std::vector<double>& natural) const = 0;

  // log L_hat for every run of design into log_prediction; when jacobian is not null, also
  // d log L_hat_i / d internal_j into jacobian[i * num_internal + j]. Must not allocate.
  virtual void LogPredict(const double* internal, const LogDesign& design, double* log_prediction,
                          double* jacobian) const = 0;

  // The starting points of the multi-start search.
  virtual std::vector<std::vector<double>> DefaultStarts() const = 0;

  // Empty when design can identify the parameters; otherwise the reason it cannot, for the user.
  virtual std::string IdentifiabilityProblem(const LogDesign& design) const = 0;

  std::size_t num_internal() const { return internal_names().size(); }
};

// Every registered form, in the order `scalelaw` lists them.
const std::vector<const ModelForm*>& ModelRegistry();

}  // namespace scalelaw::detail
