"""Tables as labs publish them: quoted column names with spaces and punctuation, TSV, filters (--where), one fit
per group (--group-by), rows with empty cells skipped (--skip-missing), formulas over any number of columns and
columns named through --col, and a formula identifier that looks like a misspelt column. Every number asserted is
the law the runs were made from, recovered."""
import json
import math
import random

E, A, B, ALPHA, BETA = 1.8172, 482.01, 2085.43, 0.3478, 0.3658
OTHER = (1.9, 400.0, 1500.0, 0.33, 0.30)


def chinchilla(p, n, d):
    e, a, b, alpha, beta = p
    return e + a / n ** alpha + b / d ** beta


def write_lab_table(path, tab=False):
    """Two experiments (noiseless, each its own law), an outlier row flagged True, a row with an empty loss, and
    columns named as a lab's export names them."""
    sep = "\t" if tab else ","
    quote = (lambda s: s) if tab else (lambda s: f'"{s}"')
    rows = [sep.join(["experiment", quote("Model Size"), quote("FLOPs (1E21)"), quote("final loss"), "outlier"])]
    for name, p in (("marin", (E, A, B, ALPHA, BETA)), ("other", OTHER)):
        for n in (5e7, 1e8, 2e8, 4e8, 8e8, 1.6e9):
            for d in (1e9, 3e9, 1e10, 3e10, 1e11):
                rows.append(sep.join([name, repr(n), repr(6 * n * d / 1e21), repr(chinchilla(p, n, d)), "False"]))
    rows.append(sep.join(["marin", "1e8", "0.006", "9.9", "True"]))
    rows.append(sep.join(["marin", "2e8", "0.012", "", "False"]))
    path.write_text("\n".join(rows) + "\n")


def fit_args(path):
    return ["fit", path, "--params-col", "Model Size", "--formula", "E + A/N^alpha + B/(C*1e21/(6*N))^beta",
            "--col", "N=Model Size", "--col", "C=FLOPs (1E21)", "--loss-col", "final loss"]


def test_filters_groups_and_skipped_rows(scalelaw, tmp_path):
    path = tmp_path / "lab.csv"
    write_lab_table(path)
    base = ["fit", path, "--params-col", "Model Size", "--flops-col", "FLOPs (1E21)", "--loss-col", "final loss"]
    # Without the filter the outlier is fitted too, and the empty loss cell is an error naming its line.
    r = scalelaw(*base)
    assert r.code == 2 and "line 63, column 'final loss': empty cell" in r.err
    r = scalelaw(*base, "--where", "experiment=marin", "--where", "outlier!=True", "--skip-missing", "--json")
    assert r.code == 0, r.err
    fit = r.json()
    assert fit["n_points"] == 30
    assert "30 of 62 records (31 left out by the filters, 1 with empty cells skipped)" in fit["data_source"]
    # C in units of 1e21 FLOPs: D = C/(6N) is 1e-21 of the tokens, so B/D^beta carries 1e21^beta.
    assert math.isclose(fit["params"]["alpha"], ALPHA, rel_tol=1e-5)
    assert math.isclose(fit["params"]["beta"], BETA, rel_tol=1e-5)
    assert math.isclose(fit["params"]["E"], E, rel_tol=1e-5)


def test_one_fit_per_group_side_by_side_and_as_a_json_array(scalelaw, tmp_path):
    path, out = tmp_path / "lab.tsv", tmp_path / "groups.json"
    write_lab_table(path, tab=True)
    args = ["fit", path, "--params-col", "Model Size", "--flops-col", "FLOPs (1E21)", "--loss-col", "final loss",
            "--where", "outlier=False", "--skip-missing", "--group-by", "experiment"]
    r = scalelaw(*args, "--output", out)
    assert r.code == 0, r.err
    assert "=== experiment = marin ===" in r.out and "=== experiment = other ===" in r.out
    assert "Side by side, one fit per value of 'experiment'" in r.out
    fits = json.loads(out.read_text())
    assert [f["data_source"].split(" [")[1].split("]")[0] for f in fits] == ["experiment = marin", "experiment = other"]
    for fit, truth in zip(fits, ((E, A, B, ALPHA, BETA), OTHER)):
        assert fit["converged"]
        assert math.isclose(fit["params"]["alpha"], truth[3], rel_tol=1e-5)
        assert math.isclose(fit["params"]["E"], truth[0], rel_tol=1e-5)
    assert [f["n_points"] for f in scalelaw(*args, "--json").json()] == [30, 30]
    # A group the data cannot support makes the command exit 1, naming it.
    small = tmp_path / "small.csv"
    small.write_text(path.read_text().replace("\t", ",") + "tiny,1e8,0.006,3.0,False\n")
    r = scalelaw("fit", small, "--params-col", "Model Size", "--flops-col", "FLOPs (1E21)", "--loss-col",
                 "final loss", "--where", "outlier=False", "--skip-missing", "--group-by", "experiment")
    assert r.code == 1 and "experiment = tiny" in r.err and "not identifiable" in r.err


def test_formula_columns_with_spaces_through_col(scalelaw, tmp_path):
    path = tmp_path / "lab.csv"
    write_lab_table(path)
    r = scalelaw(*fit_args(path), "--where", "experiment=marin", "--where", "outlier=False", "--skip-missing",
                 "--json")
    assert r.code == 0, r.err
    fit = r.json()
    assert math.isclose(fit["params"]["alpha"], ALPHA, rel_tol=1e-4) and math.isclose(fit["params"]["E"], E, rel_tol=1e-4)
    assert "N from 'Model Size'" in fit["data_columns"][0] and "C from 'FLOPs (1E21)'" in fit["data_columns"][0]


def test_a_misspelt_column_in_a_formula_is_an_error_unless_declared(scalelaw, tmp_path):
    path = tmp_path / "runs.csv"
    path.write_text("tokens,loss\n" + "".join(f"{d!r},{1.7 + 30 * d ** -0.1!r}\n" for d in (1e9, 1e10, 1e11, 1e12)))
    r = scalelaw("fit", path, "--formula", "E + A/tokns^alpha")
    assert r.code == 2 and "'tokns' is not a column" in r.err and "did you mean the column 'tokens'" in r.err
    r = scalelaw("fit", path, "--formula", "E + A/Tokens^alpha")
    assert r.code == 2 and "did you mean the column 'tokens'" in r.err
    # Declared (here by --param), the name is a parameter.
    r = scalelaw("fit", path, "--formula", "E + A/tokens^tokns", "--param", "tokns", "--json")
    assert r.code == 0, r.err
    assert math.isclose(r.json()["params"]["tokns"], 0.1, rel_tol=1e-4)
    r = scalelaw("fit", path, "--formula", "E + A/tokens^alpha", "--loss-col", "los")
    assert r.code == 2 and "missing column (did you mean 'loss'?)" in r.err


def test_loglinear_over_nine_columns(scalelaw, tmp_path):
    """Any number of columns: log y = log C + sum k_i log x_i over nine columns, exact data, every exponent
    recovered."""
    rng = random.Random(7)
    k = [0.1 * (i + 1) * (-1) ** i for i in range(9)]
    names = [f"x{i}" for i in range(9)]
    rows = [",".join(names + ["y", "note"])]
    for _ in range(60):
        x = [math.exp(rng.uniform(-2, 2)) for _ in k]
        y = 2.5 * math.prod(xi ** ki for xi, ki in zip(x, k))
        rows.append(",".join([repr(v) for v in x] + [repr(y), '"a, b"']))
    path = tmp_path / "wide.csv"
    path.write_text("\n".join(rows) + "\n")
    r = scalelaw("fit", path, "--model", "loglinear", *[a for n in names for a in ("--col", f"{n}={n}")],
                 "--loss-col", "y", "--objective", "squared", "--json")
    assert r.code == 0, r.err
    params = r.json()["params"]
    for name, exponent in zip(names, k):
        assert math.isclose(params[f"k_{name}"], exponent, rel_tol=1e-6, abs_tol=1e-9), name


def test_isoflop_and_fit_hparams_take_the_same_filters(scalelaw, tmp_path):
    """--where and --skip-missing on the other table readers: the filtered table gives what the table of the kept
    rows alone gives."""
    from test_fitted_laws import write_isoflop, write_sweep

    for command, write, extra in (("isoflop", write_isoflop, []), ("fit-hparams", write_sweep, [])):
        alone = tmp_path / f"{command}.csv"
        write(alone)
        lines = alone.read_text().splitlines()
        mixed = tmp_path / f"{command}-mixed.csv"
        junk = ",".join("9" for _ in lines[0].split(","))
        mixed.write_text("\n".join([lines[0] + ",lab"] + [row + ",a" for row in lines[1:]] +
                                   [junk + ",b", ",".join("" for _ in lines[0].split(",")) + ",a"]) + "\n")
        expected = scalelaw(command, alone, *extra, "--json").json()
        r = scalelaw(command, mixed, *extra, "--where", "lab=a", "--skip-missing", "--json")
        assert r.code == 0, r.err
        got = r.json()
        human = scalelaw(command, mixed, *extra, "--where", "lab=a", "--skip-missing")
        assert f"({len(lines) - 1} of {len(lines) + 1} records (1 left out by the filters, 1 with empty cells" in human.out
        for key in ("a", "b") if command == "isoflop" else ("lr", "batch_tokens"):
            assert got[key] == expected[key], key
