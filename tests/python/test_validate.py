"""scalelaw.validate (leave-future-out validation) and the predictive interval of predict: the Python faces of
`scalelaw validate` and `predict-loss --predictive`, checked against the CLI-independent recomputation from the
result (the fold's parameters, the fit's residuals and bootstrap draws)."""
import json
import math
import random

import numpy as np
import pytest

import scalelaw


def runs(sigma=0.01, seed=5):
    """6 sizes x 5 tokens-per-parameter ratios of L = 1.75 + 420/N^0.33 + 1800/D^0.31, times exp(sigma z)."""
    rng = random.Random(seed)
    table = {"params": [], "tokens": [], "loss": []}
    for n in (3e7, 1e8, 3e8, 1e9, 3e9, 1e10):
        for tpp in (2, 6, 20, 60, 200):
            d = tpp * n
            table["params"].append(n)
            table["tokens"].append(d)
            table["loss"].append((1.75 + 420 / n ** 0.33 + 1800 / d ** 0.31) * math.exp(sigma * rng.gauss(0, 1)))
    return table


def test_validate_returns_a_typed_result_whose_predictions_are_the_folds():
    table = runs()
    result = scalelaw.validate(table, bootstrap=40, max_span=float("inf"), split_by="N", thresholds=[1e9, 3e9])
    assert isinstance(result, scalelaw.ValidationResult)
    assert result.usable and result.split_by == "N" and [f["threshold"] for f in result.folds] == [1e9, 3e9]
    for run in result.runs:
        fold = result.folds[run["fold"]]
        p = fold["params"]
        n, d, loss = table["params"][run["run"]], table["tokens"][run["run"]], table["loss"][run["run"]]
        assert n >= fold["threshold"] and math.isclose(run["distance"], n / fold["threshold"], rel_tol=1e-12)
        assert math.isclose(run["predicted"], p["E"] + p["A"] / n ** p["alpha"] + p["B"] / d ** p["beta"],
                            rel_tol=1e-9)
        assert run["covered"] == (run["lo"] <= loss <= run["hi"])
    assert result.covered == sum(r["covered"] for r in result.runs) and result.with_interval == len(result.runs)
    assert result.mean_abs_relative_error < 0.03 and 0.75 <= result.coverage <= 1.0
    frame = result.to_frame("by_distance")
    assert list(frame["runs"]) == [band["runs"] for band in result.by_distance]
    assert result["status"] == "usable"  # the dict form of the JSON, as the CLI's --json


def test_validate_says_when_no_threshold_can_be_fitted_and_refuses_bad_input():
    result = scalelaw.validate(runs(), thresholds=[1e15])
    assert not result.usable and "no threshold leaves enough runs to fit" in result.message
    with pytest.raises(scalelaw.InvalidArgument, match="split_by='size'"):
        scalelaw.validate(runs(), split_by="size")
    with pytest.raises(scalelaw.InvalidArgument, match="holdout_top"):
        scalelaw.validate(runs(), holdout_top=3)
    with pytest.raises(scalelaw.InvalidArgument, match="threshold"):
        scalelaw.validate(runs(), thresholds=[-1.0])


def test_predict_gives_the_predictive_interval_of_a_bootstrapped_fit():
    fit = scalelaw.fit(runs(), bootstrap=50, max_span=float("inf"))
    data = json.loads(fit.to_json())
    residuals = np.array(data["residuals"])
    n, d = 2e10, 4e11
    draws = np.array([law["E"] + law["A"] / n ** law["alpha"] + law["B"] / d ** law["beta"]
                      for law in data["bootstrap"]["draws"]])
    errors = math.sqrt(len(residuals) / (len(residuals) - 5)) * (residuals - residuals.mean())
    combined = (draws[:, None] * np.exp(-errors[None, :])).ravel()
    with pytest.warns(scalelaw.ScalelawWarning):  # beyond the fitted N
        (p,) = scalelaw.predict("loss", fit=fit, params=n, tokens=d)
    assert math.isclose(p["loss_lo90p"], np.percentile(combined, 5), rel_tol=1e-10)
    assert math.isclose(p["loss_hi90p"], np.percentile(combined, 95), rel_tol=1e-10)
    with pytest.warns(scalelaw.ScalelawWarning):
        (none,) = scalelaw.predict("loss", fit=fit, params=n, tokens=d, predictive=0)
    assert "loss_lo90p" not in none and "loss_lo95" in none
    with pytest.raises(scalelaw.InvalidArgument, match="predictive"):
        scalelaw.predict("loss", fit=fit, params=n, tokens=d, predictive=1.5)


def test_predict_intervals_over_arrays_equal_the_one_point_predictions_and_numpy():
    fit = scalelaw.fit(runs(), bootstrap=40, max_span=float("inf"))
    data = json.loads(fit.to_json())
    residuals = np.array(data["residuals"])
    errors = math.sqrt(len(residuals) / (len(residuals) - 5)) * (residuals - residuals.mean())
    n = np.array([[1e8, 5e8, 2e9], [1e9, 3e9, 8e9]])
    d = np.array([2e9, 1e10, 4e10])  # broadcast against n's rows
    bands = fit.predict_intervals(n, d)
    assert set(bands) == {"loss", "loss_lo95", "loss_hi95", "loss_lo90p", "loss_hi90p"}
    assert all(a.shape == (2, 3) for a in bands.values())
    np.testing.assert_allclose(bands["loss"], fit.predict(n, d), rtol=1e-14)
    for i, j in np.ndindex(2, 3):
        draws = np.array([law["E"] + law["A"] / n[i, j] ** law["alpha"] + law["B"] / d[j] ** law["beta"]
                          for law in data["bootstrap"]["draws"]])
        combined = (draws[:, None] * np.exp(-errors[None, :])).ravel()
        assert math.isclose(bands["loss_lo95"][i, j], np.percentile(draws, 2.5), rel_tol=1e-10)
        assert math.isclose(bands["loss_hi95"][i, j], np.percentile(draws, 97.5), rel_tol=1e-10)
        assert math.isclose(bands["loss_lo90p"][i, j], np.percentile(combined, 5), rel_tol=1e-10)
        assert math.isclose(bands["loss_hi90p"][i, j], np.percentile(combined, 95), rel_tol=1e-10)
    # A scalar point gives floats, as predict does; predictive=0 leaves the predictive interval out.
    one = fit.predict_intervals(5e8, 1e10, predictive=0)
    assert set(one) == {"loss", "loss_lo95", "loss_hi95"} and isinstance(one["loss_lo95"], float)
    assert one["loss_lo95"] == pytest.approx(bands["loss_lo95"][0, 1], rel=1e-14)
    with pytest.raises(scalelaw.InvalidArgument, match="bootstrap"):
        scalelaw.fit(runs(), bootstrap=0).predict_intervals(n, d)
