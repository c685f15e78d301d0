"""The same job as bench/ingest/config.yaml, in pandas (Debian python3-pandas).

Usage: /usr/bin/python3 bench/ingest/pandas_clean.py FILE
Prints the in-process seconds of read_csv and of the clean steps, and the shape.
"""
import sys
import time

t0 = time.perf_counter()
import pandas as pd  # noqa: E402

t1 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
t2 = time.perf_counter()
df = df[df["Customer Status"] != "Churned"]
df = df[["Customer ID", "Gender", "Age", "Married", "Number of Dependents", "City", "Zip Code",
         "Number of Referrals", "Tenure in Months", "Contract", "Total Revenue"]]
df = df.rename(columns={"Customer ID": "Customer_ID", "Number of Dependents": "Dependents",
                        "Zip Code": "Zip_Code", "Number of Referrals": "Referrals",
                        "Tenure in Months": "Tenure(Months)", "Contract": "Contract_Type",
                        "Total Revenue": "Total_Revenue"})
df["Tenure(Years)"] = df["Tenure(Months)"] // 12
t3 = time.perf_counter()
print(f"pandas {pd.__version__}: import {t1 - t0:.2f}s read_csv {t2 - t1:.2f}s clean {t3 - t2:.3f}s rows {len(df)} cols {df.shape[1]}")
