// TensorBoard event files. The files are built here byte by byte from the documented formats, not with the
// protobuf classes the reader uses (that would test the classes against themselves): the protobuf wire format
// (tags, varints, length-delimited fields, little-endian fixed32/fixed64) with TensorFlow's published field
// numbers, inside TFRecord framing with CRC-32C checksums computed by a bitwise loop written here. No
// independent writer (tensorboard, tensorflow) is packaged in Debian 12.
#include <catch2/catch.hpp>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "io/curve_rows.h"
#include "scalelaw/error.h"
#include "scalelaw/io/curves.h"
#include "support/scratch_file.h"

using Catch::Contains;

namespace {

using Bytes = std::string;

// CRC-32C bit by bit (RFC 3720, Sec. 12.1: reflected polynomial 0x82F63B78, initial and final XOR ~0).
std::uint32_t BitwiseCrc32c(const Bytes& bytes) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : bytes) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
  }
  return ~crc;
}

std::uint32_t Masked(std::uint32_t crc) { return ((crc >> 15) | (crc << 17)) + 0xa282ead8u; }

Bytes Fixed(std::uint64_t value, int size) {
  Bytes out;
  for (int i = 0; i < size; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  return out;
}

Bytes Varint(std::uint64_t value) {
  Bytes out;
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
  return out;
}

// Protobuf wire types: 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32.
Bytes Tag(int field, int wire_type) { return Varint(static_cast<std::uint64_t>(field << 3 | wire_type)); }
Bytes Delimited(int field, const Bytes& payload) { return Tag(field, 2) + Varint(payload.size()) + payload; }
Bytes Float32(float x) {
  std::uint32_t bits;
  std::memcpy(&bits, &x, 4);
  return Fixed(bits, 4);
}
Bytes Float64(double x) {
  std::uint64_t bits;
  std::memcpy(&bits, &x, 8);
  return Fixed(bits, 8);
}

// Summary.Value{tag = 1, simple_value = 2 (float)}: a TF1 or PyTorch SummaryWriter scalar.
Bytes SimpleValue(const std::string& tag, float x) { return Delimited(1, tag) + Tag(2, 5) + Float32(x); }

// Summary.Value{tag = 1, metadata = 9 {plugin_data = 1 {plugin_name = 1: "scalars"}}, tensor = 8 {dtype = 1:
// DT_FLOAT (1), tensor_shape = 2: {}, float_val = 5 (packed) or tensor_content = 4}}: a TF2 tf.summary.scalar.
Bytes TensorValue(const std::string& tag, float x, bool as_content) {
  const Bytes metadata = Delimited(1, Delimited(1, "scalars"));
  const Bytes tensor =
      Tag(1, 0) + Varint(1) + Delimited(2, "") + (as_content ? Delimited(4, Float32(x)) : Delimited(5, Float32(x)));
  return Delimited(1, tag) + Delimited(9, metadata) + Delimited(8, tensor);
}

// Event{wall_time = 1 (double), step = 2 (int64), summary = 5 {value = 1 (repeated)}}.
Bytes SummaryEvent(std::int64_t step, const std::vector<Bytes>& values) {
  Bytes summary;
  for (const Bytes& value : values) summary += Delimited(1, value);
  return Tag(1, 1) + Float64(1.7e9 + static_cast<double>(step)) + Tag(2, 0) + Varint(static_cast<std::uint64_t>(step)) +
         Delimited(5, summary);
}

// Event{wall_time, file_version = 3: "brain.Event:2"}: the first record of every event file.
Bytes VersionEvent() { return Tag(1, 1) + Float64(1.7e9) + Delimited(3, "brain.Event:2"); }

// TFRecord: length (uint64 LE), masked CRC of the length, data, masked CRC of the data.
Bytes Record(const Bytes& data) {
  const Bytes length = Fixed(data.size(), 8);
  return length + Fixed(Masked(BitwiseCrc32c(length)), 4) + data + Fixed(Masked(BitwiseCrc32c(data)), 4);
}

class EventFile : public scalelaw::testing::ScratchFile {
 public:
  explicit EventFile(const Bytes& contents) : ScratchFile("events.out.tfevents.1700000000.scalelaw-test", contents) {}
};

Bytes ThreeSteps() {
  return Record(VersionEvent()) +
         Record(SummaryEvent(100, {SimpleValue("train/loss", 4.5f), TensorValue("train/lr", 0.5f, false)})) +
         Record(SummaryEvent(200, {SimpleValue("train/loss", 3.25f), TensorValue("train/lr", 0.25f, false)})) +
         Record(SummaryEvent(300, {TensorValue("train/loss", 3.0f, true), TensorValue("train/lr", 0.125f, true)}));
}

std::string ErrorOf(const Bytes& contents, const std::string& metric = "train/loss") {
  const EventFile file(contents);
  scalelaw::CurveReadOptions options;
  options.metric = metric;
  try {
    scalelaw::ReadCurves(file.path(), options);
  } catch (const scalelaw::InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("CRC-32C matches the check values of RFC 3720", "[tensorboard]") {
  const Bytes zeros(32, '\0'), ones(32, '\xFF'), digits = "123456789";
  for (const auto& [bytes, expected] :
       {std::pair{zeros, 0x8A9136AAu}, std::pair{ones, 0x62A8AB43u}, std::pair{digits, 0xE3069283u}}) {
    CHECK(BitwiseCrc32c(bytes) == expected);
    CHECK(scalelaw::detail::Crc32c(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) == expected);
  }
}

TEST_CASE("Scalars of an event file: TF1 simple values and TF2 tensors, by step", "[tensorboard]") {
  if (!scalelaw::TensorBoardSupported()) {
    const EventFile file(ThreeSteps());
    CHECK_THROWS_WITH(scalelaw::ReadCurves(file.path()), Contains("without protobuf"));
    return;
  }
  const EventFile file(ThreeSteps());
  scalelaw::CurveReadOptions options;
  options.metric = "train/loss";
  options.facts.batch_tokens = 1000;
  const scalelaw::CurveTable table = scalelaw::ReadCurves(file.path(), options);
  REQUIRE(table.curves.size() == 1);
  const scalelaw::Curve& curve = table.curves[0];
  CHECK(curve.run == "events.out.tfevents.1700000000.scalelaw-test");
  CHECK(curve.step == std::vector<double>{100, 200, 300});
  CHECK(curve.metric == std::vector<double>{4.5, 3.25, 3.0});
  CHECK(curve.lr == std::vector<double>{0.5, 0.25, 0.125});  // found by its name's last part, "lr"
  CHECK(curve.tokens == std::vector<double>{100000, 200000, 300000});
  CHECK(curve.lines == std::vector<long>{2, 3, 4});  // the records (1 is the file version)
}

TEST_CASE("Event files cut short, corrupt, without the tag or going back in steps are refused", "[tensorboard]") {
  if (!scalelaw::TensorBoardSupported()) return;
  const Bytes good = ThreeSteps();
  const std::string name = "events.out.tfevents.1700000000.scalelaw-test";
  // Cut inside the last record's data, then inside its length header.
  CHECK_THAT(ErrorOf(good.substr(0, good.size() - 7)), Contains(name) && Contains("record 4: truncated"));
  const std::size_t last =
      good.size() -
      Record(SummaryEvent(300, {TensorValue("train/loss", 3.0f, true), TensorValue("train/lr", 0.125f, true)})).size();
  CHECK_THAT(ErrorOf(good.substr(0, last + 5)), Contains("record 4: truncated (the file ends inside its length"));
  // A flipped byte in the data of record 2.
  Bytes corrupt = good;
  corrupt[Record(VersionEvent()).size() + 20] ^= 0x01;
  CHECK_THAT(ErrorOf(corrupt), Contains("record 2: the checksum of its data does not match"));
  // A flipped byte in a length.
  Bytes bad_length = good;
  bad_length[Record(VersionEvent()).size()] ^= 0x01;
  CHECK_THAT(ErrorOf(bad_length), Contains("record 2: the checksum of its length does not match"));
  // No such tag: the closest ones are offered.
  CHECK_THAT(ErrorOf(good, "loss"),
             Contains("column 'loss'") && Contains("no scalar tag 'loss'") && Contains("did you mean 'train/loss'?"));
  // A step logged again after a later one.
  const Bytes repeated =
      good + Record(SummaryEvent(250, {SimpleValue("train/loss", 2.0f), SimpleValue("train/lr", 0.1f)}));
  CHECK_THAT(ErrorOf(repeated), Contains("record 5: step 250 of 'train/loss' does not increase on the previous "
                                         "step 300"));
  // A step where the loss is logged and the LR is not: a gap.
  const Bytes gap = good + Record(SummaryEvent(400, {SimpleValue("train/loss", 2.0f)}));
  CHECK_THAT(ErrorOf(gap), Contains("record 5") && Contains("column 'train/lr'") && Contains("gap"));
}

namespace {

Bytes Steps(const std::vector<std::int64_t>& steps, const std::vector<float>& loss, const std::vector<float>& lr) {
  Bytes bytes = Record(VersionEvent());
  for (std::size_t i = 0; i < steps.size(); ++i) {
    std::vector<Bytes> values = {SimpleValue("train/loss", loss[i])};
    if (i < lr.size()) values.push_back(SimpleValue("train/lr", lr[i]));
    bytes += Record(SummaryEvent(steps[i], values));
  }
  return bytes;
}

}  // namespace

TEST_CASE("A TensorBoard directory is one run: a restart's file replaces the steps it logs again", "[tensorboard]") {
  if (!scalelaw::TensorBoardSupported()) return;
  // The run logged 100..400, was restarted from its checkpoint at step 200 and logged 300..500 again in a new
  // file. The first file's wall time (999999999) is earlier although its name sorts after the second's.
  const scalelaw::testing::ScratchFile first(
      "gpt-tb/events.out.tfevents.999999999.host.1.0",
      Steps({100, 200, 300, 400}, {5.0f, 4.0f, 3.75f, 3.5f}, {1.0f, 0.5f, 0.25f, 0.125f}));
  first.Add("gpt-tb/events.out.tfevents.1700000000.host.2.0",
            Steps({300, 400, 500}, {3.625f, 3.375f, 3.25f}, {0.375f, 0.1875f, 0.0625f}));
  first.Add("gpt-tb/notes.txt", "not an event file");
  scalelaw::CurveReadOptions options;
  options.metric = "train/loss";
  const scalelaw::CurveTable table = scalelaw::ReadCurves(first.parent(), options);
  REQUIRE(table.curves.size() == 1);
  const scalelaw::Curve& curve = table.curves[0];
  CHECK(curve.run == "gpt-tb");
  CHECK(curve.source == first.parent());
  CHECK(curve.step == std::vector<double>{100, 200, 300, 400, 500});
  CHECK(curve.metric == std::vector<double>{5.0, 4.0, 3.625, 3.375, 3.25});
  CHECK(curve.lr == std::vector<double>{1.0, 0.5, 0.375, 0.1875, 0.0625});
  CHECK(curve.lines == std::vector<long>{2, 3, 2, 3, 4});  // records within their own files
  // A trailing slash names the same run.
  CHECK(scalelaw::ReadCurves(first.parent() + "/", options).curves.at(0).run == "gpt-tb");

  // Row filters have nothing to select in a TensorBoard log.
  options.where = {scalelaw::RowFilter::Parse("step>100")};
  CHECK_THROWS_WITH(scalelaw::ReadCurves(first.parent(), options),
                    Contains("TensorBoard log") && Contains("no row to filter"));
}

TEST_CASE("A TensorBoard directory: errors name the event file, and a directory without one is refused",
          "[tensorboard]") {
  if (!scalelaw::TensorBoardSupported()) return;
  scalelaw::CurveReadOptions options;
  options.metric = "train/loss";
  const auto error_of = [&](const std::string& path) {
    try {
      scalelaw::ReadCurves(path, options);
    } catch (const scalelaw::Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  // The second file logs step 500 without the LR: the gap names that file and its record.
  const scalelaw::testing::ScratchFile run("run/events.out.tfevents.1700000000.a",
                                           Steps({100, 200}, {5.0f, 4.0f}, {1.0f, 0.5f}));
  const std::string second = run.Add("run/events.out.tfevents.1700000100.b", Steps({200, 500}, {3.75f, 3.5f}, {0.25f}));
  CHECK_THAT(error_of(run.parent()), Contains(second + ", column 'train/lr': record 3") && Contains("gap"));
  // Within one file a step going back stays an error, whatever the directory holds.
  const scalelaw::testing::ScratchFile back("back/events.out.tfevents.1700000000.a",
                                            Steps({100, 200, 150}, {5.0f, 4.0f, 3.0f}, {1.0f, 0.5f, 0.25f}));
  CHECK_THAT(error_of(back.parent()), Contains("record 4: step 150 of 'train/loss' does not increase"));

  const scalelaw::testing::ScratchFile empty("empty/readme.txt", "no events");
  empty.Add("empty/train/events.out.tfevents.1700000000.a", Steps({100}, {5.0f}, {1.0f}));
  CHECK_THAT(error_of(empty.parent()), Contains("no events.out.tfevents.* file in the directory") &&
                                           Contains("subdirectories are runs of their own"));
}
