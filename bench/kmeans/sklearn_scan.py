"""scikit-learn 1.2.1 k scan on a kmeansbench matrix file: KMeans(n_clusters=k,
n_init=N, random_state=rs) for every k in [kmin, kmax] and every rs.

    OMP_NUM_THREADS=1 /usr/bin/python3 bench/kmeans/sklearn_scan.py FILE [kmin kmax n_init rs,rs,...]

Prints one JSON object per (random_state, k): fit seconds (KMeans.fit only),
inertia, n_iter; and a last object {"scan_seconds": ...} per random_state
with the total of its fits.
"""
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans


def read_matrix(path):
    hdr = np.fromfile(path, dtype="<i8", count=2)
    n, d = int(hdr[0]), int(hdr[1])
    X = np.fromfile(path, dtype="<f8", offset=16)
    assert X.size == n * d, (X.size, n, d)
    return X.reshape(n, d)


def main():
    path = sys.argv[1]
    kmin = int(sys.argv[2]) if len(sys.argv) > 2 else 2
    kmax = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    n_init = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    states = [int(v) for v in sys.argv[5].split(",")] if len(sys.argv) > 5 else [0]
    X = read_matrix(path)
    for rs in states:
        tot = 0.0
        for k in range(kmin, kmax + 1):
            km = KMeans(n_clusters=k, n_init=n_init, random_state=rs)
            t0 = time.perf_counter()
            km.fit(X)
            el = time.perf_counter() - t0
            tot += el
            print(json.dumps({
                "engine": "sklearn", "sklearn": sklearn.__version__,
                "omp_num_threads": os.environ.get("OMP_NUM_THREADS", ""),
                "file": os.path.basename(path), "n": X.shape[0], "d": X.shape[1],
                "k": k, "n_init": n_init, "random_state": rs,
                "fit_seconds": el, "inertia": float(km.inertia_), "iterations": int(km.n_iter_),
            }), flush=True)
        print(json.dumps({"engine": "sklearn", "random_state": rs, "scan_seconds": tot,
                          "omp_num_threads": os.environ.get("OMP_NUM_THREADS", "")}), flush=True)


if __name__ == "__main__":
    main()
