"""One status and one exit-code rule for every analysis command (fit, isoflop, fit-hparams): exit 0 when the
result is usable, 1 with "scalelaw: error: <what> is not usable: <message>" on stderr for any other status
(the JSON's "status" says which), 2 for bad input with one line."""
import math

import pytest
from conftest import SOURCE_DIR

# Per command: runs the answer can be read from, runs it cannot (with the status and the stderr's subject),
# and a bad input. Each CSV is small and noise-free.
CHINCHILLA = (1.69, 406.4, 410.7, 0.34, 0.28)


def chinchilla_loss(n, d):
    e, a, b, alpha, beta = CHINCHILLA
    return e + a / n ** alpha + b / d ** beta


def fit_runs(sizes):
    rows = ["params,tokens,loss"]
    for n in sizes:
        for ratio in (2.0, 8.0, 20.0, 60.0, 150.0):
            rows.append(f"{n!r},{n * ratio!r},{chinchilla_loss(n, n * ratio)!r}")
    return "\n".join(rows) + "\n"


def isoflop_runs(budgets):
    rows = ["params,tokens,loss"]
    for c in budgets:
        for n in (1e8 * math.sqrt(c / 1e19) * f for f in (0.3, 0.6, 1.0, 1.6, 3.0)):
            rows.append(f"{n!r},{c / (6 * n)!r},{chinchilla_loss(n, c / (6 * n))!r}")
    return "\n".join(rows) + "\n"


def sweep_runs(sizes, tokens=(1e9, 4e9, 1.6e10)):
    rows = ["params,tokens,lr,batch,loss"]
    for n in sizes:
        for d in tokens:
            best = 1.79 * n ** -0.713 * d ** 0.307
            for f, extra in ((0.5, 0.02), (1.0, 0.0), (2.0, 0.03)):
                rows.append(f"{n!r},{d!r},{best * f!r},64,{2.0 + extra!r}")
    return "\n".join(rows) + "\n"


CASES = {
    "fit": (["fit", "-"], fit_runs((3e7, 1e8, 3e8, 1e9, 3e9)), fit_runs((1e8,)), "the fit", "not identifiable",
            ["--huber-delta", "-1"]),
    "isoflop": (["isoflop", "-"], isoflop_runs((1e18, 1e19, 1e20)), isoflop_runs((1e19,)), "the IsoFLOP fit",
                "not identifiable", ["--min-sizes", "2"]),
    "fit-hparams": (["fit-hparams", "-"], sweep_runs((1e8, 2e8, 4e8)), sweep_runs((1e8,), (1e9,)),
                    "the hyperparameter laws", "not identifiable", ["--seq-len", "0"]),
}


@pytest.mark.parametrize("command", sorted(CASES))
def test_usable_exits_0_with_status_usable(scalelaw, command):
    args, good, _, _, _, _ = CASES[command]
    r = scalelaw(*args, "--json", stdin=good)
    assert r.code == 0, r.err
    assert r.json()["status"] == "usable" and r.err == ""
    table = scalelaw(*args, stdin=good)
    assert table.code == 0 and "NOT USABLE" not in table.out


@pytest.mark.parametrize("command", sorted(CASES))
def test_not_usable_exits_1_with_the_status_and_the_message(scalelaw, command):
    args, _, bad, what, status, _ = CASES[command]
    r = scalelaw(*args, "--json", stdin=bad)
    assert r.code == 1, (r.out, r.err)
    out = r.json()
    assert out["status"] == status
    assert out["usable" if command != "fit" else "converged"] is False
    errors = [line for line in r.err.splitlines() if line.startswith("scalelaw: error: ")]
    assert errors == [f"scalelaw: error: {what} is not usable: {out['message']}"]
    # The table says it too, with the status and the reason.
    table = scalelaw(*args, stdin=bad)
    assert table.code == 1
    assert f"NOT USABLE ({status}" in table.out and out["message"] in table.out


@pytest.mark.parametrize("command", sorted(CASES))
def test_bad_input_exits_2_with_one_line(scalelaw, command):
    args, good, _, _, _, bad_option = CASES[command]
    r = scalelaw(*args, *bad_option, stdin=good)
    assert r.code == 2, (r.out, r.err)
    assert r.out == "" and len(r.err.strip().splitlines()) == 1 and r.err.startswith("scalelaw: error: ")


def test_one_isoflop_curve_with_scattered_compute_is_not_a_usable_fit(scalelaw):
    # One budget of data/isoflop_runs.csv: nine sizes whose 6ND is the label times (N/3e8)^0.1, a factor 1.35
    # across the curve. Fitting the law to it used to report "converged" with E, A and B spanning many decades.
    runs = f"{SOURCE_DIR}/data/isoflop_runs.csv"
    r = scalelaw("fit", runs, "--where", "budget=1e+20", "--json")
    assert r.code == 1, (r.out, r.err)
    out = r.json()
    assert out["status"] == "not identifiable"
    assert out["message"].startswith("not identifiable: the runs' compute C = 6ND spans a factor 1.35 only")
    assert "scalelaw isoflop" in out["message"]
    # Three budgets two decades apart pin it; a span limit below what the runs give names the parameter.
    three = scalelaw("fit", runs, "--where", "budget!=3.16228e+18", "--where", "budget!=3.16228e+19",
                     "--where", "budget!=3.16228e+20", "--json")
    assert three.code == 0, three.err
    tight = scalelaw("fit", runs, "--where", "budget!=3.16228e+18", "--where", "budget!=3.16228e+19",
                     "--where", "budget!=3.16228e+20", "--max-span", "1.001", "--json")
    assert tight.code == 1 and "the runs do not pin " in tight.json()["message"]
    assert "max_parameter_span" in tight.json()["message"]
    assert tight.json()["options"]["max_parameter_span"] == 1.001
    bad = scalelaw("fit", runs, "--max-span", "0.5")
    assert bad.code == 2 and bad.err.count("\n") == 1 and "--max-span" in bad.err
