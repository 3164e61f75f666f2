"""The package type-checks: mypy (Debian's, /usr/bin/python3 -m mypy) over python/scalelaw with the checked-in
stubs of the compiled module and over examples/python/*.py, with the settings of pyproject.toml ([tool.mypy]:
every function of the package annotated), fails on any error. A deliberate misuse must be reported, so that a
package typed as Any everywhere cannot pass."""
import importlib.util
import os
import subprocess
import sys

import pytest

SOURCE_DIR = os.path.abspath(os.environ.get("SCALELAW_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..")))
CONFIG = os.path.join(SOURCE_DIR, "pyproject.toml")


def mypy(tmp_path, *files):
    if importlib.util.find_spec("mypy") is None:
        pytest.skip(f"SKIPPED: mypy is not installed for {sys.executable} (Debian: apt-get install mypy)")
    done = subprocess.run([sys.executable, "-m", "mypy", "--config-file", CONFIG, "--cache-dir",
                           str(tmp_path / "cache"), "--no-error-summary", *files],
                          cwd=SOURCE_DIR, capture_output=True, text=True, timeout=600)
    return done.returncode, done.stdout + done.stderr


def test_package_and_examples_type_check(tmp_path):
    code, output = mypy(tmp_path)  # the files of [tool.mypy]: python/scalelaw and examples/python
    assert code == 0, f"mypy found errors (fix them, or the annotations):\n{output}"


def test_misuse_is_reported(tmp_path):
    misuse = tmp_path / "misuse.py"
    misuse.write_text(
        "import scalelaw\n"
        "a = scalelaw.allocate(1e23)\n"
        "a.param_count\n"                           # an Allocation has no such attribute
        "scalelaw.plan(1e23).items[0].law + 1\n"    # a PlanItem's law is a str
        "scalelaw.laws('epoch').constants['E'].upper()\n"  # a constant is a float
        "scalelaw.fit(None).params['E'].upper()\n")       # FitResult.params, from the stubs: dict[str, float]
    code, output = mypy(tmp_path, str(misuse))
    assert code == 1, output
    for line in (3, 4, 5, 6):
        assert f"misuse.py:{line}: error" in output, output
