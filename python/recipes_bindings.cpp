// The Python face of recipe comparison (scalelaw/analysis/recipes.h): the RecipeComparison result and the joint
// fit. Python's compare_recipes reads the table and labels the runs 0 (baseline) and 1; this file computes.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "array_values.h"
#include "scalelaw/analysis/recipes.h"
#include "scalelaw/error.h"

namespace py = pybind11;

namespace {

using scalelaw::python::DoubleArray;
using scalelaw::python::Values;

// (value, lo95, hi95) as a value and a (lo, hi) pair; None where there is none.
std::optional<double> Finite(double value) {
  return std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}
std::optional<std::pair<double, double>> Interval(const scalelaw::EstimateWithInterval& e) {
  if (!std::isfinite(e.lo95) || !std::isfinite(e.hi95)) return std::nullopt;
  return std::pair{e.lo95, e.hi95};
}

scalelaw::RecipeComparison Compare(std::optional<DoubleArray> params, std::optional<DoubleArray> tokens,
                                   std::optional<DoubleArray> flops, const DoubleArray& loss,
                                   const std::vector<int>& recipe, const std::string& label_a,
                                   const std::string& label_b, bool share_offset, bool share_exponent,
                                   double reference_flops, int bootstrap, std::uint64_t seed, int threads) {
  const std::vector<double> n = Values(params), d = Values(tokens), c = Values(flops), l = Values(loss);
  if (c.empty() && (n.empty() || d.empty())) throw scalelaw::InvalidArgument("give flops, or params and tokens");
  for (const auto* column : {&n, &d, &c}) {
    if (!column->empty() && column->size() != l.size()) {
      throw scalelaw::InvalidArgument("the compute (or params and tokens), loss and recipe columns differ in length");
    }
  }
  if (recipe.size() != l.size()) {
    throw scalelaw::InvalidArgument("the compute (or params and tokens), loss and recipe columns differ in length");
  }
  std::vector<scalelaw::RecipeRun> runs(l.size());
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (!c.empty()) {
      runs[i].flops = c[i];
    } else {
      runs[i].params = n[i];
      runs[i].tokens = d[i];
    }
    runs[i].loss = l[i];
    runs[i].recipe = recipe[i];
  }
  scalelaw::RecipeComparisonOptions options;
  options.share_offset = share_offset;
  options.share_exponent = share_exponent;
  options.reference_flops = reference_flops;
  options.bootstrap_resamples = bootstrap;
  options.bootstrap_seed = seed;
  options.num_threads = threads;
  py::gil_scoped_release release;
  return scalelaw::CompareRecipes(runs, label_a, label_b, options);
}

}  // namespace

void BindRecipes(py::module_& m) {
  using scalelaw::RecipeComparison;
  py::class_<RecipeComparison>(m, "RecipeComparison",
                               "Two recipes fitted jointly: the compute multiplier of B over A and their crossover")
      .def_property_readonly(
          "status", [](const RecipeComparison& r) { return scalelaw::AnalysisStatusName(r.status); },
          "usable, not identifiable, no convergence or interrupted")
      .def_property_readonly("usable", &RecipeComparison::IsUsable)
      .def_readonly("message", &RecipeComparison::message)
      .def_readonly("recipe_a", &RecipeComparison::recipe_a, "the baseline's label")
      .def_readonly("recipe_b", &RecipeComparison::recipe_b)
      .def_readonly("runs_a", &RecipeComparison::runs_a)
      .def_readonly("runs_b", &RecipeComparison::runs_b)
      .def_readonly("scale_flops", &RecipeComparison::scale_flops, "C_ref of x = C / C_ref (FLOPs)")
      .def_readonly("reference_flops", &RecipeComparison::reference_flops,
                    "where a multiplier that depends on C is reported (FLOPs)")
      .def_property_readonly(
          "params", [](const RecipeComparison& r) { return r.fit.params; },
          "E, dE, A, k, alpha, d of L_A = E + A x^-alpha, L_B = E + dE + A e^k x^-(alpha + d)")
      .def_property_readonly(
          "shared", [](const RecipeComparison& r) { return r.fit.fixed_parameters; },
          "the differences held at 0 (dE: a shared E, d: a shared alpha)")
      .def_property_readonly(
          "multiplier", [](const RecipeComparison& r) { return Finite(r.multiplier.value); },
          "B reaches at C the loss A needs multiplier × C for (> 1: B saves compute)")
      .def_property_readonly(
          "multiplier_ci95", [](const RecipeComparison& r) { return Interval(r.multiplier); },
          "the stratified bootstrap's 95% percentile interval (None without a bootstrap)")
      .def_readonly("multiplier_depends_on_flops", &RecipeComparison::multiplier_depends_on_flops)
      .def_property_readonly(
          "crossover_flops", [](const RecipeComparison& r) { return Finite(r.crossover_flops.value); },
          "the compute where the two losses are equal (None: they do not cross in the searched range)")
      .def_property_readonly(
          "crossover_ci95", [](const RecipeComparison& r) { return Interval(r.crossover_flops); },
          "its 95% interval, when at least 95% of the resamples cross too")
      .def_property_readonly("crossover_search",
                             [](const RecipeComparison& r) {
                               return std::pair{r.crossover_search_lo, r.crossover_search_hi};
                             })
      .def_readonly("resamples", &RecipeComparison::resamples, "bootstrap resamples refitted")
      .def_readonly("failed_resamples", &RecipeComparison::failed_resamples)
      .def_readonly("warnings", &RecipeComparison::warnings)
      .def_readonly("resamples_with_crossover", &RecipeComparison::resamples_with_crossover)
      .def(
          "loss",
          [](const RecipeComparison& r, int recipe, const DoubleArray& flops) {
            if (recipe != 0 && recipe != 1) throw scalelaw::InvalidArgument("recipe is 0 (A) or 1 (B)");
            return py::vectorize([&r, recipe](double c) { return r.Loss(recipe, c); })(flops);
          },
          py::arg("recipe"), py::arg("flops"), "The joint law's loss of recipe 0 (A) or 1 (B) at compute C")
      .def("brief_report", &RecipeComparison::BriefReport)
      .def("full_report", &RecipeComparison::FullReport)
      .def("__str__", &RecipeComparison::FullReport)
      .def("to_json", [](const RecipeComparison& r) { return scalelaw::RecipeComparisonToJson(r); });
  m.def("_compare_recipes", &Compare, py::arg("params"), py::arg("tokens"), py::arg("flops"), py::arg("loss"),
        py::arg("recipe"), py::arg("label_a"), py::arg("label_b"), py::arg("share_offset"), py::arg("share_exponent"),
        py::arg("reference_flops"), py::arg("bootstrap"), py::arg("seed"), py::arg("threads"));
  m.def("_compare_defaults", [] {
    const scalelaw::RecipeComparisonOptions defaults;
    py::dict out;
    out["own_offset"] = !defaults.share_offset;
    out["own_exponent"] = !defaults.share_exponent;
    out["bootstrap"] = defaults.bootstrap_resamples;
    out["seed"] = defaults.bootstrap_seed;
    return out;
  });
}
