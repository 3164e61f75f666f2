"""scalelaw ladder: the OLMo ladder's two steps and chain (Bhagia et al. 2024, arXiv:2412.04403) through the binary."""
import math
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


def write_ladder(tmp_path, accuracy_of):
    """Four sizes x 4 token multiples of synthetic PIQA histories: task loss 0.5 + 30 N^-0.25 + 40 D^-0.25, accuracy
    accuracy_of(loss, step); returns the --run arguments."""
    args = []
    for n in (1.9e8, 3.7e8, 7.6e8, 1.3e9):
        for multiple in (1, 2, 5, 10):
            path = tmp_path / f"{n:g}-{multiple}xC.csv"
            steps = range(1, 21)
            batch = multiple * 20 * n / 20
            rows = []
            for step in steps:
                loss = 0.5 + 30 * n ** -0.25 + 40 * (step * batch) ** -0.25
                rows.append(f"{step},{batch:.0f},{loss!r},{accuracy_of(loss, step)!r}")
            path.write_text(f"_step,batch_size_in_tokens,{PIQA_BPB},{PIQA_ACC}\n" + "\n".join(rows) + "\n")
            args += ["--run", f"{path}={n:g}"]
    return args


def test_a_task_at_chance_is_not_usable_and_gives_no_number(scalelaw, tmp_path):
    runs = write_ladder(tmp_path, lambda loss, step: 0.5 + 0.004 * math.sin(step))  # PIQA's chance is 0.5
    r = scalelaw("ladder", *runs, "--target-params", 1.3e10, "--target-tokens", 5e12, "--task", "piqa_val_5shot",
                 "--json")
    assert r.code == 1
    (row,) = r.json()
    assert row["status"] == "not identifiable" and "never leaves chance" in row["message"]
    assert row["chained_prediction"] is None and row["step1_prediction"] is None
    assert "never leaves chance" in r.err


def test_a_target_too_far_beyond_the_ladder_is_not_predicted(scalelaw, tmp_path):
    runs = write_ladder(tmp_path, lambda loss, step: 1 - 0.5 / (1 + math.exp(-3 * (loss - 1.2))))
    # The largest run's 6ND is 6 x 1.3e9 x 2.6e11 = 2.03e21; a 1e25-FLOP target is 4930x it.
    far = ("--target-params", 1e11, "--target-tokens", 1e25 / 6e11)
    r = scalelaw("ladder", *runs, *far, "--task", "piqa_val_5shot")
    assert r.code == 1
    assert "4.93e+03x the ladder's largest run's" in r.out and "1000x" in r.out
    r = scalelaw("ladder", *runs, *far, "--task", "piqa_val_5shot", "--max-extrapolation", 0, "--json")
    assert r.code == 0, r.err
    (row,) = r.json()
    assert 0.5 < row["chained_prediction"] < 1
    bad = scalelaw("ladder", *runs, *far, "--task", "piqa_val_5shot", "--max-extrapolation", -1)
    assert bad.code == 2 and len(bad.err.strip().splitlines()) == 1
    assert "--max-extrapolation: '-1' must be a number from 0" in bad.err


def test_a_published_downstream_law_beside_the_chain(scalelaw, ladder):
    # OLMo 2 13B's shape (40 layers, d_model 5120, FFN 13824): the Performance Law's MMLU (5-shot, %) at the
    # target's N and D, beside the chained MMLU accuracy of the ladder's own format.
    shape = ("--layers", 40, "--d-model", 5120, "--ffn-width", 13824)
    r = scalelaw("ladder", "--config", CONFIG, "--task", "mmlu_avg_test_5shot", "--published", "performance-law",
                 *shape, "--json")
    assert r.code == 0, r.err
    (row,) = r.json()
    assert abs(row["chained_prediction"] - CHAINED["mmlu_avg_test_5shot"]) < 1e-4
    (published,) = row["published"]
    direct = scalelaw("predict-downstream", "--law", "performance-law", "--params", row["target_params"], "--tokens",
                      row["target_tokens"], *shape, "--json")
    assert direct.code == 0, direct.err
    assert published["mmlu"] == pytest.approx(direct.json()["mmlu"], rel=1e-12)
    assert any("its own metric" in note for note in published["notes"])
    table = scalelaw("ladder", "--config", CONFIG, "--task", "mmlu_avg_test_5shot", "--published", "performance-law",
                     *shape)
    assert "performance-law-mmlu" in table.out and "arXiv:2408.09895" in table.out
    missing = scalelaw("ladder", "--config", CONFIG, "--task", "mmlu_avg_test_5shot", "--published", "performance-law")
    assert missing.code == 2 and "--layers" in missing.err and len(missing.err.strip().splitlines()) == 1
