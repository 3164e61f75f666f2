#pragma once

namespace scalelaw {
inline constexpr const char* kVersion = "0.1.0";
}  // namespace scalelaw
