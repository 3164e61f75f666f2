"""Results of scalelaw's analyses used as laws from Python: a fit_hparams result answers predict_lr,
predict_batch and plan (fit=), an isoflop result answers allocate; values recomputed from the result."""
import math

import numpy as np

import scalelaw


def sweep():
    """3 x 3 (N, D) cells, each a 5 x 5 LR x batch grid around lr = 2 N^-0.7 D^0.3, B = 0.5 D^0.6."""
    rows = {"params": [], "tokens": [], "lr": [], "batch": [], "loss": []}
    for n in (1e8, 3e8, 1e9):
        for d in (1e10, 3e10, 1e11):
            for i in range(-2, 3):
                for j in range(-2, 3):
                    rows["params"].append(n)
                    rows["tokens"].append(d)
                    rows["lr"].append(2 * n ** -0.7 * d ** 0.3 * 2.0 ** i)
                    rows["batch"].append(0.5 * d ** 0.6 * 2.0 ** j)
                    rows["loss"].append(3 - 0.1 * math.log10(n) + 0.05 * (i * i + j * j))
    return rows


def test_a_sweep_answers_the_learning_rate_over_arrays_and_in_a_plan():
    result = scalelaw.fit_hparams(sweep())
    assert result.usable
    n, d = np.array([2e8, 5e8]), np.array([2e10, 5e10])
    lr = scalelaw.predict_lr(n, d, fit=result)
    expected = result.lr.coef * n ** result.lr.exp_params * d ** result.lr.exp_tokens
    assert np.allclose(lr, expected, rtol=1e-12, atol=0)
    assert math.isclose(scalelaw.predict_batch(tokens=5e10, fit=result),
                        result.batch_tokens.coef * 5e10 ** result.batch_tokens.exp_tokens, rel_tol=1e-12)
    plan = scalelaw.plan(1e20, fit=result)
    assert plan["sources"]["lr"] == "fit" and plan["sources"]["params"] == "epoch-allocation"
    run = plan.configuration  # the LR is the sweep's law at the planned shape's total N and D = C / 6N
    assert math.isclose(plan["lr"], result.lr.coef * run.params["total"] ** result.lr.exp_params
                        * run.tokens ** result.lr.exp_tokens, rel_tol=1e-12)


def test_an_isoflop_result_answers_the_allocation():
    e, a, b, alpha, beta = 1.8172, 482.01, 2085.43, 0.3478, 0.3658
    g = (alpha * a / (beta * b)) ** (1 / (alpha + beta))
    runs = {"params": [], "tokens": [], "loss": []}
    for c in (1e19, 1e20, 1e21):
        n_opt = g * (c / 6) ** (beta / (alpha + beta))
        for k in range(-3, 4):
            n = n_opt * 2 ** (0.5 * k)
            runs["params"].append(n)
            runs["tokens"].append(c / (6 * n))
            runs["loss"].append(e + a / n ** alpha + b / (c / (6 * n)) ** beta)
    result = scalelaw.isoflop(runs, bootstrap=30)
    assert result.usable
    alloc = scalelaw.allocate(1e23, fit=result)
    assert math.isclose(alloc["params"], result.k_params * 1e23 ** result.a, rel_tol=1e-12)
    assert alloc["params_lo95"] <= alloc["params"] <= alloc["params_hi95"]
