"""scalelaw.objectives(), estimators() and start_strategies() are the library's tables: fit() accepts exactly
their names, its keyword defaults are their defaults, and docs/fitting.md lists the same rows."""
import inspect
import os
import re

import numpy as np
import pytest

import scalelaw

SOURCE_DIR = os.environ.get("SCALELAW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
FITTING_DOC = os.path.join(SOURCE_DIR, "docs", "fitting.md")
TRUTH = {"E": 1.75, "A": 420.0, "B": 1800.0, "alpha": 0.33, "beta": 0.31}


def runs():
    n = np.repeat([1e8, 3e8, 1e9, 3e9, 1e10], 5)
    d = n * np.tile([5.0, 10.0, 20.0, 50.0, 150.0], 5)
    loss = TRUTH["E"] + TRUTH["A"] / n ** TRUTH["alpha"] + TRUTH["B"] / d ** TRUTH["beta"]
    return n, d, loss


def doc_table(header):
    """The rows of the markdown table under header in docs/fitting.md, as lines."""
    with open(FITTING_DOC) as f:
        lines = f.read().splitlines()
    assert header in lines, f"docs/fitting.md has no table headed {header!r}"
    start = lines.index(header) + 2  # past the |---| line
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def label(row, key="name"):
    return f"`{row[key]}`" + (" (default)" if row["default"] else "")


def test_the_docs_list_the_library_tables():
    expected = {
        "| `--starts` | starting points |":
            [f"| {label(r, 'spec')} | {r['summary']} |" for r in scalelaw.start_strategies()],
        "| objective | each run adds | default residual r | when |":
            [f"| {label(r)} | {r['summand']} | `{r['residual']}` | {r['use']} |" for r in scalelaw.objectives()],
        "| `--residual` | r | when |":
            [f"| {label(r)} | {r['residual']} | {r['use']} |" for r in scalelaw.residuals()],
        "| estimator | what it minimises | reference |":
            [f"| {label(r)} | {r['minimises']} | {r['reference']} |" for r in scalelaw.estimators()],
    }
    for header, rows in expected.items():
        assert doc_table(header) == rows, f"docs/fitting.md's table {header} differs from the library's table"


def test_fit_defaults_are_the_tables_defaults():
    signature = inspect.signature(scalelaw.fit).parameters
    for keyword, table, key in (("objective", scalelaw.objectives(), "name"),
                                ("estimator", scalelaw.estimators(), "name"),
                                ("starts", scalelaw.start_strategies(), "spec")):
        defaults = [row[key] for row in table if row["default"]]
        assert defaults == [signature[keyword].default], keyword


def test_fit_accepts_every_name_of_the_tables_and_nothing_else():
    n, d, loss = runs()
    for row in scalelaw.objectives():
        result = scalelaw.fit(n, d, loss, objective=row["name"], threads=1)
        assert result.to_dict()["objective_kind"] == row["name"]
        assert result.params["alpha"] == pytest.approx(TRUTH["alpha"], rel=1e-4), row["name"]
    for row in scalelaw.residuals():
        for objective in ("huber", "asymmetric-absolute"):
            result = scalelaw.fit(n, d, loss, objective=objective, residual=row["name"], threads=1)
            assert result.residual == row["name"] and result.to_dict()["residual"] == row["name"]
            assert result.params["alpha"] == pytest.approx(TRUTH["alpha"], rel=1e-4), (objective, row["name"])
    assert [r["name"] for r in scalelaw.residuals() if r["default"]] == ["log"]
    for row in scalelaw.estimators():
        result = scalelaw.fit(n, d, loss, estimator=row["name"], threads=1)
        assert result.estimator == row["name"] and result.usable
    counts = {"auto": 8, "grid": 4500, "lhs:N": 30, "varpro[:K]": 3}  # chinchilla: varpro by default, K = 8
    for row in scalelaw.start_strategies():
        spec = row["spec"].replace("[:K]", ":3").replace(":N", ":30")
        result = scalelaw.fit(n, d, loss, starts=spec, threads=1)
        assert result.num_starts == counts[row["spec"]], spec
    # The C++ lookup answers for Python: an unknown name is refused with the table's names.
    known = ", ".join(row["name"] for row in scalelaw.objectives())
    with pytest.raises(scalelaw.InvalidArgument, match=re.escape(f"unknown objective 'l1' (known: {known})")):
        scalelaw.fit(n, d, loss, objective="l1")
    with pytest.raises(scalelaw.InvalidArgument, match=re.escape("unknown estimator 'ols' (known: objective, mle)")):
        scalelaw.fit(n, d, loss, estimator="ols")
    with pytest.raises(scalelaw.InvalidArgument, match=re.escape("starts lhs:0: expected auto, grid, lhs:N or")):
        scalelaw.fit(n, d, loss, starts="lhs:0")


def test_fit_docstring_lists_the_tables():
    for row in scalelaw.objectives() + scalelaw.estimators():
        assert f"  {row['name']}" in scalelaw.fit.__doc__
    for row in scalelaw.start_strategies():
        assert f"  {row['spec']}" in scalelaw.fit.__doc__ and row["summary"] in scalelaw.fit.__doc__
