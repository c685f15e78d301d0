# Reference for internal/model's Assign and Score: scikit-learn scaling +
# KMeans.predict, the distance to the assigned centre and to every centre
# (KMeans.transform), and the outlier thresholds: per segment, numpy's 99th
# percentile (linear) of the training rows' distances to their centre.
#
#   cd internal/model/testdata && /usr/bin/python3 gen_predict_reference.py
#
# scikit-learn 1.2.1, numpy 1.24.2 (Debian's system Python).
import json

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler, MinMaxScaler, normalize

rng = np.random.default_rng(2026)
centres = np.array([[20.0, 5.0, 300.0], [45.0, 40.0, 3000.0], [60.0, 12.0, 900.0]])
train = np.vstack([c + rng.normal(0, [4, 3, 120], size=(40, 3)) for c in centres])
new = np.vstack([c + rng.normal(0, [8, 6, 400], size=(7, 3)) for c in centres])
train = np.round(train, 3)
new = np.round(new, 3)

cases = []
for method in ["standard", "minmax", "normalize"]:
    if method == "standard":
        sc = StandardScaler().fit(train)
        Z, Zn = sc.transform(train), sc.transform(new)
        center, scale = sc.mean_.tolist(), sc.scale_.tolist()
    elif method == "minmax":
        sc = MinMaxScaler().fit(train)
        Z, Zn = sc.transform(train), sc.transform(new)
        center, scale = sc.data_min_.tolist(), sc.data_range_.tolist()
    else:
        Z, Zn = normalize(train), normalize(new)
        center, scale = [], []
    km = KMeans(n_clusters=3, n_init=10, random_state=0).fit(Z)
    labels = km.predict(Zn)
    dist = km.transform(Zn)[np.arange(len(Zn)), labels]
    tdist = km.transform(Z)[np.arange(len(Z)), km.labels_]
    thresholds = [float(np.percentile(tdist[km.labels_ == s], 99)) for s in range(3)]
    cases.append({
        "method": method,
        "center": center,
        "scale": scale,
        "centers": km.cluster_centers_.tolist(),
        "labels": labels.tolist(),
        "distance": dist.tolist(),
        "all": km.transform(Zn).tolist(),
        "train_labels": km.labels_.tolist(),
        "outlier_distance": thresholds,
        "inertia": float(((Zn - km.cluster_centers_[labels]) ** 2).sum()),
    })

with open("predict_reference.json", "w") as f:
    json.dump({
        "generator": "gen_predict_reference.py",
        "sklearn": sklearn.__version__,
        "features": ["Age", "Tenure", "Revenue"],
        "new": new.tolist(),
        "train": train.tolist(),
        "cases": cases,
    }, f, indent=1)
