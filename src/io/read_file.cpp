#include "io/read_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "scalelaw/error.h"

namespace scalelaw::detail {

std::string ReadWholeFile(const std::string& path) {
  if (path == "-") return {std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) throw InputError(path, 0, "", "is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "", std::string("cannot open: ") + std::strerror(errno));
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError(path, 0, "", "cannot read the file");
  return buffer.str();
}

void WriteWholeFile(const std::string& path, const std::string& contents, const std::string& what) {
  errno = 0;
  std::ofstream out(path, std::ios::binary);
  if (out) out << contents;
  if (out) out.close();
  if (!out) {
    const std::string reason = errno != 0 ? std::strerror(errno) : "write failed";
    throw Error("cannot write " + what + " to '" + path + "': " + reason);
  }
}

}  // namespace scalelaw::detail
