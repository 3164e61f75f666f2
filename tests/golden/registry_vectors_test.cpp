// Every record of the law registry evaluated at its own published test vector (LawInfo::example), through the
// same entry point the CLI and Python call (scalelaw::Predict on a Law): each printed output must be reproduced
// to its printed digits. The CLI and Python walk the same records (tests/cli/test_registry.py,
// tests/python/test_registry.py).
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>

#include "scalelaw/laws/registry.h"
#include "scalelaw/predict.h"
#include "support/printed_number.h"

using scalelaw::testing::RoundsTo;

TEST_CASE("Every registry record reproduces its published test vector", "[golden][registry]") {
  std::set<std::string> names;
  for (const scalelaw::LawInfo& record : scalelaw::LawRegistry()) {
    CAPTURE(record.name);
    CHECK(names.insert(record.name).second);  // names are unique keys
    REQUIRE(record.bind);
    REQUIRE_FALSE(record.outputs.empty());
    REQUIRE_FALSE(record.example.outputs.empty());
    CHECK_FALSE(record.example.source.empty());
    scalelaw::PredictionInputs in;
    for (const auto& [input, value] : record.example.inputs) in.Set(input, value);
    std::map<std::string, double> constants(record.example.constants.begin(), record.example.constants.end());
    const scalelaw::Law law = scalelaw::WithConstants(scalelaw::PublishedLaw(record.family, record.quantity), constants);
    const scalelaw::Prediction p = scalelaw::Predict(law, record.quantity, in);
    CHECK(p.law.name == record.name);
    for (const auto& [key, printed] : record.example.outputs) {
      CAPTURE(key, printed);
      CHECK(RoundsTo(p.Value(key), printed));
    }
  }
  CHECK(names.size() >= 31);
}

TEST_CASE("A record's example reads only inputs the record declares", "[golden][registry]") {
  for (const scalelaw::LawInfo& record : scalelaw::LawRegistry()) {
    CAPTURE(record.name);
    std::set<scalelaw::Input> declared(record.inputs.begin(), record.inputs.end());
    declared.insert(record.optional_inputs.begin(), record.optional_inputs.end());
    for (const auto& [input, value] : record.example.inputs) CHECK(declared.count(input) == 1);
    for (const auto& [key, printed] : record.example.outputs) {
      CHECK(std::find(record.outputs.begin(), record.outputs.end(), key) != record.outputs.end());
    }
  }
}
