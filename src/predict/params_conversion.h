// N in a law's own definition: which of the parameter counts a caller gave (params, non_embedding_params,
// non_vocabulary_params; a model's shape gives all three) a law reads as N, and what the caller is told. See
// scalelaw/model/params_definition.h for the definitions and LawInfo::params_kind for a law's.
#pragma once

#include <optional>
#include <string>

#include "scalelaw/laws/law_info.h"

namespace scalelaw::detail {

struct ParamsChoice {
  Input source = Input::kParams;  // the input whose value the law reads as N
  std::string note;               // what was chosen, when a face would otherwise not see it
  std::string warning;            // the law counts N otherwise than the count used
};

// given(definition): whether that count was given; value(input): its value (the first point's, in bulk). nullopt
// when the law reads N from params as given: it reads no N, no count was given, or params is its definition (or
// it states none and params was given).
template <typename Given, typename Value>
std::optional<ParamsChoice> ChooseParams(const LawInfo& record, const Given& given, const Value& value);

// The sentence that says how far a count of definition `from` is from the definition `to` for a typical model
// of `params` parameters of `from` (the nearest shape of a default search, vocabulary 32000, untied): "a typical
// model of that size (...) has 3.8% fewer non-vocabulary parameters (...)". Empty when no shape is found.
std::string TypicalDifference(double params, ParamsDefinition from, ParamsDefinition to);

// Implementation.

bool ReadsParams(const LawInfo& record);

template <typename Given, typename Value>
std::optional<ParamsChoice> ChooseParams(const LawInfo& record, const Given& given, const Value& value) {
  if (!ReadsParams(record)) return std::nullopt;
  std::optional<ParamsDefinition> first_given;
  int counts_given = 0;
  for (ParamsDefinition definition : kParamsDefinitions) {
    if (!given(definition)) continue;
    ++counts_given;
    if (!first_given) first_given = definition;
  }
  if (!first_given) return std::nullopt;
  const std::string law = "law '" + record.name + "'";
  ParamsChoice choice;
  if (!record.params_kind) {
    if (given(ParamsDefinition::kTotal)) return std::nullopt;
    choice.source = ParamsInput(*first_given);
    choice.warning = law + " does not state which parameter count N is; the " + std::string(Name(*first_given)) +
                     " count given is used";
    return choice;
  }
  const ParamsDefinition wanted = *record.params_kind;
  if (given(wanted)) {
    choice.source = ParamsInput(wanted);
    if (choice.source == Input::kParams && counts_given == 1) return std::nullopt;
    choice.note = "N is the " + std::string(Name(wanted)) + " parameter count given, as " + law + " counts N";
    return choice;
  }
  choice.source = ParamsInput(*first_given);
  const double n = value(choice.source);
  const std::string gap = TypicalDifference(n, *first_given, wanted);
  choice.warning = law + " counts N as the " + std::string(Name(wanted)) + " parameters; the " +
                   std::string(Name(*first_given)) + " count given (" + FormatNumber(n) + ") is used as it is" +
                   (gap.empty() ? "" : ": " + gap) + "; give the " + std::string(Name(wanted)) +
                   " count or the model's shape";
  return choice;
}

}  // namespace scalelaw::detail
