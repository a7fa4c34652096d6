#!/usr/bin/env python3
"""The SciPy peer of `csc scale-fit --model chinchilla`: Hoffmann et al.'s Approach 3 as a plain
numpy/scipy user writes it, scipy.optimize.minimize(method="L-BFGS-B", jac=True) with the analytic
gradient of the summed Huber(1e-3) of LSE(a - alpha log N, b - beta log D, e) - log L, from every point
of the 4500-start grid (alpha, beta 0:2:0.5, e -1:1:0.5, a, b 0:25:5), keeping the best; the starts
split over --workers processes (multiprocessing, fork), SciPy's defaults otherwise.

Prints one JSON object: time_s (the multi-start alone, data already loaded), the best parameters and
objective, starts_at_best (within 1 ppm), per-fit time, versions and the BLAS threadpoolctl sees.

Usage: python scale_fit_peer.py FILE [--drop-top-loss 5] [--workers 2] [--starts 4500]
"""
import argparse
import csv
import itertools
import json
import multiprocessing
import platform
import time

import numpy as np
import scipy
from scipy.optimize import minimize
from threadpoolctl import threadpool_info

DELTA = 1e-3
LOG_N = LOG_D = LOG_L = None  # set before the workers fork


def objective(p):
    a, b, e, alpha, beta = p
    u = np.stack([a - alpha * LOG_N, b - beta * LOG_D, np.full_like(LOG_N, e)])
    m = u.max(axis=0)
    w = np.exp(u - m)
    s = w.sum(axis=0)
    w /= s
    r = m + np.log(s) - LOG_L
    inside = np.abs(r) <= DELTA
    value = np.where(inside, 0.5 * r * r, DELTA * (np.abs(r) - 0.5 * DELTA)).sum()
    dr = np.where(inside, r, DELTA * np.sign(r))
    grad = np.array([(dr * w[0]).sum(), (dr * w[1]).sum(), (dr * w[2]).sum(),
                     -(dr * w[0] * LOG_N).sum(), -(dr * w[1] * LOG_D).sum()])
    return value, grad


def fit_starts(starts):
    out = []
    for alpha, beta, e, a, b in starts:
        r = minimize(objective, [a, b, e, alpha, beta], jac=True, method="L-BFGS-B")
        out.append((float(r.fun), [float(v) for v in r.x]))
    return out


def main():
    global LOG_N, LOG_D, LOG_L
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--drop-top-loss", type=int, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--starts", type=int, default=4500, help="run only the first S starts of the grid")
    args = parser.parse_args()

    with open(args.file, newline="") as f:
        rows = list(csv.DictReader(f))
    n = np.array([float(r["Model Size"]) for r in rows])
    c = np.array([float(r["Training FLOP"]) for r in rows])
    loss = np.array([float(r["loss"]) for r in rows])
    keep = np.sort(np.argsort(loss, kind="stable")[: len(loss) - args.drop_top_loss])
    LOG_N, LOG_D, LOG_L = np.log(n[keep]), np.log(c[keep] / (6 * n[keep])), np.log(loss[keep])

    grid = list(itertools.product(np.arange(0, 2.5, 0.5), np.arange(0, 2.5, 0.5), np.arange(-1, 1.5, 0.5),
                                  np.arange(0, 30, 5), np.arange(0, 30, 5)))[: args.starts]
    chunks = [grid[i::args.workers] for i in range(args.workers)]
    start = time.perf_counter()
    if args.workers > 1:
        with multiprocessing.get_context("fork").Pool(args.workers) as pool:
            results = [r for part in pool.map(fit_starts, chunks) for r in part]
    else:
        results = fit_starts(grid)
    elapsed = time.perf_counter() - start

    best_f, best_x = min(results, key=lambda r: r[0])
    a, b, e, alpha, beta = best_x
    print(json.dumps({
        "name": "scipy L-BFGS-B multi-start",
        "time_s": elapsed,
        "starts": len(grid),
        "per_fit_s": elapsed * args.workers / len(grid),
        "workers": args.workers,
        "objective": best_f,
        "starts_at_best": sum(1 for f, _ in results if f - best_f <= 1e-6 * best_f),
        "params": {"E": float(np.exp(e)), "A": float(np.exp(a)), "B": float(np.exp(b)), "alpha": alpha, "beta": beta},
        "points": int(len(LOG_L)),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "blas": [{k: i.get(k) for k in ("internal_api", "version", "architecture", "num_threads")}
                 for i in threadpool_info() if i["user_api"] == "blas"],
    }))


if __name__ == "__main__":
    main()
