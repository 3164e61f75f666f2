// A TransformerShape from a Hugging Face transformers `config.json`. The architectures read are those whose
// config fields fix every weight: Llama-style (model_type llama, mistral, qwen2, gemma, gemma2: num_hidden_layers,
// hidden_size, num_attention_heads, num_key_value_heads, head_dim, intermediate_size, vocab_size, tie_word_embeddings,
// max_position_embeddings, hidden_act, rms_norm_eps), Mixtral's mixture of experts (mixtral: the Llama fields,
// intermediate_size each expert's width, and num_local_experts, num_experts_per_tok) and GPT-2 (n_layer, n_embd,
// n_head, n_inner, n_positions, vocab_size). Another model_type (another mixture of experts with shared experts or
// dense layers, a different block), or a missing field, is an InvalidArgument naming the file and the field.
#pragma once

#include <string>
#include <vector>

#include "scalelaw/model/shape.h"

namespace scalelaw {

// The model_type values ShapeFromHuggingFaceConfig reads; the dense ones only (the laws' inputs: WithModel refuses
// a mixture of experts).
const std::vector<std::string>& HuggingFaceModelTypes();
const std::vector<std::string>& HuggingFaceDenseModelTypes();

// Reads the file at path. seq_len is max_position_embeddings (n_positions for GPT-2), the longest context the
// model was built for; a caller counting a shorter training context sets shape.seq_len afterwards.
TransformerShape ShapeFromHuggingFaceConfig(const std::string& path);
// The same from the file's text; source names it in errors.
TransformerShape ShapeFromHuggingFaceConfigText(const std::string& text, const std::string& source);

}  // namespace scalelaw
