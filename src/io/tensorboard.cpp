// TensorBoard event files: TFRecord framing around serialized tensorflow.Event messages, parsed by Debian's
// protobuf with the public message definitions (src/io/proto, Apache-2.0, TensorFlow's field numbers).
//
// A TFRecord file is a sequence of records (tensorflow/core/lib/io/record_writer.cc):
//   uint64 length (little-endian), uint32 masked CRC32C of those 8 bytes, length bytes of data,
//   uint32 masked CRC32C of the data,
// where masked(crc) = ((crc >> 15) | (crc << 17)) + 0xa282ead8 (tensorflow/core/lib/hash/crc32c.h, Mask). Both
// checksums are verified: a mismatch or a record cut short is an error naming the file and the record, never a
// curve that silently ends early.
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "io/curve_rows.h"
#include "io/read_file.h"
#include "scalelaw/error.h"
#include "scalelaw/io/curves.h"

#ifdef SCALELAW_HAVE_TENSORBOARD
#include "tensorflow/core/util/event.pb.h"
#endif

namespace scalelaw {
namespace detail {

// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78; RFC 3720, Sec. 12.1), table-driven. Debian 12 packages
// no C++ CRC-32C library (Abseil's crc arrived after its 20220623 release, protobuf 3.21 exposes none).
std::uint32_t Crc32c(const unsigned char* data, std::size_t size) {
  static const std::array<std::uint32_t, 256> table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t i = 0; i < 256; ++i) {
      std::uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  std::uint32_t crc = 0xFFFFFFFFu;
  for (std::size_t i = 0; i < size; ++i) crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

std::uint32_t MaskedCrc32c(const unsigned char* data, std::size_t size) {
  const std::uint32_t crc = Crc32c(data, size);
  return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

namespace {

std::uint64_t LittleEndian(const unsigned char* bytes, int count) {
  std::uint64_t value = 0;
  for (int i = count - 1; i >= 0; --i) value = (value << 8) | bytes[i];
  return value;
}

}  // namespace

#ifdef SCALELAW_HAVE_TENSORBOARD
namespace {

// A scalar summary's value: simple_value (TF1, PyTorch's SummaryWriter) or a one-element tensor (TF2's
// tf.summary.scalar, new-style PyTorch), from its typed field or its little-endian tensor_content. NaN when the
// value is not a scalar.
double ScalarOf(const tensorflow::Summary::Value& value) {
  if (value.value_case() == tensorflow::Summary::Value::kSimpleValue) return value.simple_value();
  if (value.value_case() != tensorflow::Summary::Value::kTensor) return std::numeric_limits<double>::quiet_NaN();
  const tensorflow::TensorProto& tensor = value.tensor();
  if (tensor.float_val_size() == 1) return tensor.float_val(0);
  if (tensor.double_val_size() == 1) return tensor.double_val(0);
  if (tensor.int_val_size() == 1) return tensor.int_val(0);
  if (tensor.int64_val_size() == 1) return static_cast<double>(tensor.int64_val(0));
  const std::string& content = tensor.tensor_content();
  const auto* bytes = reinterpret_cast<const unsigned char*>(content.data());
  if (tensor.dtype() == tensorflow::DT_FLOAT && content.size() == 4) {
    const auto bits = static_cast<std::uint32_t>(LittleEndian(bytes, 4));
    float x;
    std::memcpy(&x, &bits, 4);
    return x;
  }
  if (tensor.dtype() == tensorflow::DT_DOUBLE && content.size() == 8) {
    const std::uint64_t bits = LittleEndian(bytes, 8);
    double x;
    std::memcpy(&x, &bits, 8);
    return x;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace
#endif

#ifdef SCALELAW_HAVE_TENSORBOARD
namespace {

// A scalar: its value, the record that held it and the file (index) it is in.
struct Scalar {
  double value;
  long record;
  std::size_t file;
};
using Series = std::map<std::string, std::map<std::int64_t, Scalar> >;  // tag -> step -> scalar

// The scalars of one event file by tag. A step of the metric that does not increase within the file is an error.
Series ReadEventFile(const std::string& path, std::size_t file_index, const std::string& metric) {
  const std::string source = DisplayName(path);
  const std::string bytes = ReadWholeFile(path);
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  Series series;
  std::size_t at = 0;
  long record = 0;
  tensorflow::Event event;
  while (at < bytes.size()) {
    ++record;
    const std::size_t left = bytes.size() - at;
    if (left < 12) {
      throw InputError(source, 0, "",
                       fmt::format("record {}: truncated (the file ends inside its length header)", record));
    }
    if (static_cast<std::uint32_t>(LittleEndian(data + at + 8, 4)) != MaskedCrc32c(data + at, 8)) {
      throw InputError(source, 0, "",
                       fmt::format("record {}: the checksum of its length does not match (a corrupt "
                                   "or not a TensorBoard event file)",
                                   record));
    }
    const std::uint64_t length = LittleEndian(data + at, 8);
    if (length > left - 12 || left - 12 - length < 4) {
      throw InputError(source, 0, "",
                       fmt::format("record {}: truncated (it has {} bytes, the file ends {} bytes "
                                   "into them)",
                                   record, length, left - 12));
    }
    const unsigned char* payload = data + at + 12;
    const auto size = static_cast<std::size_t>(length);
    if (static_cast<std::uint32_t>(LittleEndian(payload + size, 4)) != MaskedCrc32c(payload, size)) {
      throw InputError(source, 0, "",
                       fmt::format("record {}: the checksum of its data does not match (the file is "
                                   "corrupt)",
                                   record));
    }
    at += 12 + size + 4;
    if (size > static_cast<std::size_t>(std::numeric_limits<int>::max()) ||
        !event.ParseFromArray(payload, static_cast<int>(size))) {
      throw InputError(source, 0, "", fmt::format("record {}: not a tensorflow.Event message", record));
    }
    if (!event.has_summary()) continue;
    for (const tensorflow::Summary::Value& value : event.summary().value()) {
      const double x = ScalarOf(value);
      if (value.value_case() == tensorflow::Summary::Value::kSimpleValue ||
          value.value_case() == tensorflow::Summary::Value::kTensor) {
        if (std::isnan(x) && value.value_case() == tensorflow::Summary::Value::kTensor) continue;  // not a scalar
        auto& values = series[value.tag()];
        if (value.tag() == metric && !values.empty() && event.step() <= values.rbegin()->first) {
          throw InputError(source, 0, "step",
                           fmt::format("record {}: step {} of '{}' does not increase on the previous step {} (a "
                                       "resumed run writes a new event file: give the run's directory)",
                                       record, event.step(), metric, values.rbegin()->first));
        }
        values[event.step()] = {x, record, file_index};
      }
    }
  }
  return series;
}

// The wall time in an event file's name, events.out.tfevents.<seconds>.<host>...: TensorFlow's EventsWriter
// (tensorflow/core/util/events_writer.cc) and PyTorch's SummaryWriter name files so. -1 when not a number.
double WallTimeOfName(const std::string& name) {
  const std::string marker = "tfevents.";
  const std::size_t at = name.find(marker);
  if (at == std::string::npos) return -1;
  std::size_t end = at + marker.size();
  while (end < name.size() && std::isdigit(static_cast<unsigned char>(name[end])) != 0) ++end;
  if (end == at + marker.size()) return -1;
  return std::strtod(name.substr(at + marker.size(), end - at - marker.size()).c_str(), nullptr);
}

// The event files of a directory in the order they were written.
std::vector<std::string> EventFilesOf(const std::string& directory) {
  std::vector<std::pair<double, std::string> > found;
  bool nested = false, trainer_state = false;
  std::error_code error;
  for (std::filesystem::directory_iterator entry(directory, error), end; !error && entry != end;
       entry.increment(error)) {
    const std::string name = entry->path().filename().string();
    std::error_code ignored;
    if (entry->is_directory(ignored)) {
      nested = true;
      trainer_state = trainer_state || (name.rfind("checkpoint-", 0) == 0 &&
                                        std::filesystem::exists(entry->path() / "trainer_state.json", ignored));
    } else if (name.find("tfevents") != std::string::npos) {
      found.emplace_back(WallTimeOfName(name), entry->path().string());
    } else if (name == "trainer_state.json") {
      trainer_state = true;
    }
  }
  if (error) throw InputError(DisplayName(directory), 0, "", "cannot list the directory: " + error.message());
  if (found.empty()) {
    std::string hint;
    if (trainer_state) {
      hint =
          " (a Hugging Face Trainer's output directory: give its trainer_state.json, or the latest "
          "checkpoint-*/trainer_state.json, whose log_history holds the whole run)";
    } else if (nested) {
      hint = " (its subdirectories are runs of their own: give them as logs)";
    }
    throw InputError(DisplayName(directory), 0, "", "no events.out.tfevents.* file in the directory" + hint);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> files;
  for (auto& [unused, path] : found) files.push_back(std::move(path));
  return files;
}

}  // namespace
#endif

LogRows ReadTensorBoardRows(const std::string& path, const std::string& metric, const std::string& lr,
                            const std::string& tokens) {
#ifndef SCALELAW_HAVE_TENSORBOARD
  (void)metric;
  (void)lr;
  (void)tokens;
  throw InvalidArgument("this scalelaw was built without protobuf, so it cannot read TensorBoard event files (" + path +
                        "): install libprotobuf-dev and protobuf-compiler and rebuild");
#else
  const bool directory = std::filesystem::is_directory(path);
  std::string source = DisplayName(path);
  while (directory && source.size() > 1 && (source.back() == '/' || source.back() == '\\')) source.pop_back();
  const std::vector<std::string> files = directory ? EventFilesOf(path) : std::vector<std::string>{path};
  // The files' scalars merged: a later file's values of a tag replace the earlier files' from the first step it
  // logs the tag at. A restarted run (from a checkpoint at step s) logs steps >= s again in a new file, and the
  // values logged before the restart past s are orphans. This is TensorBoard's own rule: its data server keeps,
  // per run and tag, a reservoir where "whenever a new record arrives with step s, it preempts any records with
  // steps not smaller than s" (tensorflow/tensorboard, tensorboard/data/server/reservoir.rs, StageReservoir).
  Series series;
  for (std::size_t k = 0; k < files.size(); ++k) {
    Series file_series = ReadEventFile(files[k], k, metric);
    for (auto& [tag, values] : file_series) {
      if (values.empty()) continue;
      auto& merged = series[tag];
      merged.erase(merged.lower_bound(values.begin()->first), merged.end());
      merged.insert(values.begin(), values.end());
    }
  }
  std::vector<std::string> tags;
  for (const auto& [tag, unused] : series) tags.push_back(tag);
  LogRows rows;
  rows.source = source;
  rows.unit = "record";
  rows.step_name = "step";
  rows.metric_name = metric;
  rows.lr_name = lr == "-" ? "" : (lr.empty() ? FindLrName(tags) : lr);
  rows.tokens_name = tokens == "-" ? "" : (tokens.empty() ? (series.count("tokens") != 0 ? "tokens" : "") : tokens);
  if (directory) {
    rows.default_run = std::filesystem::path(source).filename().string();
    for (const std::string& file : files) rows.files.push_back(DisplayName(file));
  }
  const auto found = series.find(metric);
  if (found == series.end()) throw InputError(source, 0, metric, MissingField("scalar tag", metric, tags));
  for (const std::string* name : {&rows.lr_name, &rows.tokens_name}) {
    if (!name->empty() && series.count(*name) == 0) {
      throw InputError(source, 0, *name, MissingField("scalar tag", *name, tags));
    }
  }
  const auto value_at = [&](const std::string& tag, std::int64_t step) {
    const auto& values = series[tag];
    const auto hit = values.find(step);
    return hit == values.end() ? std::numeric_limits<double>::quiet_NaN() : hit->second.value;
  };
  for (const auto& [step, value] : found->second) {
    if (!std::isfinite(value.value)) {
      throw InputError(directory ? rows.files[value.file] : source, 0, metric,
                       fmt::format("record {}: the value at step {} is not finite", value.record, step));
    }
    rows.step.push_back(static_cast<double>(step));
    rows.metric.push_back(value.value);
    rows.positions.push_back(value.record);
    if (directory) rows.file_of.push_back(value.file);
    if (!rows.lr_name.empty()) rows.lr.push_back(value_at(rows.lr_name, step));
    if (!rows.tokens_name.empty()) rows.tokens.push_back(value_at(rows.tokens_name, step));
  }
  return rows;
#endif
}

}  // namespace detail

bool TensorBoardSupported() {
#ifdef SCALELAW_HAVE_TENSORBOARD
  return true;
#else
  return false;
#endif
}

}  // namespace scalelaw
