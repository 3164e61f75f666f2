"""Predictive intervals of a new run's loss on the command line: `fit --bootstrap` writes its residuals and free
parameters, and `predict-loss --fit` gives loss_lo90p and loss_hi90p (or another --predictive level), recomputed
here with numpy from the written fit: every bootstrap prediction with every centred residual inflated by
sqrt(n / (n - p)), their percentiles."""
import json
import math

import numpy as np
from conftest import EXAMPLE_RUNS


def test_predict_loss_of_a_fit_carries_the_predictive_interval(scalelaw, tmp_path):
    fit_path = tmp_path / "fit.json"
    r = scalelaw("fit", EXAMPLE_RUNS, "--bootstrap", "60", "--output", fit_path)
    assert r.code == 0, r.err

    fit = json.loads(fit_path.read_text())
    residuals = np.array(fit["residuals"])
    assert len(residuals) == fit["n_points"] and fit["free_parameters"] == 5

    n, d = 2e9, 4e10
    out = scalelaw("predict-loss", "--fit", fit_path, "--params", n, "--tokens", d, "--json").json()
    predictions = np.array([law["E"] + law["A"] / n ** law["alpha"] + law["B"] / d ** law["beta"]
                            for law in fit["bootstrap"]["draws"]])
    errors = math.sqrt(len(residuals) / (len(residuals) - 5)) * (residuals - residuals.mean())
    draws = (predictions[:, None] * np.exp(-errors[None, :])).ravel()
    assert math.isclose(out["loss_lo90p"], np.percentile(draws, 5), rel_tol=1e-10)
    assert math.isclose(out["loss_hi90p"], np.percentile(draws, 95), rel_tol=1e-10)
    assert out["loss_lo90p"] < out["loss_lo95"] < out["loss"] < out["loss_hi95"] < out["loss_hi90p"]

    wide = scalelaw("predict-loss", "--fit", fit_path, "--params", n, "--tokens", d, "--predictive", "0.99",
                    "--json").json()
    assert math.isclose(wide["loss_lo99p"], np.percentile(draws, 0.5), rel_tol=1e-10)
    assert "loss_lo90p" not in wide
    none = scalelaw("predict-loss", "--fit", fit_path, "--params", n, "--tokens", d, "--predictive", "0",
                    "--json").json()
    assert "loss_lo90p" not in none and "loss_lo95" in none
    human = scalelaw("predict-loss", "--fit", fit_path, "--params", n, "--tokens", d)
    assert human.code == 0 and "[90% predictive " in human.out
    bad = scalelaw("predict-loss", "--fit", fit_path, "--params", n, "--tokens", d, "--predictive", "1.5")
    assert bad.code == 2 and "--predictive" in bad.err


def test_a_fit_without_bootstrap_has_no_predictive_interval(scalelaw, tmp_path):
    fit_path = tmp_path / "fit.json"
    assert scalelaw("fit", EXAMPLE_RUNS, "--output", fit_path).code == 0
    out = scalelaw("predict-loss", "--fit", fit_path, "--params", 2e9, "--tokens", 4e10, "--json").json()
    assert "loss_lo90p" not in out and "loss_lo95" not in out
