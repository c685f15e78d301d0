# Regenerate sklearn_inertia.json (scikit-learn 1.2.1, numpy 1.24.2, pandas 1.5.3):
#
#   cd internal/kmeans/testdata && /usr/bin/python3 gen_sklearn_inertia.py
#
# For every numeric dataset in /work/shared/datasets (read relative to the repo
# as ../../../../shared/datasets), take the listed numeric columns, drop rows where
# any of them is blank (cells are whitespace-trimmed first; IBM's TotalCharges
# " " counts as blank), standardise with StandardScaler (population std), and
# record KMeans(n_clusters=k, n_init=10, random_state=0).inertia_ for k = 2..8.
# The column means and population stds are stored so the Go test can check its
# own loader/standardiser reads the same matrix.
#
# "from_init" records single Lloyd runs from fixed starting centres (no
# randomness), so the Go engine's Lloyd iterations, stopping rule and empty
# cluster relocation can be compared exactly: KMeans(n_clusters=k,
# init=Z[rows], n_init=1) with rows j*n//k (j = 0..k-1) for k = 2..8, plus a
# k = 4 start with a duplicated centre (rows 0, 0, n//3, 2n//3), which leaves
# cluster 1 empty after the first E-step and exercises
# _relocate_empty_clusters_dense.
# telecom_data_dictionary.csv has no numeric columns and is not used.
import json
import os

import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "../../../../shared/datasets"))

DATASETS = [
    {
        "name": "maven",
        "file": "telecom_customer_churn.csv",
        # All numeric customer columns except identifiers/geography
        # (Zip Code, Latitude, Longitude).
        "columns": [
            "Age", "Number of Dependents", "Number of Referrals", "Tenure in Months",
            "Avg Monthly Long Distance Charges", "Avg Monthly GB Download",
            "Monthly Charge", "Total Charges", "Total Refunds",
            "Total Extra Data Charges", "Total Long Distance Charges", "Total Revenue",
        ],
    },
    {
        "name": "ibm",
        "file": "WA_Fn-UseC_-Telco-Customer-Churn.csv",
        "columns": ["tenure", "MonthlyCharges", "TotalCharges", "SeniorCitizen"],
    },
    {
        "name": "bank",
        "file": "Churn_Modelling.csv",
        "columns": [
            "CreditScore", "Age", "Tenure", "Balance", "NumOfProducts",
            "HasCrCard", "IsActiveMember", "EstimatedSalary",
        ],
    },
    {
        "name": "mall",
        "file": "Mall_Customers.csv",
        "columns": ["Age", "Annual Income (k$)", "Spending Score (1-100)"],
    },
    {
        "name": "zip_population",
        "file": "telecom_zipcode_population.csv",
        "columns": ["Population"],
    },
]


def load(spec):
    df = pd.read_csv(os.path.join(DATA, spec["file"]), dtype=str, keep_default_na=False)
    cols = {}
    for c in spec["columns"]:
        s = df[c].str.strip()
        cols[c] = s.where(s != "", None).map(lambda v: np.nan if v is None else float(v))
    m = pd.DataFrame(cols)
    keep = m.notna().all(axis=1)
    return m[keep].to_numpy(dtype=np.float64), int((~keep).sum())


def main():
    out = {
        "generator": "gen_sklearn_inertia.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "pandas": pd.__version__,
        "rule": "blank (after trim) cells are missing; rows with any missing selected column dropped; "
                "StandardScaler (population std); KMeans(n_clusters=k, n_init=10, random_state=0)",
        "datasets": [],
    }
    for spec in DATASETS:
        X, dropped = load(spec)
        sc = StandardScaler().fit(X)
        Z = sc.transform(X)
        ks = {}
        for k in range(2, 9):
            km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(Z)
            ks[str(k)] = {"inertia": float(km.inertia_), "n_iter": int(km.n_iter_)}
        starts = [[(j * len(Z)) // k for j in range(k)] for k in range(2, 9)]
        starts.append([0, 0, len(Z) // 3, (2 * len(Z)) // 3])
        from_init = []
        for rows in starts:
            km = KMeans(n_clusters=len(rows), init=Z[rows], n_init=1).fit(Z)
            from_init.append({
                "rows": rows,
                "inertia": float(km.inertia_),
                "n_iter": int(km.n_iter_),
                "sizes": [int(v) for v in np.bincount(km.labels_, minlength=len(rows))],
                "centers": [float(v) for v in km.cluster_centers_.ravel()],
            })
        out["datasets"].append({
            "name": spec["name"],
            "file": spec["file"],
            "columns": spec["columns"],
            "rows": int(X.shape[0]),
            "dropped_rows": dropped,
            "mean": [float(v) for v in sc.mean_],
            "std": [float(v) for v in sc.scale_],
            "k": ks,
            "from_init": from_init,
        })
        print(spec["name"], X.shape, dropped, {k: round(v["inertia"], 6) for k, v in ks.items()})
    with open(os.path.join(HERE, "sklearn_inertia.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
