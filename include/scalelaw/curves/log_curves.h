// The training curves the curve laws fit (scalelaw/curves/curve_law.h TrainingCurve: per-step LRs, logged steps,
// losses) from the curves read out of logs (scalelaw/io/curves.h CurveTable).
//
// Each run's per-step LR eta_0..eta_{T-1} comes from, in this order:
//   1. a schedule spec for every run (the CLI's --schedule), then
//   2. the run's own schedule fact (a --facts side table, or CurveReadOptions::facts.schedule),
//   3. the run's logged LR column, interpolated linearly between logged steps by LrFromLoggedColumn over steps
//      0..last logged step. Before the first logged step the LR is the first logged value: a warmup that was not
//      logged is not known, and the returned warnings say so (the laws count the warmup's LR area and changes).
// A run with none of these is an error, as is a schedule that ends before the run's last logged step.
#pragma once

#include <string>
#include <vector>

#include "scalelaw/curves/curve_law.h"
#include "scalelaw/io/curves.h"

namespace scalelaw {

struct LogCurvesOptions {
  std::string schedule;  // a schedule spec for every run (empty: each run's fact or LR column)
  long max_lr_gap = 0;   // > 0: refuse logged LRs further apart than this many steps (LrFromLoggedColumn)
};

// The curves of table. Throws InputError naming the run's file, line and field for a step that is not a whole
// number >= 0 or a schedule too short, InvalidArgument for a schedule spec that does not parse (naming the run)
// and for a run without any LR. Each curve's params is the run's N fact (NaN when not known). warnings (when given)
// receive one line per run whose warmup is not known.
std::vector<TrainingCurve> TrainingCurvesFromTable(const CurveTable& table, const LogCurvesOptions& options = {},
                                                   std::vector<std::string>* warnings = nullptr);

// The curves whose names are in names, in the order of names (InvalidArgument naming a name with no curve and
// the names there are).
std::vector<TrainingCurve> SelectCurves(const std::vector<TrainingCurve>& curves,
                                        const std::vector<std::string>& names);

}  // namespace scalelaw
