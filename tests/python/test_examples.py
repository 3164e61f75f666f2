"""The Python example in examples/ runs against the built package and prints a usable fit."""
import os
import subprocess
import sys

SOURCE_DIR = os.environ.get("SCALELAW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def test_python_quickstart_runs():
    r = subprocess.run([sys.executable, os.path.join(SOURCE_DIR, "examples", "python", "quickstart.py")],
                       capture_output=True, text=True, env=dict(os.environ))
    assert r.returncode == 0, r.stderr
    # print(fit) is the table `scalelaw fit` prints.
    assert "Fitted L = E + A/N^alpha + B/D^beta to 48 runs" in r.stdout and "status           converged" in r.stdout
    assert "95% CI" in r.stdout and "lr (step-lr)" in r.stdout
