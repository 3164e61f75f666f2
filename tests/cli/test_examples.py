"""The CLI walkthrough in examples/ runs from start to end against the built binary."""
import os
import subprocess

from conftest import SOURCE_DIR


def test_cli_walkthrough_runs(tmp_path):
    env = dict(os.environ, SCALELAW=os.environ["SCALELAW_CLI"], OUT=str(tmp_path))
    r = subprocess.run(["bash", os.path.join(SOURCE_DIR, "examples", "cli", "walkthrough.sh")], cwd=SOURCE_DIR,
                       env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("\n$ scalelaw ") == 8
    assert (tmp_path / "fit.json").exists() and (tmp_path / "fit.svg").exists()
