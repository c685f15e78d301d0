# Regenerate sklearn_restarts.json (scikit-learn 1.2.1, numpy 1.24.2, pandas 1.5.3):
#
#   cd internal/kmeans/testdata && /usr/bin/python3 gen_sklearn_restarts.py
#
# The distribution of single k-means++ + Lloyd restarts: for the two small
# datasets of gen_sklearn_inertia.py (same columns, same blank-row rule,
# StandardScaler), KMeans(n_clusters=k, n_init=1, random_state=s).inertia_ for
# s = 0..499 and k = 2..8. The Go test compares the distribution of its own
# restarts (Fit with NInit = 1, Seed = 0..499) with these: same mean within
# sampling error and same chance of reaching the best solution.
import json
import os

import sklearn
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

from gen_sklearn_inertia import DATASETS, HERE, load

SEEDS = 500


def main():
    out = {"generator": "gen_sklearn_restarts.py", "sklearn": sklearn.__version__, "seeds": SEEDS, "datasets": []}
    for spec in DATASETS:
        if spec["name"] not in ("mall", "zip_population"):
            continue
        X, _ = load(spec)
        Z = StandardScaler().fit_transform(X)
        ks = {}
        for k in range(2, 9):
            ks[str(k)] = [float(KMeans(n_clusters=k, n_init=1, random_state=s).fit(Z).inertia_) for s in range(SEEDS)]
        out["datasets"].append({"name": spec["name"], "k": ks})
        print(spec["name"], flush=True)
    with open(os.path.join(HERE, "sklearn_restarts.json"), "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
