# Generates scale_fixtures.json: scikit-learn 1.2.1 / numpy 1.24.2 reference
# values for package scale.
#
# Command (from internal/scale):
#   /usr/bin/python3 testdata/gen_scale.py > testdata/scale_fixtures.json
#
# Cases:
#   synthetic  a seeded 40x4 matrix stored in full, with full expected outputs;
#   mall       Mall_Customers.csv numeric columns (read by the Go test from
#              /work/shared/datasets; only fitted parameters and selected rows
#              of the outputs are stored here, never the data);
#   maven      telecom_customer_churn.csv, six complete numeric columns.
# Weighted output is the sklearn output times the weights (sklearn has no
# weights).
import json
import sys

import numpy as np
import pandas as pd
import sklearn
from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler, normalize

assert sklearn.__version__ == "1.2.1", sklearn.__version__
assert np.__version__ == "1.24.2", np.__version__

DATASETS = "../../../shared/datasets/"


def fit_all(X):
    """Return {method: (center, scale, Z)} as sklearn computes them."""
    out = {}
    s = StandardScaler().fit(X)
    out["standard"] = (s.mean_, s.scale_, s.transform(X))
    s = MinMaxScaler().fit(X)
    out["minmax"] = (s.data_min_, s.data_range_, s.transform(X))
    s = RobustScaler().fit(X)
    out["robust"] = (s.center_, s.scale_, s.transform(X))
    out["normalize"] = (None, None, normalize(X, norm="l2"))
    L = np.log1p(X)
    s = StandardScaler().fit(L)
    out["log1p-standard"] = (s.mean_, s.scale_, s.transform(L))
    out["none"] = (None, None, X.copy())
    return out


def rows_of(n):
    idx = sorted(set(list(range(5)) + list(range(n - 5, n)) + list(np.linspace(0, n - 1, 25).astype(int))))
    return [int(i) for i in idx]


def case(name, X, features, full, dataset=None):
    n, d = X.shape
    c = {"name": name, "features": features, "n": n, "d": d}
    if dataset:
        c["dataset"] = dataset
    else:
        c["X"] = X.ravel().tolist()
    idx = rows_of(n)
    methods = {}
    for m, (center, scale, Z) in fit_all(X).items():
        e = {}
        if center is not None:
            e["center"] = center.tolist()
            e["scale"] = scale.tolist()
        if full:
            e["Z"] = Z.ravel().tolist()
        else:
            e["rows"] = idx
            e["Z_rows"] = Z[idx].ravel().tolist()
        # Column sums of |Z|: catch an error in any row not stored above.
        e["abs_col_sum"] = np.abs(Z).sum(axis=0).tolist()
        methods[m] = e
    c["methods"] = methods
    return c


def main():
    cases = []

    rng = np.random.default_rng(20240611)
    X = np.column_stack([
        rng.normal(50, 10, 40),
        rng.exponential(3.0, 40),
        rng.integers(0, 5, 40).astype(float),
        rng.uniform(-0.5, 2.0, 40),
    ])
    X[7] = 0.0  # an all-zero row: normalize leaves it zero
    feats = ["normal", "expo", "count", "uniform"]
    c = case("synthetic", X, feats, full=True)
    w = np.array([2.0, 0.5, 1.0, 3.0])
    Zw = StandardScaler().fit_transform(X) * w
    c["weighted"] = {"method": "standard", "weights": w.tolist(), "Z": Zw.ravel().tolist()}
    cases.append(c)

    mall = pd.read_csv(DATASETS + "Mall_Customers.csv")
    cols = ["Age", "Annual Income (k$)", "Spending Score (1-100)"]
    cases.append(case("mall", mall[cols].to_numpy(dtype=float), cols, full=False, dataset="Mall_Customers.csv"))

    maven = pd.read_csv(DATASETS + "telecom_customer_churn.csv")
    cols = ["Age", "Number of Referrals", "Tenure in Months", "Total Charges",
            "Total Long Distance Charges", "Total Revenue"]
    Xm = maven[cols].to_numpy(dtype=float)
    assert not np.isnan(Xm).any()
    cases.append(case("maven", Xm, cols, full=False, dataset="telecom_customer_churn.csv"))

    # Facts the Go error tests rely on, checked here against the real data.
    dep = maven["Number of Dependents"].to_numpy(dtype=float)
    assert np.percentile(dep, 75) - np.percentile(dep, 25) == 0.0
    mc = maven["Monthly Charge"].to_numpy(dtype=float)
    first_bad = int(np.argmax(mc <= -1))
    assert mc[first_bad] <= -1

    json.dump({
        "generator": "testdata/gen_scale.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "maven_first_monthly_charge_le_minus1_row": first_bad,
        "cases": cases,
    }, sys.stdout, indent=None, separators=(",", ":"))
    sys.stdout.write("\n")


main()
