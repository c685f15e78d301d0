"""scikit-learn 1.2.1 k scan on the public tables of ../shared/datasets:
KMeans(n_clusters=k, n_init=10, random_state=rs) for k = 2..10 and every rs,
on the columns of internal/kmeans/testdata/gen_sklearn_inertia.py (blank cells
missing, rows with a missing selected column dropped, StandardScaler).

    OMP_NUM_THREADS=1 /usr/bin/python3 bench/kmeans/sklearn_public.py [rs,rs,...]

Prints one JSON object per (table, random_state, k).
"""
import json
import os
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../../internal/kmeans/testdata"))
from gen_sklearn_inertia import DATASETS, load  # noqa: E402


def main():
    states = [int(v) for v in sys.argv[1].split(",")] if len(sys.argv) > 1 else [0, 1, 2, 3, 4]
    for spec in DATASETS:
        X, _ = load(spec)
        Z = StandardScaler().fit_transform(X)
        for rs in states:
            for k in range(2, 11):
                km = KMeans(n_clusters=k, n_init=10, random_state=rs).fit(Z)
                print(json.dumps({
                    "engine": "sklearn", "sklearn": sklearn.__version__, "dataset": spec["name"],
                    "n": int(Z.shape[0]), "d": int(Z.shape[1]), "k": k, "n_init": 10,
                    "random_state": rs, "inertia": float(km.inertia_), "iterations": int(km.n_iter_),
                }), flush=True)


if __name__ == "__main__":
    main()
