"""scalelaw isoflop: Chinchilla Approach 2 (IsoFLOP parabolas) through the binary."""
import json
import math
import os
import re

import pytest

# Chinchilla as printed (Hoffmann et al. 2022, Eq. 10): a = beta/(alpha+beta), N_opt = k·C^a with k = G·6^-a.
E, A, B, ALPHA, BETA = 1.69, 406.4, 410.7, 0.34, 0.28
A_TRUE = BETA / (ALPHA + BETA)
G = (ALPHA * A / (BETA * B)) ** (1 / (ALPHA + BETA))


def loss(n, d):
    return E + A / n ** ALPHA + B / d ** BETA


def synthetic_csv(tmp_path, budgets=(1e18, 1e19, 1e20, 1e21), half=1.0, sizes=7, flops=False, name="runs.csv"):
    """Noise-free runs on a grid symmetric in ln N around each budget's optimum."""
    lines = ["params,flops,loss" if flops else "params,tokens,loss"]
    for c in budgets:
        n_opt = G * (c / 6) ** A_TRUE
        for j in range(sizes):
            n = n_opt * math.exp(-half + 2 * half * j / (sizes - 1))
            d = c / (6 * n)
            lines.append(f"{n!r},{(c if flops else d)!r},{loss(n, d)!r}")
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n")
    return str(path)


def test_recovers_a_on_a_symmetric_grid(scalelaw, tmp_path):
    r = scalelaw("isoflop", synthetic_csv(tmp_path), "--json")
    assert r.code == 0, r.err
    out = r.json()
    # Noise-free and symmetric: a is exact; k carries the quadratic approximation's bias, e^delta = 1.00781 for
    # 7 sizes over h = 1 (numpy polyfit on the same grid).
    assert abs(out["a"] - A_TRUE) < 1e-9 and abs(out["b"] - (1 - A_TRUE)) < 1e-9
    assert out["k_params"] / (G * 6 ** -A_TRUE) == pytest.approx(1.00781, abs=1e-5)
    assert out["k_tokens"] * 6 * out["k_params"] == pytest.approx(1.0, rel=1e-9)
    assert out["usable"] is True and out["warnings"] == []
    assert len(out["budgets"]) == 4
    for budget, c in zip(out["budgets"], (1e18, 1e19, 1e20, 1e21)):
        assert {"flops", "params", "tokens", "loss", "n_runs"} <= set(budget)
        assert budget["flops"] == pytest.approx(c, rel=1e-12)
        assert budget["n_runs"] == 7 and budget["used"] is True and budget["curvature"] > 0
        assert budget["tokens"] == pytest.approx(c / (6 * budget["params"]), rel=1e-12)
    assert "se" not in out and "ci95" not in out


def test_flops_column_and_human_table(scalelaw, tmp_path):
    path = synthetic_csv(tmp_path, flops=True)
    out = scalelaw("isoflop", path, "--flops-col", "flops", "--json").json()
    assert abs(out["a"] - A_TRUE) < 1e-9
    human = scalelaw("isoflop", path, "--flops-col", "flops")
    assert human.code == 0, human.err
    assert "N_opt = k·C^a" in human.out and "budget C" in human.out and "used" in human.out
    assert "nan" not in human.out.lower()


def test_budget_tolerance_groups_last_digit_differences(scalelaw, tmp_path):
    # C of each run perturbed by up to 0.4%: one budget each at the default 1%, scattered at 0.1%.
    path = tmp_path / "jitter.csv"
    lines = ["params,flops,loss"]
    for c in (1e19, 1e20, 1e21):
        n_opt = G * (c / 6) ** A_TRUE
        for j in range(5):
            n = n_opt * math.exp(-1 + 0.5 * j)
            lines.append(f"{n!r},{c * (1 + 0.002 * (j - 2))!r},{loss(n, c / (6 * n))!r}")
    path.write_text("\n".join(lines) + "\n")
    out = scalelaw("isoflop", path, "--flops-col", "flops", "--json").json()
    assert len(out["budgets"]) == 3 and out["n_budgets_used"] == 3
    assert abs(out["a"] - A_TRUE) < 0.01
    tight = scalelaw("isoflop", path, "--flops-col", "flops", "--budget-tolerance", "0.001", "--json")
    assert tight.code == 1 and "not usable" in tight.err
    assert len(tight.json()["budgets"]) == 15


def test_bootstrap_is_deterministic_across_threads(scalelaw, tmp_path):
    # Noisy runs: loss times (1 + 0.2%·pattern), so resamples differ.
    path = tmp_path / "noisy.csv"
    lines = ["params,tokens,loss"]
    pattern = [0.3, -1.1, 0.8, 1.4, -0.6, -0.2, 0.9, -1.3, 0.1]
    for i, c in enumerate((1e18, 1e19, 1e20, 1e21)):
        n_opt = G * (c / 6) ** A_TRUE
        for j in range(9):
            n = n_opt * math.exp(-1.5 + 3 * j / 8)
            d = c / (6 * n)
            lines.append(f"{n!r},{d!r},{loss(n, d) * (1 + 0.002 * pattern[(i + j) % 9])!r}")
    path.write_text("\n".join(lines) + "\n")
    one = scalelaw("isoflop", path, "--bootstrap", "200", "--seed", "7", "--threads", "1", "--json")
    four = scalelaw("isoflop", path, "--bootstrap", "200", "--seed", "7", "--threads", "4", "--json")
    assert one.code == 0 and four.code == 0, (one.err, four.err)
    assert one.json() == four.json()
    out = one.json()
    assert set(out["se"]) == {"a", "b", "k_params", "k_tokens"} == set(out["ci95"])
    draws = out["bootstrap"].pop("draws")
    assert out["bootstrap"] == {"requested": 200, "succeeded": 200, "seed": 7}
    # Every successful resample's power laws are written, for intervals on allocations made from the file.
    assert len(draws) == 200 and set(draws[0]) == {"a", "b", "k_params", "k_tokens"}
    low, high = out["ci95"]["a"]
    assert low < out["a"] < high and out["se"]["a"] > 0
    other = scalelaw("isoflop", path, "--bootstrap", "200", "--seed", "8", "--json").json()
    assert other["se"]["a"] != out["se"]["a"]


def test_one_budget_is_not_usable(scalelaw, tmp_path):
    r = scalelaw("isoflop", synthetic_csv(tmp_path, budgets=(1e20,)), "--json")
    assert r.code == 1, (r.out, r.err)
    assert "not usable" in r.err and "1 of 1 budgets usable" in r.err
    out = r.json()
    assert out["usable"] is False and out["a"] == 0 and "nan" not in r.out.lower()


def test_too_few_sizes_per_budget_is_not_usable(scalelaw, tmp_path):
    r = scalelaw("isoflop", synthetic_csv(tmp_path, sizes=2))
    assert r.code == 1, (r.out, r.err)
    assert "fewer than 3 distinct N" in r.err and "not usable" in r.err
    # Asking for more sizes than the budgets have: same.
    r = scalelaw("isoflop", synthetic_csv(tmp_path, sizes=5, name="five.csv"), "--min-sizes", "6")
    assert r.code == 1 and "fewer than 6 distinct N" in r.err


@pytest.mark.parametrize("args, fragment", [
    (["--budget-tolerance", "2"], "--budget-tolerance"),
    (["--min-sizes", "2"], "--min-sizes"),
    (["--bootstrap", "-3"], "--bootstrap"),
    (["--loss-col", "missing"], "column 'missing'"),
])
def test_usage_and_input_errors(scalelaw, tmp_path, args, fragment):
    r = scalelaw("isoflop", synthetic_csv(tmp_path), *args)
    assert r.code == 2, (r.code, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("scalelaw: error: ") and fragment in lines[0]


def test_bad_csv_cell_names_file_line_and_column(scalelaw, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("params,tokens,loss\n1e8,1e9,3\n1e8,abc,3\n")
    r = scalelaw("isoflop", path)
    assert r.code == 2 and "line 3, column 'tokens'" in r.err


def test_chinchilla_isoflop_profiles(scalelaw, chinchilla_runs):
    """The nine Chinchilla budgets (tolerance 4%, >= 6 sizes): a = 0.4817, inside Table 2's 0.462-0.534."""
    r = scalelaw("isoflop", chinchilla_runs, "--params-col", "Model Size", "--flops-col", "Training FLOP",
                 "--budget-tolerance", "0.04", "--min-sizes", "6", "--json")
    assert r.code == 0, r.err
    out = r.json()
    assert out["n_budgets_used"] == 9
    assert out["a"] == pytest.approx(0.4817, abs=5e-5) and out["b"] == pytest.approx(0.5183, abs=5e-5)
    assert 0.462 < out["a"] < 0.534 and 0.483 < out["b"] < 0.529
    used = [b for b in out["budgets"] if b["used"]]
    for budget, nominal in zip(used, (6e18, 1e19, 3e19, 6e19, 1e20, 3e20, 6e20, 1e21, 3e21)):
        assert 0.9 < budget["flops"] / nominal < 1.0
    json.dumps(out)  # plain JSON, no NaN


# --- As labs run it: data/generate_isoflop_runs.py (budget labels, FLOPs = 6ND·(N/3e8)^0.1) ---
LAB_A, LAB_B = 0.432099, 0.524691  # the script's true exponents; a + b = 0.956790


def lab_runs():
    from conftest import SOURCE_DIR
    return os.path.join(SOURCE_DIR, "data", "isoflop_runs.csv")


def test_budget_col_recovers_a_and_b_and_allocates(scalelaw):
    r = scalelaw("isoflop", lab_runs(), "--budget-col", "budget", "--bootstrap", "300", "--seed", "1",
                 "--at-flops", "1e22", "--json")
    assert r.code == 0, r.err
    out = r.json()
    iso, at = out["isoflop"], out["at_flops"]
    # 3.5 SD of the spread over 200 replications of the script (SD 0.0047 for a, 0.0051 for b)
    assert abs(iso["a"] - LAB_A) < 0.017 and abs(iso["b"] - LAB_B) < 0.018
    assert abs(iso["b"] - (1 - iso["a"])) > 0.015  # D* on its own: a + b is not forced to 1
    assert iso["grouping"] == "label" and iso["d_star"] == "own" and iso["vertex"] == "quadratic"
    assert iso["ci95"]["b"][0] < LAB_B < iso["ci95"]["b"][1]
    assert all(b["ratio_6nd"] is not None for b in iso["budgets"])
    assert "6ND differs from the runs' budget label by more than 5%" in r.err
    # N_opt = k C^a and D_opt = k' C^b at the budget asked, with intervals from the bootstrap.
    assert "params" in json.dumps(at) and "tokens" in json.dumps(at)
    human = scalelaw("isoflop", lab_runs(), "--budget-col", "budget", "--bootstrap", "100", "--at-flops", "1e22")
    assert human.code == 0, human.err
    assert "6ND/C" in human.out and "budgets from the labels of column 'budget'" in human.out
    params = float(re.search(r"params (\S+) \[95% ", human.out).group(1))
    tokens = float(re.search(r"tokens (\S+) \[95% ", human.out).group(1))
    full = scalelaw("isoflop", lab_runs(), "--budget-col", "budget", "--json").json()
    assert params == pytest.approx(full["k_params"] * 1e22 ** full["a"], rel=1e-3)
    assert tokens == pytest.approx(full["k_tokens"] * 1e22 ** full["b"], rel=1e-3)


def test_vertex_methods_d_star_weights_and_keep_outside(scalelaw):
    for extra in (["--vertex", "local", "--window", "5"], ["--vertex", "akima"], ["--weighted"], ["--keep-outside"],
                  ["--d-star", "runs"]):
        r = scalelaw("isoflop", lab_runs(), "--budget-col", "budget", "--json", *extra)
        assert r.code == 0, (extra, r.err)
        out = r.json()
        assert out["usable"] is True and abs(out["a"] - LAB_A) < 0.14
    flops = scalelaw("isoflop", lab_runs(), "--budget-col", "budget", "--d-star", "flops", "--json").json()
    assert flops["b"] == pytest.approx(1 - flops["a"], abs=1e-9)
    bad = scalelaw("isoflop", lab_runs(), "--budget-col", "budget", "--vertex", "cubic")
    assert bad.code == 2 and "cubic" in bad.err


def test_grouping_by_6nd_fragments_and_suggests_budget_col(scalelaw):
    r = scalelaw("isoflop", lab_runs())
    assert r.code == 1
    assert "--budget-col" in r.err


def test_tokens_and_flops_columns_together(scalelaw, tmp_path):
    # The label passed as a FLOPs column with D from its own column: grouped by it, D* fitted on its own, and the
    # warning suggests --budget-col.
    text = open(lab_runs()).read().replace("budget,params", "flops,params", 1)
    path = tmp_path / "lab.csv"
    path.write_text(text)
    r = scalelaw("isoflop", str(path), "--flops-col", "flops", "--tokens-col", "tokens", "--json")
    assert r.code == 0, r.err
    assert abs(r.json()["b"] - LAB_B) < 0.018 and "--budget-col" in r.err
    both = scalelaw("isoflop", str(path), "--flops-col", "flops", "--budget-col", "flops")
    assert both.code == 2


def test_budget_col_bad_cell_names_file_line_column(scalelaw, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("budget,params,tokens,loss\n1e18,1e8,1e9,3.1\n1e18,2e8,oops,3.0\n")
    r = scalelaw("isoflop", str(path), "--budget-col", "budget")
    assert r.code == 2
    assert "bad.csv" in r.err and "line 3" in r.err and "tokens" in r.err
    assert len(r.err.strip().splitlines()) == 1


def lab_ratios():
    """6ND/C of every run of data/isoflop_runs.csv, computed here from its columns."""
    import csv
    with open(lab_runs()) as fh:
        return [6 * float(r["params"]) * float(r["tokens"]) / float(r["budget"]) for r in csv.DictReader(fh)]


def test_disagreement_threshold_decides_the_warning(scalelaw):
    ratios = lab_ratios()
    largest = max(abs(r - 1) for r in ratios)  # 0.337 in this file
    above = scalelaw("isoflop", lab_runs(), "--budget-col", "budget", "--disagreement", f"{largest * 1.01:.4f}",
                     "--json")
    assert above.code == 0, above.err
    assert "6ND differs" not in above.err
    assert above.json()["disagreement"] == pytest.approx(largest * 1.01, rel=1e-3)
    for threshold in (0.05, 0.3):
        below = scalelaw("isoflop", lab_runs(), "--budget-col", "budget", "--disagreement", str(threshold))
        assert below.code == 0, below.err
        off = sum(abs(r - 1) > threshold for r in ratios)
        assert 0 < off < len(ratios)
        assert (f"6ND differs from the runs' budget label by more than {threshold * 100:g}% for {off} of "
                f"{len(ratios)} runs") in below.err
    # The label given as a FLOPs column: the warning (and its --budget-col hint) only beyond the threshold.
    quiet = scalelaw("isoflop", lab_runs(), "--flops-col", "budget", "--tokens-col", "tokens", "--disagreement", "0.35")
    assert quiet.code == 0 and "--budget-col" not in quiet.err
    loud = scalelaw("isoflop", lab_runs(), "--flops-col", "budget", "--tokens-col", "tokens", "--disagreement", "0.2")
    assert loud.code == 0 and "group by it as a label (--budget-col)" in loud.err
    for bad in ("0", "-0.1", "nan"):
        r = scalelaw("isoflop", lab_runs(), "--budget-col", "budget", "--disagreement", bad)
        assert r.code == 2 and "--disagreement" in r.err, (bad, r.err)


def test_weight_resamples_reach_the_weights(scalelaw):
    def weighted(*extra):
        r = scalelaw("isoflop", lab_runs(), "--budget-col", "budget", "--weighted", "--json", *extra)
        assert r.code == 0, r.err
        return r.json()

    default, few, many = weighted(), weighted("--weight-resamples", "20"), weighted("--weight-resamples", "2000")
    assert (default["weight_resamples"], few["weight_resamples"], many["weight_resamples"]) == (200, 20, 2000)
    sd = {name: [b["log_params_sd"] for b in out["budgets"]] for name, out in
          (("default", default), ("few", few), ("many", many))}
    # Monte Carlo estimates of the same spreads: different draws, the same values to within their own error
    # (relative SE of an SD from K draws about 1/sqrt(2K): 16% for 20, 5% for 200, 1.6% for 2000).
    assert sd["few"] != sd["default"] and sd["many"] != sd["default"]
    for d, m, f in zip(sd["default"], sd["many"], sd["few"]):
        assert d == pytest.approx(m, rel=0.2) and f == pytest.approx(m, rel=0.6)
    assert few["a"] != default["a"]
    human = scalelaw("isoflop", lab_runs(), "--budget-col", "budget", "--weighted", "--weight-resamples", "30",
                     "--bootstrap", "20")
    assert human.code == 0, human.err
    assert "(30 resamples of each budget's runs)" in human.out
    assert "weights recomputed from each resample" in human.out
    unweighted = scalelaw("isoflop", lab_runs(), "--budget-col", "budget", "--json").json()
    assert unweighted["weight_resamples"] == 0
    for bad in ("9", "1.5", "x"):
        r = scalelaw("isoflop", lab_runs(), "--budget-col", "budget", "--weighted", "--weight-resamples", bad)
        assert r.code == 2 and "--weight-resamples" in r.err, (bad, r.err)
