#include "predict/params_conversion.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "scalelaw/model/shape_search.h"
#include "util/short_number.h"

namespace scalelaw::detail {

bool ReadsParams(const LawInfo& record) {
  const auto reads = [](const std::vector<Input>& inputs) {
    return std::find(inputs.begin(), inputs.end(), Input::kParams) != inputs.end();
  };
  return reads(record.inputs) || reads(record.optional_inputs);
}

std::string TypicalDifference(double params, ParamsDefinition from, ParamsDefinition to) {
  // The search's defaults (SwiGLU, RMSNorm, vocabulary 32000, untied, rotary), with the aspect ratio d_model /
  // n_layer near the 128 of Llama-2-7B and GPT-3 175B (see shape_search.h) rather than anywhere in Kaplan's flat
  // range: among shapes this close to one another's counts, a usual one.
  ShapeSearchOptions options;
  options.params = params;
  options.definition = from;
  options.min_aspect_ratio = 112;
  options.max_aspect_ratio = 144;
  options.top = 1;
  ShapeSearchSummary found;
  try {
    if (!SearchShapes(options, &found)) return "";
  } catch (const InvalidArgument&) {
    return "";
  }
  const ShapeCount& typical = found.shapes.front().count;
  const double given = static_cast<double>(ParamsOf(typical.params, from));
  const double other = static_cast<double>(ParamsOf(typical.params, to));
  const double change = other / given - 1;
  return fmt::format(
      "a typical model of that size ({} layers, d_model {}, vocabulary {}, untied) has {:.1f}% {} {} parameters "
      "({} {}, {} {})",
      typical.shape.layers, typical.shape.d_model, typical.shape.vocab, 100 * std::abs(change),
      change < 0 ? "fewer" : "more", Name(to), ShortNumber(given), Name(from), ShortNumber(other), Name(to));
}

}  // namespace scalelaw::detail
