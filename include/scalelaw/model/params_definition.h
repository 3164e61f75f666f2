// Which parameter count N is. The published laws disagree: Hoffmann et al. 2022 (arXiv:2203.15556) count every
// weight; Kaplan et al. 2020 (arXiv:2001.08361, Section 2.1) exclude the token and position embeddings; Tao et al.
// 2024 (arXiv:2407.13623, Eq. 1) and the Step Law (Li et al. 2025, arXiv:2503.04715) exclude the vocabulary
// parameters, the input embedding and the output head. A law's record names the count it reads
// (LawInfo::params_kind), an input names the count a user gave (params, non_embedding_params,
// non_vocabulary_params), and a model's shape gives all three (CountParameters, scalelaw/model/count.h).
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "scalelaw/error.h"

namespace scalelaw {

enum class ParamsDefinition { kTotal, kNonEmbedding, kNonVocabulary };

inline constexpr std::array<ParamsDefinition, 3> kParamsDefinitions = {
    ParamsDefinition::kTotal, ParamsDefinition::kNonEmbedding, ParamsDefinition::kNonVocabulary};

// "total", "non-embedding", "non-vocabulary".
inline std::string_view Name(ParamsDefinition definition) {
  switch (definition) {
    case ParamsDefinition::kNonEmbedding:
      return "non-embedding";
    case ParamsDefinition::kNonVocabulary:
      return "non-vocabulary";
    case ParamsDefinition::kTotal:
      break;
  }
  return "total";
}

inline std::vector<std::string> ParamsDefinitionNames() {
  std::vector<std::string> names;
  for (ParamsDefinition definition : kParamsDefinitions) names.emplace_back(Name(definition));
  return names;
}

// The definition a name spells; InvalidArgument naming `field` and the choices when it is none of them.
inline ParamsDefinition ParseParamsDefinition(std::string_view name, std::string_view field = "definition") {
  std::string choices;
  for (ParamsDefinition definition : kParamsDefinitions) {
    if (Name(definition) == name) return definition;
    choices += (choices.empty() ? "" : ", ") + std::string(Name(definition));
  }
  throw InvalidArgument(std::string(field) + ": '" + std::string(name) +
                        "' is not a parameter definition (choices: " + choices + ")");
}

}  // namespace scalelaw
