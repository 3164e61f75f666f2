// A model's shape as the inputs of the published laws. The laws disagree on N (scalelaw/model/params_definition.h),
// so a shape sets all three parameter counts and each law reads the one it defines N by (Predict notes which);
// the laws that read the shape itself (the Performance Law: n_layer, d_model, d_ff; DeepSeek's M: n_layer,
// d_model, l_seq) get those fields too.
#pragma once

#include "scalelaw/laws/inputs.h"
#include "scalelaw/model/shape.h"

namespace scalelaw {

// Why a mixture of experts (TransformerShape::experts > 0) is refused as a law's input or a search's shape.
inline constexpr const char* kMixtureOfExpertsHasNoN =
    "the published laws were fitted on dense models; a mixture of experts has no N of theirs";

// in with the shape's counts (CountParameters, scalelaw/model/count.h) and fields set; l_seq only when in has
// none. Throws ShapeError naming the field of a shape that cannot be built or of a mixture of experts
// ("experts": kMixtureOfExpertsHasNoN), and InputProblem when in already has a parameter count or a field of the
// shape (two answers to one question).
PredictionInputs WithModel(const TransformerShape& shape, PredictionInputs in = {});

}  // namespace scalelaw
