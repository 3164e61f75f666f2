"""scalelaw.predict_*, allocate, plan, laws and transfer_lr: the papers' numbers and worked
examples through Python, vectorised."""
import math
import warnings

import numpy as np
import pytest

import scalelaw


def test_predict_lr_scalar_and_vectorised():
    assert scalelaw.predict_lr(params=7e9, tokens=2e12) == pytest.approx(1.0226e-3, abs=5e-8)
    lrs = scalelaw.predict_lr(params=np.array([7e9, 1e9]), tokens=np.array([2e12, 1e11]))
    assert isinstance(lrs, np.ndarray) and lrs.shape == (2,)
    np.testing.assert_allclose(lrs, [1.0226e-3, 1.6325e-3], atol=5e-8)
    # broadcasting a scalar against an array, as numpy does
    np.testing.assert_allclose(scalelaw.predict_lr(params=7e9, tokens=[2e12, 1.4e12]), [1.0226e-3, 9.1656e-4],
                               atol=5e-8)


def test_predict_lr_all_laws_and_warnings():
    with pytest.warns(scalelaw.ScalelawWarning, match="outside"):
        out = scalelaw.predict_lr(params=7e9, tokens=2e12, law="all")
    assert set(out) == {"step-lr", "deepseek-lr", "kaplan-lr"}
    assert out["deepseek-lr"] == pytest.approx(0.3118 * 8.4e22 ** -0.125, rel=1e-12)
    assert scalelaw.predict_lr(flops=8.4557e22, law="deepseek") == pytest.approx(4.2460e-4, abs=5e-9)


def test_predict_batch_tokens_and_sequences():
    assert scalelaw.predict_batch(tokens=2e12) == pytest.approx(6.1280e6, abs=50)
    assert scalelaw.predict_batch(tokens=2e12, unit="sequences") == pytest.approx(2992.2, abs=0.05)
    np.testing.assert_allclose(scalelaw.predict_batch(loss=[2.0, 3.0], law="kaplan"), [7.740e6, 1.123e6], rtol=1e-3)
    assert scalelaw.predict_batch(loss=2.5, law="minicpm") == pytest.approx(3.9778e6, abs=50)


def test_predict_wd_vocab_loss_transfer():
    assert scalelaw.predict_wd(1e9, 2e10, 1048576, 1e-3) == pytest.approx(0.2345, abs=5e-5)
    assert math.floor(scalelaw.predict_vocab(7e9, approach=2)) == 67450
    assert math.floor(scalelaw.predict_vocab(2.87e9, 2.3e21)) == 42211
    assert scalelaw.predict_loss(70e9, 1.4e12, law="chinchilla") == pytest.approx(1.936645, abs=5e-7)
    assert scalelaw.predict_loss(6.34e9, 242e9, 25e9, law="datablations") == pytest.approx(2.2256440889984477,
                                                                                           rel=1e-12)
    np.testing.assert_allclose(scalelaw.transfer_lr(1e-3, 1e10, [2e10, 1e11]), [1e-3 * 0.8011, 4.786e-4], rtol=1e-4)


def test_allocate_variants():
    sardana = scalelaw.allocate(target_loss=2.0238, inference_tokens=2e12, law="chinchilla-unrounded")
    assert sardana.params == pytest.approx(7.12e9, rel=0.01)
    assert sardana.values["saving_fraction"] == pytest.approx(0.163, abs=0.002)
    data = scalelaw.allocate(1e22, unique_tokens=25e9)
    assert data.law == "datablations-allocation" and data.epochs == pytest.approx(9.4935, abs=5e-5)
    with pytest.raises(ValueError, match="irreducible"):
        scalelaw.allocate(target_loss=1.0, law="epoch")


def test_plan_names_every_source():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scalelaw.ScalelawWarning)
        out = scalelaw.plan(1e23)
    assert out["params"] * out["tokens"] * 6 == pytest.approx(1e23, rel=1e-9)
    for key in ("lr", "batch_tokens", "weight_decay", "vocab_size", "loss"):
        assert key in out and key in out["sources"]
    assert out["spread"]["lr"][0] < out["spread"]["lr"][1]


def test_laws_registry():
    laws = scalelaw.laws()
    names = {law.name for law in laws}
    assert {"chinchilla", "epoch", "step-lr", "deepseek-batch", "power-lines-wd", "tao-vocab", "sardana"} <= names
    step = scalelaw.laws("step-lr")
    assert "2503.04715" in step.citation and step.quantity == "learning rate"
    with pytest.raises(ValueError, match="unknown law"):
        scalelaw.laws("nope")


def test_bad_inputs_raise_value_errors():
    with pytest.raises(ValueError, match="positive"):
        scalelaw.predict_lr(params=-7e9, tokens=2e12)
    # Inputs are named as Python spells them, not as the CLI's options.
    with pytest.raises(ValueError, match="law 'step' needs tokens=$"):
        scalelaw.predict_lr(params=7e9)
    with pytest.raises(ValueError, match="law 'deepseek' needs d_model= with layers="):
        scalelaw.predict_lr(layers=30, tokens=2e12, law="deepseek")
    with pytest.raises(ValueError, match="known: step"):
        scalelaw.predict_lr(params=7e9, tokens=2e12, law="nope")
    with pytest.raises(ValueError, match="nan"):
        scalelaw.predict_lr(params=float("nan"), tokens=2e12)


def test_flops_is_the_training_compute_and_a_lifetime_budget_has_its_own_keyword():
    """An inference-aware split spends lifetime_flops (training plus inference): 6ND + 2N D_inf equals it;
    flops with inference_tokens is refused, naming the keyword to use."""
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scalelaw.ScalelawWarning)
        a = scalelaw.allocate(lifetime_flops=1e24, inference_tokens=1e13)
        p = scalelaw.plan(lifetime_flops=1e24, inference_tokens=1e13)
        chinchilla = scalelaw.allocate(1e24)
    assert 6 * a.params * a.tokens + 2 * a.params * 1e13 == pytest.approx(1e24, rel=1e-9)
    assert a.flops == pytest.approx(6 * a.params * a.tokens, rel=1e-12) and a.params < chinchilla.params
    assert p["params"] == pytest.approx(a.params, rel=1e-12)
    with pytest.raises(scalelaw.InvalidArgument, match="flops= as the training compute.*lifetime_flops="):
        scalelaw.allocate(1e24, inference_tokens=1e13)


def test_predict_downstream_reads_the_first_output_the_registry_lists():
    # The registry's own test vectors (laws.md): the Performance Law at Llama-3-8B's shape and data, MMLU 65.45
    # (and its instability discount by key=); the densing law's 7e9 at one doubling time, 3.5e9 for equal quality.
    mmlu = scalelaw.predict_downstream(layers=32, d_model=4096, ffn_width=14336, tokens=15e12, params=8.03e9)
    assert round(mmlu, 2) == 65.45
    discount = scalelaw.predict_downstream(key="instability_discount", layers=32, d_model=4096, ffn_width=14336,
                                           tokens=15e12, params=8.03e9)
    assert round(discount, 4) == 0.9686
    assert scalelaw.predict_downstream(law="densing", params=7e9, days=99.02) == pytest.approx(3.5e9, rel=1e-3)
    with pytest.raises(scalelaw.InvalidArgument, match="not a downstream law .*densing, performance-law"):
        scalelaw.predict_downstream(law="chinchilla", params=7e9)
