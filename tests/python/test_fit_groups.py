"""Tables in Python: fit_groups fits each group of a DataFrame (or dict of columns) and returns a table of
results; a formula reads the columns of the table it names, and a formula parameter that looks like a misspelt
column is an error. Every number asserted is a law the runs were made from, recovered."""
import math

import numpy as np
import pytest

import scalelaw

LAWS = {"marin": (1.8172, 482.01, 2085.43, 0.3478, 0.3658), "other": (1.9, 400.0, 1500.0, 0.33, 0.30)}


def lab_table():
    rows = {"experiment": [], "N": [], "D": [], "L": []}
    for name, (e, a, b, alpha, beta) in LAWS.items():
        for n in (5e7, 1e8, 2e8, 4e8, 8e8, 1.6e9):
            for d in (1e9, 3e9, 1e10, 3e10, 1e11):
                rows["experiment"].append(name)
                rows["N"].append(n)
                rows["D"].append(d)
                rows["L"].append(e + a / n ** alpha + b / d ** beta)
    return {k: np.asarray(v) for k, v in rows.items()}


def test_fit_groups_gives_a_table_of_the_groups_fits():
    pandas = pytest.importorskip("pandas")
    df = pandas.DataFrame(lab_table())
    table = scalelaw.fit_groups(df, "experiment", params="N", tokens="D", loss="L", bootstrap=20, seed=1)
    assert list(table.index) == ["marin", "other"] and table.index.name == "experiment"
    for name, (e, a, b, alpha, beta) in LAWS.items():
        row = table.loc[name]
        assert row["status"] == "usable" and row["runs"] == 30
        assert row["alpha"] == pytest.approx(alpha, rel=1e-5) and row["E"] == pytest.approx(e, rel=1e-5)
        assert row["se_alpha"] >= 0 and isinstance(row["result"], scalelaw.FitResult)
        assert row["result"].table_columns == {"params": "N", "tokens": "D", "loss": "L"}
    # A dict of columns works the same.
    from_dict = scalelaw.fit_groups(lab_table(), "experiment", params="N", tokens="D", loss="L")
    assert from_dict.loc["other", "beta"] == pytest.approx(0.30, rel=1e-5)
    with pytest.raises(scalelaw.InvalidArgument, match="no column 'exp'"):
        scalelaw.fit_groups(df, "exp", params="N", tokens="D", loss="L")


def test_a_formula_reads_the_table_columns_it_names():
    compute = np.geomspace(1e18, 1e22, 12)
    table = {"C": compute, "L": 1.7 + 30 * compute ** -0.07, "other": np.ones(12)}
    result = scalelaw.fit(table, loss="L", formula="E + A/C^alpha", grid={"alpha": [0.05, 0.1]})
    assert result.usable, result.message
    assert result.params["alpha"] == pytest.approx(0.07, rel=1e-5)
    assert result.table_columns == {"loss": "L", "C": "C"}
    assert result.predict(C=1e23) == pytest.approx(1.7 + 30 * 1e23 ** -0.07, rel=1e-5)
    with pytest.raises(scalelaw.InvalidArgument, match="'c' is not a column.*did you mean the column 'C'"):
        scalelaw.fit(table, loss="L", formula="E + A/c^alpha")
    with pytest.raises(scalelaw.InvalidArgument, match="'othr' is not a column.*'other'"):
        scalelaw.fit(table, loss="L", formula="E + A/C^othr")
    # Declared by a grid, the name is a parameter.
    declared = scalelaw.fit(table, loss="L", formula="E + A/C^othr", grid={"othr": [0.05, 0.1]})
    assert declared.params["othr"] == pytest.approx(0.07, rel=1e-5)
    assert math.isfinite(declared.objective)
