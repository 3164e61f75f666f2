#!/usr/bin/python3
"""The OLMo ladder's two steps in numpy/scipy, written for the ladder benchmark (benchmarks/ladder.py, issue 15).

The procedure of ../shared/data/olmo-ladder/SOURCE.txt (Bhagia et al. 2024, arXiv 2412.04403; the paper's
released scripts step1.py / step2.py / predict.py, re-implemented, not copied): for each of the 8 main tasks,
  step 1  L(N, D) = e^a / N^alpha + e^b / D^beta + E on one point per ladder run (mean bpb of its last 5 rows),
          Huber (delta 1e-3) on log residuals, L-BFGS-B with the analytic gradient from (3, 6, 0.1, 0.2, 1),
          all >= 0, ftol 0, gtol 1e-10;
  step 2  Acc(x) = a / (1 + exp(-k (x - x0))) + b on every checkpoint (first 10% of each run dropped, trailing
          moving average of 5) plus the ideal point (0, 1), scipy curve_fit (trf) from (-1, 0.9, 3, 1) within
          a in [-1, 0], x0 >= 0, k >= 0, b in [0, 1];
  chained Acc(L(N_target, D_target)).
With --bootstrap K it repeats both fits on K joint resamples (runs with replacement, then each drawn run's smoothed
checkpoints with replacement), warm-started from the full-data optimum, as scalelaw ladder --bootstrap does.

Prints one JSON object: the chained predictions per task, the fits done and the wall time of all of them.

Usage: /usr/bin/python3 benchmarks/ladder_baseline.py [--bootstrap K] [--seed S]
"""
import argparse
import csv
import json
import math
import os
import time

import numpy as np
from scipy.optimize import curve_fit, minimize

HERE = os.path.dirname(os.path.abspath(__file__))
LADDER = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "data", "olmo-ladder"))

MMLU = [("stem", 0.215), ("humanities", 0.335), ("social_sciences", 0.219), ("other", 0.231)]
TASKS = ["mmlu_avg_test_5shot", "hellaswag_val_5shot", "arc_challenge_test_5shot", "arc_easy_test_5shot",
         "piqa_val_5shot", "csqa_val_5shot", "socialiqa_val_5shot", "openbookqa_test_5shot"]


def columns(task):
    """[(weight, bpb column, accuracy column)] of a task."""
    if task == "mmlu_avg_test_5shot":
        parts = [(w, f"mmlu_{c}_test") for c, w in MMLU]
    else:
        parts = [(1.0, task.replace("_5shot", ""))]
    return [(w, f"eval/downstream_bpb/{p}_rc_5shot_bpb", f"eval/downstream/{p}_rc_5shot_len_norm") for w, p in parts]


def read_run(path, task):
    tokens, bpb, acc = [], [], []
    with open(path) as f:
        for row in csv.DictReader(f):
            if "throughput/total_tokens" in row and row["throughput/total_tokens"]:
                tokens.append(float(row["throughput/total_tokens"]))
            else:
                tokens.append(float(row["_step"]) * float(row["batch_size_in_tokens"]))
            bpb.append(sum(w * float(row[b]) for w, b, _ in columns(task)))
            acc.append(sum(w * float(row[a]) for w, _, a in columns(task)))
    return np.array(tokens), np.array(bpb), np.array(acc)


def smooth(x, window=5):
    return np.array([x[max(0, i - window + 1):i + 1].mean() for i in range(len(x))])


def huber(r, delta=1e-3):
    a = np.abs(r)
    return np.where(a < delta, 0.5 * r * r, delta * (a - 0.5 * delta)), np.where(a < delta, r, delta * np.sign(r))


def fit_step1(n, d, loss, start):
    ln_n, ln_d, ln_l = np.log(n), np.log(d), np.log(loss)

    def objective(p):
        a, b, alpha, beta, e = p
        ta, tb = np.exp(a - alpha * ln_n), np.exp(b - beta * ln_d)
        pred = ta + tb + e
        value, dr = huber(np.log(pred) - ln_l)
        g = dr / pred
        return value.sum(), np.array([(g * ta).sum(), (g * tb).sum(), -(g * ta * ln_n).sum(),
                                      -(g * tb * ln_d).sum(), g.sum()])

    result = minimize(objective, start, jac=True, method="L-BFGS-B", bounds=[(0, None)] * 5,
                      options={"ftol": 0, "gtol": 1e-10, "maxiter": 1000000})
    return result.x


def sigmoid(x, a, x0, k, b):
    return a / (1 + np.exp(-k * (x - x0))) + b


def fit_step2(x, y, start):
    p, _ = curve_fit(sigmoid, x, y, p0=start, bounds=([-1, 0, 0, 0], [0, np.inf, np.inf, 1]), maxfev=500000)
    return p


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bootstrap", type=int, default=0)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    with open(os.path.join(LADDER, "final.json")) as f:
        config = json.load(f)
    runs, target = [], None
    for entry in config.values():
        for path in entry["paths"]:
            item = (os.path.join(LADDER, "ladder-runs", os.path.basename(path)), float(entry["n"]))
            if entry["mode"] == "train":
                runs.append(item)
            else:
                target = item
    rng = np.random.default_rng(args.seed)
    out = {"tasks": {}, "fits": 0}
    # The files are read first: the time is the fits' alone.
    prepared = {}
    for task in TASKS:
        data = []
        for path, n in runs:
            d, bpb, acc = read_run(path, task)
            skip = math.ceil(0.1 * len(bpb))
            data.append((n, d[-1], bpb[-5:].mean(), smooth(bpb[skip:]), smooth(acc[skip:])))
        prepared[task] = data
    td, _, _ = read_run(target[0], TASKS[0])
    n_target, d_target = target[1], td[-1]
    begin = time.perf_counter()
    for task in TASKS:
        data = prepared[task]

        def fit(rows, within, p1, p2):
            n = np.array([data[i][0] for i in rows])
            d = np.array([data[i][1] for i in rows])
            loss = np.array([data[i][2] for i in rows])
            xs = [np.zeros(1)] + [data[i][3][w] for i, w in zip(rows, within)]
            ys = [np.ones(1)] + [data[i][4][w] for i, w in zip(rows, within)]
            q1 = fit_step1(n, d, loss, p1)
            q2 = fit_step2(np.concatenate(xs), np.concatenate(ys), p2)
            a, b, alpha, beta, e = q1
            return q1, q2, float(sigmoid(math.exp(a) / n_target ** alpha + math.exp(b) / d_target ** beta + e, *q2))

        everything = list(range(len(data)))
        q1, q2, chained = fit(everything, [slice(None)] * len(data), [3, 6, 0.1, 0.2, 1], [-1, 0.9, 3, 1])
        out["fits"] += 2
        resampled = []
        for _ in range(args.bootstrap):
            rows = list(rng.integers(0, len(data), len(data)))
            within = [rng.integers(0, len(data[i][3]), len(data[i][3])) for i in rows]
            try:
                resampled.append(fit(rows, within, q1, q2)[2])
            except RuntimeError:
                pass
            out["fits"] += 2
        task_out = {"chained": chained}
        if resampled:
            task_out["lo90"], task_out["hi90"] = (float(v) for v in np.percentile(resampled, [5, 95]))
        out["tasks"][task] = task_out
    out["seconds"] = time.perf_counter() - begin
    print(json.dumps(out))


if __name__ == "__main__":
    main()
