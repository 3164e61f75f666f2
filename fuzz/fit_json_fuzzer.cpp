// libFuzzer target for the fit-file reader: FitFromJson, then what the CLI does with a fit it has read
// (predictions, the Chinchilla law and its bootstrap draws) and a write-read round trip. Expected failures are
// scalelaw::Error subclasses; any other exception, a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "scalelaw/error.h"
#include "scalelaw/fit/fit.h"
#include "scalelaw/io/fit_json.h"

namespace {

using scalelaw::fuzz::Check;

template <typename F>
void Expecting(F&& f) {
  try {
    f();
  } catch (const scalelaw::Error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  scalelaw::FitSummary fit;
  try {
    fit = scalelaw::FitFromJson(text, "fuzz.json");
  } catch (const scalelaw::Error&) {
    return 0;
  }
  Check(!fit.params.empty(), "FitFromJson accepted a fit without parameters");
  Expecting([&] { scalelaw::Predict(fit, 1e9, 2e10); });
  Expecting([&] {
    scalelaw::Predict(fit, std::map<std::string, double>{{"N", 1e9}, {"D", 2e10}, {"U", 1e10}, {"C", 1.2e20}});
  });
  if (fit.model == "chinchilla") {
    Expecting([&] { scalelaw::AsChinchillaLaw(fit); });
    Expecting([&] { scalelaw::BootstrapChinchillaLaws(fit); });
  }
  // What was read can be written; written, it reads back (or is refused with an InputError, e.g. when a
  // parameter overflowed to infinity and was written as null), and then writes the same bytes: nothing is lost
  // on a second trip.
  const std::string written = scalelaw::FitToJson(fit);
  Expecting([&] {
    const scalelaw::FitSummary again = scalelaw::FitFromJson(written, "fuzz-roundtrip.json");
    Check(again.model == fit.model && again.params.size() == fit.params.size(),
          "FitToJson/FitFromJson round trip changed the model or its parameters");
    Check(scalelaw::FitToJson(again) == written, "a fit read back from its JSON wrote different JSON");
  });
  return 0;
}
