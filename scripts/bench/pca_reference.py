#!/usr/bin/env python3
"""Reference numbers for csc pca's tests, computed with scikit-learn's PCA (svd_solver='full').

Usage: .venv-bench/bin/python scripts/bench/pca_reference.py [--data tests/data] > tests/kernels/pca/sklearn_reference.h

Prints a C++ header of constants (explained_variance_ratio_, explained_variance_, singular_values_,
noise_variance_ and the first two components_, at most their first 200 loadings) for each case below. Components are given after
csc's sign rule (the largest-|loading| entry of each component positive), which for scikit-learn >= 1.5
is also what svd_flip(u_based_decision=False) does; the rule is applied again here so the numbers do
not depend on that.

The synthetic cases use the same generator as tests/kernels/pca/synthetic.h (splitmix64 + Box-Muller),
written identically on both sides so both produce the same matrix bit for bit.
"""
import argparse
import math
import os
import sys

import numpy as np
import scipy
import sklearn
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):  # in (0, 1)
        return ((self.next() >> 11) + 0.5) * (1.0 / 9007199254740992.0)

    def normal(self):
        u1 = self.uniform()
        u2 = self.uniform()
        return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def planted(rows, cols, variances, sigma, seed):
    """Rows of offset_j + sum_r sqrt(lambda_r) z_r q_r[j] + sigma e_j with DCT-II basis vectors q_r."""
    rank = len(variances)
    basis = [[math.sqrt(2.0 / cols) * math.cos(math.pi * (j + 0.5) * (r + 1) / cols) for j in range(cols)]
             for r in range(rank)]
    amplitude = [math.sqrt(v) for v in variances]
    rng = SplitMix64(seed)
    x = np.empty((rows, cols))
    for i in range(rows):
        z = [amplitude[r] * rng.normal() for r in range(rank)]
        for j in range(cols):
            value = 10.0 + j
            for r in range(rank):
                value += z[r] * basis[r][j]
            x[i, j] = value + sigma * rng.normal()
    return x


def read_csv(path, columns, header, label=None):
    import csv
    with open(path, newline="") as f:
        reader = csv.reader(f)
        rows = list(reader)
    names = rows[0] if header else [str(i) for i in range(len(rows[0]))]
    body = rows[1:] if header else rows
    idx = [names.index(c) if isinstance(c, str) else c for c in columns]
    return np.array([[float(r[i]) for i in idx] for r in body])


def sign_rule(components):
    out = components.copy()
    for row in out:
        if row[np.argmax(np.abs(row))] < 0:
            row *= -1
    return out


def cxx_array(name, values):
    body = ", ".join(repr(float(v)) for v in values)
    return f"inline constexpr double {name}[] = {{{body}}};"


def emit_case(name, x, k, scale=False, comment=""):
    if scale:
        x = StandardScaler().fit_transform(x)
    pca = PCA(n_components=k, svd_solver="full").fit(x)
    comps = sign_rule(pca.components_)
    print(f"// {name}: {comment} {x.shape[0]} x {x.shape[1]}, K = {k}{', standardised (StandardScaler)' if scale else ''}")
    print(f"namespace {name} {{")
    print(f"inline constexpr std::size_t kRows = {x.shape[0]}, kCols = {x.shape[1]}, kComponents = {k};")
    print(cxx_array("kExplainedVarianceRatio", pca.explained_variance_ratio_))
    print(cxx_array("kExplainedVariance", pca.explained_variance_))
    print(cxx_array("kSingularValues", pca.singular_values_))
    print(f"inline constexpr double kNoiseVariance = {float(pca.noise_variance_)!r};")
    # The first kComponentPrefix loadings are enough to pin a component down (keeps the header small).
    prefix = min(x.shape[1], 200)
    print(f"inline constexpr std::size_t kComponentPrefix = {prefix};")
    print(cxx_array("kComponent0", comps[0][:prefix]))
    print(cxx_array("kComponent1", comps[1][:prefix]))
    print(f"}}  // namespace {name}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../tests/data"))
    args = parser.parse_args()

    try:
        from threadpoolctl import threadpool_info
        blas = "; ".join(f"{i['internal_api']} {i['version']} ({i.get('architecture', '?')})"
                         for i in threadpool_info() if i["user_api"] == "blas")
    except ImportError:
        blas = "unknown"

    print("// scikit-learn reference values for csc pca's tests. GENERATED, do not edit: run")
    print("//   .venv-bench/bin/python scripts/bench/pca_reference.py > tests/kernels/pca/sklearn_reference.h")
    print(f"// with scikit-learn {sklearn.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, BLAS {blas}.")
    print("// PCA(n_components=K, svd_solver='full'); components after csc's sign rule (largest |loading| > 0).")
    print("#pragma once\n\n#include <cstddef>\n\nnamespace csc::pca::reference {\n")

    digits = read_csv(f"{args.data}/digits/digits.csv", [f"p{i}" for i in range(64)], header=True)
    emit_case("digits", digits, 20, comment="digits.csv columns p0..p63,")
    emit_case("digits_scaled", digits, 10, scale=True, comment="digits.csv columns p0..p63,")
    magic = read_csv(f"{args.data}/magic/magic04.data", list(range(10)), header=False)
    emit_case("magic", magic, 10, comment="magic04.data columns 0..9 (no header),")
    emit_case("magic_k3", magic, 3, comment="magic04.data columns 0..9 (no header),")
    emit_case("magic_scaled", magic, 5, scale=True, comment="magic04.data columns 0..9 (no header),")
    cms_columns = ["pt1", "eta1", "phi1", "dxy1", "iso1", "pt2", "eta2", "phi2", "dxy2", "iso2"]
    cms = read_csv(f"{args.data}/cms/Zmumu_Run2011A.csv", cms_columns, header=True)
    emit_case("cms", cms, 4, comment="Zmumu_Run2011A.csv columns " + ",".join(cms_columns) + ",")
    tall = planted(4000, 40, [50.0, 20.0, 8.0, 3.0], 0.5, 42)
    emit_case("planted_tall", tall, 6, comment="planted(4000, 40, {50, 20, 8, 3}, sigma 0.5, seed 42),")
    wide = planted(80, 2000, [50.0, 20.0, 8.0, 3.0], 0.1, 7)
    emit_case("planted_wide", wide, 6, comment="planted(80, 2000, {50, 20, 8, 3}, sigma 0.1, seed 7),")
    print("}  // namespace csc::pca::reference")


if __name__ == "__main__":
    sys.exit(main())
