#!/usr/bin/env python3
"""scalelaw.predict_lr over a million broadcast elements against the numpy closed form, in one run.

Run with Debian's interpreter and the built module: PYTHONPATH=build/python /usr/bin/python3 benchmarks/python_predict.py
Two layouts: N and D both arrays of 1e6 (the numpy form then computes two powers per element, as scalelaw
does), and N an array with D one scalar (numpy computes D's power once; scalelaw evaluates the law at every
point). Target: scalelaw within 3x of numpy (ratio = scalelaw / numpy <= 3), with identical values (to 1e-14
relative). Best of --repeats per side, alternating. Timings never fail; PASS/MISS is printed and saved.
"""
import argparse
import json
import os
import time
import warnings

import numpy as np

import scalelaw

TARGET = 3.0
HERE = os.path.dirname(os.path.abspath(__file__))


def best(f, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--elements", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--output", default=os.path.join(HERE, "results", "python_predict.json"))
    args = ap.parse_args()
    warnings.simplefilter("ignore", scalelaw.ScalelawWarning)  # 1e6 points beyond the Step Law's range warn once
    n = np.logspace(8, 10, args.elements)
    layouts = {"N and D arrays": np.logspace(10, 12, args.elements), "N array, D scalar": 2e11}
    law = next(l for l in scalelaw.laws() if l["name"] == "step-lr")["constants"]
    c, a, b = law["lr_coefficient"], law["lr_params_exponent"], law["lr_tokens_exponent"]
    rows = {}
    for name, d in layouts.items():
        ours = scalelaw.predict_lr(n, d)
        theirs = c * n ** a * np.asarray(d) ** b
        same = bool(np.allclose(ours, theirs, rtol=1e-14, atol=0))
        t_ours = best(lambda: scalelaw.predict_lr(n, d), args.repeats)
        t_theirs = best(lambda: c * n ** a * np.asarray(d) ** b, args.repeats)
        ratio = t_ours / t_theirs
        rows[name] = {"scalelaw_seconds": t_ours, "numpy_seconds": t_theirs, "ratio": ratio, "target": TARGET,
                      "values_identical": same, "result": "PASS" if ratio <= TARGET and same else "MISS"}
        print(f"{name:<20} scalelaw {t_ours * 1e3:8.2f} ms  numpy {t_theirs * 1e3:8.2f} ms  "
              f"ratio {ratio:5.2f} (target <= {TARGET})  values identical: {same}  {rows[name]['result']}")
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    with open(args.output, "w") as f:
        json.dump({"elements": args.elements, "repeats": args.repeats, "rows": rows}, f, indent=2)


if __name__ == "__main__":
    main()
