// The model forms of the registry (src/fit/model.cpp lists them in this order).
#pragma once

#include "fit/model_form.h"

namespace scalelaw::detail {

const ModelForm& ChinchillaForm();       // chinchilla_model.cpp
const ModelForm& KaplanForm();           // kaplan_model.cpp
const ModelForm& DataConstrainedForm();  // data_constrained_model.cpp

}  // namespace scalelaw::detail
