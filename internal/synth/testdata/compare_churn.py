#!/usr/bin/python3
# Compares a synth.Churn table with the real Maven file (marginals and key
# relations) and prints a Markdown table. Development aid, not read by tests.
#
#   cd /work/main && go test ./internal/synth -run TestDump -args -synth.dump=/tmp/churn.csv -synth.rows=7043 -synth.seed=42
#   /usr/bin/python3 internal/synth/testdata/compare_churn.py ../shared/datasets/telecom_customer_churn.csv /tmp/churn.csv
import sys

import numpy as np
import pandas as pd

# usage: compare_churn.py REAL.csv SYNTH.csv [SYNTH2.csv ...]
real = pd.read_csv(sys.argv[1])
syns = [pd.read_csv(p) for p in sys.argv[2:]]


def stats(df):
    T = df["Tenure in Months"]
    ch = df["Customer Status"] == "Churned"
    inet = df["Internet Service"] == "Yes"
    s = {}
    for st in ("Stayed", "Joined", "Churned"):
        s[f"share {st}"] = (df["Customer Status"] == st).mean()
    s["share no phone"] = (df["Phone Service"] == "No").mean()
    s["share no internet"] = (~inet).mean()
    s["share Male"] = (df["Gender"] == "Male").mean()
    s["share Married"] = (df["Married"] == "Yes").mean()
    for c in ("Age", "Number of Dependents", "Number of Referrals", "Tenure in Months",
              "Avg Monthly Long Distance Charges", "Avg Monthly GB Download", "Monthly Charge",
              "Total Charges", "Total Refunds", "Total Extra Data Charges",
              "Total Long Distance Charges", "Total Revenue"):
        s[f"mean {c}"] = df[c].mean()
        s[f"sd {c}"] = df[c].std()
    s["share Monthly Charge < 0"] = (df["Monthly Charge"] < 0).mean()
    s["share Offer None"] = (df["Offer"] == "None").mean()
    for v in ("Fiber Optic", "DSL", "Cable"):
        s[f"share {v} given internet"] = (df["Internet Type"][inet] == v).mean()
    for c in ("Multiple Lines", "Online Security", "Online Backup", "Device Protection Plan",
              "Premium Tech Support", "Streaming TV", "Streaming Movies", "Streaming Music",
              "Unlimited Data", "Paperless Billing"):
        s[f"share {c} = Yes (non-blank)"] = (df[c].dropna() == "Yes").mean()
    for v in ("Month-to-Month", "One Year", "Two Year"):
        s[f"share {v}"] = (df["Contract"] == v).mean()
    for v in ("Bank Withdrawal", "Credit Card", "Mailed Check"):
        s[f"share {v}"] = (df["Payment Method"] == v).mean()
    for v in ("Month-to-Month", "One Year", "Two Year"):
        s[f"churn rate given {v}"] = ch[df["Contract"] == v].mean()
    for v in ("Fiber Optic", "DSL", "Cable"):
        s[f"churn rate given {v}"] = ch[df["Internet Type"] == v].mean()
    s["churn rate given no internet"] = ch[~inet].mean()
    s["churn rate given tenure <= 12"] = ch[T <= 12].mean()
    s["churn rate given tenure > 48"] = ch[T > 48].mean()
    s["churn rate given age >= 65"] = ch[df["Age"] >= 65].mean()
    s["churn rate given Credit Card"] = ch[df["Payment Method"] == "Credit Card"].mean()
    s["churn rate given >= 2 referrals"] = ch[df["Number of Referrals"] >= 2].mean()
    cat = df["Churn Category"][ch]
    for v in ("Competitor", "Dissatisfaction", "Attitude", "Price", "Other"):
        s[f"share {v} given churned"] = (cat == v).mean()
    s["corr(tenure, Total Revenue)"] = T.corr(df["Total Revenue"])
    s["corr(tenure, Total Charges)"] = T.corr(df["Total Charges"])
    s["corr(tenure, Referrals)"] = T.corr(df["Number of Referrals"])
    s["corr(tenure, Total LD Charges)"] = T.corr(df["Total Long Distance Charges"])
    s["corr(Monthly Charge, Total Charges)"] = df["Monthly Charge"].corr(df["Total Charges"])
    s["corr(Age, GB Download)"] = df["Age"].corr(df["Avg Monthly GB Download"])
    s["corr(tenure, churned)"] = T.corr(ch.astype(float))
    s["corr(Monthly Charge, churned)"] = df["Monthly Charge"].corr(ch.astype(float))
    s["corr(Extra Data, tenure) given extra > 0"] = T[df["Total Extra Data Charges"] > 0].corr(
        df["Total Extra Data Charges"][df["Total Extra Data Charges"] > 0])
    s["median TC/(tenure*MC) given MC > 0"] = (df["Total Charges"] / (T * df["Monthly Charge"]))[df["Monthly Charge"] > 0].median()
    s["cities"] = df["City"].nunique()
    s["zip codes"] = df["Zip Code"].nunique()
    return s


a, bs = stats(real), [stats(s) for s in syns]
print(f"| quantity | real (n={len(real)}) | " + " | ".join(f"synthetic (n={len(s)})" for s in syns) + " |")
print("|---|---:|" + "---:|" * len(syns))
for k in a:
    print(f"| {k} | {a[k]:.4g} | " + " | ".join(f"{b[k]:.4g}" for b in bs) + " |")
