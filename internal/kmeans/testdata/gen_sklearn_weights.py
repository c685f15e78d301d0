# Regenerate sklearn_weights.json (scikit-learn 1.2.1, numpy 1.24.2, pandas 1.5.3):
#
#   cd internal/kmeans/testdata && /usr/bin/python3 gen_sklearn_weights.py
#
# Weighted Lloyd from fixed starting centres, for Options.Weights: on two
# shared datasets (read as in gen_sklearn_inertia.py: blank cells missing,
# rows with a missing selected column dropped, StandardScaler), run
# KMeans(n_clusters=k, init=Z[rows], n_init=1).fit(Z, sample_weight=w) with
# rows j*n//k (j = 0..k-1) and record n_iter_, inertia_, the centres, the
# cluster sizes (rows) and the cluster weights. With init an array, sklearn
# uses no randomness and ignores sample_weight for the start, so Fit with
# Options.Init = the same rows must give the same numbers.
#
# Weight schemes (row index i, 0-based, after dropping rows), each easy to
# recompute in Go:
#   "int":   w_i = 1 + (7*i mod 5)                 integers 1..5
#   "frac":  w_i = 0.25 + (37*i mod 100) / 40      0.25 .. 2.725
#   "zeros": w_i = 0 if i mod 10 == 3 else 1 + (i mod 3)
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "../../../../shared/datasets"))

DATASETS = [
    {"name": "mall", "file": "Mall_Customers.csv",
     "columns": ["Age", "Annual Income (k$)", "Spending Score (1-100)"], "ks": [3, 5]},
    {"name": "ibm", "file": "WA_Fn-UseC_-Telco-Customer-Churn.csv",
     "columns": ["tenure", "MonthlyCharges", "TotalCharges", "SeniorCitizen"], "ks": [4, 6]},
]


def load(spec):
    df = pd.read_csv(os.path.join(DATA, spec["file"]), dtype=str, keep_default_na=False)
    cols = {}
    for c in spec["columns"]:
        s = df[c].str.strip()
        cols[c] = s.where(s != "", None).map(lambda v: np.nan if v is None else float(v))
    m = pd.DataFrame(cols)
    keep = m.notna().all(axis=1)
    return m[keep].to_numpy(dtype=np.float64)


def weights(scheme, n):
    i = np.arange(n)
    if scheme == "int":
        return (1 + (7 * i) % 5).astype(np.float64)
    if scheme == "frac":
        return 0.25 + ((37 * i) % 100) / 40.0
    if scheme == "zeros":
        return np.where(i % 10 == 3, 0.0, 1.0 + i % 3)
    raise ValueError(scheme)


def main():
    out = {
        "generator": "gen_sklearn_weights.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "rule": "StandardScaler; KMeans(n_clusters=k, init=Z[[j*n//k for j in range(k)]], n_init=1)"
                ".fit(Z, sample_weight=w)",
        "cases": [],
    }
    for spec in DATASETS:
        X = load(spec)
        Z = StandardScaler().fit_transform(X)
        n = len(Z)
        for k in spec["ks"]:
            rows = [(j * n) // k for j in range(k)]
            for scheme in ["int", "frac", "zeros"]:
                w = weights(scheme, n)
                km = KMeans(n_clusters=k, init=Z[rows], n_init=1).fit(Z, sample_weight=w)
                lab = km.labels_
                out["cases"].append({
                    "dataset": spec["name"], "file": spec["file"], "columns": spec["columns"],
                    "rows": n, "k": k, "init_rows": rows, "weights": scheme,
                    "n_iter": int(km.n_iter_), "inertia": float(km.inertia_),
                    "centers": [float(v) for v in km.cluster_centers_.ravel()],
                    "sizes": [int(v) for v in np.bincount(lab, minlength=k)],
                    "cluster_weights": [float(v) for v in np.bincount(lab, weights=w, minlength=k)],
                })
                print(spec["name"], k, scheme, km.n_iter_, km.inertia_)
    with open(os.path.join(HERE, "sklearn_weights.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
