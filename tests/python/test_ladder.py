"""scalelaw.fit_ladder: the OLMo ladder's two steps and chain (Bhagia et al. 2024, arXiv:2412.04403) from Python."""
import math
import os

import numpy as np
import pytest

import scalelaw

SOURCE_DIR = os.environ.get("SCALELAW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
SHARED_DIR = os.environ.get("SCALELAW_SHARED_DIR", os.path.join(SOURCE_DIR, "..", "shared"))
CONFIG = os.path.join(SHARED_DIR, "data", "olmo-ladder", "final.json")

# figures/step1_main.csv, step2_main.csv and chained_main.csv of github.com/allenai/OLMo-ladder (in SOURCE.txt).
PUBLISHED = {
    "piqa_val_5shot": (0.8747948863685431, 0.8074608283959512, 0.820804177694882, 0.8295973896980285),
    "csqa_val_5shot": (0.6617282976368006, 0.7172756908394468, 0.7760887505172276, 0.7410319447517395),
}


@pytest.fixture
def config():
    if not os.path.exists(CONFIG):
        pytest.skip(f"SKIPPED: {CONFIG} is absent (published data are read from ../shared, never copied)")
    return CONFIG


def test_fit_ladder_reproduces_the_published_predictions_and_tabulates_them(config):
    results = scalelaw.fit_ladder(config, tasks=list(PUBLISHED), bootstrap=12, threads=2)
    assert [r.task for r in results] == list(PUBLISHED)
    for r in results:
        step1, step2, chained, actual = PUBLISHED[r.task]
        assert isinstance(r, scalelaw.LadderResult) and r.usable and r.status == "usable"
        assert abs(r.step1_prediction - step1) < 1e-4
        assert abs(r.step2_prediction - step2) < 1e-4
        assert abs(r.chained_prediction - chained) < 1e-4
        assert r.actual_accuracy == pytest.approx(actual, abs=1e-12)
        # The interval is the 5th and 95th percentiles of the resamples (numpy's interpolation).
        draws = np.array(r.bootstrap_chained)
        assert len(draws) == 12
        draws = draws[np.isfinite(draws)]
        assert r.chained_lower == pytest.approx(np.percentile(draws, 5), rel=1e-12)
        assert r.chained_upper == pytest.approx(np.percentile(draws, 95), rel=1e-12)
        # The chain is step 2's sigmoid at step 1's law, as the parameters say.
        p, s = r.step1, r.step2
        loss = math.exp(p["a"]) / r.target_params ** p["alpha"] + math.exp(p["b"]) / r.target_tokens ** p["beta"] + p["E"]
        assert loss == pytest.approx(r.step1_prediction, rel=1e-12)
        assert s["a"] / (1 + math.exp(-s["k"] * (loss - s["L0"]))) + s["b"] == pytest.approx(r.chained_prediction,
                                                                                                 rel=1e-12)
    pandas = pytest.importorskip("pandas")
    table = scalelaw.ladder_table(results)
    assert isinstance(table, pandas.DataFrame)
    assert list(table.index) == list(PUBLISHED)
    assert table.loc["csqa_val_5shot", "chained_prediction"] == results[1].chained_prediction


def test_a_target_by_n_and_d_has_no_actuals(config):
    (r,) = scalelaw.fit_ladder(config, tasks=["piqa_val_5shot"], target_params=13202396160,
                               target_tokens=596057 * 8388608)
    assert abs(r.chained_prediction - PUBLISHED["piqa_val_5shot"][2]) < 1e-4
    assert math.isnan(r.actual_accuracy)


def test_bad_input_raises_invalid_argument(config, tmp_path):
    with pytest.raises(scalelaw.InvalidArgument, match="not a task of the OLMo ladder"):
        scalelaw.fit_ladder(config, tasks=["boolq"])
    with pytest.raises(scalelaw.InvalidArgument, match="go together"):
        scalelaw.fit_ladder(config, target_params=1e10)
    bad = tmp_path / "final.json"
    bad.write_text('{"x": {"paths": [], "mode": "train"}}')
    with pytest.raises(scalelaw.InvalidArgument, match="needs"):
        scalelaw.fit_ladder(str(bad))


def test_a_target_beyond_max_extrapolation_is_not_predicted(config):
    # 13B-5T's compute is 202x the 1B-10xC run's: refused at 100x, predicted at the default 1000x.
    (refused,) = scalelaw.fit_ladder(config, tasks=["piqa_val_5shot"], max_extrapolation=100)
    assert refused.status == "not identifiable" and "202x" in refused.message
    assert math.isnan(refused.chained_prediction)
    (kept,) = scalelaw.fit_ladder(config, tasks=["piqa_val_5shot"])
    assert kept.usable and abs(kept.chained_prediction - 0.820804177694882) < 1e-4
