# Regenerate seed_reference.json (scikit-learn 1.2.1, numpy 1.24.2, pandas 1.5.3):
#
#   cd internal/kmeans/testdata && /usr/bin/python3 gen_seed_reference.py
#
# The product's reference clustering: Maven telecom_customer_churn.csv, rows with
# Customer Status != "Churned" (5174 rows), features [Number of Referrals,
# Tenure in Months, int(Total Revenue) (truncated toward 0)], each row scaled to
# unit L2 norm (sklearn.preprocessing.normalize).
#
# Records:
#  - best_known: the product's reference k = 4 optimum (inertia
#    0.21620252197655662, sizes 3987/1124/49/14), which is the lowest-inertia
#    solution of KMeans(n_clusters=4, n_init=1, random_state=s), s in 0..99;
#  - best_of_1000: the lowest over s in 0..999 (a slightly lower optimum
#    exists; recorded for context);
#  - sklearn_rs0: KMeans(n_clusters=4, n_init=10, random_state=0) for context;
#  - sklearn_reach: how many of random_state 0..99 with n_init=10 reach
#    best_known / best_of_1000 (relative 1e-9);
#  - elbow_sklearn_best: for k = 1..10, the lowest inertia over
#    KMeans(n_clusters=k, n_init=10, random_state=s), s in 0..19;
#  - elbow_product: the product's stated best-of-many-starts elbow values.
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.preprocessing import normalize

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "../../../../shared/datasets"))


def load():
    df = pd.read_csv(os.path.join(DATA, "telecom_customer_churn.csv"), float_precision="round_trip")
    s = df[df["Customer Status"] != "Churned"]
    X = np.column_stack([
        s["Number of Referrals"].astype(float),
        s["Tenure in Months"].astype(float),
        s["Total Revenue"].map(lambda v: float(int(v))),
    ])
    return normalize(X)


PRODUCT_INERTIA = 0.21620252197655662


def describe(km):
    return {
        "inertia": float(km.inertia_),
        "sizes": [int(v) for v in np.bincount(km.labels_, minlength=km.n_clusters)],
        "centers": [float(v) for v in km.cluster_centers_.ravel()],
    }


def main():
    X = load()
    best, best100 = None, None
    for rs in range(1000):
        km = KMeans(n_clusters=4, n_init=1, random_state=rs).fit(X)
        if best is None or km.inertia_ < best.inertia_:
            best = km
        if rs == 99:
            best100 = best
    assert abs(best100.inertia_ - PRODUCT_INERTIA) <= 1e-12 * PRODUCT_INERTIA, best100.inertia_
    bi, b1000 = float(best100.inertia_), float(best.inertia_)
    rs0 = KMeans(n_clusters=4, n_init=10, random_state=0).fit(X)
    reach = reach1000 = 0
    for rs in range(100):
        v = KMeans(n_clusters=4, n_init=10, random_state=rs).fit(X).inertia_
        reach += abs(v - bi) <= 1e-9 * bi
        reach1000 += abs(v - b1000) <= 1e-9 * b1000
    elbow = []
    for k in range(1, 11):
        elbow.append(min(float(KMeans(n_clusters=k, n_init=10, random_state=rs).fit(X).inertia_) for rs in range(20)))
    out = {
        "generator": "gen_seed_reference.py",
        "sklearn": sklearn.__version__,
        "rows": int(X.shape[0]),
        "rule": "Customer Status != Churned; [Number of Referrals, Tenure in Months, int(Total Revenue)]; "
                "sklearn.preprocessing.normalize (row L2)",
        "best_known": describe(best100),
        "best_of_1000": describe(best),
        "sklearn_rs0": describe(rs0),
        "sklearn_reach": {"seeds": 100, "n_init": 10, "reached": int(reach),
                          "reached_best_of_1000": int(reach1000)},
        "elbow_sklearn_best": elbow,
        "elbow_product": [1.075190, 0.610560, 0.318167, 0.216203, 0.151484, 0.122050,
                          0.100110, 0.082330, 0.073298, 0.064352],
    }
    print(json.dumps(out, indent=1))
    with open(os.path.join(HERE, "seed_reference.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
