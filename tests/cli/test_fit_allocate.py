"""scalelaw fit and scalelaw allocate, end to end through the binary."""
import math
import os

import pytest

from conftest import EXAMPLE_RUNS

EPOCH_COLUMNS = ["--params-col", "Model Size", "--flops-col", "Training FLOP", "--drop-highest", 5]


def compute_optimal(p, flops):
    """Hoffmann et al. 2022 Eq. 4, recomputed here independently of the C++ code."""
    g = (p["alpha"] * p["A"] / (p["beta"] * p["B"])) ** (1 / (p["alpha"] + p["beta"]))
    a = p["beta"] / (p["alpha"] + p["beta"])
    return g * (flops / 6) ** a, (flops / 6) ** (1 - a) / g


def test_fit_prints_a_readable_table(scalelaw):
    r = scalelaw("fit", EXAMPLE_RUNS)
    assert r.code == 0, r.err
    assert "Fitted L = E + A/N^alpha + B/D^beta to 48 runs" in r.out
    for name in ("E", "A", "B", "alpha", "beta", "objective", "compute-optimal"):
        assert name in r.out
    assert "converged" in r.out
    assert r.err == ""


def test_fit_json_is_one_object_with_the_documented_keys(scalelaw):
    r = scalelaw("fit", EXAMPLE_RUNS, "--json")
    assert r.code == 0, r.err
    fit = r.json()
    assert set(fit["params"]) == {"E", "A", "B", "alpha", "beta"}
    assert fit["n_points"] == 48
    assert fit["converged"] is True
    assert fit["model"] == "chinchilla" and fit["estimator"] == "objective"
    assert 0 < fit["objective"] < 0.01
    # The example runs are the Epoch law plus 1% noise: the exponents come back near 0.35 and 0.37.
    assert abs(fit["params"]["alpha"] - 0.3478) < 0.05
    assert abs(fit["params"]["beta"] - 0.3658) < 0.05


def test_stdin_and_a_flops_column_give_the_same_fit(scalelaw):
    with open(EXAMPLE_RUNS) as fh:
        text = fh.read()
    from_file = scalelaw("fit", EXAMPLE_RUNS, "--json").json()
    from_stdin = scalelaw("fit", "-", "--json", "--flops-col", "flops", stdin=text).json()
    for name, value in from_file["params"].items():
        assert math.isclose(from_stdin["params"][name], value, rel_tol=1e-4)


def test_threads_do_not_change_the_answer(scalelaw):
    one = scalelaw("fit", EXAMPLE_RUNS, "--json", "--threads", 1).json()
    two = scalelaw("fit", EXAMPLE_RUNS, "--json", "--threads", 2).json()
    assert one["params"] == two["params"]
    assert one["objective"] == two["objective"]


def test_allocate_from_a_saved_fit(scalelaw, tmp_path):
    path = tmp_path / "fit.json"
    assert scalelaw("fit", EXAMPLE_RUNS, "--output", path).code == 0
    r = scalelaw("allocate", "--fit", path, "--flops", "1e21", "--json")
    assert r.code == 0, r.err
    out = r.json()
    import json
    params = json.loads(path.read_text())["params"]
    n, d = compute_optimal(params, 1e21)
    assert math.isclose(out["params"], n, rel_tol=1e-9)
    assert math.isclose(out["tokens"], d, rel_tol=1e-9)
    assert math.isclose(6 * out["params"] * out["tokens"], 1e21, rel_tol=1e-12)
    assert out["law"].startswith("fit:")


def test_allocate_with_published_laws(scalelaw):
    # Worked example: Besiroglu et al. 2024 (Table 1) at Chinchilla's 5.76e23 FLOPs: N 7.225e10, D 1.329e12
    # (18.4 tokens per parameter).
    r = scalelaw("allocate", "--law", "epoch", "--flops", "5.76e23", "--json")
    assert r.code == 0
    out = r.json()
    assert round(out["params"] / 1e10, 3) == 7.225
    assert round(out["tokens"] / 1e12, 3) == 1.329
    assert out["flops"] == 5.76e23
    assert "Besiroglu" in out["citation"]
    # 72B parameters is beyond the 16B the Chinchilla runs reached: said in JSON and on stderr.
    assert any("outside" in w for w in out["warnings"])
    assert "warning" in r.err
    printed = scalelaw("allocate", "--law", "chinchilla", "--flops", "1e21", "--json").json()
    assert round(printed["params"] / 1e9, 3) == 1.824
    assert printed["warnings"] == []


def test_allocate_human_output_names_units(scalelaw):
    r = scalelaw("allocate", "--law", "chinchilla-unrounded", "--flops", "5.76e23")
    assert r.code == 0
    assert "4.036e+10" in r.out and "total parameters" in r.out and "C = 6ND" in r.out


def test_epoch_replication_through_the_cli(scalelaw, chinchilla_runs):
    fit = scalelaw("fit", chinchilla_runs, *EPOCH_COLUMNS, "--json").json()
    assert fit["n_points"] == 240
    assert fit["objective"] <= 0.0010182740346 + 1e-11
    p = fit["params"]
    assert abs(p["A"] / 477.84 - 1) < 0.01 and abs(p["B"] / 2143.86 - 1) < 0.01
    assert abs(p["E"] - 1.81724) < 1e-4
    assert abs(p["alpha"] / 0.347313 - 1) < 1e-3 and abs(p["beta"] / 0.367183 - 1) < 1e-3

    mle = scalelaw("fit", chinchilla_runs, *EPOCH_COLUMNS, "--estimator", "mle", "--json").json()
    reference = {"A": 482.006, "B": 2085.434, "E": 1.81686, "alpha": 0.347813, "beta": 0.365854}
    for name, value in reference.items():
        assert abs(mle["params"][name] / value - 1) < 1e-4, name


def test_help_and_version(scalelaw):
    assert scalelaw("--help").code == 0
    r = scalelaw("fit", "--help")
    assert r.code == 0 and "--flops-col" in r.out
    assert scalelaw("--version").out.strip() == "0.1.0"


def test_fit_bootstrap_fix_and_tie(scalelaw):
    r = scalelaw("fit", EXAMPLE_RUNS, "--bootstrap", 200, "--seed", 1, "--at-flops", "1e21", "--json")
    assert r.code == 0, r.err
    out = r.json()
    assert out["bootstrap"]["resamples"] == 200
    for name in ("E", "A", "B", "alpha", "beta", "a", "N_opt", "D_opt"):
        lo, hi = out["ci95"][name]
        assert lo < hi and out["se"][name] > 0
    again = scalelaw("fit", EXAMPLE_RUNS, "--bootstrap", 200, "--seed", 1, "--at-flops", "1e21", "--threads", 1,
                     "--json").json()
    assert again["se"] == out["se"]
    human = scalelaw("fit", EXAMPLE_RUNS, "--bootstrap", 50)
    assert "95% interval (bootstrap)" in human.out
    fixed = scalelaw("fit", EXAMPLE_RUNS, "--fix", "alpha=0.3478", "--tie", "A=B", "--json").json()
    assert fixed["params"]["alpha"] == 0.3478 and fixed["params"]["A"] == fixed["params"]["B"]
    for bad, fragment in ((["--fix", "alpha"], "NAME=VALUE"), (["--fix", "alpha=x"], "not a finite number"),
                          (["--fix", "gamma=1"], "no parameter 'gamma'"), (["--tie", "A=alpha"], "cannot tie")):
        r = scalelaw("fit", EXAMPLE_RUNS, *bad)
        assert r.code == 2 and fragment in r.err, (bad, r.err)


def test_fit_other_model_forms(scalelaw, tmp_path):
    # Runs of the Kaplan et al. 2020 joint law (Table 2 constants), noise-free.
    rows = ["params,tokens,loss"]
    for n in (1e6, 1e7, 1e8, 1e9):
        for d in (1e8, 1e9, 1e10, 3e10):
            rows.append(f"{n},{d},{((6.4e13 / n) ** (0.076 / 0.103) + 1.8e13 / d) ** 0.103}")
    path = tmp_path / "kaplan.csv"
    path.write_text("\n".join(rows) + "\n")
    fit = scalelaw("fit", path, "--model", "kaplan", "--json").json()
    assert fit["converged"] and abs(fit["params"]["alpha_N"] / 0.076 - 1) < 1e-3
    r = scalelaw("fit", EXAMPLE_RUNS, "--model", "data-constrained")
    assert r.code == 2 and "--unique-tokens-col" in r.err
    bounded = scalelaw("fit", EXAMPLE_RUNS, "--bound", "alpha=0.1:0.3", "--json").json()
    assert 0.1 <= bounded["params"]["alpha"] <= 0.3
    r = scalelaw("fit", EXAMPLE_RUNS, "--bound", "alpha=0.3")
    assert r.code == 2 and "LOWER:UPPER" in r.err


EPOCH_GRID = ["--grid", "E=" + ",".join(str(math.exp(v)) for v in (-1, -0.5, 0, 0.5, 1)),
              "--grid", "A=" + ",".join(str(math.exp(v)) for v in range(0, 30, 5)),
              "--grid", "B=" + ",".join(str(math.exp(v)) for v in range(0, 30, 5)),
              "--grid", "alpha=0:2:0.5", "--grid", "beta=0:2:0.5",
              "--bound", "E=0:", "--bound", "A=0:", "--bound", "B=0:"]


@pytest.mark.heavy
def test_formula_reaches_the_chinchilla_optimum(scalelaw, chinchilla_runs, tmp_path):
    # The formula language names CSV columns; the digitised runs' headers have spaces, so write N, D, loss.
    import csv
    rows = list(csv.DictReader(open(chinchilla_runs)))
    path = tmp_path / "runs.csv"
    with open(path, "w") as fh:
        fh.write("N,D,loss\n")
        for row in rows:
            n = float(row["Model Size"])
            fh.write(f"{row['Model Size']},{float(row['Training FLOP']) / (6 * n)!r},{row['loss']}\n")
    model = scalelaw("fit", path, "--params-col", "N", "--tokens-col", "D", "--drop-highest", 5, "--json").json()
    r = scalelaw("fit", path, "--formula", "E + A/N^alpha + B/D^beta", "--drop-highest", 5, *EPOCH_GRID, "--json")
    assert r.code == 0, r.err
    formula = r.json()
    assert formula["model"] == "formula" and formula["formula"] == "E + A/N^alpha + B/D^beta"
    assert formula["starts"]["total"] == 4500
    assert formula["objective"] <= model["objective"] + 1e-12
    for name, value in model["params"].items():
        assert abs(formula["params"][name] / value - 1) < 1e-4, name


def test_formula_errors(scalelaw):
    r = scalelaw("fit", EXAMPLE_RUNS, "--formula", "E + A/params^alpha)")
    assert r.code == 2 and "unexpected ')'" in r.err
    r = scalelaw("fit", EXAMPLE_RUNS, "--formula", "E + A/params^alpha", "--grid", "gamma=1,2")
    assert r.code == 2 and "no parameter 'gamma'" in r.err
    r = scalelaw("fit", EXAMPLE_RUNS, "--formula", "E + A/params^alpha", "--grid", "A=1:0:1")
    assert r.code == 2 and "START:STOP:STEP" in r.err
    r = scalelaw("fit", EXAMPLE_RUNS, "--grid", "A=-1,2")
    assert r.code == 2 and "must be positive" in r.err
    r = scalelaw("fit", EXAMPLE_RUNS, "--formula", "E + A/params^alpha", "--model", "kaplan")
    assert r.code == 2
    ok = scalelaw("fit", EXAMPLE_RUNS, "--formula", "E + A/params^alpha + B/tokens^beta", "--bound", "A=0:",
                  "--bound", "B=0:", "--grid", "A=100,1000", "--grid", "B=100,1000,10000", "--grid", "E=1,2",
                  "--grid", "alpha=0.2,0.5", "--grid", "beta=0.2,0.5")
    assert ok.code == 0 and "data from columns 'params', 'tokens'" in ok.out


def test_single_variable_forms_read_a_named_column(scalelaw):
    r = scalelaw("fit", EXAMPLE_RUNS, "--model", "power-offset", "--col", "x=flops", "--json")
    assert r.code == 0, r.err
    fit = r.json()
    assert fit["model"] == "power-offset" and set(fit["params"]) == {"E", "A", "alpha"}
    assert fit["converged"] and 0 < fit["params"]["alpha"] < 1
    r = scalelaw("fit", EXAMPLE_RUNS, "--model", "power", "--col", "y=flops")
    assert r.code == 2 and "reads no 'y'" in r.err
    r = scalelaw("fit", EXAMPLE_RUNS, "--model", "power")
    assert r.code == 2 and "column 'x'" in r.err


def test_holdout_and_information_criteria(scalelaw):
    out = scalelaw("fit", EXAMPLE_RUNS, "--holdout-top", 6, "--json").json()
    assert out["n_points"] == 42 and len(out["holdout"]["runs"]) == 6
    errors = [abs(r["predicted"] / r["loss"] - 1) for r in out["holdout"]["runs"]]
    assert math.isclose(out["holdout"]["mean_abs_relative_error"], sum(errors) / 6, rel_tol=1e-9)
    assert out["holdout"]["mean_abs_relative_error"] < 0.05
    assert math.isfinite(out["aic"]) and out["bic"] > out["aic"]
    human = scalelaw("fit", EXAMPLE_RUNS, "--holdout-top", 6)
    assert "largest-compute runs held out" in human.out and "AIC" in human.out


def test_objectives_through_the_cli(scalelaw):
    for objective in ("squared-log", "squared", "asymmetric"):
        out = scalelaw("fit", EXAMPLE_RUNS, "--objective", objective, "--asymmetry", "2", "--json").json()
        assert out["objective_kind"] == objective and out["converged"]
    r = scalelaw("fit", EXAMPLE_RUNS, "--objective", "squared", "--estimator", "mle")
    assert r.code == 2 and "the mle estimator is the likelihood of the huber objective" in r.err
    r = scalelaw("fit", EXAMPLE_RUNS, "--objective", "l1")
    assert r.code == 2 and "--objective" in r.err


def test_loglinear_through_the_cli(scalelaw):
    # On the example runs, loss against tokens and params as a product of powers.
    out = scalelaw("fit", EXAMPLE_RUNS, "--model", "loglinear", "--col", "N=params", "--col", "D=tokens",
                   "--objective", "squared-log", "--json").json()
    assert out["converged"] and set(out["params"]) == {"C", "k_N", "k_D"}
    assert out["params"]["k_N"] < 0 and out["params"]["k_D"] < 0
    r = scalelaw("fit", EXAMPLE_RUNS, "--model", "loglinear")
    assert r.code == 2 and "--col" in r.err


def test_latin_hypercube_starts(scalelaw):
    grid = scalelaw("fit", EXAMPLE_RUNS, "--json").json()
    lhs = scalelaw("fit", EXAMPLE_RUNS, "--starts", "lhs:400", "--seed", 3, "--json").json()
    assert lhs["starts"]["total"] == 400
    # Same basin: L-BFGS stalls on the Huber kinks within 1e-8 of the objective (parameters to 1e-3).
    assert lhs["objective"] <= grid["objective"] * (1 + 1e-8)
    for name, value in grid["params"].items():
        assert abs(lhs["params"][name] / value - 1) < 1e-3, name
    r = scalelaw("fit", EXAMPLE_RUNS, "--starts", "lhs:x")
    assert r.code == 2 and "lhs:N" in r.err


def test_grid_narrows_a_named_models_own_grid(scalelaw):
    # --grid on a registered form replaces one coordinate of its grid and keeps the others (Epoch grid:
    # 6 a x 6 b x 5 e values), so 2 x 2 exponent values give 720 starts; the optimum is the full grid's.
    full = scalelaw("fit", EXAMPLE_RUNS, "--json").json()
    narrow = scalelaw("fit", EXAMPLE_RUNS, "--grid", "alpha=0.3,0.4", "--grid", "beta=0.3,0.4", "--json").json()
    assert narrow["starts"]["total"] == 720
    assert abs(narrow["objective"] - full["objective"]) <= 1e-8 * full["objective"]
    for name, value in full["params"].items():
        assert abs(narrow["params"][name] / value - 1) < 1e-3, name


def test_generated_reference_pages_are_current(scalelaw):
    # docs/cli.md, docs/laws.md, docs/models.md and docs/which-law.md are written by scripts/generate_docs.py from
    # the CLI.
    import subprocess
    import sys
    from conftest import SOURCE_DIR
    check = subprocess.run([sys.executable, os.path.join(SOURCE_DIR, "scripts", "generate_docs.py"), "--cli",
                            os.environ["SCALELAW_CLI"],
                            "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_reliability_table_is_current(scalelaw):
    # docs/reliability.md's table of bad inputs is written by scripts/reliability_table.py from the CLI.
    import subprocess
    import sys
    from conftest import SOURCE_DIR
    check = subprocess.run([sys.executable, os.path.join(SOURCE_DIR, "scripts", "reliability_table.py"), "--cli",
                            os.environ["SCALELAW_CLI"], "--check"], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_models_listing(scalelaw):
    listed = scalelaw("models", "--json").json()
    names = [m["name"] for m in listed]
    assert names[:3] == ["chinchilla", "kaplan", "data-constrained"] and "vocab" in names
    vocab = next(m for m in listed if m["name"] == "vocab")
    assert vocab["inputs"] == ["N", "Nv", "D"] and "2407.13623" in vocab["description"]
