"""model= gives every law its own N; plan().configuration is the run to launch."""
import math
import os

import pytest

import scalelaw

SOURCE_DIR = os.environ.get("SCALELAW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
LLAMA2 = os.path.join(SOURCE_DIR, "tests", "fixtures", "model_configs", "llama-2-7b.config.json")
TOTAL = 6738415616  # Llama-2-7B
NON_EMBEDDING = TOTAL - 32000 * 4096
NON_VOCABULARY = TOTAL - 2 * 32000 * 4096


def test_model_gives_each_law_its_own_n():
    model = scalelaw.count(LLAMA2)
    with pytest.warns(scalelaw.ScalelawWarning):
        lrs = scalelaw.predict_lr(model=model, tokens=2e12, law="all")
    with pytest.warns(scalelaw.ScalelawWarning):
        assert lrs["step-lr"] == scalelaw.predict_lr(non_vocabulary_params=NON_VOCABULARY, tokens=2e12)
    with pytest.warns(scalelaw.ScalelawWarning):
        assert lrs["kaplan-lr"] == scalelaw.predict_lr(non_embedding_params=NON_EMBEDDING, law="kaplan")
    # A path works as the counted model does, and the vocabulary law reads N_nv from it.
    with pytest.warns(scalelaw.ScalelawWarning):
        assert scalelaw.predict_vocab(model=LLAMA2) == scalelaw.predict_vocab(non_vocabulary_params=NON_VOCABULARY)
    [p] = scalelaw.predict("lr", law="kaplan", model=model)
    assert p.notes == ["N is the non-embedding parameter count given, as law 'kaplan-lr' counts N"]


def test_a_bare_total_warns_a_law_of_another_n():
    with pytest.warns(scalelaw.ScalelawWarning, match="counts N as the non-embedding parameters"):
        scalelaw.predict_lr(7e9, law="kaplan")


def test_model_and_a_count_are_one_question():
    with pytest.raises(scalelaw.InvalidArgument, match="params= and model=: give one of the two"):
        scalelaw.predict_lr(7e9, tokens=2e12, model=LLAMA2)
    with pytest.raises(scalelaw.InvalidArgument, match="model=3: expected a ShapeCount"):
        scalelaw.predict_lr(tokens=2e12, model=3)


def test_plan_configuration_is_the_run_to_launch():
    with pytest.warns(scalelaw.ScalelawWarning):
        plan = scalelaw.plan(1e21, vocab=128256, group_sizes=[1, 4])
    run = plan.configuration
    assert isinstance(run, scalelaw.TrainingConfiguration)
    assert run.shape["vocab"] == 128256 and run.flop_convention == "6n"
    counted = scalelaw.count(layers=run.shape["layers"], d_model=run.shape["d_model"], heads=run.shape["heads"],
                             kv_heads=run.shape["kv_heads"], vocab=128256, seq_len=2048)
    assert counted.params.total == run.params["total"]
    assert math.isclose(run.tokens * 6 * run.params["total"], 1e21, rel_tol=1e-12)
    assert run.steps == math.ceil(run.tokens / run.batch_tokens) and run.batch_tokens == run.batch_sequences * 2048
    assert run.peak_lr == plan["lr"] and run.lr_law == "step-lr" and run.schedule.startswith("cosine:")
    with pytest.raises(scalelaw.InvalidArgument, match="head_dims"):
        scalelaw.plan(1e21, head_dims=[0])
