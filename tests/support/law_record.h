// Checks on a registry record (scalelaw/laws/law_info.h) shared by the law tests.
#pragma once

#include <cmath>

#include "scalelaw/laws/law_info.h"

namespace scalelaw::testing {

// True when the record publishes none of its constants (a form fitted per task): it lists them, each without a
// value, and evaluating it with its own constants fails, asking for one.
inline bool PublishesNoConstants(const LawInfo& record) {
  if (record.constants.empty()) return false;
  bool any_unpublished = false;
  for (const auto& [name, value] : record.constants) any_unpublished = any_unpublished || std::isnan(value);
  if (!any_unpublished) return false;
  try {
    record.Bind();
  } catch (const InvalidArgument&) {
    return true;
  }
  return false;
}

}  // namespace scalelaw::testing
