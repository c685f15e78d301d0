#!/usr/bin/python3
# Writes the reference fixtures read by the synth tests:
#   maven_reference.json  facts about the real Maven telecom churn file;
#   churn_seed42.json     pandas statistics of synth.Churn(7043 rows, seed 42);
#   engagement_seed42.json pandas Pearson matrix of synth.Engagement(5000 rows, seed 42).
#
# Regenerate (from /work/main):
#   go test ./internal/synth -run TestDump -count=1 -args -synth.dump=/tmp/synth_churn_42.csv -synth.kind=churn -synth.rows=7043 -synth.seed=42
#   go test ./internal/synth -run TestDump -count=1 -args -synth.dump=/tmp/synth_eng_42.csv -synth.kind=engagement -synth.rows=5000 -synth.seed=42
#   /usr/bin/python3 internal/synth/testdata/gen_reference.py ../shared/datasets/telecom_customer_churn.csv /tmp/synth_churn_42.csv /tmp/synth_eng_42.csv internal/synth/testdata
#
# Requires Debian's pandas 1.5.3 / numpy 1.24.2.
import csv
import hashlib
import json
import os
import sys

import pandas as pd

real_path, churn_path, eng_path, out = sys.argv[1:5]


def sha256(p):
    with open(p, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def dump(name, obj):
    with open(os.path.join(out, name), "w") as f:
        json.dump(obj, f, indent=1, sort_keys=True)
        f.write("\n")


def churn_facts(path):
    df = pd.read_csv(path)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    ch = df["Customer Status"] == "Churned"
    facts = {
        "rows": len(df),
        "status_counts": {k: int(v) for k, v in df["Customer Status"].value_counts().items()},
        "corr_tenure_revenue": float(df["Tenure in Months"].corr(df["Total Revenue"])),
        "churn_rate_by_contract": {k: float(ch[df["Contract"] == k].mean())
                                   for k in ("Month-to-Month", "One Year", "Two Year")},
        "blank_counts": {c: int((raw[c] == "").sum()) for c in raw.columns},
    }
    return df, raw, facts


df, raw, facts = churn_facts(real_path)
with open(real_path, newline="") as f:
    facts["header"] = next(csv.reader(f))
num = {}
for c in df.columns:
    if pd.api.types.is_numeric_dtype(df[c]) and c not in ("Zip Code",):
        num[c] = [float(df[c].min()), float(df[c].max())]
facts["numeric_ranges"] = num
cats = {}
for c in raw.columns:
    if c in num or c in ("Customer ID", "City", "Zip Code", "Churn Reason"):
        continue
    cats[c] = sorted(set(raw[c]))
facts["categorical_values"] = cats
facts["reason_category"] = {r: c for r, c in zip(raw["Churn Reason"], raw["Churn Category"]) if r}
facts["sha256"] = sha256(real_path)
dump("maven_reference.json", facts)

_, _, syn = churn_facts(churn_path)
syn["sha256"] = sha256(churn_path)
dump("churn_seed42.json", syn)

eng = pd.read_csv(eng_path).drop(columns=["Customer ID"])
dump("engagement_seed42.json", {
    "rows": len(eng),
    "sha256": sha256(eng_path),
    "columns": list(eng.columns),
    "pearson": eng.corr().values.tolist(),
})
