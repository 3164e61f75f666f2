#pragma once

#include "fit/model_form.h"

namespace scalelaw::detail {

// L = E + A/N^alpha + B/D^beta in log-sum-exp form (Hoffmann et al. 2022, App. D.2, Eq. 11).
const ModelForm& ChinchillaForm();

}  // namespace scalelaw::detail
