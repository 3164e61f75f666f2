#!/usr/bin/env python3
"""Fit your own runs, see how sure the fit is, and turn it into a training plan.

Run from the repository root after building (./scripts/demo builds it):
    PYTHONPATH=build/python /usr/bin/python3 examples/python/quickstart.py
"""
import csv
import os
import sys

import scalelaw

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "data", "example_runs.csv")

with open(path) as fh:
    rows = list(csv.DictReader(fh))
runs = {name: [float(r[name]) for r in rows] for name in ("params", "tokens", "loss")}

# The Chinchilla law L = E + A/N^alpha + B/D^beta, with 500 bootstrap resamples for its uncertainty. The table
# (a dict of columns here; a pandas DataFrame works the same way) has the columns the CLI reads by default,
# params, tokens and loss; others are named by keyword: scalelaw.fit(df, params="N", tokens="D", loss="L").
fit = scalelaw.fit(runs, bootstrap=500, seed=1, at_flops=1e21)
if not fit.usable:
    sys.exit(f"the fit is not usable ({fit.status}): {fit.message}")
print(fit)  # the table `scalelaw fit` prints
for name in ("E", "A", "B", "alpha", "beta"):
    lo, hi = fit.ci95[name]
    print(f"  {name:>5} = {fit.params[name]:.4g}  (95% CI {lo:.4g} .. {hi:.4g})")

# Where a 1e21-FLOP budget should go under this fit, with the band of the resampled laws (an Allocation).
allocation = fit.allocate(1e21)
print(f"N = {allocation.params:.3g} [{allocation.params_lo95:.3g}, {allocation.params_hi95:.3g}], "
      f"D = {allocation.tokens:.3g} tokens ({allocation.law})")

# Every published learning-rate law for that model, side by side (out-of-range answers warn).
for law, lr in scalelaw.predict_lr(allocation.params, allocation.tokens, law="all").items():
    print(f"  lr ({law}) = {lr:.3g}")

# The whole recipe: each quantity with the law it came from (a Plan of PlanItems).
recipe = scalelaw.plan(1e21, fit=fit)
for item in recipe.items:
    if item.key in ("params", "tokens", "lr", "batch_tokens"):
        print(f"  {item.key} = {item.value:.3g}  ({item.law})")
