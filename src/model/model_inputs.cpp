#include "scalelaw/model/model_inputs.h"

#include "scalelaw/model/count.h"
#include "scalelaw/model/shape_search.h"

namespace scalelaw {

PredictionInputs WithModel(const TransformerShape& shape, PredictionInputs in) {
  for (Input given : {Input::kParams, Input::kNonEmbeddingParams, Input::kNonVocabularyParams, Input::kLayers,
                      Input::kDModel, Input::kFfnWidth}) {
    if (in.Has(given)) throw InputProblem("{0} and a model's shape: give one of the two", {given});
  }
  shape.Validate();
  // Every published law was fitted on dense transformers, whose N is the weights every token multiplies by; a
  // mixture of experts has two candidates (total and active parameters) and neither is an N of theirs.
  if (shape.IsMixtureOfExperts()) throw ShapeError("experts", kMixtureOfExpertsHasNoN);
  const ParameterCounts counts = CountParameters(shape);
  for (ParamsDefinition definition : kParamsDefinitions) {
    in.Set(ParamsInput(definition), static_cast<double>(ParamsOf(counts, definition)));
  }
  in.Set(Input::kLayers, shape.layers);
  in.Set(Input::kDModel, shape.d_model);
  in.Set(Input::kFfnWidth, static_cast<double>(shape.FfnWidth()));
  if (!in.Has(Input::kSeqLen) && shape.seq_len > 0) in.Set(Input::kSeqLen, shape.seq_len);
  return in;
}

}  // namespace scalelaw
