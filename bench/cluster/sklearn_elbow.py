# The same job as bench/cluster/config.yaml in pandas + scikit-learn:
# read the CSV, fill GB download with 0, StandardScaler on 6 features, then for k = 2..10
# KMeans(n_clusters=k, n_init=10) + silhouette (10,000-row sample) + Calinski-Harabasz + Davies-Bouldin.
#
#   /usr/bin/time -v /usr/bin/python3 bench/cluster/sklearn_elbow.py bench/out/churn_1000000.csv
#
# Prints the read and clustering seconds and the elbow table. scikit-learn 1.2.1 (Debian).
import sys
import time

import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score
from sklearn.preprocessing import StandardScaler

FEATURES = ["Age", "Tenure in Months", "Number of Referrals", "Monthly Charge", "Total Revenue",
            "Avg Monthly GB Download"]

t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
df["Avg Monthly GB Download"] = df["Avg Monthly GB Download"].fillna(0)
t1 = time.perf_counter()
X = StandardScaler().fit_transform(df[FEATURES].to_numpy(dtype=float))
rows = []
for k in range(2, 11):
    km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(X)
    sil = silhouette_score(X, km.labels_, sample_size=10000, random_state=0)
    ch = calinski_harabasz_score(X, km.labels_)
    db = davies_bouldin_score(X, km.labels_)
    rows.append((k, km.inertia_, sil, ch, db))
    print(f"k={k} inertia={km.inertia_:.6f} iterations={km.n_iter_} t={time.perf_counter() - t1:.1f}s", file=sys.stderr, flush=True)
t2 = time.perf_counter()
print(f"read {t1 - t0:.2f} s, cluster (scale + 9 k x 10 restarts + indices) {t2 - t1:.2f} s")
print("k,inertia,silhouette,ch,db")
for r in rows:
    print(",".join(repr(v) for v in r))
