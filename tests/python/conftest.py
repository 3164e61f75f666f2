"""Fixtures the chart tests share (test_plot.py, test_plot_analyses.py)."""
import sys

import pytest


@pytest.fixture(scope="module")
def plt():
    """pyplot on the Agg backend (no display); the chart tests skip where matplotlib is not installed."""
    matplotlib = pytest.importorskip("matplotlib", reason="matplotlib is not installed (apt-get install "
                                     "python3-matplotlib); scalelaw.plot is optional")
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as pyplot

    yield pyplot
    pyplot.close("all")


@pytest.fixture(autouse=True)
def close_figures():
    """Each test's figures closed after it (pyplot keeps them otherwise)."""
    yield
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
