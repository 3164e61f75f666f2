// A model form written once as a templated log-loss per run and differentiated by Ceres' forward-mode Jets:
// the way to add a form without deriving its gradient by hand. Derived implements
//   template <typename T> T LogLoss(const T* internal, const LogDesign& design, std::size_t run) const;
#pragma once

#include <ceres/jet.h>

#include <cstddef>

#include "fit/model_form.h"

namespace scalelaw::detail {

template <typename Form, int kParameters>
class JetModelForm : public ModelForm {
 public:
  void LogPredictBlock(const double* internal, const LogDesign& design, std::size_t begin, std::size_t count,
                       double* log_prediction, double* jacobian) const final {
    const Form& self = static_cast<const Form&>(*this);
    if (jacobian == nullptr) {
      for (std::size_t k = 0; k < count; ++k) {
        log_prediction[k] = self.template LogLoss<double>(internal, design, begin + k);
      }
      return;
    }
    using Jet = ceres::Jet<double, kParameters>;
    Jet parameters[kParameters];
    for (int j = 0; j < kParameters; ++j) parameters[j] = Jet(internal[j], j);
    for (std::size_t k = 0; k < count; ++k) {
      const Jet value = self.template LogLoss<Jet>(parameters, design, begin + k);
      log_prediction[k] = value.a;
      for (int j = 0; j < kParameters; ++j) jacobian[k * kParameters + j] = value.v[j];
    }
  }
};

// log(e^x + e^y) and log(e^x + e^y + e^z) without overflow, for doubles and Jets alike.
template <typename T>
T LogSumExp(const T& x, const T& y) {
  using std::exp;
  using std::log;
  const T m = x < y ? y : x;
  return m + log(exp(x - m) + exp(y - m));
}

template <typename T>
T LogSumExp(const T& x, const T& y, const T& z) {
  using std::exp;
  using std::log;
  T m = x < y ? y : x;
  m = m < z ? z : m;
  return m + log(exp(x - m) + exp(y - m) + exp(z - m));
}

template <typename T>
T Min(const T& x, const T& y) {
  return y < x ? y : x;
}

template <typename T>
T Max(const T& x, const T& y) {
  return x < y ? y : x;
}

}  // namespace scalelaw::detail
