// Every published law scalelaw ships, in one list that `scalelaw laws`, the predict-* commands (their options
// too), Python's scalelaw.laws() and predict functions, `plan` and the docs all read. Each record carries its
// evaluator, inputs, outputs and published test vector. Adding a law: its header, its tests, and one line below.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/bnsl.h"
#include "scalelaw/laws/chinchilla.h"
#include "scalelaw/laws/chinchilla_allocation.h"
#include "scalelaw/laws/critical_batch.h"
#include "scalelaw/laws/data_constrained.h"
#include "scalelaw/laws/deepseek.h"
#include "scalelaw/laws/densing.h"
#include "scalelaw/laws/horizon_transfer.h"
#include "scalelaw/laws/inference_aware.h"
#include "scalelaw/laws/kaplan.h"
#include "scalelaw/laws/law_info.h"
#include "scalelaw/laws/llama3.h"
#include "scalelaw/laws/minicpm.h"
#include "scalelaw/laws/overtraining.h"
#include "scalelaw/laws/performance_law.h"
#include "scalelaw/laws/power_lines.h"
#include "scalelaw/laws/rectified.h"
#include "scalelaw/laws/shuai.h"
#include "scalelaw/laws/step_law.h"
#include "scalelaw/laws/vocabulary.h"

namespace scalelaw {

// The registry's order is the order of preference: where several laws answer a quantity, `scalelaw plan` takes
// the first that can (Step Law before DeepSeek before Kaplan for the learning rate and batch size; the Chinchilla
// presets first for the allocation).
inline const std::vector<LawInfo>& LawRegistry() {
  static const std::vector<LawInfo> registry = [] {
    std::vector<LawInfo> all;
    auto add = [&all](const std::vector<LawInfo>& infos) { all.insert(all.end(), infos.begin(), infos.end()); };
    add(ChinchillaLawInfos());
    add(ChinchillaAllocationLawInfos());
    add(InferenceAwareLawInfos());
    add(StepLawInfos());
    add(DeepSeekLawInfos());
    add(KaplanLawInfos());
    add(DataConstrainedLawInfos());
    add(Llama3LawInfos());
    add(HorizonTransferLawInfos());
    add(PowerLinesLawInfos());
    add(ShuaiLawInfos());
    add(CriticalBatchLawInfos());
    add(MiniCpmLawInfos());
    add(VocabularyLawInfos());
    add(OvertrainingLawInfos());
    add(RectifiedLawInfos());
    add(BrokenPowerLawInfos());
    add(PerformanceLawInfos());
    add(DensingLawInfos());
    return all;
  }();
  return registry;
}

// The record named name ("step-lr"), or InvalidArgument naming the known ones.
inline const LawInfo& FindLaw(std::string_view name) {
  std::string known;
  for (const LawInfo& info : LawRegistry()) {
    if (info.name == name) return info;
    known += (known.empty() ? "" : ", ") + std::string(info.name);
  }
  throw InvalidArgument("unknown law '" + std::string(name) + "' (known: " + known + ")");
}

// The record of family (the CLI's --law value) for quantity, or InvalidArgument naming the families that have
// one.
inline const LawInfo& FindLaw(std::string_view family, Quantity quantity) {
  std::string known;
  for (const LawInfo& info : LawRegistry()) {
    if (info.quantity != quantity) continue;
    if (info.family == family) return info;
    known += (known.empty() ? "" : ", ") + std::string(info.family);
  }
  throw InvalidArgument("no " + std::string(QuantityName(quantity)) + " law '" + std::string(family) +
                        "' (known: " + known + ")");
}

}  // namespace scalelaw
