"""scalelaw.sweep: the runs of a grid as a typed SweepPlan and a DataFrame, read back by scalelaw.fit and
scalelaw.isoflop once the loss column is filled in (from a Chinchilla-form law written out again)."""
import math

import pytest

import scalelaw

pd = pytest.importorskip("pandas", reason="pandas is not installed (apt-get install python3-pandas)")

TRUTH = dict(E=1.69, A=406.4, B=410.7, alpha=0.34, beta=0.28)


def truth_loss(n, d):
    return TRUTH["E"] + TRUTH["A"] / n ** TRUTH["alpha"] + TRUTH["B"] / d ** TRUTH["beta"]


def test_isoflop_plan_is_fitted_back_to_its_constants(tmp_path):
    path = tmp_path / "runs.csv"
    plan = scalelaw.sweep([1e18, 3e18, 1e19, 3e19, 1e20], law="chinchilla", per_budget=7, seq_len=2048,
                          output=path)
    assert plan.usable and plan.grid == "isoflop" and len(plan.runs) == 35
    frame = plan.to_frame()
    assert list(frame.columns) == scalelaw._scalelaw._sweep_columns()
    assert frame["loss"].isna().all()
    assert pd.read_csv(path).shape == frame.shape

    frame["loss"] = [truth_loss(n, d) for n, d in zip(frame["params"], frame["tokens"])]
    fitted = scalelaw.fit(frame)
    for name, value in TRUTH.items():
        assert fitted.params[name] == pytest.approx(value, rel=1e-4), name
    iso = scalelaw.isoflop(frame)
    assert iso.a == pytest.approx(TRUTH["beta"] / (TRUTH["alpha"] + TRUTH["beta"]), abs=2e-3)

    # The fit centres the next sweep: the middle size is its N_opt at that budget.
    again = scalelaw.sweep([1e21], fit=fitted, per_budget=5, spread=2)
    assert again.runs[2].target_params == pytest.approx(fitted.allocate(1e21)["params"], rel=1e-9)


@pytest.mark.filterwarnings("ignore::scalelaw.ScalelawWarning")  # small N: outside the step law's range
def test_each_run_has_its_shapes_counts_and_the_laws_answers():
    plan = scalelaw.sweep([1e19], min_params=5e7, max_params=4e8, per_budget=4, vocab=50304, tied_embeddings=True)
    for run in plan.runs:
        s = run.count.shape
        counted = scalelaw.count(layers=s["layers"], d_model=s["d_model"], heads=s["heads"], kv_heads=s["kv_heads"],
                                 vocab=s["vocab"], tied_embeddings=True, seq_len=s["seq_len"])
        assert run.count.params.total == counted.params.total
        assert run.count.params.non_vocabulary == counted.params.non_vocabulary
        assert run.flops_per_token == 6 * counted.params.total
        assert abs(run.tokens * run.flops_per_token - 1e19) <= 0.5 * run.flops_per_token
        assert run.steps * run.batch_tokens >= run.tokens > (run.steps - 1) * run.batch_tokens
        lr = scalelaw.predict_lr(counted.params.non_vocabulary, run.tokens, law="step")
        assert run.lr == pytest.approx(float(lr), rel=1e-12)
        assert run.lr == pytest.approx(1.79 * counted.params.non_vocabulary ** -0.713 * run.tokens ** 0.307,
                                       rel=1e-12)
        # The step law's own schedule at this run's peak and steps: warmup, then cosine to 1e-5.
        kind, fields = run.schedule.split(":")
        spec = dict(field.split("=") for field in fields.split(","))
        assert kind == "cosine" and spec["end"] == "1e-5" and int(spec["steps"]) == run.steps
        assert float(spec["peak"]) == pytest.approx(run.lr, rel=5e-6)


def test_nxd_grid_and_bad_options():
    plan = scalelaw.sweep(tokens=[1e9, 1e10], sizes=[1e8, 3e8], batch_tokens=2 ** 20)
    assert plan.grid == "n x d" and len(plan.runs) == 4
    assert all(run.budget == 0 and run.batch_tokens == 2 ** 20 for run in plan.runs)
    assert math.isnan(plan.to_frame()["budget"][0])
    with pytest.raises(scalelaw.InvalidArgument, match="^max_params"):
        scalelaw.sweep([1e19], min_params=1e8)
    with pytest.raises(scalelaw.InvalidArgument, match="^lr_law"):
        scalelaw.sweep([1e19], sizes=[1e8], lr_law="chinchilla")
    with pytest.raises(scalelaw.InvalidArgument, match="law= or fit="):
        scalelaw.sweep([1e19], law="chinchilla", fit=scalelaw.fit(
            {"params": [1e8, 2e8, 4e8, 1e8, 2e8, 4e8], "tokens": [1e9, 1e9, 1e9, 4e9, 4e9, 4e9],
             "loss": [truth_loss(n, d) for n, d in [(1e8, 1e9), (2e8, 1e9), (4e8, 1e9), (1e8, 4e9), (2e8, 4e9),
                                                    (4e8, 4e9)]]}))


def test_sizes_the_constraints_cannot_build_are_not_usable():
    plan = scalelaw.sweep([1e21], min_params=1e9, max_params=2e9, max_d_model=256)
    assert not plan.usable and plan.status == "no shape"
    assert "N = 1e+09" in plan.message and plan.runs == []


def test_the_run_a_design_proposes_is_planned():
    design = scalelaw.design_sweep(sizes=[2.5e7, 5e7, 1e8, 2e8], tokens=[1e9, 3e9, 1e10, 3e10, 1e11], noise=0.01,
                                   target_flops=1e22, candidates=[(2e8, 1e11), (2e9, 1e10)])
    assert design.usable, design.message
    proposed = design.candidates[design.best_candidate]
    [run] = scalelaw.sweep(design=design).runs
    assert run.target_params == proposed["params"] and run.tokens == proposed["tokens"]
    with pytest.raises(scalelaw.InvalidArgument, match="design= or budgets="):
        scalelaw.sweep([1e19], design=design)
