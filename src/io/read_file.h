#pragma once

#include <cstddef>
#include <string>

namespace scalelaw::detail {

// The whole content of path ("-" reads standard input), with capacity for at least `padding` bytes more
// (simdjson reads a few bytes past the text). Throws InputError naming the path when it is missing, unreadable
// or a directory.
std::string ReadWholeFile(const std::string& path, std::size_t padding = 0);

// Writes contents to path, replacing the file. Throws Error "cannot write <what> to 'path': <reason>" when it
// cannot create, write or close it.
void WriteWholeFile(const std::string& path, const std::string& contents, const std::string& what);

// What error messages call path ("<stdin>" for "-").
inline std::string DisplayName(const std::string& path) { return path == "-" ? "<stdin>" : path; }

}  // namespace scalelaw::detail
