// The Python face of schedule design (scalelaw/curves/schedule_design.h): the ScheduleDesign result, the published
// curve laws, and the chart data scalelaw.plot.schedule_design draws. Python's design_schedule marshals to these.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "plot/schedule_charts.h"
#include "scalelaw/curves/curve_fit.h"
#include "scalelaw/curves/published_curve_laws.h"
#include "scalelaw/curves/schedule_design.h"
#include "scalelaw/error.h"

namespace py = pybind11;

namespace {

template <typename T>
py::array_t<double> Doubles(const std::vector<T>& values) {
  py::array_t<double> out(static_cast<py::ssize_t>(values.size()));
  double* data = out.mutable_data();
  for (std::size_t i = 0; i < values.size(); ++i) data[i] = static_cast<double>(values[i]);
  return out;
}

py::dict Baseline(const scalelaw::ScheduleBaseline& b) {
  py::dict out;
  out["name"] = b.name;
  out["schedule"] = scalelaw::LrScheduleSpec(b.schedule);
  out["final_loss"] = b.final_loss;
  out["decay_fraction"] = b.decay_fraction;
  return out;
}

// The multi-power parameters of a curve fit's JSON (CurveFitToJson): InvalidArgument for another form or a fit that
// is not usable (with its reason).
std::vector<double> MultiPowerFromFitJson(const std::string& text, const std::string& source) {
  const scalelaw::CurveFitSummary fit = scalelaw::CurveFitFromJson(text, source);
  if (fit.form != scalelaw::CurveLawForm::kMultiPower) {
    throw scalelaw::InvalidArgument(source + ": a " + std::string(scalelaw::CurveLawFormName(fit.form)) +
                                    " law; schedule design needs a multi-power fit");
  }
  if (!fit.IsUsable()) throw scalelaw::InvalidArgument(source + ": the fit is not usable: " + fit.message);
  return fit.parameters;
}

scalelaw::ScheduleDesignSummary Design(const std::vector<double>& parameters, long steps, double peak, long warmup,
                                       const std::string& warmup_shape, double warmup_lr, double min_lr, int knots) {
  scalelaw::ScheduleDesignOptions options;
  options.steps = steps;
  options.peak = peak;
  options.warmup = warmup;
  if (warmup_shape == "constant") {
    options.warmup_shape = scalelaw::WarmupShape::kConstant;
  } else if (warmup_shape != "linear") {
    throw scalelaw::InvalidArgument("warmup_shape must be 'linear' or 'constant', not '" + warmup_shape + "'");
  }
  options.warmup_lr = warmup_lr;
  options.min_lr = min_lr;
  options.knots = knots;
  scalelaw::CurveLaw law{scalelaw::CurveLawForm::kMultiPower, parameters, 0.999};
  py::gil_scoped_release release;
  return scalelaw::DesignSchedule(law, options);
}

py::dict Chart(const scalelaw::ScheduleDesignSummary& summary) {
  const scalelaw::plot::ScheduleDesignChartData data = scalelaw::plot::MakeScheduleDesignChart(summary);
  py::dict out;
  out["title"] = data.title;
  out["peak"] = data.peak;
  out["min_lr"] = data.min_lr;
  py::list lines;
  for (const scalelaw::plot::ScheduleLine& line : data.lines) {
    py::dict entry;
    entry["name"] = line.name;
    entry["label"] = line.label;
    entry["step"] = Doubles(line.steps);
    entry["lr"] = Doubles(line.lr);
    entry["final_loss"] = line.final_loss;
    lines.append(entry);
  }
  out["lines"] = lines;
  return out;
}

}  // namespace

void BindScheduleDesign(py::module_& m) {
  using scalelaw::ScheduleDesignSummary;
  py::class_<ScheduleDesignSummary>(m, "ScheduleDesign",
                                    "The LR schedule minimising a Multi-Power Law's predicted final loss, against "
                                    "cosine and the best WSD (scalelaw.design_schedule)")
      .def_property_readonly("status",
                             [](const ScheduleDesignSummary& s) { return std::string(AnalysisStatusName(s.status)); })
      .def_property_readonly("usable", &ScheduleDesignSummary::IsUsable)
      .def_readonly("message", &ScheduleDesignSummary::message)
      .def_property_readonly("law",
                             [](const ScheduleDesignSummary& s) {
                               py::dict out;
                               const double v[] = {s.law.l0, s.law.a,    s.law.alpha, s.law.b,
                                                   s.law.c,  s.law.beta, s.law.gamma};
                               const auto names = scalelaw::CurveLawParameterNames(scalelaw::CurveLawForm::kMultiPower);
                               for (std::size_t j = 0; j < names.size(); ++j) out[py::str(names[j])] = v[j];
                               return out;
                             })
      .def_readonly("steps", &ScheduleDesignSummary::steps)
      .def_readonly("warmup", &ScheduleDesignSummary::warmup)
      .def_readonly("peak", &ScheduleDesignSummary::peak)
      .def_readonly("min_lr", &ScheduleDesignSummary::min_lr)
      .def_property_readonly("lr", [](const ScheduleDesignSummary& s) { return Doubles(s.lr); })
      .def_property_readonly(
          "schedule",
          [](const ScheduleDesignSummary& s) {
            py::array_t<long long> step(static_cast<py::ssize_t>(s.lr.size()));
            for (std::size_t i = 0; i < s.lr.size(); ++i) step.mutable_data()[i] = static_cast<long long>(i);
            py::dict columns;
            columns["step"] = step;
            columns["lr"] = Doubles(s.lr);
            return py::module_::import("pandas").attr("DataFrame")(columns);
          },
          "the designed schedule as a pandas DataFrame: step, lr (one row per step, for a trainer)")
      .def_property_readonly("knot_steps", [](const ScheduleDesignSummary& s) { return Doubles(s.knot_steps); })
      .def_property_readonly("knot_lr", [](const ScheduleDesignSummary& s) { return Doubles(s.knot_lr); })
      .def_readonly("final_loss", &ScheduleDesignSummary::final_loss)
      .def_readonly("decay_start", &ScheduleDesignSummary::decay_start)
      .def_readonly("decay_fraction", &ScheduleDesignSummary::decay_fraction)
      .def_property_readonly("cosine", [](const ScheduleDesignSummary& s) { return Baseline(s.cosine); })
      .def_property_readonly("wsd", [](const ScheduleDesignSummary& s) { return Baseline(s.wsd); })
      .def_property_readonly("wsd_by_shape",
                             [](const ScheduleDesignSummary& s) {
                               py::list out;
                               for (const auto& b : s.wsd_by_shape) out.append(Baseline(b));
                               return out;
                             })
      .def_readonly("iterations", &ScheduleDesignSummary::iterations)
      .def_readonly("evaluations", &ScheduleDesignSummary::evaluations)
      .def_readonly("best_start", &ScheduleDesignSummary::best_start)
      .def_readonly("seconds", &ScheduleDesignSummary::seconds)
      .def("brief_report", &ScheduleDesignSummary::BriefReport)
      .def("full_report", &ScheduleDesignSummary::FullReport)
      .def("__str__", &ScheduleDesignSummary::FullReport)
      .def("to_json", [](const ScheduleDesignSummary& s) { return scalelaw::ScheduleDesignToJson(s); })
      .def("to_csv", [](const ScheduleDesignSummary& s) { return scalelaw::DesignedScheduleCsv(s); });

  m.def("_design_schedule", &Design, py::arg("parameters"), py::arg("steps"), py::arg("peak"), py::arg("warmup"),
        py::arg("warmup_shape"), py::arg("warmup_lr"), py::arg("min_lr"), py::arg("knots"));
  m.def("_multipower_from_fit_json", &MultiPowerFromFitJson, py::arg("text"), py::arg("source"));
  m.def("_published_curve_laws", [] {
    py::list out;
    for (const scalelaw::PublishedCurveLaw& entry : scalelaw::PublishedCurveLaws()) {
      py::dict row;
      row["name"] = std::string(entry.name);
      row["citation"] = std::string(entry.citation);
      row["model"] = std::string(entry.model);
      py::dict parameters;
      const auto names = scalelaw::CurveLawParameterNames(entry.law.form);
      for (std::size_t j = 0; j < names.size(); ++j) parameters[py::str(names[j])] = entry.law.parameters[j];
      row["parameters"] = parameters;
      out.append(row);
    }
    return out;
  });
  m.def("_schedule_design_chart", &Chart, py::arg("design"));
}
