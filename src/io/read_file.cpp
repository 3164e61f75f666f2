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

std::string ReadWholeFile(const std::string& path, std::size_t padding) {
  if (path == "-") {
    std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    text.reserve(text.size() + padding);
    return text;
  }
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) throw InputError(path, 0, "", "is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, 0, "", std::string("cannot open: ") + std::strerror(errno));
  // A regular file in one read of its size (a stringstream copies a large log several times over).
  std::error_code size_error;
  const std::uintmax_t size = std::filesystem::is_regular_file(path, ignored)
                                  ? std::filesystem::file_size(path, size_error)
                                  : static_cast<std::uintmax_t>(-1);
  if (!size_error && size != static_cast<std::uintmax_t>(-1)) {
    std::string text;
    text.reserve(static_cast<std::size_t>(size) + padding);
    text.resize(static_cast<std::size_t>(size));
    in.read(text.data(), static_cast<std::streamsize>(size));
    if (in.bad() || static_cast<std::uintmax_t>(in.gcount()) != size) {
      throw InputError(path, 0, "", "cannot read the file");
    }
    if (in.peek() == std::ifstream::traits_type::eof()) return text;
    in.clear();  // the file grew while it was read: read the rest as a stream
    in.seekg(static_cast<std::streamoff>(size));
    text.append(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    text.reserve(text.size() + padding);
    return text;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw InputError(path, 0, "", "cannot read the file");
  std::string text = buffer.str();
  text.reserve(text.size() + padding);
  return text;
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
