"""Each law reads N in its own definition: --config gives a model's exact counts and every law picks its own;
a bare count of another definition is read as it is, with a warning that sizes the difference; plan ends in a
trainable configuration."""
import math
import os

from conftest import SOURCE_DIR

LLAMA2 = os.path.join(SOURCE_DIR, "tests", "fixtures", "model_configs", "llama-2-7b.config.json")
# Llama-2-7B's counts written out: total 6,738,415,616; without the token embedding (32000 x 4096, Kaplan's N);
# without it and the untied output head (Tao et al.'s N_nv, the Step Law's N).
TOTAL = 6738415616
NON_EMBEDDING = TOTAL - 32000 * 4096
NON_VOCABULARY = TOTAL - 2 * 32000 * 4096


def test_a_config_gives_each_law_its_own_n(scalelaw):
    both = scalelaw("predict-lr", "--config", LLAMA2, "--tokens", "2e12", "--law", "all", "--json").json()
    by_law = {p["law"]: p for p in both["predictions"]} if "predictions" in both else {p["law"]: p for p in both}
    step = scalelaw("predict-lr", "--non-vocabulary-params", str(NON_VOCABULARY), "--tokens", "2e12", "--json").json()
    kaplan = scalelaw("predict-lr", "--non-embedding-params", str(NON_EMBEDDING), "--law", "kaplan", "--json").json()
    assert by_law["step-lr"]["lr"] == step["lr"]
    assert by_law["kaplan-lr"]["lr"] == kaplan["lr"]
    assert "N is the non-vocabulary parameter count given, as law 'step-lr' counts N" in by_law["step-lr"]["notes"]
    # DeepSeek's M from the config's layers, d_model and context: 72 L d^2 + 12 L d l_seq.
    m = 72 * 32 * 4096 ** 2 + 12 * 32 * 4096 * 4096
    assert math.isclose(by_law["deepseek-lr"]["flops"], m * 2e12, rel_tol=1e-12)


def test_a_bare_total_warns_a_law_of_another_n(scalelaw):
    r = scalelaw("predict-lr", "--params", "7e9", "--tokens", "2e11", "--law", "kaplan")
    assert r.code == 0, r.err
    warning = next(line for line in r.err.splitlines() if "counts N as" in line)
    assert "law 'kaplan-lr' counts N as the non-embedding parameters; the total count given (7e+09) is used" in warning
    assert "% fewer non-embedding parameters" in warning and "vocabulary 32000" in warning
    # Its own count: no such warning.
    r = scalelaw("predict-lr", "--non-embedding-params", "7e9", "--law", "kaplan")
    assert r.code == 0 and "counts N as" not in r.err


def test_a_count_and_a_config_are_one_line_exit_2(scalelaw):
    r = scalelaw("predict-lr", "--params", "7e9", "--config", LLAMA2, "--tokens", "2e12")
    assert r.code == 2
    assert r.err.strip().splitlines() == ["scalelaw: error: --params and a model's shape: give one of the two"]


def test_plan_ends_in_a_trainable_configuration(scalelaw):
    plan = scalelaw("plan", "--flops", "1e21", "--vocab", "50257", "--json").json()
    run = plan["configuration"]
    shape = run["shape"]
    assert shape["vocab"] == 50257 and run["flop_convention"] == "6n"
    # The shape's counts are what `scalelaw count` gives it, and D spends the budget under 6N.
    counted = scalelaw("count", "--layers", str(shape["layers"]), "--d-model", str(shape["d_model"]), "--heads",
                       str(shape["heads"]), "--vocab", "50257", "--seq-len", "2048", "--json").json()
    assert counted["params"] == run["params"]
    assert math.isclose(run["tokens"] * 6 * run["params"]["total"], 1e21, rel_tol=1e-12)
    assert run["batch_tokens"] == run["batch_sequences"] * 2048
    assert run["steps"] == math.ceil(run["tokens"] / run["batch_tokens"])
    # The LR is the Step Law's at the shape's own non-vocabulary N and the recomputed D.
    lr = scalelaw("predict-lr", "--non-vocabulary-params", str(run["params"]["non_vocabulary"]), "--tokens",
                  repr(run["tokens"]), "--json").json()
    assert math.isclose(run["peak_lr"], lr["lr"], rel_tol=1e-12) and plan["lr"] == run["peak_lr"]
    assert run["schedule"].startswith("cosine:peak=") and f"steps={int(run['steps'])}" in run["schedule"]
    text = scalelaw("plan", "--flops", "1e21", "--vocab", "50257")
    assert "Trainable configuration" in text.out and run["schedule"] in text.out


def test_docs_worked_examples_are_what_the_binary_prints(scalelaw):
    page = open(os.path.join(SOURCE_DIR, "docs", "plan-to-run.md")).read()
    warning = scalelaw("predict-lr", "--params", "7e9", "--tokens", "2e12", "--law", "kaplan").err.splitlines()[0]
    assert warning in page
    lr = scalelaw("predict-lr", "--config", LLAMA2, "--tokens", "2e12", "--law", "kaplan").out.rstrip("\n")
    assert lr in page
    plan = scalelaw("plan", "--flops", "1e21").out
    block = plan[plan.index("Trainable configuration"):plan.index("\n\n  note:")]
    assert block in page


def test_the_registry_names_each_laws_n_and_flop_convention(scalelaw):
    laws = {law["name"]: law for law in scalelaw("laws", "--json").json()["laws"]}
    assert laws["step-lr"]["params_kind"] == "non-vocabulary" and laws["kaplan-lr"]["params_kind"] == "non-embedding"
    assert laws["chinchilla"]["params_kind"] == "total" and laws["deepseek-lr"]["params_kind"] is None
    assert {name: laws[name]["flop_convention"] for name in ("epoch-allocation", "kaplan-allocation",
                                                             "deepseek-allocation")} == {
        "epoch-allocation": "6n", "kaplan-allocation": "6n-non-embedding", "deepseek-allocation": "deepseek"}
    conventions = {c["name"] for c in scalelaw("count", "--conventions", "--json").json()}
    assert {law["flop_convention"] for law in laws.values() if "flop_convention" in law} <= conventions
    # Every allocation law has one.
    assert all("flop_convention" in law for law in laws.values() if law["quantity"] == "allocation")
