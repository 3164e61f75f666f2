"""scalelaw ladder: the OLMo ladder's two steps and chain (Bhagia et al. 2024, arXiv:2412.04403) through the binary."""
import os

import pytest

from conftest import SHARED_DIR

LADDER = os.path.join(SHARED_DIR, "data", "olmo-ladder")
CONFIG = os.path.join(LADDER, "final.json")
PIQA_BPB = "eval/downstream_bpb/piqa_val_rc_5shot_bpb"
PIQA_ACC = "eval/downstream/piqa_val_rc_5shot_len_norm"

# figures/chained_main.csv and step1_main.csv of github.com/allenai/OLMo-ladder (quoted in SOURCE.txt).
CHAINED = {
    "mmlu_avg_test_5shot": 0.5126799915287485,
    "hellaswag_val_5shot": 0.8530359563499285,
    "arc_challenge_test_5shot": 0.5267099358093748,
    "arc_easy_test_5shot": 0.7724156000459201,
    "piqa_val_5shot": 0.820804177694882,
    "csqa_val_5shot": 0.7760887505172276,
    "socialiqa_val_5shot": 0.5994822062474122,
    "openbookqa_test_5shot": 0.4486477676972386,
}
PIQA_STEP1 = 0.8747948863685431


@pytest.fixture
def ladder():
    if not os.path.exists(CONFIG):
        pytest.skip(f"SKIPPED: {CONFIG} is absent (published data are read from ../shared, never copied)")
    return LADDER


def test_the_table_reproduces_the_published_chained_predictions(scalelaw, ladder):
    r = scalelaw("ladder", "--config", CONFIG, "--json")
    assert r.code == 0, r.err
    rows = r.json()
    assert [row["task"] for row in rows] == list(CHAINED)
    for row in rows:
        assert row["status"] == "usable"
        assert abs(row["chained_prediction"] - CHAINED[row["task"]]) < 1e-4
        assert row["chained_lower"] is None  # no bootstrap asked


def test_a_target_given_by_n_and_d_predicts_the_same_without_an_actual(scalelaw, ladder):
    r = scalelaw("ladder", "--config", CONFIG, "--task", "piqa_val_5shot", "--target-params", 13202396160,
                 "--target-tokens", 596057 * 8388608, "--json")
    assert r.code == 0, r.err
    (row,) = r.json()
    assert abs(row["step1_prediction"] - PIQA_STEP1) < 1e-4
    assert abs(row["chained_prediction"] - CHAINED["piqa_val_5shot"]) < 1e-4
    assert row["actual_accuracy"] is None and row["step2_prediction"] is None
    # 13B is 10.3x the largest ladder model (1279395840) and 5T tokens 19.5x the largest ladder run's D: both warned.
    assert len(row["warnings"]) == 2 and "10.3x" in row["warnings"][0] and "19.5x" in row["warnings"][1]
    assert r.err.count("scalelaw: warning: piqa_val_5shot: the target's") == 2
    inside = scalelaw("ladder", "--config", CONFIG, "--task", "piqa_val_5shot", "--target-params", 1e9,
                      "--target-tokens", 1e11, "--json")
    assert inside.code == 0 and inside.err == "" and inside.json()[0]["warnings"] == []


def test_runs_given_one_by_one_with_their_n(scalelaw, ladder):
    sizes = {"190M": 190354176, "370M": 371262464, "760M": 758220288, "1B": 1279395840}
    runs = [f"{os.path.join(ladder, 'ladder-runs', f'{s}-{k}xC.csv')}={n}" for s, n in sizes.items()
            for k in (1, 2, 5, 10)]
    args = [a for run in runs for a in ("--run", run)]
    target = os.path.join(ladder, "ladder-runs", "peteish13_eval_final.csv") + "=13202396160"
    r = scalelaw("ladder", *args, "--target", target, "--task", "piqa_val_5shot", "--bootstrap", 8, "--json")
    assert r.code == 0, r.err
    (row,) = r.json()
    assert abs(row["chained_prediction"] - CHAINED["piqa_val_5shot"]) < 1e-4
    assert row["chained_lower"] < row["chained_prediction"] < row["chained_upper"]


def test_fewer_than_three_sizes_is_not_usable(scalelaw, ladder):
    runs = [os.path.join(ladder, "ladder-runs", f"{s}-{k}xC.csv") + f"={n}"
            for s, n in (("190M", 190354176), ("370M", 371262464)) for k in (1, 10)]
    args = [a for run in runs for a in ("--run", run)]
    r = scalelaw("ladder", *args, "--target-params", 1e10, "--target-tokens", 1e12, "--task", "piqa_val_5shot")
    assert r.code == 1
    assert "3 model sizes" in r.err and "not usable" in r.out


def test_a_bad_cell_names_file_line_and_column(scalelaw, tmp_path):
    path = tmp_path / "run.csv"
    rows = [f"{step},524288,{1.2 - step / 1e4},{0.5 + step / 1e4}" for step in range(1, 9)]
    rows[4] = "5,524288,oops,0.6"
    path.write_text(f"_step,batch_size_in_tokens,{PIQA_BPB},{PIQA_ACC}\n" + "\n".join(rows) + "\n")
    r = scalelaw("ladder", "--run", f"{path}=1e8", "--target-params", 1e10, "--target-tokens", 1e12, "--task",
                 "piqa_val_5shot")
    assert r.code == 2
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    assert "run.csv" in lines[0] and "6" in lines[0] and PIQA_BPB in lines[0]


def test_a_run_without_its_n_is_refused(scalelaw, tmp_path):
    r = scalelaw("ladder", "--run", "somewhere.csv", "--target-params", 1e10, "--target-tokens", 1e12)
    assert r.code == 2 and "FILE=N" in r.err
