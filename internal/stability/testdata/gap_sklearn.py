"""Reference values for internal/stability's gap statistic (TestGapAgainstSklearn).

Command (from internal/stability/, Debian's numpy and scikit-learn 1.2.1):

    /usr/bin/python3 testdata/gap_sklearn.py

Inputs, written by the Go test (go test -run TestGapAgainstSklearn -update):
  testdata/gap_data.csv         the 90 x 2 data set
  testdata/gap_ref_box.csv      B = 10 reference sets (column "set"), uniform in the bounding box
  testdata/gap_ref_pca.csv      B = 10 reference sets, uniform in the PCA-aligned box
Outputs, for REF in box, pca:
  testdata/gap_sklearn_REF.json         log W_k, E log W*_k, Gap, sd_k, s_k, chosen k
  testdata/gap_sklearn_labels_REF.csv   sklearn's labels of every fit: set (-1 = the data), k, labels

Tibshirani, Walther & Hastie (2001): W_k = sum_r D_r / (2 n_r) = pooled within-cluster sum of
squares about the cluster means (= KMeans inertia_ at convergence; k = 1: total sum of squares);
Gap(k) = mean_b log W*_kb - log W_k; sd_k = population sd (ddof=0) of log W*_kb over b;
s_k = sd_k sqrt(1 + 1/B); chosen k = smallest k with Gap(k) >= Gap(k+1) - s_{k+1}.
Each fit: KMeans(n_clusters=k, n_init=100, random_state=0).
"""
import json
import numpy as np
import sklearn
from sklearn.cluster import KMeans

assert sklearn.__version__ == "1.2.1", sklearn.__version__
KS = list(range(1, 7))


def fit(X, k):
    labels = np.zeros(len(X), dtype=int) if k == 1 else \
        KMeans(n_clusters=k, n_init=100, random_state=0).fit(X).labels_
    ss = sum(((X[labels == j] - X[labels == j].mean(axis=0)) ** 2).sum() for j in range(k))
    return float(np.log(ss)), labels


X = np.loadtxt("testdata/gap_data.csv", delimiter=",", skiprows=1)
data_fits = [fit(X, k) for k in KS]
lw = np.array([f[0] for f in data_fits])
for ref in ("box", "pca"):
    R = np.loadtxt(f"testdata/gap_ref_{ref}.csv", delimiter=",", skiprows=1)
    sets = sorted(set(R[:, 0].astype(int)))
    B = len(sets)
    rows = [(-1, k, f[1]) for k, f in zip(KS, data_fits)]
    sims = np.zeros((B, len(KS)))
    for b in sets:
        for i, k in enumerate(KS):
            sims[b, i], labels = fit(R[R[:, 0] == b][:, 1:], k)
            rows.append((b, k, labels))
    e = sims.mean(axis=0)
    gap = e - lw
    sd = sims.std(axis=0, ddof=0)
    s = sd * np.sqrt(1 + 1 / B)
    best = KS[-1]
    for i in range(len(KS) - 1):
        if gap[i] >= gap[i + 1] - s[i + 1]:
            best = KS[i]
            break
    out = {"k": KS, "log_w": lw.tolist(), "expected_log_w": e.tolist(), "gap": gap.tolist(),
           "sd": sd.tolist(), "s": s.tolist(), "best_k": best, "B": B,
           "sklearn": sklearn.__version__, "numpy": np.__version__}
    with open(f"testdata/gap_sklearn_{ref}.json", "w") as f:
        json.dump(out, f, indent=1)
    with open(f"testdata/gap_sklearn_labels_{ref}.csv", "w") as f:
        f.write("set,k,labels\n")
        for b, k, labels in rows:
            f.write(f"{b},{k},{' '.join(str(int(v)) for v in labels)}\n")
    print(ref, "best k", best, "gap", np.round(gap, 4))
