"""scalelaw.plan(fit=curve_fit): the run's LR schedule designed against a fitted Multi-Power Law, equal to what
scalelaw.design_schedule designs for the plan's steps, peak and warmup; and plan(vocab_from_law=True)."""
import math
import os
import sys

import numpy as np
import pytest

import scalelaw

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from multipower_25m import TRAIN, log, write_facts  # noqa: E402

# A 1e20-1e21 plan is beyond the ranges of several hyperparameter laws; those warnings are tested elsewhere.
pytestmark = pytest.mark.filterwarnings("ignore::scalelaw.ScalelawWarning")


def test_plan_designs_the_schedule_design_schedule_designs(tmp_path):
    fit = scalelaw.fit_curves([log(n) for n in TRAIN], facts=write_facts(tmp_path))
    with pytest.warns(scalelaw.ScalelawWarning, match="fitted at one model size"):
        plan = scalelaw.plan(1e20, seq_len=2048, fit=fit)
    run = plan.configuration
    designed = run.designed_schedule
    assert isinstance(designed, scalelaw.ScheduleDesign) and designed.usable
    assert run.schedule.startswith("cosine:peak=")  # the LR law's, kept beside the designed one
    direct = scalelaw.design_schedule(fit, steps=int(run.steps), peak=run.peak_lr, warmup=2000)
    assert len(designed.schedule) == run.steps
    np.testing.assert_array_equal(designed.schedule["lr"].to_numpy(), direct.schedule["lr"].to_numpy())
    assert designed.final_loss == direct.final_loss <= direct.cosine["final_loss"]
    assert run._data["designed_schedule"]["against"] == "fit"
    # Without a curve fit there is no designed schedule.
    assert scalelaw.plan(1e20, seq_len=2048).configuration.designed_schedule is None


def test_vocab_from_law():
    plan = scalelaw.plan(1e21, seq_len=2048, vocab_from_law=True)
    assert plan.configuration.shape["vocab"] == math.ceil(plan["vocab_size"] / 128) * 128 != 32000
    assert plan.configuration.params["total"] == scalelaw.count(
        layers=plan.configuration.shape["layers"], d_model=plan.configuration.shape["d_model"],
        heads=plan.configuration.shape["heads"], vocab=plan.configuration.shape["vocab"], seq_len=2048).params.total
