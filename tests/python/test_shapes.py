"""scalelaw.shapes: the shape search of `scalelaw shape` as typed results, and its bad input."""
import inspect
import math

import pytest

import scalelaw


def test_llama2_7b_total_recovers_its_shape():
    result = scalelaw.shapes(6738415616, head_dims=[128], ffn_multiple_of=256, vocab=32000, seq_len=4096)
    assert isinstance(result, scalelaw.ShapeSearch)
    assert result.usable and result.status == "usable"
    assert len(result.shapes) == 5
    best = result.shapes[0]
    assert isinstance(best, scalelaw.ShapeCandidate)
    assert isinstance(best.count, scalelaw.ShapeCount)
    assert (best.shape["layers"], best.shape["d_model"], best.shape["heads"]) == (32, 4096, 32)
    assert best.count.params.total == 6738415616
    assert best.relative_distance == 0
    assert best.aspect_ratio == 128
    # The counts are scalelaw.count's for the same shape.
    counted = scalelaw.count(layers=32, d_model=4096, heads=32, vocab=32000, seq_len=4096)
    assert [row.flops_per_token for row in best.count.flops] == [row.flops_per_token for row in counted.flops]
    distances = [c.relative_distance for c in result.shapes]
    assert distances == sorted(distances)


def test_deepseek_m_and_grouped_query_constraints():
    result = scalelaw.shapes(flops_per_token=4.2279e10, convention="deepseek", head_dims=[128], vocab=102400,
                             seq_len=4096)
    assert any((c.shape["layers"], c.shape["d_model"]) == (30, 4096) for c in result.shapes)
    for c in result.shapes:
        layers, d = c.shape["layers"], c.shape["d_model"]
        assert math.isclose(c.value, 72 * layers * d * d + 12 * layers * d * 4096, rel_tol=1e-12)
        assert math.isclose(c.value, c.count.flops_per_token("deepseek"), rel_tol=1e-12)
    gqa = scalelaw.shapes(8e9, definition="non-vocabulary", group_sizes=[4, 8], vocab=128256, top=6)
    for c in gqa.shapes:
        assert c.shape["heads"] // c.shape["kv_heads"] in (4, 8)
        assert c.shape["heads"] % c.shape["kv_heads"] == 0
        assert c.shape["heads"] * c.shape["head_dim"] == c.shape["d_model"]
        assert c.value == c.count.params.non_vocabulary


def test_the_keyword_defaults_are_the_librarys():
    defaults = scalelaw._scalelaw._shape_search_defaults()
    signature = inspect.signature(scalelaw.shapes)
    for name, value in defaults.items():
        if name == "definitions":
            continue
        default = signature.parameters[name].default
        assert (list(default) if isinstance(default, tuple) else default) == value, name
    assert defaults["definitions"] == ["total", "non-embedding", "non-vocabulary"]


def test_no_shape_is_not_usable_with_the_reason():
    result = scalelaw.shapes(7e9, head_dims=[100], d_model_multiple_of=256, max_d_model=4096)
    assert not result.usable
    assert result.status == "no shape"
    assert result.shapes == []
    assert "head width" in result.message


GPT2 = dict(head_dims=[64], d_model_multiple_of=64, ffn_kind="gelu", norm="layernorm", biases="all",
            positions="learned", vocab=50257, tied_embeddings=True, seq_len=1024)


def test_gpt2_small_from_its_total_with_gpt2s_architecture():
    counted = scalelaw.count(layers=12, d_model=768, heads=12, ffn_kind="gelu", norm="layernorm", biases="all",
                             positions="learned", vocab=50257, tied_embeddings=True, seq_len=1024)
    assert counted.params.total == 124439808
    result = scalelaw.shapes(124439808, **GPT2)
    best = result.shapes[0]
    assert (best.shape["layers"], best.shape["d_model"], best.shape["heads"]) == (12, 768, 12)
    assert best.relative_distance == 0
    assert best.count.params.non_embedding == counted.params.non_embedding
    assert [r.flops_per_token for r in best.count.flops] == [r.flops_per_token for r in counted.flops]
    fewer = scalelaw.shapes(124439808, **GPT2, norms_per_layer=1, final_norm=False, max_positions=2048)
    for c in fewer.shapes:
        d, layers = c.shape["d_model"], c.shape["layers"]
        assert c.count.params.total == 50257 * d + 2048 * d + layers * (12 * d * d + 11 * d)


def test_depth_rules_registry_and_levine_rule():
    rules = scalelaw.depth_rules()
    assert rules[0]["name"] == "aspect-range"
    assert "levine2020" in [r["name"] for r in rules]
    assert "2006.12467" in next(r for r in rules if r["name"] == "levine2020")["citation"]
    result = scalelaw.shapes(7e9, depth_rule="levine2020", top=10)
    assert result.depth_rule == "levine2020"
    for c in result.shapes:
        rule = (math.log(c.shape["d_model"]) - 5.039) / 0.0555
        assert math.isclose(c.rule_layers, rule, rel_tol=1e-12)
        assert abs(c.shape["layers"] - rule) <= max(0.5, 0.1 * rule) + 1e-9
    assert scalelaw.shapes(7e9).shapes[0].rule_layers == 0


@pytest.mark.parametrize("kwargs,message", [
    (dict(params=7e9, depth_rule="kaplan"), "depth_rule:"),
    (dict(params=7e9, depth_tolerance=-0.1), "depth_tolerance:"),
    (dict(params=1e8, positions="learned", max_positions=512, seq_len=1024), "max_positions:"),
    (dict(params=1e8, biases="some"), "biases"),
    (dict(params=7e9, flops_per_token=1e10), "params:"),
    (dict(), "params:"),
    (dict(flops_per_token=1e10, convention="7n"), "convention:"),
    (dict(params=7e9, head_dims=[]), "head_dims:"),
    (dict(params=7e9, group_sizes=[0]), "group_sizes:"),
    (dict(params=7e9, max_aspect_ratio=10.0), "max_aspect_ratio:"),
    (dict(params=7e9, definition="embedding"), "definition:"),
])
def test_bad_options_raise_invalid_argument_naming_the_keyword(kwargs, message):
    with pytest.raises(scalelaw.InvalidArgument, match=message):
        scalelaw.shapes(**kwargs)
