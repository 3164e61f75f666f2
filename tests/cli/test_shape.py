"""scalelaw shape: the shapes nearest a target parameter count or FLOPs per token, and its bad input."""
import math

import pytest

LLAMA2 = ("--head-dims", 128, "--ffn-multiple-of", 256, "--vocab", 32000, "--seq-len", 4096)


def swiglu_width(d_model, multiple_of):
    # Llama's rule written out again: int(8 d / 3) rounded up to a multiple.
    return -(-(8 * d_model // 3) // multiple_of) * multiple_of


def test_llama2_7b_total_recovers_its_shape(scalelaw):
    result = scalelaw("shape", "--params", 6738415616, *LLAMA2, "--json")
    assert result.code == 0, result.err
    out = result.json()
    assert out["status"] == "usable"
    assert len(out["shapes"]) == 5
    best = out["shapes"][0]
    assert (best["shape"]["layers"], best["shape"]["d_model"], best["shape"]["heads"]) == (32, 4096, 32)
    assert best["params"]["total"] == 6738415616
    assert best["relative_distance"] == 0
    # The same counts as scalelaw count prints for that shape.
    counted = scalelaw("count", "--layers", 32, "--d-model", 4096, "--heads", 32, "--vocab", 32000, "--seq-len",
                       4096, "--json").json()
    assert best["params"] == counted["params"]
    assert best["flops_per_token"] == counted["flops_per_token"]


def test_every_shape_satisfies_the_constraints_and_the_ranking_is_sorted(scalelaw):
    result = scalelaw("shape", "--params", 1.3e9, "--definition", "non-embedding", "--head-dims", "64,128",
                      "--group-sizes", "1,4", "--d-model-multiple-of", 256, "--min-aspect-ratio", 40,
                      "--max-aspect-ratio", 160, "--vocab", 50257, "--tied", "--top", 8, "--json")
    assert result.code == 0, result.err
    shapes = result.json()["shapes"]
    assert len(shapes) == 8
    distances = [s["relative_distance"] for s in shapes]
    assert distances == sorted(distances)
    for s in shapes:
        shape = s["shape"]
        assert shape["d_model"] % 256 == 0
        assert shape["head_dim"] in (64, 128)
        assert shape["heads"] * shape["head_dim"] == shape["d_model"]
        assert shape["heads"] // shape["kv_heads"] in (1, 4)
        assert shape["heads"] % shape["kv_heads"] == 0
        assert 40 <= shape["d_model"] / shape["layers"] <= 160
        assert shape["ffn"] == swiglu_width(shape["d_model"], 256)
        assert shape["vocab"] == 50257 and shape["tied_embeddings"]
        assert s["value"] == s["params"]["non_embedding"]
        assert math.isclose(s["relative_distance"], abs(s["value"] - 1.3e9) / 1.3e9, rel_tol=1e-12)
        assert [row["name"] for row in s["flops_per_token"]][0] == "6n"


def test_deepseek_7b_m_finds_30_layers_of_4096(scalelaw):
    result = scalelaw("shape", "--flops-per-token", 4.2279e10, "--convention", "deepseek", "--head-dims", 128,
                      "--vocab", 102400, "--seq-len", 4096, "--json")
    assert result.code == 0, result.err
    out = result.json()
    assert out["target_quantity"] == "FLOPs per token (deepseek)"
    found = [s for s in out["shapes"] if (s["shape"]["layers"], s["shape"]["d_model"]) == (30, 4096)]
    assert len(found) == 1
    for s in out["shapes"]:
        layers, d = s["shape"]["layers"], s["shape"]["d_model"]
        assert math.isclose(s["value"], 72 * layers * d * d + 12 * layers * d * 4096, rel_tol=1e-12)


def test_text_output_prints_each_shape_under_every_convention(scalelaw):
    result = scalelaw("shape", "--params", 6738415616, *LLAMA2, "--top", 2)
    assert result.code == 0, result.err
    assert result.out.count("Training FLOPs per token") == 2
    for title in ("6N", "Kaplan", "Chinchilla", "DeepSeek M", "PaLM"):
        assert title in result.out
    assert "arXiv:2001.08361, Section 3.1 and Figure 5" in result.out


def test_no_shape_is_exit_1_with_the_reason(scalelaw):
    result = scalelaw("shape", "--params", 7e9, "--head-dims", 100, "--d-model-multiple-of", 256, "--max-d-model",
                      4096)
    assert result.code == 1
    assert "no head width (100) divides any allowed d_model" in result.err
    groups = scalelaw("shape", "--params", 1e8, "--head-dims", 64, "--group-sizes", 5, "--d-model-multiple-of", 256,
                      "--max-d-model", 1024, "--json")
    assert groups.code == 1
    assert groups.json()["status"] == "no shape"
    assert groups.json()["shapes"] == []


GPT2 = ("--head-dims", 64, "--d-model-multiple-of", 64, "--ffn-kind", "gelu", "--norm", "layernorm", "--biases", "all",
        "--positions", "learned", "--vocab", 50257, "--tied", "--seq-len", 1024)


def test_gpt2_small_from_its_total_with_gpt2s_architecture_options(scalelaw):
    counted = scalelaw("count", "--layers", 12, "--d-model", 768, "--heads", 12, *GPT2[4:], "--json")
    assert counted.code == 0, counted.err
    total = counted.json()["params"]["total"]
    assert total == 124439808  # GPT-2 small: 50257 d + 1024 d + 12 (12 d^2 + 13 d) + 2 d at d = 768
    result = scalelaw("shape", "--params", total, *GPT2, "--json")
    assert result.code == 0, result.err
    best = result.json()["shapes"][0]
    assert (best["shape"]["layers"], best["shape"]["d_model"], best["shape"]["heads"]) == (12, 768, 12)
    assert best["relative_distance"] == 0
    assert best["shape"]["biases"] == "all" and best["shape"]["positions"] == "learned"
    assert best["params"] == counted.json()["params"]
    assert best["flops_per_token"] == counted.json()["flops_per_token"]


def test_norms_and_position_rows_reach_the_counted_shapes(scalelaw):
    result = scalelaw("shape", "--params", 124439808, *GPT2, "--norms-per-layer", 1, "--no-final-norm",
                      "--max-positions", 2048, "--json")
    assert result.code == 0, result.err
    for s in result.json()["shapes"]:
        shape, d, layers = s["shape"], s["shape"]["d_model"], s["shape"]["layers"]
        assert (shape["norms_per_layer"], shape["final_norm"], shape["max_positions"]) == (1, False, 2048)
        assert s["params"]["total"] == 50257 * d + 2048 * d + layers * (12 * d * d + 11 * d)


def levine_layers(d_model):
    # Levine et al. 2020 (arXiv:2006.12467): ln d = 5.039 + 0.0555 L, solved for L.
    return (math.log(d_model) - 5.039) / 0.0555


def test_levine_depth_rule_sets_the_layers_of_each_width(scalelaw):
    result = scalelaw("shape", "--params", 7e9, "--depth-rule", "levine2020", "--top", 10, "--json")
    assert result.code == 0, result.err
    out = result.json()
    assert out["depth_rule"] == "levine2020"
    for s in out["shapes"]:
        rule = levine_layers(s["shape"]["d_model"])
        assert math.isclose(s["rule_layers"], rule, rel_tol=1e-12)
        assert abs(s["shape"]["layers"] - rule) <= max(0.5, 0.1 * rule) + 1e-9
    exact = scalelaw("shape", "--params", 7e9, "--depth-rule", "levine2020", "--depth-tolerance", 0, "--json").json()
    for s in exact["shapes"]:
        assert s["shape"]["layers"] == round(levine_layers(s["shape"]["d_model"]))
    text = scalelaw("shape", "--params", 7e9, "--depth-rule", "levine2020", "--top", 1)
    assert "Depth rule: levine2020" in text.out
    assert "rule L" in text.out
    assert "arXiv:2006.12467" in text.out


def test_levine_rule_recovers_bloomberggpt(scalelaw):
    # Wu et al. 2023 (arXiv:2303.17564), Section 3.2 and Table 4: Levine et al.'s D = exp(5.039) exp(0.0555 L)
    # sized BloombergGPT at 70 layers of 7680 (40 heads of 192), 50.6B parameters, BLOOM's architecture.
    result = scalelaw("shape", "--params", 50.6e9, "--depth-rule", "levine2020", "--head-dims", 192, "--ffn-kind",
                      "gelu", "--norm", "layernorm", "--biases", "all", "--tied", "--vocab", 131072, "--seq-len",
                      2048, "--json")
    assert result.code == 0, result.err
    best = result.json()["shapes"][0]
    assert (best["shape"]["layers"], best["shape"]["d_model"], best["shape"]["heads"]) == (70, 7680, 40)
    assert round(best["value"] / 1e8) == 506


@pytest.mark.parametrize("args,message", [
    (("--params", 7e9, "--depth-rule", "kaplan"), "--depth-rule"),
    (("--params", 7e9, "--depth-tolerance", 2), "--depth-tolerance"),
    (("--params", 1e8, "--positions", "learned", "--max-positions", 512, "--seq-len", 1024), "--max-positions"),
    (("--params", 1e8, "--biases", "some"), "--biases"),
    (("--params", 7e9, "--flops-per-token", 1e10), "--params excludes --flops-per-token"),
    ((), "shape needs a target"),
    (("--params", 7e9, "--definition", "embedding"), "--definition"),
    (("--flops-per-token", 1e10, "--convention", "7n"), "--convention"),
    (("--params", 7e9, "--max-aspect-ratio", 10), "--max-aspect-ratio"),
    (("--params", 7e9, "--head-dims", 0), "--head-dims"),
    (("--params", -1), "--params"),
])
def test_bad_options_are_one_line_naming_the_option(scalelaw, args, message):
    result = scalelaw("shape", *args)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_depth_rules_lists_the_registry_the_choices_come_from(scalelaw):
    result = scalelaw("shape", "--depth-rules", "--json")
    assert result.code == 0, result.err
    rules = result.json()
    assert [r["name"] for r in rules][:2] == ["aspect-range", "levine2020"]
    assert "arXiv:2006.12467" in rules[1]["citation"] and "arXiv:2303.17564" in rules[1]["citation"]
    text = scalelaw("shape", "--depth-rules")
    assert text.code == 0 and "levine2020" in text.out
    for rule in rules:  # every listed rule is a --depth-rule choice
        assert scalelaw("shape", "--params", 7e9, "--depth-rule", rule["name"], "--top", 1).code == 0
    assert scalelaw("shape", "--depth-rules", "--params", 7e9).code == 2
