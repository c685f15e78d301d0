#!/usr/bin/python3
# Generates the pandas 1.5.3 reference fixtures for package stats.
#
# Command (run from the repository root, /work/main):
#   /usr/bin/python3 internal/stats/testdata/gen_fixtures.py
#
# Reference stack: Debian's system Python with pandas 1.5.3 and numpy 1.24.2.
# CSVs are read with float_precision="round_trip" so every parsed float is the
# correctly rounded value (identical to Go's strconv.ParseFloat), and with
# keep_default_na=False / na_values=[""] so that only blank cells are missing
# (the Maven file uses the literal string "None" in the Offer column).
# NaN is written as JSON null.
import json
import math
import os
import random

import numpy as np
import pandas as pd

assert pd.__version__ == "1.5.3", pd.__version__
assert np.__version__ == "1.24.2", np.__version__

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "..", "shared", "datasets")
MAVEN = os.path.join(DATA, "telecom_customer_churn.csv")
IBM = os.path.join(DATA, "WA_Fn-UseC_-Telco-Customer-Churn.csv")

MAVEN_NUMERIC = [
    "Age", "Number of Dependents", "Zip Code", "Latitude", "Longitude",
    "Number of Referrals", "Tenure in Months",
    "Avg Monthly Long Distance Charges", "Avg Monthly GB Download",
    "Monthly Charge", "Total Charges", "Total Refunds",
    "Total Extra Data Charges", "Total Long Distance Charges", "Total Revenue",
]
IBM_NUMERIC = ["SeniorCitizen", "tenure", "MonthlyCharges", "TotalCharges"]
SEED_COLS = ["Age", "Number of Dependents", "Zip Code", "Number of Referrals",
             "Tenure in Months", "Total Revenue"]


def clean(v):
    """JSON-safe float: NaN -> None; Python floats keep shortest repr."""
    if isinstance(v, (np.integer,)):
        return int(v)
    v = float(v)
    return None if math.isnan(v) else v


def matrix(m):
    return [[clean(v) for v in row] for row in np.asarray(m, dtype=float)]


def numeric_fixture(df, name, source):
    """describe(), nunique(), corr() and corr(method="spearman") of df."""
    d = df.describe()
    desc = {}
    for c in df.columns:
        s = df[c]
        desc[c] = {
            "count": int(d.loc["count", c]),
            "missing": int(s.isna().sum()),
            "mean": clean(d.loc["mean", c]),
            "std": clean(d.loc["std", c]),
            "min": clean(d.loc["min", c]),
            "q25": clean(d.loc["25%", c]),
            "q50": clean(d.loc["50%", c]),
            "q75": clean(d.loc["75%", c]),
            "max": clean(d.loc["max", c]),
            "distinct": int(s.nunique()),
        }
    valid = df.notna().to_numpy().astype(np.int64)
    return {
        "name": name,
        "source": source,
        "rows": len(df),
        "columns": list(df.columns),
        "describe": desc,
        "pearson": matrix(df.corr()),
        "spearman": matrix(df.corr(method="spearman")),
        "n": (valid.T @ valid).tolist(),
    }


def read(path):
    return pd.read_csv(path, keep_default_na=False, na_values=[""],
                       float_precision="round_trip")


def main():
    maven = read(MAVEN)
    ibm = read(IBM)

    out = []
    # (a) Maven numeric columns, blanks missing.
    out.append(numeric_fixture(maven[MAVEN_NUMERIC].astype(float), "maven",
                               "telecom_customer_churn.csv"))
    # (b) IBM numeric columns; TotalCharges " " -> NaN via to_numeric(coerce).
    ib = ibm[IBM_NUMERIC].copy()
    ib["TotalCharges"] = pd.to_numeric(ib["TotalCharges"], errors="coerce")
    out.append(numeric_fixture(ib.astype(float), "ibm",
                               "WA_Fn-UseC_-Telco-Customer-Churn.csv"))
    # (c) seed table: not churned, Total Revenue truncated to int.
    seed = maven[maven["Customer Status"] != "Churned"][SEED_COLS].copy()
    seed["Total Revenue"] = seed["Total Revenue"].astype(int)
    out.append(numeric_fixture(seed.astype(float), "seed",
                               "telecom_customer_churn.csv, Customer Status != Churned"))
    with open(os.path.join(HERE, "numeric_fixtures.json"), "w") as f:
        json.dump(out, f, indent=1)

    # Categorical describe(): real string columns plus synthetic tie cases.
    cats = []
    for name, df in (("maven", maven), ("ibm", ibm)):
        for c in df.select_dtypes(object).columns:
            s = df[c]
            d = s.describe()
            cats.append({
                "dataset": name, "column": c,
                "count": int(d["count"]), "missing": int(s.isna().sum()),
                "distinct": int(d["unique"]), "top": d["top"],
                "freq": int(d["freq"]),
            })
    # Synthetic: many ties, with and without missing values, with few and many
    # (> 16, where numpy's introsort no longer behaves like a stable sort)
    # distinct values.
    rng = random.Random(20240601)
    synth = []
    for case in range(60):
        k = rng.choice([1, 2, 3, 5, 8, 15, 16, 17, 20, 33, 40, 64, 100, 257])
        reps = rng.choice([[1], [2, 2, 3], [3, 5, 5], [1, 2], [4]])
        vals = []
        for i in range(k):
            vals += ["v%d" % i] * rng.choice(reps)
        nmiss = rng.choice([0, 0, 3])
        vals += [None] * nmiss
        rng.shuffle(vals)
        s = pd.Series(vals, dtype=object)
        d = s.describe()
        synth.append({
            "values": vals,
            "count": int(d["count"]), "missing": int(s.isna().sum()),
            "distinct": int(d["unique"]), "top": d["top"],
            "freq": int(d["freq"]),
        })
    with open(os.path.join(HERE, "categorical_fixtures.json"), "w") as f:
        json.dump({"columns": cats, "synthetic": synth}, f, indent=1)

    # numpy.quantile (default method="linear") on sorted samples, including
    # values where numpy's two-sided lerp formula matters.
    qrng = np.random.default_rng(7)
    qcases = []
    samples = [
        [1.0], [1.0, 2.0], [0.1, 0.2, 0.7], [-3.5, 0.0, 1e-300, 2.25, 1e300],
        sorted(qrng.normal(size=11).tolist()),
        sorted(qrng.lognormal(size=100).tolist()),
        sorted((qrng.integers(0, 5, size=37) * 0.1).tolist()),
    ]
    qs = [0.0, 0.01, 0.1, 0.25, 0.3, 1 / 3, 0.5, 0.6, 2 / 3, 0.75, 0.9, 0.99, 1.0]
    for xs in samples:
        qcases.append({"sorted": xs, "q": qs,
                       "want": [float(np.quantile(np.array(xs), q)) for q in qs]})
    with open(os.path.join(HERE, "quantile_fixtures.json"), "w") as f:
        json.dump(qcases, f, indent=1)


if __name__ == "__main__":
    main()
