"""--residual: the objective on log residuals (the default) or on the loss itself, where the loss may be zero or
negative; --objective asymmetric-absolute; the choice kept in the fit file."""
import json
import math

import pytest

from conftest import EXAMPLE_RUNS
from test_bad_input import HEADER, assert_usage_error, write

TRUTH = {"E": -1.2, "A": 40.0, "alpha": 0.3}


def negative_runs(tmp_path):
    """Runs of a power law with a negative offset (like Tao et al.'s unigram-normalised loss), most losses < 0."""
    rows = ["x,loss"]
    for k in range(12):
        x = 10 ** (3 + 0.5 * k)
        rows.append(f"{x!r},{TRUTH['E'] + TRUTH['A'] * x ** -TRUTH['alpha']!r}")
    return write(tmp_path, "\n".join(rows) + "\n")


def test_a_negative_loss_fits_on_the_loss_itself(scalelaw, tmp_path):
    path = negative_runs(tmp_path)
    result = scalelaw("fit", path, "--formula", "E + A * x^(-alpha)", "--grid", "E=-2,0", "--bound", "A=0:",
                      "--residual", "loss", "--objective", "squared", "--json")
    assert result.code == 0, result.err
    fit = result.json()
    assert fit["residual"] == "loss" and fit["options"]["residual"] == "loss"
    for name, value in TRUTH.items():
        assert fit["params"][name] == pytest.approx(value, rel=1e-5), name


def test_a_negative_loss_on_log_residuals_names_the_option_that_takes_it(scalelaw, tmp_path):
    path = negative_runs(tmp_path)
    result = scalelaw("fit", path, "--formula", "E + A * x^(-alpha)")
    assert_usage_error(result, "line 7, column 'loss'", "-0.3045", "acts on log residuals",
                       "fit the loss itself with --residual loss")
    zero = write(tmp_path, HEADER + "1e8,2e9,3.1\n2e8,4e9,0\n", name="zero.csv")
    assert_usage_error(scalelaw("fit", zero), "zero.csv", "line 3", "column 'loss'", "--residual loss")
    assert_usage_error(scalelaw("fit", EXAMPLE_RUNS, "--residual", "relative"), "--residual")
    assert_usage_error(scalelaw("fit", EXAMPLE_RUNS, "--objective", "squared-log", "--residual", "loss"),
                       "objective 'squared")


def test_residual_choice_reaches_the_report_and_the_fit_file(scalelaw, tmp_path):
    output = tmp_path / "fit.json"
    result = scalelaw("fit", EXAMPLE_RUNS, "--objective", "asymmetric-absolute", "--asymmetry", "10", "--residual",
                      "loss", "--output", output)
    assert result.code == 0, result.err
    assert "summed absolute residuals of the loss, over-predictions x10" in result.out
    assert "(Gaussian on loss residuals)" in result.out
    saved = json.loads(output.read_text())
    assert saved["objective_kind"] == "asymmetric-absolute" and saved["residual"] == "loss"
    # The objective is the absolute error itself, not its smoothing.
    assert math.isfinite(saved["objective"]) and saved["objective"] > 0
    # Default: squared on the loss, the others on log residuals; the file says which.
    squared = scalelaw("fit", EXAMPLE_RUNS, "--objective", "squared", "--json").json()
    assert squared["residual"] == "loss" and squared["options"]["residual"] is None
    huber = scalelaw("fit", EXAMPLE_RUNS, "--json").json()
    assert huber["residual"] == "log"
    # The saved fit is a law the other commands take.
    predicted = scalelaw("predict-loss", "--fit", output, "--params", "1e9", "--tokens", "2e10", "--json")
    assert predicted.code == 0, predicted.err
