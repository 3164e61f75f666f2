"""Results of the analyses as laws on the command line: `fit-hparams --output` drives predict-lr, predict-batch
and plan (--fit), `isoflop --output` drives allocate and reports N_opt, D_opt at --at-flops; every number is
recomputed here from the written result."""
import json
import math


def write_sweep(path):
    """A 3 x 3 (N, D) grid, each cell a 5 x 5 LR x batch grid whose loss bowl is centred on lr = 2 N^-0.7 D^0.3
    and B = 0.5 D^0.6 tokens (batch in sequences of 1)."""
    rows = ["params,tokens,lr,batch,loss"]
    for n in (1e8, 3e8, 1e9):
        for d in (1e10, 3e10, 1e11):
            lr, b = 2 * n ** -0.7 * d ** 0.3, 0.5 * d ** 0.6
            for i in range(-2, 3):
                for j in range(-2, 3):
                    rows.append(f"{n!r},{d!r},{lr * 2.0 ** i!r},{b * 2.0 ** j!r},{3 - 0.1 * math.log10(n) + 0.05 * (i * i + j * j)!r}")
    path.write_text("\n".join(rows) + "\n")


def write_isoflop(path):
    """Seven sizes around the optimum of the Epoch law on each of three budgets."""
    e, a, b, alpha, beta = 1.8172, 482.01, 2085.43, 0.3478, 0.3658
    g = (alpha * a / (beta * b)) ** (1 / (alpha + beta))
    rows = ["params,tokens,loss"]
    for c in (1e19, 1e20, 1e21):
        n_opt = g * (c / 6) ** (beta / (alpha + beta))
        for k in range(-3, 4):
            n = n_opt * 2 ** (0.5 * k)
            d = c / (6 * n)
            rows.append(f"{n!r},{d!r},{e + a / n ** alpha + b / d ** beta!r}")
    path.write_text("\n".join(rows) + "\n")


def test_a_sweep_drives_predict_lr_predict_batch_and_plan(scalelaw, tmp_path):
    sweep, out = tmp_path / "sweep.csv", tmp_path / "sweep.json"
    write_sweep(sweep)
    r = scalelaw("fit-hparams", sweep, "--seq-len", "1", "--output", out)
    assert r.code == 0, r.err
    saved = json.loads(out.read_text())
    c, a, b = saved["lr"]["coef"], saved["lr"]["exp_params"], saved["lr"]["exp_tokens"]
    assert math.isclose(a, -0.7, rel_tol=1e-9) and math.isclose(b, 0.3, rel_tol=1e-9)

    lr = scalelaw("predict-lr", "--fit", out, "--params", "5e8", "--tokens", "5e10", "--json").json()
    assert lr["law"] == f"fit:{out}"
    assert math.isclose(lr["lr"], c * 5e8 ** a * 5e10 ** b, rel_tol=1e-12)
    batch = scalelaw("predict-batch", "--fit", out, "--tokens", "5e10", "--json").json()
    assert math.isclose(batch["batch_tokens"], saved["batch_tokens"]["coef"] * 5e10 ** saved["batch_tokens"]["exp_tokens"],
                        rel_tol=1e-12)

    plan = scalelaw("plan", "--flops", "1e20", "--fit", out, "--json").json()
    assert plan["sources"]["params"] == "epoch-allocation"  # N and D from the published law
    assert plan["sources"]["lr"] == f"fit:{out}"            # the LR from the sweep, ahead of the Step Law
    # The LR is the sweep's law at the planned shape: its total N (the sweep's N is read as given) and D = C / 6N.
    run = plan["configuration"]
    n, d = run["params"]["total"], run["tokens"]
    assert math.isclose(d, 1e20 / (6 * n), rel_tol=1e-12)
    assert math.isclose(plan["lr"], c * n ** a * d ** b, rel_tol=1e-12)
    assert run["peak_lr"] == plan["lr"] and run["schedule"] == ""  # a fitted sweep states no schedule
    assert {x["law"] for x in plan["alternatives"]["lr"]} >= {f"fit:{out}", "step-lr"}


def test_an_isoflop_result_drives_allocate_and_answers_at_a_budget(scalelaw, tmp_path):
    runs, out = tmp_path / "iso.csv", tmp_path / "iso.json"
    write_isoflop(runs)
    r = scalelaw("isoflop", runs, "--bootstrap", "50", "--output", out, "--at-flops", "1e23")
    assert r.code == 0, r.err
    saved = json.loads(out.read_text())
    n_opt = saved["k_params"] * 1e23 ** saved["a"]
    assert "at C = 1e+23" in r.out and "[95%" in r.out

    alloc = scalelaw("allocate", "--fit", out, "--flops", "1e23", "--json").json()
    assert math.isclose(alloc["params"], n_opt, rel_tol=1e-12)
    assert math.isclose(alloc["tokens"], saved["k_tokens"] * 1e23 ** saved["b"], rel_tol=1e-12)
    # The band from the written resamples, recomputed: numpy's default percentile of k C^a over the draws.
    draws = sorted(x["k_params"] * 1e23 ** x["a"] for x in saved["bootstrap"]["draws"])
    at = 0.025 * (len(draws) - 1)
    lo = draws[int(at)] + (at - int(at)) * (draws[int(at) + 1] - draws[int(at)])
    assert math.isclose(alloc["params_lo95"], lo, rel_tol=1e-9)

    js = scalelaw("isoflop", runs, "--at-flops", "1e23", "--json").json()
    assert math.isclose(js["at_flops"]["params"], n_opt, rel_tol=1e-12)
    bad = scalelaw("allocate", "--fit", out, "--target-loss", "2.0")
    assert bad.code == 2 and "needs --flops" in bad.err


def test_a_result_that_is_not_a_law_file_is_an_input_error(scalelaw, tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_text('{"hello": 1}\n')
    r = scalelaw("predict-lr", "--fit", junk, "--params", "1e9", "--tokens", "1e10")
    assert r.code == 2 and "not a fit, fit-hparams, isoflop or curve fit result" in r.err and "junk.json" in r.err


def test_a_formula_fit_allocates_and_predicts_from_its_own_columns(scalelaw, tmp_path):
    """A formula over N and D allocates (N and D minimise its loss along C = 6ND); a formula over a column of the
    user's own name predicts the loss from --input NAME=VALUE, and says which input it lacks or does not read."""
    e, a, b, alpha, beta = 1.8172, 482.01, 2085.43, 0.3478, 0.3658
    rows = ["N,D,loss"]
    for n in (1e8, 3e8, 1e9, 3e9):
        for d in (2e9, 1e10, 5e10, 2e11):
            rows.append(f"{n!r},{d!r},{e + a / n ** alpha + b / d ** beta!r}")
    runs, fit = tmp_path / "nd.csv", tmp_path / "nd.json"
    runs.write_text("\n".join(rows) + "\n")
    r = scalelaw("fit", runs, "--formula", "E + A/N^alpha + B/D^beta", "--output", fit)
    assert r.code == 0, r.err
    alloc = scalelaw("allocate", "--fit", fit, "--flops", "1e22", "--json").json()
    n, d = alloc["params"], alloc["tokens"]
    assert math.isclose(6 * n * d, 1e22, rel_tol=1e-12)
    # The fitted law recovers the law it was made from, whose optimum is in closed form (Hoffmann et al. 2022,
    # arXiv:2203.15556, Eq. 4).
    g = (alpha * a / (beta * b)) ** (1 / (alpha + beta))
    assert math.isclose(n, g * (1e22 / 6) ** (beta / (alpha + beta)), rel_tol=1e-4)
    at = scalelaw("predict-loss", "--fit", fit, "--params", n, "--tokens", d, "--json").json()
    assert math.isclose(at["loss"], alloc["loss"], rel_tol=1e-12)

    compute = [1e18, 3e18, 1e19, 3e19, 1e20, 3e20, 1e21]
    own, own_fit = tmp_path / "own.csv", tmp_path / "own.json"
    own.write_text("C,L\n" + "".join(f"{c!r},{1.7 + 95.0 * c ** -0.094!r}\n" for c in compute))
    r = scalelaw("fit", own, "--formula", "E + A/C^alpha", "--loss-col", "L", "--output", own_fit)
    assert r.code == 0, r.err
    p = scalelaw("predict-loss", "--fit", own_fit, "--input", "C=1e23", "--json").json()
    assert math.isclose(p["loss"], 1.7 + 95.0 * 1e23 ** -0.094, rel_tol=1e-6)
    human = scalelaw("predict-loss", "--fit", own_fit, "--input", "C=1e23")
    assert human.code == 0 and "C = 1e+23" in human.out
    missing = scalelaw("predict-loss", "--fit", own_fit)
    assert missing.code == 2 and "needs the input 'C'" in missing.err
    misspelt = scalelaw("predict-loss", "--fit", own_fit, "--input", "c=1e23")
    assert misspelt.code == 2 and "unknown input 'c' (law 'fit:" in misspelt.err and "reads C)" in misspelt.err
