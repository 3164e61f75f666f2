// The rows of one log as read, before they become runs (src/io/curves.cpp): every reader of a format fills
// these, and one function splits them into curves and checks them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace scalelaw::detail {

struct LogRows {
  std::string source;          // the file, as messages name it
  const char* unit = nullptr;  // what the positions count when not lines: "record" (TensorBoard), "row"
  // The names the fields have in this log (for messages); empty: the log has no such field.
  std::string step_name, metric_name, lr_name, tokens_name, params_name, batch_name, run_name;
  std::vector<std::string> run;                                 // each row's run (empty when the log is one run)
  std::vector<double> step, metric, lr, tokens, params, batch;  // NaN: empty; a field the log lacks is empty
  std::vector<long> positions;                                  // the line (or record) of each row
  std::string default_run;  // the run's name when the log is one run; empty: the file's name without extension
  // A log read from several files (a TensorBoard directory): the files, and the one each row comes from.
  std::vector<std::string> files;
  std::vector<std::size_t> file_of;
};

// The masked CRC-32C of TFRecord framing (tensorflow/core/lib/hash/crc32c.h): ((crc >> 15) | (crc << 17)) +
// 0xa282ead8 of the CRC-32C (Castagnoli) of the bytes.
std::uint32_t MaskedCrc32c(const unsigned char* data, std::size_t size);
std::uint32_t Crc32c(const unsigned char* data, std::size_t size);

// A TensorBoard event file's scalars named by metric, lr and tokens (lr "": the usual names, "-": none) as rows,
// one per step where the metric is logged. A directory's events.out.tfevents.* files (not its subdirectories)
// are one run named by the directory, read in the order of the wall time in their names (then by name); a
// later file's value of a tag replaces the earlier files' at steps >= the first step it logs that tag at (a
// restarted run logging its steps again; TensorBoard's rule). Throws InputError naming the file and record of a
// truncated record, a checksum that does not match, an event that does not parse, a step that goes back within
// a file; InvalidArgument when the build has no protobuf.
LogRows ReadTensorBoardRows(const std::string& path, const std::string& metric, const std::string& lr,
                            const std::string& tokens);

// The name among candidates that log names call the learning rate ("lr", "learning_rate", or one whose last
// '/'-separated part is one of those); empty when none is.
std::string FindLrName(const std::vector<std::string>& candidates);
// "missing ...", with the names close to name (by edit distance or by the part after the last '/').
std::string MissingField(const std::string& what, const std::string& name, const std::vector<std::string>& names);

}  // namespace scalelaw::detail
