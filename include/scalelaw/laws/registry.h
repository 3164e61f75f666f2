// Every published law scalelaw ships, in one list that `scalelaw laws`, the predict-* commands, Python's
// scalelaw.laws() and the docs all read. Adding a law: its header, its tests, and one line below.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/error.h"
#include "scalelaw/laws/chinchilla.h"
#include "scalelaw/laws/law_info.h"

namespace scalelaw {

inline const std::vector<LawInfo>& LawRegistry() {
  static const std::vector<LawInfo> registry = [] {
    std::vector<LawInfo> all;
    auto add = [&all](const std::vector<LawInfo>& infos) { all.insert(all.end(), infos.begin(), infos.end()); };
    add(ChinchillaLawInfos());
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
