"""scalelaw curve schedule: the LR schedule minimising a Multi-Power Law's final loss, written for a trainer."""
import csv
import json
import math

import numpy as np

# The published 25M law (Luo et al. 2025, arXiv:2503.12811, README / src/config.py) and the converged 100M optimum
# of ../shared/data/multipower/SOURCE.txt.
PUBLISHED_25M = dict(L0=3.04045406, A=0.52468604, alpha=0.50786857, B=363.78751622, C=2.06560812, beta=0.58279013,
                     gamma=0.64142257)
CONVERGED_100M = dict(L0=2.60722, A=0.63036, alpha=0.44925, B=636.891, C=0.00196, beta=0.24493, gamma=1.35653)
SETTING = ["--steps", "24000", "--peak", "3e-4", "--warmup", "2160"]


def law_params(law):
    return ",".join(f"{k}={v!r}" for k, v in law.items())


def final_loss(law, lr):
    """The Multi-Power Law at the last step, from its definition (curve_law.h), in numpy."""
    lr = np.asarray(lr, dtype=float)
    prefix = np.cumsum(lr)
    s_k = prefix[-1] - prefix[:-1]  # S_k(t) for k = 1..t: sum of lr[k..t]
    eta_k = lr[1:]
    drop = lr[:-1] - lr[1:]
    g = 1 - (law["C"] * eta_k ** (-law["gamma"]) * s_k + 1) ** (-law["beta"])
    return law["L0"] + law["A"] * prefix[-1] ** (-law["alpha"]) - law["B"] * np.sum(drop * g)


def read_schedule(path):
    with open(path) as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["step", "lr"]
    steps = [int(r[0]) for r in rows[1:]]
    lr = [float(r[1]) for r in rows[1:]]
    return steps, lr


def one_error_line(result):
    lines = [line for line in result.err.splitlines() if line.strip()]
    assert len(lines) == 1, result.err
    return lines[0]


def test_preset_writes_a_monotone_schedule_that_beats_cosine_and_wsd(scalelaw, tmp_path):
    out = tmp_path / "schedule.csv"
    plot = tmp_path / "schedule.svg"
    r = scalelaw("curve", "schedule", "--preset", "multi-power-25m", *SETTING, "--output", out, "--plot", plot,
                 "--json")
    assert r.code == 0, r.err
    summary = r.json()
    assert summary["usable"] and math.isclose(summary["min_lr"], 3e-5, rel_tol=1e-12)  # peak / 10
    steps, lr = read_schedule(out)
    assert steps == list(range(24000))
    assert lr[0] == 0 and lr[2159] == 3e-4  # the linear warmup from 0, as the paper's runs
    after = np.array(lr[2160:])
    assert np.all(after <= 3e-4) and np.all(after >= 3e-5 * (1 - 1e-12))
    assert np.all(np.diff(after) <= 1e-18)
    assert math.isclose(lr[-1], 3e-5, rel_tol=1e-12)
    # The reported final loss is the law's for the written schedule, recomputed here from the definition.
    assert math.isclose(summary["final_loss"], final_loss(PUBLISHED_25M, lr), rel_tol=1e-12)
    baselines = {b["name"]: b for b in summary["baselines"]}
    assert set(baselines) == {"cosine", "wsd-linear", "wsd-cosine", "wsd-exp"}
    for b in baselines.values():
        assert summary["final_loss"] < b["final_loss"]
    assert summary["best_wsd"] in baselines
    assert 0 < baselines["wsd-cosine"]["decay_fraction"] < 0.5
    assert plot.read_text().lstrip().startswith("<?xml")


def test_fit_json_and_law_params_give_the_same_design(scalelaw, tmp_path):
    fit = tmp_path / "fit.json"
    fit.write_text(json.dumps({"form": "multi-power", "lambda": 0.999, "status": "usable", "usable": True,
                               "parameters": CONVERGED_100M, "objective": 2.133133e-05, "points": 451}))
    by_fit = scalelaw("curve", "schedule", "--fit", fit, *SETTING, "--json")
    by_params = scalelaw("curve", "schedule", "--law-params", law_params(CONVERGED_100M), *SETTING, "--json")
    assert by_fit.code == 0 and by_params.code == 0, by_fit.err + by_params.err
    a, b = by_fit.json(), by_params.json()
    assert a["final_loss"] == b["final_loss"] and a["knots"] == b["knots"]
    assert a["final_loss"] < min(x["final_loss"] for x in a["baselines"])


def test_report_names_every_schedule(scalelaw):
    r = scalelaw("curve", "schedule", "--preset", "multi-power-100m", *SETTING, "--min-lr", "1e-5")
    assert r.code == 0, r.err
    for name in ("optimised", "cosine", "wsd-linear", "wsd-cosine", "wsd-exp", "status: usable"):
        assert name in r.out
    assert "floor 1e-05" in r.out


def test_bad_input_exits_2_with_one_line(scalelaw, tmp_path):
    cases = [
        (["curve", "schedule", *SETTING], "--fit, --preset or --law-params"),
        (["curve", "schedule", "--law-params", "L0=3,A=0.5", *SETTING], "alpha is missing"),
        (["curve", "schedule", "--law-params", law_params(PUBLISHED_25M) + ",delta=1", *SETTING], "delta"),
        (["curve", "schedule", "--law-params", law_params(PUBLISHED_25M).replace("A=", "A=x"), *SETTING], "--law-params"),
        (["curve", "schedule", "--preset", "multi-power-25m", *SETTING, "--min-lr", "3e-4"], "min_lr"),
        (["curve", "schedule", "--preset", "multi-power-25m", "--steps", "2000", "--peak", "3e-4", "--warmup", "2160"],
         "steps"),
        (["curve", "schedule", "--preset", "nope", *SETTING], "--preset"),
    ]
    for args, words in cases:
        r = scalelaw(*args)
        assert r.code == 2, (args, r.out, r.err)
        assert words in one_error_line(r), (args, r.err)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    r = scalelaw("curve", "schedule", "--fit", broken, *SETTING)
    assert r.code == 2 and "broken.json" in one_error_line(r)
    tissue = tmp_path / "tissue.json"
    tissue.write_text(json.dumps({"form": "annealing", "lambda": 0.999, "status": "usable",
                                  "parameters": {"L0": 3, "A": 0.5, "alpha": 0.5, "C": 100}}))
    r = scalelaw("curve", "schedule", "--fit", tissue, *SETTING)
    assert r.code == 2 and "multi-power" in one_error_line(r)


def test_an_unusable_fit_exits_1_with_its_reason(scalelaw, tmp_path):
    fit = tmp_path / "fit.json"
    fit.write_text(json.dumps({"form": "multi-power", "lambda": 0.999, "status": "not identifiable",
                               "message": "only constant-LR curves", "parameters": {}}))
    r = scalelaw("curve", "schedule", "--fit", fit, *SETTING)
    assert r.code == 1
    assert "only constant-LR curves" in r.err
