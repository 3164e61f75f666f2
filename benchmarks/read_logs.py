#!/usr/bin/python3
"""Reading training logs (issue 14): `scalelaw curve table` on a 1e6-row JSON Lines log, target about a second.

Writes, in a temporary folder, a JSON Lines log of --rows lines as trainers write them (step, loss, lr,
grad_norm and a throughput key, one object per line; fixed seed) and the same rows as a CSV, then times, one run
after another, K repeats of

  jsonl   scalelaw curve table LOG.jsonl --batch-tokens 1e6          (the target: about 1 s)
  csv     scalelaw curve table LOG.csv --batch-tokens 1e6            (information only)
  python  /usr/bin/python3: json.loads of every line, keeping step, loss and lr (information only: the
          reading a pandas user would otherwise write, ratio = python / scalelaw jsonl)

and prints medians of the wall time and of the CPU time (user + system of the child process), since on a
shared machine the wall time also counts the time other processes held the cores. Timings never fail: the
exit status is 0 whatever they are (benchmarks are not tests); PASS/MISS is printed against the target.

Usage:
    /usr/bin/python3 benchmarks/read_logs.py [--rows N] [--repeats K] [--scalelaw PATH]
"""
import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
TARGET_SECONDS = 1.0

PYTHON_READER = r"""
import json, sys
steps, losses, lrs = [], [], []
with open(sys.argv[1]) as f:
    for line in f:
        o = json.loads(line)
        steps.append(o["step"]); losses.append(o["loss"]); lrs.append(o["lr"])
print(steps[-1], losses[-1], lrs[-1])
"""


def write_logs(folder, rows, seed=7):
    rng = random.Random(seed)
    jsonl = os.path.join(folder, "run.jsonl")
    csv = os.path.join(folder, "run.csv")
    with open(jsonl, "w") as j, open(csv, "w") as c:
        c.write("step,loss,lr,grad_norm,tokens_per_sec\n")
        for step in range(1, rows + 1):
            loss = 2.5 + 8.0 * step ** -0.3 + 0.01 * rng.random()
            lr = 3e-4 * min(1.0, step / 2000) * (1.0 - 0.9 * step / rows)
            grad = rng.random()
            tps = 1e5 * (1 + rng.random())
            j.write('{"step": %d, "loss": %.6f, "lr": %.6e, "grad_norm": %.4f, "throughput/tokens_per_sec": %.1f}\n'
                    % (step, loss, lr, grad, tps))
            c.write("%d,%.6f,%.6e,%.4f,%.1f\n" % (step, loss, lr, grad, tps))
    return jsonl, csv


def timed(command):
    """Wall and CPU (user + system) seconds of one child process; its output must succeed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit("failed: %s\n%s" % (" ".join(command), done.stderr))
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scalelaw", default=os.path.join(REPO, "build", "bin", "scalelaw"))
    args = parser.parse_args()
    if not os.path.exists(args.scalelaw):
        sys.exit("no scalelaw at %s (build it, or pass --scalelaw)" % args.scalelaw)
    with tempfile.TemporaryDirectory(prefix="scalelaw_read_logs_") as folder:
        jsonl, csv = write_logs(folder, args.rows)
        print("log: %d rows, JSON Lines %.1f MB, CSV %.1f MB" % (args.rows, os.path.getsize(jsonl) / 1e6,
                                                                  os.path.getsize(csv) / 1e6))
        rows = {
            "jsonl": [args.scalelaw, "curve", "table", jsonl, "--batch-tokens", "1e6"],
            "csv": [args.scalelaw, "curve", "table", csv, "--batch-tokens", "1e6"],
            "python": ["/usr/bin/python3", "-c", PYTHON_READER, jsonl],
        }
        results = {name: [] for name in rows}
        for _ in range(args.repeats):
            for name, command in rows.items():  # one after another, never two at once
                wall, cpu, _ = timed(command)
                results[name].append((wall, cpu))
        medians = {name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
                   for name, r in results.items()}
        print("%-8s %10s %10s" % ("", "wall s", "cpu s"))
        for name, (wall, cpu) in medians.items():
            print("%-8s %10.3f %10.3f" % (name, wall, cpu))
        wall, cpu = medians["jsonl"]
        verdict = "PASS" if cpu <= TARGET_SECONDS * 1.25 else "MISS"
        print("jsonl target about %.0f s (CPU time, <= %.2f s): %s; wall %.3f s (the machine's load included)"
              % (TARGET_SECONDS, TARGET_SECONDS * 1.25, verdict, wall))
        print("python json.loads / scalelaw: %.1fx (CPU)" % (medians["python"][1] / cpu))
    return 0


if __name__ == "__main__":
    sys.exit(main())
