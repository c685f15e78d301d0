#!/usr/bin/python3
# Generates the pandas / scikit-learn reference fixture for the profile stage.
#
# Command (run from the repository root, /work/main):
#   /usr/bin/python3 stages/profile/testdata/gen_profile.py
#
# Reference stack: Debian's system Python, pandas 1.5.3, numpy 1.24.2,
# scikit-learn 1.2.1.
#
# Outputs (in this folder):
#   profile_input.csv  a synthetic customer table (500 rows): features
#                      tenure, revenue, referrals; extra column age (with
#                      missing values); categorical contract (with missing
#                      values) and gender; outcome status; and segment, the
#                      0-based segment index from sklearn KMeans(k=4) on the
#                      standardised features, renumbered largest first.
#   profile_ref.json   per segment and overall: count, mean, median, std
#                      (ddof 1), min, max, q25, q75 (pandas, NaN skipped),
#                      z = (segment mean - overall mean) / overall std,
#                      Tukey whiskers; contract and gender shares per segment
#                      (missing as "(missing)"); churn rate per segment;
#                      two hypotheses (pandas corr with pairwise-complete
#                      rows, per-segment means and r); PCA of the
#                      standardised features (sklearn PCA(2): explained
#                      variance ratio, components, scores of the first 5
#                      rows, projections of the segment centres).
import json
import os

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

here = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(20261123)
n = 500
tenure = rng.integers(1, 73, n)
revenue = np.round(tenure * rng.uniform(20, 110, n) + rng.normal(0, 150, n), 2)
referrals = np.where(rng.random(n) < 0.6, 0, rng.integers(1, 11, n))
age = rng.integers(19, 81, n).astype(float)
age[rng.random(n) < 0.06] = np.nan
contract = rng.choice(["Month-to-Month", "One Year", "Two Year"], n, p=[0.5, 0.25, 0.25]).astype(object)
contract[rng.random(n) < 0.04] = None
gender = rng.choice(["Female", "Male"], n)
churn_p = np.clip(0.55 - tenure / 100 - referrals / 40, 0.02, 0.9)
status = np.where(rng.random(n) < churn_p, "Churned", np.where(rng.random(n) < 0.1, "Joined", "Stayed"))

features = ["tenure", "revenue", "referrals"]
df = pd.DataFrame({"id": [f"C{i:04d}" for i in range(n)], "tenure": tenure, "revenue": revenue,
                   "referrals": referrals, "age": age, "contract": contract, "gender": gender, "status": status})
Z = StandardScaler().fit_transform(df[features].to_numpy(dtype=float))
km = KMeans(n_clusters=4, n_init=10, random_state=0).fit(Z)
sizes = np.bincount(km.labels_, minlength=4)
order = sorted(range(4), key=lambda c: (-sizes[c], c))
remap = {old: new for new, old in enumerate(order)}
df["segment"] = [remap[l] for l in km.labels_]
df.to_csv(os.path.join(here, "profile_input.csv"), index=False)

# Read back as segment reads it (blank cells are missing).
df = pd.read_csv(os.path.join(here, "profile_input.csv"), keep_default_na=False, na_values=[""],
                 float_precision="round_trip")


def f(v):
    v = float(v)
    return None if np.isnan(v) else v


def stats(s):
    s = s.dropna()
    q1, q3 = (s.quantile(0.25), s.quantile(0.75)) if len(s) else (np.nan, np.nan)
    iqr = q3 - q1
    inside = s[(s >= q1 - 1.5 * iqr) & (s <= q3 + 1.5 * iqr)]
    return {"count": int(s.count()), "mean": f(s.mean()), "median": f(s.median()), "std": f(s.std()),
            "min": f(s.min()), "max": f(s.max()), "q25": f(q1), "q75": f(q3),
            "low": f(inside.min()) if len(inside) else None, "high": f(inside.max()) if len(inside) else None}


columns = features + ["age"]
ref = {"rows": n, "columns": columns, "overall": {}, "segments": []}
for c in columns:
    ref["overall"][c] = stats(df[c])
for s in range(4):
    part = df[df.segment == s]
    seg = {"size": int(len(part)), "share": len(part) / n, "stats": {}}
    for c in columns:
        st = stats(part[c])
        o = ref["overall"][c]
        st["z"] = (st["mean"] - o["mean"]) / o["std"]
        seg["stats"][c] = st
    ref["segments"].append(seg)

cat = {}
for c in ["contract", "gender"]:
    col = df[c].fillna("(missing)")
    tab = pd.crosstab(df.segment, col, normalize="index")
    cat[c] = {"levels": list(tab.columns), "shares": tab.to_numpy().tolist(),
              "overall": col.value_counts(normalize=True).reindex(tab.columns).tolist()}
ref["categorical"] = cat
ref["churn"] = {"rates": df.groupby("segment").status.apply(lambda x: (x == "Churned").mean()).tolist(),
                "overall": float((df.status == "Churned").mean())}

hyps = []
for x, y in [("tenure", "revenue"), ("age", "referrals")]:
    both = df[[x, y, "segment"]].dropna()
    h = {"x": x, "y": y, "r": float(df[[x, y]].corr().iloc[0, 1]), "n": int(len(both)), "segments": []}
    for s in range(4):
        p = both[both.segment == s]
        h["segments"].append({"n": int(len(p)), "mean_x": float(p[x].mean()), "mean_y": float(p[y].mean()),
                              "r": float(p[[x, y]].corr().iloc[0, 1])})
    hyps.append(h)
ref["hypotheses"] = hyps

pca = PCA(n_components=2).fit(Z)
scores = pca.transform(Z)
centres = np.array([Z[df.segment.to_numpy() == s].mean(axis=0) for s in range(4)])
ref["pca"] = {"explained": pca.explained_variance_ratio_.tolist(), "components": pca.components_.tolist(),
              "scores_head": scores[:5].tolist(), "centres": pca.transform(centres).tolist()}

with open(os.path.join(here, "profile_ref.json"), "w") as fh:
    json.dump(ref, fh, indent=1)
    fh.write("\n")
print("wrote profile_input.csv and profile_ref.json:", sizes[order].tolist())
