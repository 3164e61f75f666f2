#!/usr/bin/env python3
"""Writes data/recipe_runs.csv: synthetic compute-optimal runs of two recipes, for `scalelaw compare`.

Both recipes follow the Chinchilla law as printed (Hoffmann et al. 2022, arXiv 2203.15556, Eq. 10: E 1.69,
A 406.4, B 410.7, alpha 0.34, beta 0.28), each run at the compute-optimal allocation of its budget (Eq. 4:
N_opt = G (C/6)^a, a = beta/(alpha + beta), G = (alpha A / (beta B))^(1/(alpha + beta))). Along that frontier the
loss is exactly a power law with an offset,

    L*(C) = E + K C^(-alpha beta / (alpha + beta)),   alpha beta / (alpha + beta) = 0.153548,

so the joint law of `scalelaw compare` is the true one. Recipe "baseline" trains on its budget; recipe "new-mix"
behaves as the baseline given MULTIPLIER times the compute: its loss is L*(MULTIPLIER C) at the N and D of its own
budget C. Its true compute multiplier over the baseline is therefore MULTIPLIER = 2 at every compute. Each loss is
times exp(NOISE * standard normal) from a fixed seed.

Nine budgets 1e17 ... 1e21 (half-decade steps) per recipe.

Usage: python3 data/generate_recipe_runs.py [OUTPUT.csv] [--seed S]
"""
import math
import os
import random
import sys

E, A, B, ALPHA, BETA = 1.69, 406.4, 410.7, 0.34, 0.28
MULTIPLIER = 2.0
NOISE = 0.003
SEED = 5
BUDGETS = [10 ** (17 + 0.5 * i) for i in range(9)]

G = (ALPHA * A / (BETA * B)) ** (1 / (ALPHA + BETA))
A_EXP = BETA / (ALPHA + BETA)


def optimal(flops):
    n = G * (flops / 6) ** A_EXP
    return n, flops / (6 * n)


def frontier_loss(flops):
    n, d = optimal(flops)
    return E + A / n**ALPHA + B / d**BETA


def main():
    args = sys.argv[1:]
    seed = SEED
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i : i + 2]
    out = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "recipe_runs.csv")
    rng = random.Random(seed)
    with open(out, "w") as f:
        f.write("recipe,params,tokens,loss\n")
        for recipe, multiplier in (("baseline", 1.0), ("new-mix", MULTIPLIER)):
            for c in BUDGETS:
                n, d = optimal(c)
                loss = frontier_loss(multiplier * c) * math.exp(NOISE * rng.gauss(0, 1))
                f.write(f"{recipe},{n:.6g},{d:.6g},{loss:.5f}\n")


if __name__ == "__main__":
    main()
