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


@pytest.mark.parametrize("args,message", [
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
