// The Python face of counting (scalelaw/model/count.h): ShapeCount with its ParameterCounts and one ConventionCount
// per row of the convention registry. Python's scalelaw.count passes a config.json path or the shape's fields;
// this file builds the shape and counts.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <string>
#include <vector>

#include "scalelaw/io/prediction_json.h"
#include "scalelaw/model/count.h"
#include "scalelaw/model/hf_config.h"
#include "scalelaw/model/model_inputs.h"
#include "scalelaw/model/shape_search.h"

namespace py = pybind11;

namespace {

using scalelaw::ConventionCount;
using scalelaw::ParameterCounts;
using scalelaw::ShapeCount;
using scalelaw::TransformerShape;

ShapeCount CountShape(const std::optional<std::string>& config, int layers, int d_model, int heads, int kv_heads,
                      int head_dim, std::int64_t ffn, const std::string& ffn_kind, int ffn_multiple_of,
                      double ffn_multiplier, std::int64_t vocab, bool tied_embeddings, const std::string& norm,
                      int norms_per_layer, bool final_norm, const std::string& biases, const std::string& positions,
                      int max_positions, int seq_len, int attention_window, int windowed_layers, int experts,
                      int experts_per_token, std::int64_t expert_ffn) {
  if (config) {
    TransformerShape shape = scalelaw::ShapeFromHuggingFaceConfig(*config);
    if (seq_len > 0) shape.seq_len = seq_len;
    ShapeCount count = scalelaw::Count(shape);
    count.source = *config;
    return count;
  }
  TransformerShape shape;
  shape.layers = layers;
  shape.d_model = d_model;
  shape.heads = heads;
  shape.kv_heads = kv_heads;
  shape.head_dim = head_dim;
  shape.ffn = ffn;
  shape.ffn_kind = scalelaw::ParseFfnKind(ffn_kind);
  shape.ffn_multiple_of = ffn_multiple_of;
  shape.ffn_multiplier = ffn_multiplier;
  shape.vocab = vocab;
  shape.tied_embeddings = tied_embeddings;
  shape.norm = scalelaw::ParseNormKind(norm);
  shape.norms_per_layer = norms_per_layer;
  shape.final_norm = final_norm;
  shape.biases = scalelaw::ParseBiasKind(biases);
  shape.positions = scalelaw::ParsePositionKind(positions);
  shape.max_positions = max_positions;
  shape.seq_len = seq_len;
  shape.attention_window = attention_window;
  shape.windowed_layers = windowed_layers;
  shape.experts = experts;
  shape.experts_per_token = experts_per_token;
  shape.expert_ffn = expert_ffn;
  return scalelaw::Count(shape);  // ShapeError (an InvalidArgument) names the keyword: "heads: ..."
}

// The shape as `scalelaw count --json` writes it (ShapeCountToJson): one list of its fields for the CLI, a
// plan's JSON and Python.
py::dict ShapeDict(const ShapeCount& count) {
  const py::object parsed = py::module_::import("json").attr("loads")(scalelaw::ShapeCountToJson(count));
  return py::dict(parsed["shape"]);
}

scalelaw::ShapeSearchSummary SearchShapes(double params, const std::string& definition, double flops_per_token,
                                          const std::string& convention, const std::vector<int>& head_dims,
                                          const std::vector<int>& group_sizes, const std::string& ffn_kind,
                                          int ffn_multiple_of, double ffn_multiplier, int d_model_multiple_of,
                                          int max_d_model, int min_layers, int max_layers, double min_aspect_ratio,
                                          double max_aspect_ratio, double preferred_aspect_ratio,
                                          const std::string& depth_rule, double depth_tolerance, std::int64_t vocab,
                                          bool tied_embeddings, const std::string& norm, int norms_per_layer,
                                          bool final_norm, const std::string& biases, const std::string& positions,
                                          int max_positions, int seq_len, int top) {
  scalelaw::ShapeSearchOptions options;
  options.params = params;
  options.definition = scalelaw::ParseParamsDefinition(definition);
  options.flops_per_token = flops_per_token;
  options.convention = convention;
  options.head_dims = head_dims;
  options.group_sizes = group_sizes;
  options.ffn_kind = scalelaw::ParseFfnKind(ffn_kind);
  options.ffn_multiple_of = ffn_multiple_of;
  options.ffn_multiplier = ffn_multiplier;
  options.d_model_multiple_of = d_model_multiple_of;
  options.max_d_model = max_d_model;
  options.min_layers = min_layers;
  options.max_layers = max_layers;
  options.min_aspect_ratio = min_aspect_ratio;
  options.max_aspect_ratio = max_aspect_ratio;
  options.preferred_aspect_ratio = preferred_aspect_ratio;
  options.depth_rule = depth_rule;
  options.depth_tolerance = depth_tolerance;
  options.vocab = vocab;
  options.tied_embeddings = tied_embeddings;
  options.norm = scalelaw::ParseNormKind(norm);
  options.norms_per_layer = norms_per_layer;
  options.final_norm = final_norm;
  options.biases = scalelaw::ParseBiasKind(biases);
  options.positions = scalelaw::ParsePositionKind(positions);
  options.max_positions = max_positions;
  options.seq_len = seq_len;
  options.top = top;
  scalelaw::ShapeSearchSummary summary;
  scalelaw::SearchShapes(options, &summary);  // InvalidArgument names the keyword: "head_dims: ..."
  return summary;
}

}  // namespace

void BindCount(py::module_& m) {
  py::class_<ParameterCounts>(m, "ParameterCounts", "A transformer's parameters under each definition of N")
      .def_readonly("total", &ParameterCounts::total, "every weight once (Chinchilla's N)")
      .def_readonly("non_embedding", &ParameterCounts::non_embedding,
                    "without token and position embeddings (Kaplan's N; an untied head stays in)")
      .def_readonly("non_vocabulary", &ParameterCounts::non_vocabulary,
                    "without the input embedding and the output head (Tao et al.'s N_nv)")
      .def_readonly("embedding", &ParameterCounts::embedding, "token + position embeddings")
      .def_readonly("vocabulary", &ParameterCounts::vocabulary, "input embedding + untied output head (N_v)")
      .def_readonly("token_embedding", &ParameterCounts::token_embedding)
      .def_readonly("position_embedding", &ParameterCounts::position_embedding)
      .def_readonly("output_head", &ParameterCounts::output_head, "0 when tied")
      .def_readonly("blocks", &ParameterCounts::blocks)
      .def_readonly("final_norm", &ParameterCounts::final_norm)
      .def_readonly("active", &ParameterCounts::active,
                    "the parameters one token uses: a mixture of experts' total minus the experts it leaves unused "
                    "(the total when dense)")
      .def_readonly("routed_experts", &ParameterCounts::routed_experts, "every expert of every layer (0 when dense)");
  py::class_<ConventionCount>(m, "ConventionCount", "Training FLOPs per token under one named convention")
      .def_property_readonly("name", [](const ConventionCount& c) { return c.convention->name; })
      .def_property_readonly("title", [](const ConventionCount& c) { return c.convention->title; })
      .def_property_readonly("formula", [](const ConventionCount& c) { return c.convention->formula; })
      .def_property_readonly("citation", [](const ConventionCount& c) { return c.convention->citation.ToString(); })
      .def_property_readonly(
          "counts", [](const ConventionCount& c) { return c.convention->counts; },
          "which parameters and operations the convention counts")
      .def_readonly("flops_per_token", &ConventionCount::flops_per_token)
      .def_readonly("ratio_to_6n", &ConventionCount::ratio_to_6n, "flops_per_token / (6 x params.active)");
  py::class_<ShapeCount>(m, "ShapeCount", "A transformer's parameter counts and FLOPs per token (scalelaw.count)")
      .def_property_readonly("shape", &ShapeDict, "the shape counted, every derived width resolved")
      .def_readonly("params", &ShapeCount::params)
      .def_readonly("kaplan_non_embedding", &ShapeCount::kaplan_non_embedding,
                    "Kaplan et al. Table 1's N: the blocks' weight matrices")
      .def_readonly("flops", &ShapeCount::flops, "one row per convention, 6N first")
      .def_readonly("source", &ShapeCount::source, "the config.json read, if any")
      .def(
          "flops_per_token",
          [](const ShapeCount& c, const std::string& convention) {
            const scalelaw::FlopConvention& wanted = scalelaw::FindFlopConvention(convention);
            for (const ConventionCount& row : c.flops) {
              if (row.convention == &wanted) return row.flops_per_token;
            }
            throw scalelaw::InvalidArgument("no row for convention '" + convention + "'");
          },
          py::arg("convention"), "FLOPs per token under the convention of that name")
      .def("brief_report", &ShapeCount::BriefReport)
      .def("full_report", &ShapeCount::FullReport)
      .def("__str__", &ShapeCount::FullReport);
  m.def("_count", &CountShape, py::arg("config"), py::arg("layers"), py::arg("d_model"), py::arg("heads"),
        py::arg("kv_heads"), py::arg("head_dim"), py::arg("ffn"), py::arg("ffn_kind"), py::arg("ffn_multiple_of"),
        py::arg("ffn_multiplier"), py::arg("vocab"), py::arg("tied_embeddings"), py::arg("norm"),
        py::arg("norms_per_layer"), py::arg("final_norm"), py::arg("biases"), py::arg("positions"),
        py::arg("max_positions"), py::arg("seq_len"), py::arg("attention_window"), py::arg("windowed_layers"),
        py::arg("experts"), py::arg("experts_per_token"), py::arg("expert_ffn"));
  // The inputs a counted model gives every law (WithModel): its three parameter counts, each law reading the N it
  // defines, and the shape fields laws read; predict_*(model=...) passes them.
  m.def(
      "_model_inputs",
      [](const ShapeCount& count) {
        const scalelaw::PredictionInputs in = scalelaw::WithModel(count.shape);
        py::dict out;
        for (const scalelaw::InputInfo& info : scalelaw::InputTable()) {
          if (in.Has(info.id)) out[py::str(std::string(info.key))] = in.Get(info.id);
        }
        return out;
      },
      py::arg("count"));
  m.def("_count_defaults", [] {
    const TransformerShape defaults;
    py::dict out;
    out["kv_heads"] = defaults.kv_heads;
    out["head_dim"] = defaults.head_dim;
    out["ffn"] = defaults.ffn;
    out["ffn_kind"] = std::string(Name(defaults.ffn_kind));
    out["ffn_multiple_of"] = defaults.ffn_multiple_of;
    out["ffn_multiplier"] = defaults.ffn_multiplier;
    out["tied_embeddings"] = defaults.tied_embeddings;
    out["norm"] = std::string(Name(defaults.norm));
    out["norms_per_layer"] = defaults.norms_per_layer;
    out["final_norm"] = defaults.final_norm;
    out["biases"] = std::string(Name(defaults.biases));
    out["positions"] = std::string(Name(defaults.positions));
    out["max_positions"] = defaults.max_positions;
    out["attention_window"] = defaults.attention_window;
    out["windowed_layers"] = defaults.windowed_layers;
    out["experts"] = defaults.experts;
    out["experts_per_token"] = defaults.experts_per_token;
    out["expert_ffn"] = defaults.expert_ffn;
    return out;
  });
  m.def("_count_choices", [] {
    py::dict out;
    out["ffn_kind"] = scalelaw::FfnKindNames();
    out["norm"] = scalelaw::NormKindNames();
    out["biases"] = scalelaw::BiasKindNames();
    out["positions"] = scalelaw::PositionKindNames();
    return out;
  });
  m.def("_flop_conventions", [] {
    py::list out;
    for (const scalelaw::FlopConvention& c : scalelaw::FlopConventions()) {
      py::dict row;
      row["name"] = c.name;
      row["title"] = c.title;
      row["formula"] = c.formula;
      row["citation"] = c.citation.ToString();
      row["counts"] = c.counts;
      out.append(row);
    }
    return out;
  });

  py::class_<scalelaw::ShapeCandidate>(m, "ShapeCandidate", "One shape of a shape search, with its counts")
      .def_readonly("count", &scalelaw::ShapeCandidate::count, "its parameter counts and FLOPs per token")
      .def_property_readonly("shape", [](const scalelaw::ShapeCandidate& c) { return ShapeDict(c.count); })
      .def_readonly("value", &scalelaw::ShapeCandidate::value,
                    "the shape's parameters of the definition, or FLOPs per token under the convention")
      .def_readonly("relative_distance", &scalelaw::ShapeCandidate::relative_distance, "|value - target| / target")
      .def_readonly("aspect_ratio", &scalelaw::ShapeCandidate::aspect_ratio, "d_model / layers")
      .def_readonly("rule_layers", &scalelaw::ShapeCandidate::rule_layers,
                    "under a depth formula its layers for this d_model; 0 under the aspect-ratio range");
  py::class_<scalelaw::ShapeSearchSummary>(m, "ShapeSearch", "The shapes nearest a target (scalelaw.shapes)")
      .def_property_readonly("status",
                             [](const scalelaw::ShapeSearchSummary& s) { return std::string(Name(s.status)); })
      .def_property_readonly("usable", &scalelaw::ShapeSearchSummary::IsUsable)
      .def_readonly("message", &scalelaw::ShapeSearchSummary::message)
      .def_readonly("target", &scalelaw::ShapeSearchSummary::target)
      .def_readonly("target_quantity", &scalelaw::ShapeSearchSummary::target_quantity)
      .def_readonly("depth_rule", &scalelaw::ShapeSearchSummary::depth_rule)
      .def_readonly("depth_rule_description", &scalelaw::ShapeSearchSummary::depth_rule_description)
      .def_readonly("shapes_considered", &scalelaw::ShapeSearchSummary::shapes_considered)
      .def_readonly("shapes", &scalelaw::ShapeSearchSummary::shapes, "the K nearest, nearest first")
      .def("brief_report", &scalelaw::ShapeSearchSummary::BriefReport)
      .def("full_report", &scalelaw::ShapeSearchSummary::FullReport)
      .def("__str__", &scalelaw::ShapeSearchSummary::FullReport);
  m.def("_shapes", &SearchShapes, py::arg("params"), py::arg("definition"), py::arg("flops_per_token"),
        py::arg("convention"), py::arg("head_dims"), py::arg("group_sizes"), py::arg("ffn_kind"),
        py::arg("ffn_multiple_of"), py::arg("ffn_multiplier"), py::arg("d_model_multiple_of"), py::arg("max_d_model"),
        py::arg("min_layers"), py::arg("max_layers"), py::arg("min_aspect_ratio"), py::arg("max_aspect_ratio"),
        py::arg("preferred_aspect_ratio"), py::arg("depth_rule"), py::arg("depth_tolerance"), py::arg("vocab"),
        py::arg("tied_embeddings"), py::arg("norm"), py::arg("norms_per_layer"), py::arg("final_norm"),
        py::arg("biases"), py::arg("positions"), py::arg("max_positions"), py::arg("seq_len"), py::arg("top"));
  m.def("_depth_rules", [] {
    py::list out;
    for (const scalelaw::DepthRule& rule : scalelaw::DepthRules()) {
      py::dict row;
      row["name"] = rule.name;
      row["formula"] = rule.formula;
      row["citation"] = rule.citation.ToString();
      out.append(row);
    }
    return out;
  });
  m.def("_shape_search_defaults", [] {
    const scalelaw::ShapeSearchOptions defaults;
    py::dict out;
    out["definition"] = std::string(Name(defaults.definition));
    out["convention"] = defaults.convention;
    out["head_dims"] = defaults.head_dims;
    out["group_sizes"] = defaults.group_sizes;
    out["ffn_kind"] = std::string(Name(defaults.ffn_kind));
    out["ffn_multiple_of"] = defaults.ffn_multiple_of;
    out["ffn_multiplier"] = defaults.ffn_multiplier;
    out["d_model_multiple_of"] = defaults.d_model_multiple_of;
    out["max_d_model"] = defaults.max_d_model;
    out["min_layers"] = defaults.min_layers;
    out["max_layers"] = defaults.max_layers;
    out["min_aspect_ratio"] = defaults.min_aspect_ratio;
    out["max_aspect_ratio"] = defaults.max_aspect_ratio;
    out["preferred_aspect_ratio"] = defaults.preferred_aspect_ratio;
    out["depth_rule"] = defaults.depth_rule;
    out["depth_tolerance"] = defaults.depth_tolerance;
    out["vocab"] = defaults.vocab;
    out["tied_embeddings"] = defaults.tied_embeddings;
    out["norm"] = std::string(Name(defaults.norm));
    out["norms_per_layer"] = defaults.norms_per_layer;
    out["final_norm"] = defaults.final_norm;
    out["biases"] = std::string(Name(defaults.biases));
    out["positions"] = std::string(Name(defaults.positions));
    out["max_positions"] = defaults.max_positions;
    out["seq_len"] = defaults.seq_len;
    out["top"] = defaults.top;
    out["definitions"] = scalelaw::ParamsDefinitionNames();
    return out;
  });
}
