# Regenerate weighted_blobs.csv and weighted_sklearn.json (scikit-learn 1.2.1, numpy 1.24.2, pandas 1.5.3):
#
#   cd stages/cluster/testdata && /usr/bin/python3 gen_weighted.py
#
# A small table of three blobs in (x, y, z) with integer sample weights w (0..4; zeros included) and a
# categorical column. References for the cluster stage with input.weight_column: w:
#   - StandardScaler().fit(X, sample_weight=w) (weighted mean, weighted population std)
#   - KMeans(n_clusters=3, n_init=10, random_state=0).fit(Z, sample_weight=w): centres (in scaled and
#     original units: the weighted means of each cluster's rows), inertia, cluster weights
#   - silhouette_score, calinski_harabasz_score and davies_bouldin_score of the table with every row
#     repeated w times (np.repeat): what the weighted indices must equal
#   - the expanded table itself (weighted_blobs_expanded.csv) for the end-to-end comparison
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261206)
centres = np.array([[5, 5, 100], [15, 15, 130], [25, 5, 70]], dtype=float)
rows = []
for b, c in enumerate(centres):
    for _ in range(20):
        rows.append([c[0] + 0.8 * rng.standard_normal(), c[1] + 0.8 * rng.standard_normal(), c[2] + 3 * rng.standard_normal(), b])
rows = np.array(rows)
perm = rng.permutation(len(rows))
rows = rows[perm]
n = len(rows)
w = rng.integers(0, 5, size=n)  # 0..4
w[w == 0] = 0
plan = np.array(["basic", "plus", "max"])[rng.integers(0, 3, size=n)]
df = pd.DataFrame({
    "cid": [f"C{i + 1:03d}" for i in range(n)],
    "x": np.round(rows[:, 0], 4), "y": np.round(rows[:, 1], 4), "z": np.round(rows[:, 2], 3),
    "plan": plan, "w": w,
})
df.to_csv(os.path.join(HERE, "weighted_blobs.csv"), index=False)
exp = df.loc[df.index.repeat(df["w"])].reset_index(drop=True)
exp["cid"] = [f"E{i + 1:04d}" for i in range(len(exp))]
exp.drop(columns=["w"]).to_csv(os.path.join(HERE, "weighted_blobs_expanded.csv"), index=False)

X = df[["x", "y", "z"]].to_numpy()
sc = StandardScaler().fit(X, sample_weight=w)
Z = sc.transform(X)
km = KMeans(n_clusters=3, n_init=10, random_state=0).fit(Z, sample_weight=w)
lab = km.labels_
cw = [float(w[lab == j].sum()) for j in range(3)]
orig = [list(np.average(X[lab == j], axis=0, weights=w[lab == j])) for j in range(3)]
keep = w > 0
Zr = np.repeat(Z, w, axis=0)
lr = np.repeat(lab, w)
out = {
    "generator": "gen_weighted.py",
    "sklearn": sklearn.__version__, "numpy": np.__version__, "pandas": pd.__version__,
    "scaler_mean": list(sc.mean_), "scaler_scale": list(sc.scale_),
    "inertia": float(km.inertia_),
    "centers_scaled": km.cluster_centers_.tolist(),
    "centers_original": orig,
    "cluster_weights": cw,
    "labels": lab.tolist(),
    "silhouette_repeated": float(silhouette_score(Zr, lr)),
    "ch_repeated": float(calinski_harabasz_score(Zr, lr)),
    "db_repeated": float(davies_bouldin_score(Zr, lr)),
    "rows": int(n), "repeated_rows": int(len(exp)),
}
with open(os.path.join(HERE, "weighted_sklearn.json"), "w") as f:
    json.dump(out, f, indent=1)
    f.write("\n")
