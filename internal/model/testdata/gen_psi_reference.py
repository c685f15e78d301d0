# Reference training distributions (decile edges and shares) and PSI values
# for internal/model's Distribution, computed with numpy 1.24.2.
#
#   cd internal/model/testdata && /usr/bin/python3 gen_psi_reference.py
#
# Edges are numpy.quantile(train, j/10), j = 1..9 (default "linear" method),
# with repeated values merged; bin b is (edges[b-1], edges[b]] (outer bins
# open), i.e. numpy.searchsorted(edges, v, side="left"). Shares are counts /
# n. PSI = sum((a - e) * ln(a / e)) with 0 shares replaced by 1e-4.
import json

import numpy as np

EPS = 1e-4


def distribution(x):
    x = np.asarray(x, dtype=float)
    qs = np.quantile(x, [j / 10 for j in range(1, 10)])
    edges = []
    for q in qs:
        if not edges or q > edges[-1]:
            edges.append(float(q))
    counts = np.bincount(np.searchsorted(np.asarray(edges), x, side="left"), minlength=len(edges) + 1)
    return edges, [float(c) / len(x) for c in counts]


def psi(edges, shares, actual):
    a = np.asarray(actual, dtype=float)
    a = a[~np.isnan(a)]
    counts = np.bincount(np.searchsorted(np.asarray(edges), a, side="left"), minlength=len(edges) + 1)
    total = 0.0
    for e, c in zip(shares, counts):
        pa = c / len(a)
        pe = e if e != 0 else EPS
        pa = pa if pa != 0 else EPS
        total += (pa - pe) * np.log(pa / pe)
    return float(total)


rng = np.random.default_rng(20261123)
cases = []


def add(name, train, actuals):
    edges, shares = distribution(train)
    cases.append({
        "name": name,
        "train": [float(v) for v in train],
        "edges": edges,
        "shares": shares,
        "actual": [[None if np.isnan(v) else float(v) for v in a] for a in actuals],
        "psi": [psi(edges, shares, a) for a in actuals],
    })


normal = np.round(rng.normal(50, 12, 1000), 3)
add("normal", normal, [
    np.round(rng.normal(50, 12, 800), 3),          # same population
    np.round(rng.normal(56, 12, 800), 3),          # shifted half a sd
    np.round(rng.normal(50, 20, 800), 3),          # wider
    normal,                                         # identical: 0
])
referrals = rng.choice(np.arange(11), size=700, p=[.55, .1, .06, .05, .05, .05, .04, .04, .03, .02, .01]).astype(float)
add("tied_counts", referrals, [
    rng.choice(np.arange(11), size=500, p=[.45, .1, .08, .07, .06, .05, .05, .05, .04, .03, .02]).astype(float),
    np.full(50, 20.0),                              # everything above the last edge
])
add("constant", np.full(30, 7.0), [np.array([7.0, 7.0, 8.0, 6.0]), np.array([np.nan, 7.0])])
revenue = np.round(rng.lognormal(7, 1, 600), 2)
add("skewed", revenue, [np.round(rng.lognormal(7.2, 1.1, 600), 2)])

with open("psi_reference.json", "w") as f:
    json.dump({"cases": cases}, f, indent=1)
