"""--report out.html on fit, validate, isoflop, curve fit, compare, ladder and design: one self-contained page, loaded in headless Chromium
(Debian's package, installed by scripts/install-deps.sh), with no console message, the expected figures laid out,
the command and data in its provenance, and the result's JSON embedded as --json prints it."""
import html
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import pytest

from conftest import EXAMPLE_RUNS, SHARED_DIR, SOURCE_DIR

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "support"))
from multipower_25m import TRAIN, log, write_facts  # noqa: E402

ISOFLOP_RUNS = os.path.join(SOURCE_DIR, "data", "isoflop_runs.csv")
RECIPE_RUNS = os.path.join(SOURCE_DIR, "data", "recipe_runs.csv")


def chromium():
    binary = shutil.which("chromium")
    if binary is None:
        pytest.skip("SKIPPED: chromium is absent (scripts/install-deps.sh installs Debian's package)")
    return binary


def load_in_chromium(path, tmp_path):
    """The DOM Chromium built from the page and its console messages (every CONSOLE line of its log)."""
    completed = subprocess.run(
        [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--enable-logging=stderr",
         "--v=0", f"--user-data-dir={tmp_path / 'chromium-profile'}", "--dump-dom", f"file://{path}"],
        capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stderr[-2000:]
    console = [line for line in completed.stderr.splitlines() if "CONSOLE" in line]
    return completed.stdout, console


def check_report(path, tmp_path, figures, subcommand):
    """Checks the page and returns the result's JSON embedded in it."""
    page = path.read_text()
    # Self-contained: no external resource of any kind.
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#)""", page), "the page loads an external resource"
    command = html.unescape(re.search(r"<p>Command:</p>\s*<pre>(.*?)</pre>", page, re.S).group(1))
    assert command.startswith("scalelaw " + subcommand + " ")
    embedded = re.search(r'<script type="application/json" id="result">(.*?)</script>', page, re.S).group(1)
    # Each figure is well-formed SVG on its own.
    svgs = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(svgs) == figures
    for svg in svgs:
        ElementTree.fromstring(svg)
    dom, console = load_in_chromium(path, tmp_path)
    assert console == [], console
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert f'data-figures="{figures}"' in body and f'data-rendered="{figures}"' in body, body
    return json.loads(embedded.replace("<\\/", "</")), command


def without_timing(result):
    return {k: v for k, v in result.items() if k not in ("seconds", "wall_seconds")}


def test_fit_report(scalelaw, tmp_path):
    report = tmp_path / "fit.html"
    args = ["fit", EXAMPLE_RUNS, "--bootstrap", "50"]
    r = scalelaw(*args, "--report", report)
    assert r.code == 0, r.err
    # Loss against compute, observed against predicted, residuals.
    embedded, _ = check_report(report, tmp_path, 3, "fit")
    assert without_timing(embedded) == without_timing(scalelaw(*args, "--json").json())
    page = report.read_text()
    assert "example_runs.csv" in page and "Status: usable" in page


def test_fit_report_per_group(scalelaw, tmp_path):
    report = tmp_path / "groups.html"
    # Loss against N per recipe: each group's section has the fitted curve, observed vs predicted and residuals.
    r = scalelaw("fit", RECIPE_RUNS, "--model", "power-offset", "--col", "x=params", "--group-by", "recipe",
                 "--report", report)
    assert r.code == 0, r.err
    page = report.read_text()
    assert "recipe = baseline" in page and "recipe = new-mix" in page
    assert page.count("<figure") == 6


def test_isoflop_report(scalelaw, tmp_path):
    report = tmp_path / "isoflop.html"
    args = ["isoflop", ISOFLOP_RUNS, "--budget-col", "budget"]
    r = scalelaw(*args, "--report", report)
    assert r.code == 0, r.err
    embedded, _ = check_report(report, tmp_path, 1, "isoflop")
    assert embedded == scalelaw(*args, "--json").json()


def test_compare_report(scalelaw, tmp_path):
    report = tmp_path / "it's a report.html"  # a quote in the path: the command line shown is quoted for a shell
    args = ["compare", RECIPE_RUNS, "--bootstrap", "30"]
    r = scalelaw(*args, "--report", report)
    assert r.code == 0, r.err
    embedded, command = check_report(report, tmp_path, 1, "compare")
    assert without_timing(embedded) == without_timing(scalelaw(*args, "--json").json())
    assert command.endswith(" --report '" + str(report).replace("'", "'\\''") + "'")


def test_curve_fit_report(scalelaw, tmp_path):
    facts = write_facts(tmp_path)
    report = tmp_path / "curves.html"
    args = ["curve", "fit", *[log(n) for n in TRAIN], "--facts", facts, "--law", "annealing"]
    r = scalelaw(*args, "--report", report)
    assert r.code == 0, r.err
    out = scalelaw(*args, "--json").json()
    page = report.read_text()
    embedded = json.loads(re.search(r'id="result">(.*?)</script>', page, re.S).group(1))
    assert embedded["parameters"] == out["parameters"]
    assert check_report(report, tmp_path, 2, "curve")[0] == embedded
    for name in TRAIN:
        assert name in page


def test_unwritable_report_is_one_line_exit_2(scalelaw, tmp_path):
    r = scalelaw("compare", RECIPE_RUNS, "--bootstrap", "0", "--report", tmp_path / "missing" / "r.html")
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1 and "report" in r.err


def test_validate_report(scalelaw, tmp_path):
    report = tmp_path / "validate.html"
    args = ["validate", EXAMPLE_RUNS, "--bootstrap", "20"]
    r = scalelaw(*args, "--report", report)
    assert r.code == 0, r.err
    embedded, _ = check_report(report, tmp_path, 1, "validate")
    assert without_timing(embedded) == without_timing(scalelaw(*args, "--json").json())


def test_design_report(scalelaw, tmp_path):
    report = tmp_path / "design.html"
    args = ["design", "--sizes", "2.5e7,5e7,1e8,2e8", "--tokens", "1e9,3e9,1e10,3e10,1e11", "--noise", "0.01",
            "--target-flops", "1e22", "--simulations", "40"]
    r = scalelaw(*args, "--report", report)
    assert r.code == 0, r.err
    embedded, _ = check_report(report, tmp_path, 2, "design")  # the refits at the target, the (N, D) plane
    assert without_timing(embedded) == without_timing(scalelaw(*args, "--json").json())


def test_ladder_report(scalelaw, tmp_path):
    config = os.path.join(SHARED_DIR, "data", "olmo-ladder", "final.json")
    if not os.path.exists(config):
        pytest.skip(f"SKIPPED: {config} is absent (published data are read from ../shared, never copied)")
    report = tmp_path / "ladder.html"
    args = ["ladder", "--config", config, "--task", "piqa_val_5shot"]
    r = scalelaw(*args, "--report", report)
    assert r.code == 0, r.err
    embedded, _ = check_report(report, tmp_path, 2, "ladder")  # the task's step 1 and step 2
    assert embedded == scalelaw(*args, "--json").json()
    assert "ladder-runs" in report.read_text() and "piqa_val_5shot" in report.read_text()
