#!/usr/bin/python3
"""The churn segmentation an analyst writes with pandas + seaborn + scikit-learn (issue 10).

The reference end to end for bench/e2e: the same work as bench/e2e/config.yaml, written the way the
churn notebook's author would, with every library default except those a notebook sets (n_init,
random_state, the silhouette sample). Run it with Debian's Python (pandas 1.5.3, scikit-learn 1.2.1,
seaborn 0.12.2, matplotlib 3.6.3) and OMP_NUM_THREADS=1:

    OMP_NUM_THREADS=1 /usr/bin/python3 bench/e2e/analyst.py INPUT.csv OUTDIR [N_INIT] [K_MAX]

N_INIT (default 10) and K_MAX (default 10) are what bench/e2e/run.sh lowers at 10,000,000 rows (1 and
4, as the issue's baseline did). Phase times go to stderr as "phase SECONDS" lines.
"""
import os
import sys
import time

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from sklearn.cluster import KMeans  # noqa: E402
from sklearn.metrics import silhouette_score  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

path, out = sys.argv[1], sys.argv[2]
n_init = int(sys.argv[3]) if len(sys.argv) > 3 else 10
k_max = int(sys.argv[4]) if len(sys.argv) > 4 else 10
os.makedirs(out, exist_ok=True)

FEATURES = ["Number of Referrals", "Tenure in Months", "Total Revenue"]
REQUIRED = ["Age", "Number of Referrals", "Tenure in Months", "Monthly Charge", "Total Revenue"]
HEATMAP = ["Age", "Number of Dependents", "Number of Referrals", "Tenure in Months", "Monthly Charge", "Total Revenue"]
PROFILE = ["Number of Referrals", "Tenure in Months", "Total Revenue", "Age", "Number of Dependents", "Monthly Charge"]

t0 = last = time.perf_counter()


def phase(name):
    global last
    now = time.perf_counter()
    print(f"{name} {now - last:.2f}", file=sys.stderr, flush=True)
    last = now


# Read and clean: customers who did not churn, no repeated rows, the five columns the analysis needs.
df = pd.read_csv(path)
phase("read_csv")
df = df[df["Customer Status"] != "Churned"]
df = df.drop_duplicates()
df = df.dropna(subset=REQUIRED)
phase("clean")

# First look: describe() of every numeric column, the Pearson matrix of six, a 512 px heatmap.
df.describe().to_csv(os.path.join(out, "summary.csv"))
corr = df[HEATMAP].corr()
corr.to_csv(os.path.join(out, "correlation.csv"))
fig, ax = plt.subplots(figsize=(512 / 96, 512 / 96), dpi=96)
sns.heatmap(corr, annot=True, fmt=".2f", cmap="RdBu", vmin=-1, vmax=1, ax=ax)
ax.set_title("Correlation of 6 customer metrics")
fig.tight_layout()
fig.savefig(os.path.join(out, "correlation.png"), dpi=96)
plt.close(fig)
phase("eda")

# Segments: standardised referrals, tenure and revenue; the elbow and silhouette for k = 2..K_MAX,
# then k = 4.
X = StandardScaler().fit_transform(df[FEATURES])
rows = []
for k in range(2, k_max + 1):
    km = KMeans(n_clusters=k, n_init=n_init, random_state=42).fit(X)
    sil = silhouette_score(X, km.labels_, sample_size=10000, random_state=42)
    rows.append((k, km.inertia_, sil))
pd.DataFrame(rows, columns=["k", "inertia", "silhouette"]).to_csv(os.path.join(out, "elbow.csv"), index=False)
km = KMeans(n_clusters=4, n_init=n_init, random_state=42).fit(X)
df["Segment"] = km.labels_ + 1
phase("cluster")

# Profiles and the two segment scatters.
prof = df.groupby("Segment")[PROFILE].agg(["mean", "median", "count"])
prof.to_csv(os.path.join(out, "profile.csv"))
for name, (x, y) in {"segment_1": ("Number of Referrals", "Tenure in Months"),
                     "segment_2": ("Tenure in Months", "Total Revenue")}.items():
    fig, ax = plt.subplots(figsize=(720 / 96, 520 / 96), dpi=96)
    sns.scatterplot(data=df, x=x, y=y, hue="Segment", palette="tab10", s=4, linewidth=0, ax=ax)
    ax.legend(title="Segment", loc="upper left")  # loc="best" would search over every point
    ax.set_title(f"{x} vs {y} by segment")
    fig.savefig(os.path.join(out, name + ".png"), dpi=96)
    plt.close(fig)
phase("profile")

df[["Customer ID", "Segment"]].to_csv(os.path.join(out, "assignments.csv"), index=False)
phase("assignments")
print(f"total {time.perf_counter() - t0:.2f}", file=sys.stderr)
print(f"rows {len(df)} inertia_k4 {km.inertia_:.6f} sizes {df['Segment'].value_counts().sort_index().tolist()}")
