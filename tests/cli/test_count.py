"""scalelaw count: parameter counts and FLOPs per token from a config.json or a shape, and its bad input."""
import json
import os

import pytest

from conftest import SOURCE_DIR

CONFIGS = os.path.join(SOURCE_DIR, "tests", "fixtures", "model_configs")


def config(name):
    return os.path.join(CONFIGS, name)


def test_llama_configs_give_the_released_parameter_counts(scalelaw):
    llama2 = scalelaw("count", "--config", config("llama-2-7b.config.json"), "--json")
    assert llama2.code == 0, llama2.err
    assert llama2.json()["params"]["total"] == 6738415616
    llama3 = scalelaw("count", "--config", config("llama-3-8b.config.json"), "--json").json()
    assert llama3["params"]["total"] == 8030261248
    assert llama3["shape"]["kv_heads"] == 8
    assert llama3["shape"]["seq_len"] == 8192


def test_gemma_configs_give_the_reports_non_embedding_counts(scalelaw):
    # Gemma Team 2024 (arXiv:2403.08295) and Gemma 2 (arXiv:2408.00118), Table 2 of each; tied heads.
    for name, non_embedding, d_model in (("gemma-7b", 7751248896, 3072), ("gemma-2-9b", 8324201984, 3584),
                                         ("gemma-2-27b", 26047480320, 4608)):
        counted = scalelaw("count", "--config", config(f"{name}.config.json"), "--json").json()
        assert counted["params"]["non_embedding"] == non_embedding
        assert counted["params"]["total"] == non_embedding + 256000 * d_model
        assert counted["shape"]["tied_embeddings"] is True


def test_mixtral_config_gives_its_total_and_active_parameters(scalelaw):
    # Jiang et al. 2024 (arXiv:2401.04088): 47B parameters, 13B active; exactly, per layer attention 2 x 4096^2 +
    # 2 x 4096 x 1024, 8 experts (2 active) of 3 x 4096 x 14336, a router of 4096 x 8, two norms of 4096; 32 layers;
    # untied embedding and head of 32000 x 4096; a final norm.
    result = scalelaw("count", "--config", config("mixtral-8x7b.config.json"), "--json")
    assert result.code == 0, result.err
    out = result.json()
    layer = 2 * 4096**2 + 2 * 4096 * 1024 + 4096 * 8 + 2 * 4096
    rest = 2 * 32000 * 4096 + 4096
    assert out["params"]["total"] == 32 * (layer + 8 * 3 * 4096 * 14336) + rest == 46702792704
    assert out["params"]["active"] == 32 * (layer + 2 * 3 * 4096 * 14336) + rest == 12879925248
    assert out["shape"]["experts"] == 8 and out["shape"]["experts_per_token"] == 2
    assert out["shape"]["expert_ffn"] == 14336
    rows = {row["name"]: row["flops_per_token"] for row in out["flops_per_token"]}
    assert rows["6n"] == 6 * 12879925248
    assert rows["6n-non-embedding"] == 6 * (12879925248 - 32000 * 4096)
    # The same shape by the options.
    by_options = scalelaw("count", "--layers", 32, "--d-model", 4096, "--heads", 32, "--kv-heads", 8, "--ffn", 14336,
                          "--vocab", 32000, "--seq-len", 32768, "--experts", 8, "--experts-per-token", 2, "--json")
    assert by_options.code == 0, by_options.err
    assert by_options.json()["params"] == out["params"]
    assert by_options.json()["flops_per_token"] == out["flops_per_token"]
    # The text has an active row; a dense model's has none.
    text = scalelaw("count", "--config", config("mixtral-8x7b.config.json")).out
    assert any(line.split()[:2] == ["active", "12879925248"] for line in text.splitlines())
    dense = scalelaw("count", "--config", config("llama-2-7b.config.json")).out
    assert not any(line.split()[:1] == ["active"] for line in dense.splitlines())
    assert scalelaw("count", "--config", config("llama-2-7b.config.json"), "--json").json()["params"]["active"] == \
        6738415616


def test_a_mixture_of_experts_is_no_laws_n(scalelaw):
    # predict-*'s --config reads a dense model's N; a mixture of experts is refused, one line naming experts.
    result = scalelaw("predict-loss", "--law", "chinchilla", "--config", config("mixtral-8x7b.config.json"),
                      "--tokens", "1e12")
    assert result.code == 2
    assert "mixtral-8x7b.config.json: experts: the published laws were fitted on dense models" in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_sliding_windows_from_the_config_and_the_options(scalelaw):
    # Mistral 7B: a 4096-key window in every layer (Jiang et al. 2023, Table 1); the options give the same count.
    mistral = scalelaw("count", "--config", config("mistral-7b-v0.1.config.json"), "--seq-len", 8192, "--json").json()
    assert mistral["params"]["total"] == 7241732096
    assert (mistral["shape"]["attention_window"], mistral["shape"]["windowed_layers"]) == (4096, 32)
    assert mistral["shape"]["attention_context"] == 4096
    options = scalelaw("count", "--layers", 32, "--d-model", 4096, "--heads", 32, "--kv-heads", 8, "--ffn", 14336,
                       "--vocab", 32000, "--seq-len", 8192, "--attention-window", 4096, "--json").json()
    assert options["flops_per_token"] == mistral["flops_per_token"]
    palm = {row["name"]: row["flops_per_token"] for row in mistral["flops_per_token"]}["palm"]
    assert palm == 6 * 7241732096 + 12 * 32 * 32 * 128 * 4096  # T = the window, not the 8192 context
    # Gemma 2: every other layer; the text says so.
    text = scalelaw("count", "--config", config("gemma-2-9b.config.json")).out
    assert "Sliding-window attention: 21 of 42 layers attend to at most 4096 keys" in text
    assert "6144 keys per query" in text


def test_text_output_shows_every_convention_beside_6n(scalelaw):
    result = scalelaw("count", "--config", config("llama-2-7b.config.json"))
    assert result.code == 0, result.err
    assert "6738415616" in result.out
    for title in ("6N", "Kaplan", "Chinchilla", "DeepSeek M", "PaLM"):
        assert title in result.out
    assert "arXiv:2203.15556, Appendix F" in result.out
    assert "x 6N" in result.out


def test_shape_options_match_the_config(scalelaw):
    # GPT-2 small by its shape: the same counts as its config.json (124,439,808 parameters).
    by_shape = scalelaw("count", "--layers", 12, "--d-model", 768, "--heads", 12, "--vocab", 50257, "--seq-len", 1024,
                        "--ffn-kind", "gelu", "--positions", "learned", "--norm", "layernorm", "--biases", "all",
                        "--tied", "--json")
    assert by_shape.code == 0, by_shape.err
    by_config = scalelaw("count", "--config", config("gpt2.config.json"), "--json").json()
    assert by_shape.json()["params"] == by_config["params"]
    assert by_shape.json()["flops_per_token"] == by_config["flops_per_token"]
    assert by_config["params"]["total"] == 124439808


def test_conventions_relations_in_json(scalelaw):
    # DeepSeek 7B's shape: M = 72 n_layer d^2 + 12 n_layer d l_seq = 4.2279e10; PaLM - 6N = 12 L H Q T; every
    # ratio is to the 6N row.
    out = scalelaw("count", "--layers", 30, "--d-model", 4096, "--heads", 32, "--ffn", 11008, "--vocab", 102400,
                   "--seq-len", 4096, "--json").json()
    rows = {row["name"]: row for row in out["flops_per_token"]}
    assert [row["name"] for row in out["flops_per_token"]][0] == "6n"
    assert f"{rows['deepseek']['flops_per_token']:.4e}" == "4.2279e+10"
    six_n = 6 * out["params"]["total"]
    assert rows["6n"]["flops_per_token"] == six_n
    assert rows["palm"]["flops_per_token"] - six_n == pytest.approx(12 * 30 * 32 * 128 * 4096, rel=1e-12)
    for row in out["flops_per_token"]:
        assert row["ratio_to_6n"] == pytest.approx(row["flops_per_token"] / six_n, rel=1e-12)
        assert "arXiv:" in row["citation"]


def test_seq_len_overrides_the_config_context(scalelaw):
    full = scalelaw("count", "--config", config("llama-3-8b.config.json"), "--json").json()
    short = scalelaw("count", "--config", config("llama-3-8b.config.json"), "--seq-len", 2048, "--json").json()
    assert short["shape"]["seq_len"] == 2048
    assert short["params"] == full["params"]
    palm = {r["name"]: r["flops_per_token"] for r in full["flops_per_token"]}["palm"]
    palm_short = {r["name"]: r["flops_per_token"] for r in short["flops_per_token"]}["palm"]
    assert palm - palm_short == pytest.approx(12 * 32 * 32 * 128 * (8192 - 2048), rel=1e-12)


@pytest.mark.parametrize("args, message", [
    (["--layers", 12, "--d-model", 1000, "--heads", 12, "--vocab", 50000, "--seq-len", 2048],
     "--heads: 12 heads do not divide d_model 1000"),
    (["--layers", 12, "--d-model", 768, "--heads", 12, "--kv-heads", 5, "--vocab", 50000, "--seq-len", 2048],
     "--kv-heads: 5 key-value heads do not divide the 12 query heads"),
    (["--layers", 12, "--d-model", 768, "--heads", 12, "--seq-len", 2048], "--vocab is missing"),
    (["--layers", 0, "--d-model", 768, "--heads", 12, "--vocab", 50000, "--seq-len", 2048], "--layers"),
    (["--layers", 2, "--d-model", 768, "--heads", 12, "--vocab", 50000, "--seq-len", 2048, "--ffn-kind", "relu"],
     "--ffn-kind"),
    (["--config", "gpt2.config.json", "--layers", 3], "--config excludes --layers"),
    (["--layers", 2, "--d-model", 64, "--heads", 4, "--vocab", 100, "--seq-len", 128, "--experts", 4,
      "--experts-per-token", 5], "--experts-per-token: must be a whole number from 1 to experts (4), not 5"),
    (["--layers", 2, "--d-model", 64, "--heads", 4, "--vocab", 100, "--seq-len", 128, "--experts", 4],
     "--experts-per-token: must be a whole number from 1 to experts (4), not 0"),
    (["--layers", 2, "--d-model", 64, "--heads", 4, "--vocab", 100, "--seq-len", 128, "--expert-ffn", 96],
     "--expert-ffn: an expert width (96) without experts"),
    (["--layers", 2, "--d-model", 64, "--heads", 4, "--vocab", 100, "--seq-len", 128, "--attention-window", 32,
      "--windowed-layers", 3], "--windowed-layers: must be a whole number from 0 to layers (2), not 3"),
    (["--layers", 2, "--d-model", 64, "--heads", 4, "--vocab", 100, "--seq-len", 128, "--windowed-layers", 1],
     "--windowed-layers: 1 windowed layers without an attention window"),
])
def test_bad_shapes_are_one_line_naming_the_option(scalelaw, args, message):
    args = [config(a) if a == "gpt2.config.json" else a for a in args]
    result = scalelaw("count", *args)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert result.out == ""


def test_bad_configs_name_the_file_and_field(scalelaw, tmp_path):
    mamba = scalelaw("count", "--config", config("mamba-130m.config.json"))
    assert mamba.code == 2
    assert "mamba-130m.config.json: field 'model_type': 'mamba' is not an architecture" in mamba.err
    assert len(mamba.err.strip().splitlines()) == 1
    # A Mixtral config without its top-k: the file and the field, not MixtralConfig's default of 2.
    mixtral = json.loads(open(config("mixtral-8x7b.config.json")).read())
    del mixtral["num_experts_per_tok"]
    no_top_k = tmp_path / "mixtral.json"
    no_top_k.write_text(json.dumps(mixtral))
    result = scalelaw("count", "--config", no_top_k)
    assert result.code == 2
    assert f"{no_top_k}: field 'num_experts_per_tok': missing" in result.err
    assert len(result.err.strip().splitlines()) == 1
    missing = tmp_path / "config.json"
    missing.write_text('{"model_type": "llama", "num_hidden_layers": 2, "num_attention_heads": 4}')
    result = scalelaw("count", "--config", missing)
    assert result.code == 2
    assert f"{missing}: field 'hidden_size': missing" in result.err
    assert len(result.err.strip().splitlines()) == 1
    absent = scalelaw("count", "--config", tmp_path / "absent.json")
    assert absent.code == 2
    assert "absent.json" in absent.err


def test_conventions_lists_the_registry(scalelaw):
    listed = scalelaw("count", "--conventions", "--json")
    assert listed.code == 0, listed.err
    rows = listed.json()
    assert [row["name"] for row in rows] == ["6n", "6n-non-embedding", "kaplan", "chinchilla", "deepseek", "palm"]
    assert all("arXiv:" in row["citation"] for row in rows)
    # The same rows, in the same order, as a count prints.
    counted = scalelaw("count", "--config", config("gpt2.config.json"), "--json").json()
    assert [row["name"] for row in counted["flops_per_token"]] == [row["name"] for row in rows]
    assert scalelaw("count", "--conventions", "--layers", 2).code == 2
