"""Reference values for stages/clean tests, computed with pandas.

Command (from the repository root):
    /usr/bin/python3 stages/clean/testdata/gen_reference.py > stages/clean/testdata/reference.json

Debian bookworm: pandas 1.5.3, numpy 1.24.2. Input: ../shared/datasets/telecom_customer_churn.csv
(Maven Analytics telecom churn, sha256 9309f430...). float_precision="round_trip" so parsed values equal
Go's strconv.ParseFloat.
"""
import json
import pandas as pd

df = pd.read_csv("../shared/datasets/telecom_customer_churn.csv", float_precision="round_trip")
out = {}

# fillna: mean / median / mode of columns with blanks
gb = df["Avg Monthly GB Download"]
out["fillna_gb_mean_sum"] = float(gb.fillna(gb.mean()).sum())
out["fillna_gb_median"] = float(gb.median())
ld = df["Avg Monthly Long Distance Charges"]
out["fillna_ld_median_sum"] = float(ld.fillna(ld.median()).sum())
out["fillna_internet_type_mode"] = df["Internet Type"].mode()[0]

# clip at the 1% / 99% quantiles (linear interpolation)
mc = df["Monthly Charge"]
lo, hi = mc.quantile(0.01), mc.quantile(0.99)
out["clip_mc_lo"], out["clip_mc_hi"] = float(lo), float(hi)
out["clip_mc_sum"] = float(mc.clip(lo, hi).sum())

# cast to int truncates toward zero (astype(int))
out["cast_revenue_int_sum"] = int(df["Total Revenue"].astype(int).sum())
out["cast_monthly_int_sum"] = int(df["Monthly Charge"].astype(int).sum())  # has negatives

# dropna (any) over all columns and over a subset; how=all over two service columns
out["dropna_all_rows"] = int(len(df.dropna()))
out["dropna_subset_rows"] = int(len(df.dropna(subset=["Internet Type", "Avg Monthly Long Distance Charges"])))
out["dropna_how_all_rows"] = int(len(df.dropna(subset=["Internet Type", "Multiple Lines"], how="all")))

# dedupe by key columns (first kept) and whole rows of a projection
out["dedupe_city_contract_rows"] = int(len(df.drop_duplicates(subset=["City", "Contract"])))
proj = df[["Gender", "Married", "Contract", "Number of Referrals"]]
out["dedupe_projection_rows"] = int(len(proj.drop_duplicates()))
out["dedupe_projection_last_first_index"] = int(proj.drop_duplicates(keep="last").index[0])

# onehot like get_dummies (levels sorted), with and without drop_first
d = pd.get_dummies(df[["Contract", "Internet Type"]], prefix_sep="_")
out["onehot_columns"] = list(d.columns)
out["onehot_sums"] = {c: int(d[c].sum()) for c in d.columns}
d1 = pd.get_dummies(df[["Contract"]], prefix_sep="_", drop_first=True)
out["onehot_drop_first_columns"] = list(d1.columns)

# filter with != on a column with missing values: pandas keeps NaN rows (NaN != x is True);
# segment's rule drops them. Both counts recorded.
out["filter_ne_pandas_rows"] = int((df["Internet Type"] != "DSL").sum())
out["filter_ne_nonmissing_rows"] = int(((df["Internet Type"] != "DSL") & df["Internet Type"].notna()).sum())

json.dump(out, __import__("sys").stdout, indent=1, sort_keys=True)
print()
