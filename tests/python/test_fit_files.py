"""A FitResult survives pickling and every way of saving it: pickle.dumps/loads, and scalelaw.load_fit of a path
(str or os.PathLike), of the JSON text and of the dict give back the same fit (the same to_dict(), to the last
bit of every number, and the same predictions); load_fit's errors say which of the three it read."""
import copy
import json
import math
import os
import pathlib
import pickle

import numpy as np
import pytest

import scalelaw

SOURCE_DIR = os.environ.get("SCALELAW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
CLI_FIT = os.path.join(SOURCE_DIR, "fuzz", "corpus", "fit_json", "chinchilla_options.json")

TRUTH = {"E": 1.75, "A": 420.0, "B": 1800.0, "alpha": 0.33, "beta": 0.31}


def runs():
    n = np.repeat([3e7, 1e8, 3e8, 1e9, 3e9, 1e10], 5)
    d = n * np.tile([2.0, 8.0, 20.0, 60.0, 150.0], 6)
    noise = 1 + 0.003 * np.sin(np.arange(n.size) * 2.3)
    loss = (TRUTH["E"] + TRUTH["A"] / n ** TRUTH["alpha"] + TRUTH["B"] / d ** TRUTH["beta"]) * noise
    return n, d, loss


def fits():
    """Fits of different forms, with options set, and how to predict from each."""
    n, d, loss = runs()
    x = np.geomspace(1.0, 1e4, 20)
    y = 3.0 * x ** -0.1 * (1 + 0.002 * np.cos(np.arange(x.size)))
    chinchilla = scalelaw.fit(n, d, loss, bootstrap=5, seed=3, holdout_top=3, at_flops=1e21, fix={"E": 1.75},
                              bounds={"A": (0.0, float("inf"))}, drop_highest=2)
    squared = scalelaw.fit(n, d, loss, objective="squared", tie=[("alpha", "beta")], starts="lhs:16", seed=9)
    loglinear = scalelaw.fit(loss=y, model="loglinear", columns={"x": x}, objective="squared-log")
    formula = scalelaw.fit(loss=loss, formula="E + A/size^alpha + B/seen^beta",
                           columns={"size": n, "seen": d}, grid={"alpha": [0.2, 0.4], "beta": [0.2, 0.4]},
                           bounds={"A": (0, float("inf")), "B": (0, float("inf"))})
    mle = scalelaw.fit(n, d, loss, estimator="mle", bootstrap=3)
    return [
        (chinchilla, lambda f: [f.predict(1e9, 1e11), f.allocate(1e20)["params"]]),
        (squared, lambda f: [f.predict(n, d)]),
        (loglinear, lambda f: [f.predict(x=[2.0, 300.0]), scalelaw.predict_loss(fit=f, x=50.0)]),
        (formula, lambda f: [f.predict(size=1e9, seen=2e10)]),
        (mle, lambda f: [f.predict(1e9, 1e11), f.log_scale]),
    ]


@pytest.fixture(scope="module")
def fitted():
    out = fits()
    for result, _ in out:
        assert result.usable, result.message
    return out


def same(a, b):
    """The two predictions, bit for bit (arrays element by element)."""
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))


def test_pickle_gives_the_same_fit_and_predictions(fitted):
    for result, predict in fitted:
        for protocol in (0, pickle.HIGHEST_PROTOCOL):
            back = pickle.loads(pickle.dumps(result, protocol=protocol))
            assert isinstance(back, scalelaw.FitResult)
            assert back.to_dict() == result.to_dict()
            assert back.to_json() == result.to_json()
            same(predict(back), predict(result))
        assert copy.deepcopy(result).to_dict() == result.to_dict()
        assert copy.copy(result).params == result.params


def test_load_fit_takes_a_path_a_json_string_or_a_dict(fitted, tmp_path):
    for k, (result, predict) in enumerate(fitted):
        path = tmp_path / f"fit{k}.json"
        path.write_text(result.to_json())
        saved = result.to_dict()
        for source in (str(path), path, result.to_json(), saved, json.dumps(saved, indent=2)):
            back = scalelaw.load_fit(source)
            assert back.to_dict() == saved, type(source)
            same(predict(back), predict(result))


def test_what_was_lost_before_comes_back(fitted):
    chinchilla, squared, loglinear, formula, mle = (result for result, _ in fitted)
    # The objective kind (a squared fit used to come back as huber), the options and the bootstrap means.
    assert scalelaw.load_fit(squared.to_dict()).to_dict()["objective_kind"] == "squared"
    options = scalelaw.load_fit(chinchilla.to_json()).to_dict()["options"]
    assert options["fixed"] == {"E": 1.75}
    assert options["bounds"] == {"A": [0.0, None]}  # the open side of the bound is null
    assert options["bootstrap_resamples"] == 5 and options["bootstrap_seed"] == 3 and options["holdout_top"] == 3
    assert options["at_flops"] == 1e21
    assert scalelaw.load_fit(squared.to_dict()).to_dict()["options"]["tied"] == [["alpha", "beta"]]
    saved = chinchilla.to_dict()
    assert saved["drop_highest"] == 2
    draws = saved["bootstrap"]["draws"]
    assert saved["mean"]["alpha"] == pytest.approx(sum(d["alpha"] for d in draws) / len(draws), rel=1e-12)
    # A loglinear fit (its form needs its inputs) and a formula over columns of the user's names.
    assert loglinear.to_dict()["inputs"] == ["x"]
    assert formula.to_dict()["inputs"] == ["size", "seen"]
    again = scalelaw.load_fit(loglinear.to_dict())
    assert again.predict(x=50.0) == loglinear.predict(x=50.0)
    assert again.predict(x=50.0) == pytest.approx(3.0 * 50.0 ** -0.1, rel=5e-3)
    # The parameters in the model's own order, not the JSON object's.
    assert scalelaw.load_fit(mle.to_json()).to_dict()["parameter_names"] == ["E", "A", "B", "alpha", "beta"]


def test_a_file_the_cli_wrote_loads_whole():
    with open(CLI_FIT) as f:
        written = json.load(f)
    result = scalelaw.load_fit(CLI_FIT)
    assert result.to_dict() == written
    assert result.to_dict()["options"]["objective"] == "asymmetric"
    assert pickle.loads(pickle.dumps(result)).to_dict() == written


def test_load_fit_errors_say_what_it_tried(tmp_path):
    with pytest.raises(scalelaw.InputError, match="neither the path of an existing file nor JSON text"):
        scalelaw.load_fit("no/such/fit.json")
    with pytest.raises(scalelaw.InputError, match="no such file"):
        scalelaw.load_fit(pathlib.Path(tmp_path / "missing.json"))
    with pytest.raises(scalelaw.InputError, match="^JSON text: not valid JSON"):
        scalelaw.load_fit('{"model": ')
    with pytest.raises(scalelaw.InputError, match='^dict: key "params"'):
        scalelaw.load_fit({"model": "chinchilla"})
    with pytest.raises(scalelaw.InputError, match="the dict is not a fit's JSON"):
        scalelaw.load_fit({"model": "chinchilla", "params": {"E": math.nan}})
    bad = tmp_path / "bad.json"
    bad.write_text('{"model": "loglinear", "formula": "C * x^k_x", "params": {"C": 1.0}}')
    for source in (bad, str(bad)):
        with pytest.raises(scalelaw.InputError, match="bad.json: key \"params.k_x\": missing"):
            scalelaw.load_fit(source)
    with pytest.raises(TypeError, match="path, JSON text or a dict"):
        scalelaw.load_fit(42)


def test_a_fit_written_before_the_new_keys_still_loads():
    """A to_dict() of an earlier version: no inputs, options, parameter order or bootstrap means."""
    old = {"model": "loglinear", "formula": "C * x^k_x", "params": {"C": 3.0, "k_x": -0.1}, "converged": True,
           "objective_kind": "squared-log", "huber_delta": 0.001, "estimator": "objective"}
    result = scalelaw.load_fit(old)
    assert result.to_dict()["inputs"] == ["x"]
    assert result.to_dict()["options"]["objective"] == "squared-log"
    assert result.predict(x=10.0) == pytest.approx(3.0 * 10.0 ** -0.1, rel=1e-15)
    chinchilla = scalelaw.load_fit({"model": "chinchilla", "params": TRUTH, "converged": True})
    assert chinchilla.to_dict()["inputs"] == ["N", "D"]
    assert chinchilla.to_dict()["options"]["start_strategy"] == "auto"
    assert chinchilla.predict(1e9, 2e10) == pytest.approx(
        TRUTH["E"] + TRUTH["A"] / 1e9 ** TRUTH["alpha"] + TRUTH["B"] / 2e10 ** TRUTH["beta"], rel=1e-14)


def test_pickle_keeps_the_columns_read_from_a_table():
    """A fit read from a table records its columns (table_columns), and a pickled copy keeps them, so plot(fit, df)
    reads the same columns after a round trip."""
    n, d, loss = runs()
    table = {"N": n, "D": d, "L": loss}
    result = scalelaw.fit(table, params="N", tokens="D", loss="L")
    back = pickle.loads(pickle.dumps(result))
    assert back.table_columns == result.table_columns == {"params": "N", "tokens": "D", "loss": "L"}
    assert back.to_json() == result.to_json()
    # A fit from arrays records none, and comes back with none.
    assert pickle.loads(pickle.dumps(scalelaw.fit(n, d, loss))).table_columns is None
