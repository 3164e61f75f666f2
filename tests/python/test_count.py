"""scalelaw.count: the counts of `scalelaw count` as typed results, and its bad input."""
import json
import os
import subprocess

import pytest

import scalelaw

SOURCE_DIR = os.environ.get("SCALELAW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
CONFIGS = os.path.join(SOURCE_DIR, "tests", "fixtures", "model_configs")


def test_llama_configs_give_the_released_parameter_counts():
    llama2 = scalelaw.count(os.path.join(CONFIGS, "llama-2-7b.config.json"))
    assert isinstance(llama2, scalelaw.ShapeCount)
    assert llama2.params.total == 6738415616
    llama3 = scalelaw.count(os.path.join(CONFIGS, "llama-3-8b.config.json"))
    assert llama3.params.total == 8030261248
    assert llama3.shape["kv_heads"] == 8
    # Untied: the vocabulary parameters are the input embedding and the output head.
    assert llama3.params.vocabulary == 2 * 128256 * 4096
    assert llama3.params.non_vocabulary == llama3.params.total - llama3.params.vocabulary


def test_a_shape_by_keywords():
    # DeepSeek 7B's shape: M = 4.2279e10 FLOPs per token; every row's ratio is to 6N.
    result = scalelaw.count(layers=30, d_model=4096, heads=32, ffn=11008, vocab=102400, seq_len=4096)
    assert f"{result.flops_per_token('deepseek'):.4e}" == "4.2279e+10"
    assert [row.name for row in result.flops] == [c["name"] for c in scalelaw.flop_conventions()]
    six_n = 6 * result.params.total
    for row in result.flops:
        assert isinstance(row, scalelaw.ConventionCount)
        assert row.ratio_to_6n == pytest.approx(row.flops_per_token / six_n, rel=1e-12)
        assert "arXiv:" in row.citation
    assert result.flops_per_token("palm") - six_n == pytest.approx(12 * 30 * 32 * 128 * 4096, rel=1e-12)
    # A derived SwiGLU width: Llama's rule.
    assert scalelaw.count(layers=2, d_model=4096, heads=32, vocab=32000, seq_len=4096).shape["ffn"] == 11008


def test_mixtral_total_and_active_parameters():
    # Jiang et al. 2024 (arXiv:2401.04088), Sec. 1: 47B parameters, 13B active per token. By hand: per layer the
    # attention (2 x 4096^2 + 2 x 4096 x 1024), the router (4096 x 8), two norms, and 8 (2 active) SwiGLU experts of
    # 3 x 4096 x 14336; 32 layers; untied embedding and head (2 x 32000 x 4096) and a final norm.
    mixtral = scalelaw.count(os.path.join(CONFIGS, "mixtral-8x7b.config.json"))
    layer = 2 * 4096**2 + 2 * 4096 * 1024 + 4096 * 8 + 2 * 4096
    rest = 2 * 32000 * 4096 + 4096
    assert mixtral.params.total == 32 * (layer + 8 * 3 * 4096 * 14336) + rest == 46702792704
    assert mixtral.params.active == 32 * (layer + 2 * 3 * 4096 * 14336) + rest == 12879925248
    assert mixtral.params.routed_experts == 32 * 8 * 3 * 4096 * 14336
    assert mixtral.flops_per_token("6n") == 6 * mixtral.params.active
    assert mixtral.flops[0].ratio_to_6n == 1.0
    # The same shape by the keywords the CLI's options are.
    by_keywords = scalelaw.count(layers=32, d_model=4096, heads=32, kv_heads=8, ffn=14336, vocab=32000,
                                 seq_len=32768, experts=8, experts_per_token=2)
    assert by_keywords.params.active == mixtral.params.active
    assert by_keywords.shape == mixtral.shape
    # expert_ffn: the experts' own width, the rest unchanged.
    narrower = scalelaw.count(layers=32, d_model=4096, heads=32, kv_heads=8, ffn=14336, vocab=32000, seq_len=32768,
                              experts=8, experts_per_token=2, expert_ffn=7168)
    assert mixtral.params.total - narrower.params.total == 32 * 8 * 3 * 4096 * 7168
    # A dense model: active is the total.
    llama = scalelaw.count(os.path.join(CONFIGS, "llama-2-7b.config.json"))
    assert llama.params.active == llama.params.total and llama.params.routed_experts == 0
    # The laws were fitted on dense models: a mixture of experts is no input of theirs.
    with pytest.raises(scalelaw.InvalidArgument, match=r"^experts: the published laws were fitted on dense models"):
        scalelaw.predict_loss(model=mixtral, tokens=1e12, law="chinchilla")


def test_sliding_window_keywords():
    full = scalelaw.count(layers=32, d_model=4096, heads=32, kv_heads=8, ffn=14336, vocab=32000, seq_len=8192)
    windowed = scalelaw.count(layers=32, d_model=4096, heads=32, kv_heads=8, ffn=14336, vocab=32000, seq_len=8192,
                              attention_window=4096, windowed_layers=16)
    assert windowed.params.total == full.params.total == 7241732096
    assert windowed.shape["attention_context"] == (16 * 8192 + 16 * 4096) / 32
    # PaLM's 12 L H Q T with T the mean keys per query.
    assert full.flops_per_token("palm") - windowed.flops_per_token("palm") == pytest.approx(
        12 * 32 * 32 * 128 * (8192 - 6144), rel=1e-12)
    mistral = scalelaw.count(os.path.join(CONFIGS, "mistral-7b-v0.1.config.json"))
    assert mistral.shape["attention_window"] == 4096 and mistral.shape["windowed_layers"] == 32
    with pytest.raises(scalelaw.InvalidArgument, match="^windowed_layers: 1 windowed layers without"):
        scalelaw.count(layers=2, d_model=64, heads=4, vocab=100, seq_len=128, windowed_layers=1)
    with pytest.raises(scalelaw.InvalidArgument, match="attention_window= with config="):
        scalelaw.count(os.path.join(CONFIGS, "mistral-7b-v0.1.config.json"), attention_window=1024)


def test_python_and_cli_agree():
    cli = os.environ.get("SCALELAW_CLI")
    if not cli:
        pytest.skip("SCALELAW_CLI is not set (run through ctest)")
    config = os.path.join(CONFIGS, "gpt2.config.json")
    out = json.loads(subprocess.run([cli, "count", "--config", config, "--json"], capture_output=True, text=True,
                                    check=True).stdout)
    result = scalelaw.count(config)
    assert out["params"]["total"] == result.params.total == 124439808
    assert out["shape"] == result.shape
    assert [row["flops_per_token"] for row in out["flops_per_token"]] == [row.flops_per_token for row in result.flops]


def test_bad_input_names_the_keyword_or_the_file_and_field():
    with pytest.raises(scalelaw.InvalidArgument, match=r"^heads: 12 heads do not divide d_model 1000"):
        scalelaw.count(layers=12, d_model=1000, heads=12, vocab=50000, seq_len=2048)
    with pytest.raises(scalelaw.InvalidArgument, match=r"^kv_heads: 5 key-value heads do not divide"):
        scalelaw.count(layers=12, d_model=768, heads=12, kv_heads=5, vocab=50000, seq_len=2048)
    with pytest.raises(scalelaw.InvalidArgument, match="vocab=, seq_len= missing"):
        scalelaw.count(layers=12, d_model=768, heads=12)
    with pytest.raises(scalelaw.InvalidArgument, match=r"^ffn_kind: 'relu' is not one of gelu, swiglu"):
        scalelaw.count(layers=12, d_model=768, heads=12, vocab=5, seq_len=8, ffn_kind="relu")  # type: ignore
    with pytest.raises(scalelaw.InvalidArgument, match="not both"):
        scalelaw.count(os.path.join(CONFIGS, "gpt2.config.json"), layers=3)
    with pytest.raises(scalelaw.InvalidArgument, match="mamba-130m.config.json: field 'model_type': 'mamba'"):
        scalelaw.count(os.path.join(CONFIGS, "mamba-130m.config.json"))
    with pytest.raises(scalelaw.InvalidArgument, match=r"^experts_per_token: must be a whole number from 1 to experts "
                                                       r"\(4\), not 5"):
        scalelaw.count(layers=2, d_model=64, heads=4, vocab=100, seq_len=128, experts=4, experts_per_token=5)
    with pytest.raises(scalelaw.InvalidArgument, match=r"not both \(experts= with config=\)"):
        scalelaw.count(os.path.join(CONFIGS, "llama-2-7b.config.json"), experts=8)
    with pytest.raises(scalelaw.InvalidArgument, match=r"^experts: must be a positive whole number"):
        scalelaw.count(layers=2, d_model=64, heads=4, vocab=100, seq_len=128, experts=-1)
    with pytest.raises(scalelaw.InputError, match="absent.json"):
        scalelaw.count(os.path.join(CONFIGS, "absent.json"))


def test_keyword_defaults_and_choices_are_the_libraries():
    # count()'s signature spells TransformerShape's defaults and kinds (scalelaw/model/shape.h); they must agree.
    import inspect
    import typing

    parameters = inspect.signature(scalelaw.count).parameters
    for name, value in scalelaw._scalelaw._count_defaults().items():
        assert parameters[name].default == value, name
    hints = typing.get_type_hints(scalelaw.count)
    for name, choices in scalelaw._scalelaw._count_choices().items():
        assert sorted(typing.get_args(hints[name])) == sorted(choices), name
