"""Every input a user can get wrong: exit 2 with one line on stderr that names the file, line and column;
a fit that runs but cannot be used: exit 1. Never a crash, a hang or a NaN."""
import json

import pytest

from conftest import EXAMPLE_RUNS

HEADER = "params,tokens,loss\n"


def write(tmp_path, text, name="runs.csv", mode="w"):
    path = tmp_path / name
    if mode == "wb":
        path.write_bytes(text)
    else:
        path.write_text(text)
    return str(path)


def assert_usage_error(result, *fragments):
    assert result.code == 2, (result.code, result.out, result.err)
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("scalelaw: error: ")
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert "nan" not in result.out.lower()


@pytest.mark.parametrize("body, fragments", [
    ("", ["the file is empty"]),
    (HEADER, ["a header but no runs"]),
    ("params,tokens\n1e8,1e9\n", ["line 1, column 'loss'", "missing column"]),
    ("params;tokens;loss\n1e8;1e9;3\n", ["column 'params'", "missing column"]),
    ("params,tokens,loss,loss\n1e8,1e9,3,3\n", ["column 'loss'", "more than once"]),
    (HEADER + "1e8,1e9,3\n1e8,1e9\n", ["line 3", "fewer cells"]),
    (HEADER + "1e8,1e9,3,7\n", ["line 2", "more cells"]),
    (HEADER + "1e8,1e9,abc\n", ["line 2, column 'loss'", "expected a number, got 'abc'"]),
    (HEADER + "1e8,1e9,nan\n", ["line 2, column 'loss'", "NaN"]),
    (HEADER + "1e8,inf,3\n", ["line 2, column 'tokens'", "infinity"]),
    (HEADER + "-1e8,1e9,3\n", ["line 2, column 'params'", "positive"]),
    (HEADER + "1e8,1e9,0\n", ["line 2, column 'loss'", "positive"]),
    (HEADER + "1e8,1e9,\n", ["line 2, column 'loss'", "empty cell"]),
    (HEADER + "1e8,1e999,3\n", ["line 2, column 'tokens'", "out of the range"]),
])
def test_bad_csv(scalelaw, tmp_path, body, fragments):
    path = write(tmp_path, body)
    assert_usage_error(scalelaw("fit", path), path, *fragments)


def test_binary_garbage(scalelaw, tmp_path):
    path = write(tmp_path, bytes(range(256)) * 8, mode="wb")
    assert_usage_error(scalelaw("fit", path), path)


def test_unreadable_paths(scalelaw, tmp_path):
    assert_usage_error(scalelaw("fit", tmp_path / "missing.csv"), "missing.csv", "cannot open")
    assert_usage_error(scalelaw("fit", tmp_path), str(tmp_path), "is a directory")


def assert_not_identifiable(result, *fragments):
    """Exit 1, JSON with converged false and the reason, the reason on stderr too; no parameters as an answer."""
    assert result.code == 1, (result.code, result.err)
    out = result.json()
    assert out["converged"] is False
    assert out["message"].startswith("not identifiable: "), out["message"]
    for fragment in fragments:
        assert fragment in out["message"], (fragment, out["message"])
    assert "not identifiable" in result.err


def test_fewer_runs_than_parameters(scalelaw, tmp_path):
    path = write(tmp_path, HEADER + "1e8,1e9,3.1\n2e8,2e9,2.9\n4e8,4e9,2.7\n8e8,8e9,2.6\n")
    assert_not_identifiable(scalelaw("fit", path, "--json"),
                            "4 distinct points for the 5 free parameters of model 'chinchilla'")
    # The likelihood estimator also fits the scale sigma: six unknowns.
    assert_not_identifiable(scalelaw("fit", path, "--json", "--estimator", "mle"), "for the 6 free parameters")


def test_fixed_parameters_lower_the_count(scalelaw, tmp_path):
    rows = "".join(f"{n:g},{20 * n:g},{1.69 + 406.4 / n ** 0.34 + 410.7 / (20 * n) ** 0.28:.6f}\n"
                   for n in (1e8, 2e8, 4e8, 8e8))
    path = write(tmp_path, HEADER + rows)
    assert_not_identifiable(scalelaw("fit", path, "--json"), "4 distinct points for the 5 free")
    r = scalelaw("fit", path, "--json", "--fix", "E=1.69", "--fix", "beta=0.28")
    assert r.code == 0, r.err
    fit = r.json()
    assert fit["converged"] is True
    # Noiseless runs (losses rounded to 1e-6): the three free parameters come back.
    assert abs(fit["params"]["alpha"] - 0.34) < 1e-3, fit["params"]
    assert abs(fit["params"]["A"] / 406.4 - 1) < 1e-2, fit["params"]


def test_repeated_runs_at_too_few_points(scalelaw, tmp_path):
    # Seven runs, but only three distinct (N, D) points: the repeats add precision, not equations.
    sizes = [1e8, 2e8, 4e8]
    picks = [0, 1, 2, 0, 1, 2, 2]
    rows = "".join(f"{sizes[k]:g},{10 * sizes[k]:g},{3.2 - 0.1 * k + 0.01 * (i % 2)}\n" for i, k in enumerate(picks))
    path = write(tmp_path, HEADER + rows)
    assert_not_identifiable(scalelaw("fit", path, "--json"), "3 distinct points for the 5 free parameters")


def test_one_model_size_is_not_identifiable(scalelaw, tmp_path):
    rows = "".join(f"1e8,{d},{3.5 - 0.1 * k}\n" for k, d in enumerate([1e9, 2e9, 4e9, 8e9, 16e9, 32e9]))
    path = write(tmp_path, HEADER + rows)
    assert_not_identifiable(scalelaw("fit", path, "--json"), "1 distinct N")


@pytest.mark.parametrize("model", ["chinchilla", "kaplan"])
def test_runs_at_one_compute_budget_are_not_identifiable(scalelaw, tmp_path, model):
    # Six sizes along one isoFLOP curve (D = 1e19 / (6N)), losses from Hoffmann et al.'s law: one curve cannot
    # show how the loss moves with compute.
    sizes = [1e8, 2e8, 4e8, 8e8, 1.6e9, 3.2e9]
    rows = "".join(f"{n:g},{1e19 / (6 * n):.6g},{1.69 + 406.4 / n ** 0.34 + 410.7 / (1e19 / (6 * n)) ** 0.28:.6f}\n"
                   for n in sizes)
    path = write(tmp_path, HEADER + rows)
    assert_not_identifiable(scalelaw("fit", path, "--json", "--model", model), "the same compute C = 6ND (1e+19")
    # A second budget makes the design usable.
    more = "".join(f"{n:g},{1e20 / (6 * n):.6g},{1.69 + 406.4 / n ** 0.34 + 410.7 / (1e20 / (6 * n)) ** 0.28:.6f}\n"
                   for n in sizes)
    two = write(tmp_path, HEADER + rows + more, "two.csv")
    r = scalelaw("fit", two, "--json", "--model", "chinchilla")
    assert r.code == 0, r.err
    assert abs(r.json()["params"]["alpha"] - 0.34) < 0.01


def test_blank_lines_after_the_runs_are_ignored(scalelaw, tmp_path):
    with open(EXAMPLE_RUNS) as f:
        body = f.read().rstrip("\n") + "\n"
    plain = scalelaw("fit", write(tmp_path, body, "plain.csv"), "--json")
    blank = scalelaw("fit", write(tmp_path, body + "\n \r\n\t\n\n", "blank.csv"), "--json")
    assert plain.code == blank.code == 0, blank.err
    assert blank.json()["n_points"] == plain.json()["n_points"]
    assert blank.json()["params"] == plain.json()["params"]
    # Between runs a blank line is still an error, with its line number.
    lines = body.splitlines(keepends=True)
    middle = write(tmp_path, "".join(lines[:3] + ["\n"] + lines[3:]), "middle.csv")
    assert_usage_error(scalelaw("fit", middle), "line 4: this row has fewer cells than the header")
    assert_usage_error(scalelaw("fit", write(tmp_path, HEADER + "\n\n", "header.csv")), "a header but no runs")


@pytest.mark.parametrize("args, fragments", [
    (["fit", EXAMPLE_RUNS, "--model", "chinchila"], ["unknown model 'chinchila'", "known: chinchilla"]),
    (["fit", EXAMPLE_RUNS, "--estimator", "ols"], ["--estimator"]),
    (["fit", EXAMPLE_RUNS, "--huber-delta", "nan"], ["--huber-delta", "positive finite"]),
    (["fit", EXAMPLE_RUNS, "--huber-delta", "-1"], ["--huber-delta"]),
    (["fit", EXAMPLE_RUNS, "--threads", "-1"], ["--threads"]),
    (["fit", EXAMPLE_RUNS, "--drop-highest", "x"], ["--drop-highest"]),
    (["fit", EXAMPLE_RUNS, "--drop-highest", "48"], ["cannot drop 48"]),
    (["fit", EXAMPLE_RUNS, "--tokens-col", "tokens", "--flops-col", "flops"], ["excludes"]),
    (["fit", EXAMPLE_RUNS, "--bogus"], ["--bogus"]),
    (["fit"], ["file"]),
    (["allocate", "--law", "epoch", "--flops", "abc"], ["--flops", "'abc' is not a number"]),
    (["allocate", "--law", "epoch", "--flops", "0"], ["--flops", "positive"]),
    (["allocate", "--law", "epoch", "--flops", "-1e308"], ["--flops", "-1e308"]),
    (["allocate", "--law", "epoch", "--flops", "inf"], ["--flops"]),
    (["allocate", "--law", "kaplan-typo", "--flops", "1e21"], ["no allocation law 'kaplan-typo'", "known: chinchilla"]),
    (["allocate", "--law", "epoch", "--json"], ["--flops C, --target-loss L or --lifetime-flops C_life"]),
    (["allocate", "--law", "epoch"], ["--flops"]),
    ([], ["subcommand"]),
])
def test_bad_command_lines(scalelaw, args, fragments):
    assert_usage_error(scalelaw(*args), *fragments)


def test_bad_fit_files(scalelaw, tmp_path):
    assert_usage_error(scalelaw("allocate", "--fit", tmp_path / "none.json", "--flops", "1e21"), "none.json")
    path = write(tmp_path, "{broken", "fit.json")
    assert_usage_error(scalelaw("allocate", "--fit", path, "--flops", "1e21"), path, "not valid JSON")
    path = write(tmp_path, json.dumps({"model": "chinchilla", "params": {"E": 1.7}}), "partial.json")
    assert_usage_error(scalelaw("allocate", "--fit", path, "--flops", "1e21"), "params.A")


def test_no_number_is_printed_with_300_digits(scalelaw):
    r = scalelaw("allocate", "--law", "epoch", "--flops", "1e308")
    assert len(r.err) < 400 and len(r.out) < 2000
