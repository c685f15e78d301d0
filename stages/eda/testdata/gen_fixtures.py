#!/usr/bin/python3
# Generates the pandas 1.5.3 reference fixtures for the eda stage's end-to-end tests.
#
# Command (run from the repository root, /work/main):
#   /usr/bin/python3 stages/eda/testdata/gen_fixtures.py
#
# Reference stack: Debian's system Python, pandas 1.5.3, numpy 1.24.2.
# Files are read as segment's ingest reads them: only blank (empty or
# whitespace-only) cells are missing (keep_default_na=False, so Maven's literal
# "None" in Offer stays a value), floats parsed with round_trip precision.
#
# Outputs (all in this folder):
#   <case>_pearson.csv, <case>_spearman.csv  DataFrame.corr(method).to_csv()
#   <case>_n.csv                             pairwise-complete row counts
#   summaries.json                           describe() per column, per case
#   repr_cases.json                          [value, repr(value)]: how to_csv writes floats
# Cases:
#   maven       telecom_customer_churn.csv, every numeric column
#   ibm         WA_Fn-UseC_-Telco-Customer-Churn.csv, every numeric column
#               (TotalCharges has " " in 11 rows -> missing)
#   seed        Maven rows with Customer Status != "Churned", Total Revenue
#               truncated to int (astype(int)), the notebook's 6 columns
#   engagement  data/engagement.csv (segment synth engagement --seed 2026)
import json
import math
import os

import numpy as np
import pandas as pd

assert pd.__version__ == "1.5.3", pd.__version__
assert np.__version__ == "1.24.2", np.__version__

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.join(HERE, "..", "..", "..")
DATA = os.path.join(REPO, "..", "shared", "datasets")


def read(path):
    return pd.read_csv(path, keep_default_na=False, na_values=["", " "],
                       float_precision="round_trip")


def num(v):
    if isinstance(v, (np.integer,)):
        return int(v)
    v = float(v)
    return None if math.isnan(v) else v


def summary(df, id_col):
    out = {}
    for c in df.columns:
        s = df[c]
        if c == id_col:
            continue
        if pd.api.types.is_numeric_dtype(s):
            d = s.describe()
            out[c] = {
                "type": "numeric",
                "count": int(d["count"]), "missing": int(s.isna().sum()),
                "mean": num(d["mean"]), "std": num(d["std"]), "min": num(d["min"]),
                "q25": num(d["25%"]), "q50": num(d["50%"]), "q75": num(d["75%"]),
                "max": num(d["max"]), "distinct": int(s.nunique()),
            }
        else:
            d = s.describe()
            out[c] = {
                "type": "string",
                "count": int(d["count"]), "missing": int(s.isna().sum()),
                "distinct": int(d["unique"]),
                "top": None if d["count"] == 0 else d["top"],
                "freq": None if d["count"] == 0 else int(d["freq"]),
            }
    return out


def write_case(name, df, methods=("pearson",)):
    for m in methods:
        df.corr(method=m).to_csv(os.path.join(HERE, f"{name}_{m}.csv"))
    valid = df.notna().to_numpy().astype(np.int64)
    n = pd.DataFrame(valid.T @ valid, index=df.columns, columns=df.columns)
    n.to_csv(os.path.join(HERE, f"{name}_n.csv"))


def main():
    summaries = {}

    maven = read(os.path.join(DATA, "telecom_customer_churn.csv"))
    write_case("maven", maven.select_dtypes("number"))
    summaries["maven"] = summary(maven, "Customer ID")

    ibm = read(os.path.join(DATA, "WA_Fn-UseC_-Telco-Customer-Churn.csv"))
    assert ibm["TotalCharges"].dtype == float and ibm["TotalCharges"].isna().sum() == 11
    write_case("ibm", ibm.select_dtypes("number"), ("pearson", "spearman"))
    summaries["ibm"] = summary(ibm, "customerID")

    seed = maven[maven["Customer Status"] != "Churned"].rename(columns={
        "Number of Dependents": "Dependents", "Zip Code": "Zip_Code",
        "Number of Referrals": "Referrals", "Tenure in Months": "Tenure(Months)",
        "Total Revenue": "Total_Revenue"})
    seed = seed[["Age", "Dependents", "Zip_Code", "Referrals", "Tenure(Months)", "Total_Revenue"]].copy()
    seed["Total_Revenue"] = seed["Total_Revenue"].astype(int)
    write_case("seed", seed)

    eng = read(os.path.join(REPO, "data", "engagement.csv"))
    write_case("engagement", eng.drop(columns=["Customer ID"]))
    summaries["engagement"] = summary(eng, "Customer ID")

    with open(os.path.join(HERE, "summaries.json"), "w") as f:
        json.dump(summaries, f, indent=1, ensure_ascii=False)

    values = [0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 1 / 3, -0.10876372659055723, 1e-4, 1e-5,
              1.5e-5, 123456.0, 1234567.0, 93486.07027, 1e15, 1e16, 1.5e16, 9999999999999998.0,
              2.0 ** 60, 5e-324, 1.7976931348623157e308, 0.8253611262085974, 100.0, 7043.0]
    # to_csv writes exactly repr(); check it on a frame of the values.
    lines = pd.DataFrame({"v": values}).to_csv(index=False).splitlines()[1:]
    assert lines == [repr(v) for v in values], lines
    with open(os.path.join(HERE, "repr_cases.json"), "w") as f:
        json.dump([[v, repr(v)] for v in values], f, indent=1)


if __name__ == "__main__":
    main()
