# Generates metrics_fixtures.json: scikit-learn 1.2.1 / numpy 1.24.2 reference
# values for package metrics.
#
# Command (from internal/metrics):
#   /usr/bin/python3 testdata/gen_metrics.py > testdata/metrics_fixtures.json
#
# Cases for silhouette_score (euclidean), calinski_harabasz_score and
# davies_bouldin_score:
#   synthetic   seeded blobs stored in full, with a singleton cluster, an
#               unused label and duplicated points;
#   duplicates  every point duplicated across clusters (a = b = 0 samples);
#   mall        Mall_Customers.csv Age, Annual Income, Spending Score,
#               standardised (StandardScaler), labels of
#               KMeans(n_clusters=5, random_state=0, n_init=10);
#   churn       Churn_Modelling.csv (10000 rows) CreditScore, Age, Tenure,
#               Balance, NumOfProducts, EstimatedSalary standardised, labels of
#               KMeans(n_clusters=4, random_state=0, n_init=10).
# The data sets are read by the Go test from /work/shared/datasets; only the
# labels and the scores are stored here. adjusted_rand_score cases follow.
# Kneedle: the gamma curve of kneed's test_gamma_online_offline
# (np.random.seed(23); sorted(np.random.gamma(0.5, 1.0, 1000), reverse=True)),
# for which kneed's own test asserts the offline knee x = 22 (index 21).
import json
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import (adjusted_rand_score, calinski_harabasz_score,
                             davies_bouldin_score, silhouette_score)
from sklearn.preprocessing import StandardScaler

assert sklearn.__version__ == "1.2.1", sklearn.__version__
assert np.__version__ == "1.24.2", np.__version__

DATASETS = "../../../shared/datasets/"


def scores(X, labels):
    return {
        "silhouette": float(silhouette_score(X, labels, metric="euclidean")),
        "calinski_harabasz": float(calinski_harabasz_score(X, labels)),
        "davies_bouldin": float(davies_bouldin_score(X, labels)),
    }


def main():
    cases = []

    rng = np.random.default_rng(7)
    centres = np.array([[0, 0, 0], [4, 0, 1], [0, 5, -1], [3, 3, 3]], float)
    labels = np.repeat([0, 1, 2, 3], 30)
    X = centres[labels] + rng.normal(0, 1, (120, 3))
    X[119] = [10, 10, 10]
    labels[119] = 5  # singleton cluster; label 4 unused, k = 6
    X[5] = X[4]      # duplicated points in one cluster
    X[40] = X[4]     # ... and across clusters
    c = {"name": "synthetic", "k": 6, "n": 120, "d": 3, "X": X.ravel().tolist(), "labels": labels.tolist()}
    c.update(scores(X, labels))
    cases.append(c)

    X = np.array([[0, 0], [0, 0], [1, 1], [1, 1], [0, 0], [1, 1]], float)
    labels = np.array([0, 0, 0, 1, 1, 1])
    c = {"name": "duplicates", "k": 2, "n": 6, "d": 2, "X": X.ravel().tolist(), "labels": labels.tolist()}
    c.update(scores(X, labels))
    cases.append(c)

    mall = pd.read_csv(DATASETS + "Mall_Customers.csv")
    cols = ["Age", "Annual Income (k$)", "Spending Score (1-100)"]
    X = StandardScaler().fit_transform(mall[cols].to_numpy(dtype=float))
    mall_labels = KMeans(n_clusters=5, random_state=0, n_init=10).fit_predict(X)
    mall_labels6 = KMeans(n_clusters=6, random_state=1, n_init=10).fit_predict(X)
    c = {"name": "mall", "k": 5, "n": X.shape[0], "d": X.shape[1], "dataset": "Mall_Customers.csv",
         "columns": cols, "labels": mall_labels.tolist()}
    c.update(scores(X, mall_labels))
    cases.append(c)

    churn = pd.read_csv(DATASETS + "Churn_Modelling.csv")
    cols = ["CreditScore", "Age", "Tenure", "Balance", "NumOfProducts", "EstimatedSalary"]
    X = StandardScaler().fit_transform(churn[cols].to_numpy(dtype=float))
    churn_labels = KMeans(n_clusters=4, random_state=0, n_init=10).fit_predict(X)
    c = {"name": "churn", "k": 4, "n": X.shape[0], "d": X.shape[1], "dataset": "Churn_Modelling.csv",
         "columns": cols, "labels": churn_labels.tolist()}
    c.update(scores(X, churn_labels))
    cases.append(c)

    ari = []

    def add(name, a, b):
        a = np.asarray(a, dtype=np.int32)
        b = np.asarray(b, dtype=np.int32)
        ari.append({"name": name, "a": a.tolist(), "b": b.tolist(), "ari": float(adjusted_rand_score(a, b))})

    r = np.random.default_rng(11)
    add("random 200 3x5", r.integers(0, 3, 200), r.integers(0, 5, 200))
    x = r.integers(0, 4, 300)
    y = x.copy()
    flip = r.random(300) < 0.2
    y[flip] = r.integers(0, 4, flip.sum())
    add("noisy copy 300", x, y)
    add("permuted labels", [0, 0, 1, 1, 2, 2], [5, 5, 3, 3, 9, 9])
    add("all one vs all one", [0] * 10, [3] * 10)
    add("all one vs singletons", [0] * 10, list(range(10)))
    add("singletons vs singletons", list(range(7)), list(range(7, 0, -1)))
    add("sklearn doc example", [0, 0, 1, 1], [0, 0, 1, 2])
    add("negative labels", [-1, -1, 0, 0, 7, 7, 7], [2, 2, -5, -5, -5, 1, 1])
    add("mall k5 vs k6", mall_labels, mall_labels6)
    geo = pd.Categorical(churn["Geography"]).codes
    add("churn k4 vs geography", churn_labels, geo)

    np.random.seed(23)
    gamma = sorted(np.random.gamma(0.5, 1.0, 1000), reverse=True)

    json.dump({
        "generator": "testdata/gen_metrics.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "cluster_cases": cases,
        "ari_cases": ari,
        "kneedle_gamma_y": [float(v) for v in gamma],
    }, sys.stdout, separators=(",", ":"))
    sys.stdout.write("\n")


main()
