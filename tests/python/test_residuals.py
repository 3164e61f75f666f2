"""fit(residual=...): the objective on log residuals or on the loss itself, where the loss may be negative (Tao et
al. 2024's unigram-normalised loss, arXiv:2407.13623)."""
import numpy as np
import pytest

import scalelaw


def test_negative_loss_on_the_loss_itself():
    x = 10.0 ** np.arange(3, 9, 0.5)
    loss = -1.2 + 40.0 * x ** -0.3
    fit = scalelaw.fit(loss=loss, formula="E + A * x^(-alpha)", columns={"x": x}, grid={"E": [-2.0, 0.0]},
                       bounds={"A": (0.0, float("inf"))}, objective="huber", residual="loss", threads=1)
    assert fit.usable and fit.residual == "loss"
    assert fit.params["E"] == pytest.approx(-1.2, rel=1e-5)
    assert fit.params["alpha"] == pytest.approx(0.3, rel=1e-5)
    back = scalelaw.load_fit(fit.to_dict())
    assert back.residual == "loss" and back.to_dict() == fit.to_dict()
    with pytest.raises(scalelaw.InvalidArgument, match=r"fit the loss itself \(residual 'loss'\)"):
        scalelaw.fit(loss=loss, formula="E + A * x^(-alpha)", columns={"x": x})
    with pytest.raises(scalelaw.InvalidArgument, match="unknown residual 'relative' \\(known: log, loss\\)"):
        scalelaw.fit(loss=loss, formula="E + A * x^(-alpha)", columns={"x": x}, residual="relative")


def test_residuals_table():
    rows = scalelaw.residuals()
    assert [r["name"] for r in rows] == ["log", "loss"]
    assert {r["name"]: r["residual"] for r in scalelaw.objectives()}["squared"] == "loss"
    assert "residual" in scalelaw.fit.__doc__
