#pragma once

#include <string>

namespace scalelaw::detail {

// The whole content of path ("-" reads standard input). Throws InputError naming the path when it is missing,
// unreadable or a directory.
std::string ReadWholeFile(const std::string& path);

// Writes contents to path, replacing the file. Throws Error "cannot write <what> to 'path': <reason>" when it
// cannot create, write or close it.
void WriteWholeFile(const std::string& path, const std::string& contents, const std::string& what);

// What error messages call path ("<stdin>" for "-").
inline std::string DisplayName(const std::string& path) { return path == "-" ? "<stdin>" : path; }

}  // namespace scalelaw::detail
