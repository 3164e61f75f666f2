// numpy arrays in the bindings: the one array type they take, and its values as a std::vector.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <optional>
#include <vector>

namespace scalelaw::python {

// A float64, C-ordered view of whatever array-like the caller passed (converted when it is not one).
using DoubleArray = pybind11::array_t<double, pybind11::array::c_style | pybind11::array::forcecast>;

// A one-dimensional array's values; none for no array.
inline std::vector<double> Values(const std::optional<DoubleArray>& array) {
  if (!array) return {};
  const auto view = array->unchecked<1>();
  std::vector<double> out(static_cast<std::size_t>(view.shape(0)));
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = view(static_cast<pybind11::ssize_t>(i));
  return out;
}

}  // namespace scalelaw::python
