// scalelaw: scaling laws for language-model training. This header only forwards to the public headers.
#pragma once

#include "scalelaw/analysis/hparam_sweep.h"
#include "scalelaw/analysis/isoflop.h"
#include "scalelaw/analysis/summary.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/dataset.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/fit/model.h"
#include "scalelaw/io/csv.h"
#include "scalelaw/io/fit_json.h"
#include "scalelaw/io/prediction_json.h"
#include "scalelaw/laws/chinchilla.h"
#include "scalelaw/laws/law_info.h"
#include "scalelaw/laws/registry.h"
#include "scalelaw/plan.h"
#include "scalelaw/predict.h"
#include "scalelaw/version.h"
