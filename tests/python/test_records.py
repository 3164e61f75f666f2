"""Typed results: predict() gives Prediction objects, allocate() an Allocation, plan() a Plan, laws() LawRecords,
inputs() InputRecords, models(details=True) ModelRecords; their attributes carry the published numbers, and the
dict interface of earlier versions (r["key"], key in r, keys(), to_dict()) reads the same JSON."""
import dataclasses
import math
import warnings

import numpy as np
import pytest

import scalelaw


def quiet(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scalelaw.ScalelawWarning)
        return function(*args, **kwargs)


def test_prediction_attributes():
    with pytest.warns(scalelaw.ScalelawWarning, match="outside"):
        [p] = scalelaw.predict("lr", law="step", non_vocabulary_params=7e9, tokens=2e12)  # the Step Law's own N
    assert isinstance(p, scalelaw.Prediction)
    assert p.law == "step-lr" and "2503.04715" in p.citation
    assert p.values["lr"] == pytest.approx(1.0226e-3, abs=5e-8)  # laws.md: Step Law at N = 7e9, D = 2e12
    assert p["lr"] == p.values["lr"]  # as the dicts of earlier versions
    assert p.skipped is None and "non-vocabulary" in p.params_definition and p.units
    assert len(p.warnings) == 2 and "fitted on" in p.warnings[0]  # N and D beyond the Step Law's runs
    assert p.notes == ["N is the non-vocabulary parameter count given, as law 'step-lr' counts N"]
    assert p.to_dict()["lr"] == p.values["lr"] and "lr" in p and "nope" not in p
    with pytest.raises(KeyError, match="'nope'"):
        p["nope"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        p.law = "other"  # type: ignore[misc]


def test_prediction_of_a_law_that_cannot_answer_is_skipped():
    predictions = quiet(scalelaw.predict, "lr", params=1e9, tokens=1e11)
    skipped = [p for p in predictions if p.skipped is not None]
    assert [p.law for p in skipped] == ["bjorck-transfer"] and "lr=" in skipped[0].skipped
    assert skipped[0].values == {}
    answered = {p.law: p.values["lr"] for p in predictions if p.skipped is None}
    assert answered["deepseek-lr"] == pytest.approx(0.3118 * 6e20 ** -0.125, rel=1e-12)  # C = 6ND


def test_allocation_attributes():
    a = scalelaw.allocate(1e21, law="epoch")
    assert isinstance(a, scalelaw.Allocation)
    # laws.md 1.4: Epoch constants at C = 1e21 give N 2.778e9, D 5.999e10.
    assert round(a.params / 1e9, 3) == 2.778 and round(a.tokens / 1e10, 3) == 5.999
    assert a.flops == 1e21 and a.tokens_per_param == pytest.approx(a.tokens / a.params, rel=1e-12)
    assert a.loss == a.values["loss"] and a.epochs == 1.0
    assert a.params_lo95 is None and a.loss_hi95 is None  # a published law has no resamples
    assert a.law == "epoch-allocation" and "Besiroglu" in a.citation and a.warnings == []
    assert a["params"] == a.params and set(a.keys()) == set(a.to_dict()) and "flops_lo95" not in a
    # A variant's extra outputs are in values.
    s = quiet(scalelaw.allocate, target_loss=2.0238, inference_tokens=2e12, law="chinchilla-unrounded")
    assert s.values["saving_fraction"] == pytest.approx(0.163, abs=0.002)


def test_allocation_bounds_of_a_bootstrapped_fit():
    rng = np.random.default_rng(4)
    n = np.repeat([1e8, 3e8, 1e9, 3e9], 4)
    d = np.tile([2e9, 6e9, 2e10, 6e10], 4)
    loss = (1.8 + 400 / n ** 0.34 + 410 / d ** 0.28) * np.exp(0.01 * rng.standard_normal(n.size))
    result = scalelaw.fit(n, d, loss, bootstrap=50, seed=3)
    a = quiet(result.allocate, 1e22)
    assert a.params_lo95 is not None and a.params_hi95 is not None
    assert a.params_lo95 < a.params < a.params_hi95 and a.tokens_lo95 < a.tokens < a.tokens_hi95
    assert a.params_lo95 == a["params_lo95"] and 6 * a.params * a.tokens == pytest.approx(1e22, rel=1e-12)


def test_plan_items():
    plan = quiet(scalelaw.plan, 1e23)
    assert isinstance(plan, scalelaw.Plan) and plan.flops == 1e23
    keys = [item.key for item in plan.items]
    assert keys == list(plan.sources) and {"params", "tokens", "lr", "batch_tokens", "loss"} <= set(keys)
    for item in plan.items:
        assert item.value == plan[item.key] == plan.values[item.key]
        assert item.law == plan.sources[item.key] == plan["sources"][item.key]
        if item.alternatives:
            assert item.alternatives == [(a["law"], a["value"]) for a in plan["alternatives"][item.key]]
            lo, hi = item.spread
            assert lo == min(v for _, v in item.alternatives) and hi == max(v for _, v in item.alternatives)
    assert plan.values["params"] * plan.values["tokens"] * 6 == pytest.approx(1e23, rel=1e-9)
    assert plan.item("lr").law == plan.sources["lr"]
    with pytest.raises(KeyError, match="momentum"):
        plan.item("momentum")
    assert "tokens_per_param" in plan.values  # the allocation's other numbers


def test_registry_records():
    laws = scalelaw.laws()
    assert all(isinstance(law, scalelaw.LawRecord) for law in laws) and len(laws) >= 31
    epoch = scalelaw.laws("epoch")
    assert epoch.constants == {"E": 1.8172, "A": 482.01, "B": 2085.43, "alpha": 0.3478, "beta": 0.3658}
    assert epoch.range["params"] == (7e7, 1.6e10) and epoch.quantity_key == "loss"
    assert epoch.inputs == ["params", "tokens"] and epoch["name"] == epoch.name == "epoch"
    keys = {entry.key for entry in scalelaw.inputs()}
    assert {"params", "tokens", "flops", "loss"} <= keys
    params = next(entry for entry in scalelaw.inputs() if entry.key == "params")
    assert params.option == "--params" and params.quantity and params.help
    assert params.default == params["default"] or math.isnan(params.default)
    chinchilla = next(m for m in scalelaw.models(details=True) if m.name == "chinchilla")
    assert chinchilla.parameters == ["E", "A", "B", "alpha", "beta"] and chinchilla.inputs == ["N", "D"]
    assert chinchilla["formula"] == chinchilla.formula
    assert scalelaw.models()[0] == scalelaw.models(details=True)[0].name
