"""pandas side of bench/sources/run.sh: read a CSV (plain or .gz, or '-' for stdin) with
pandas.read_csv, all columns or the 18 that configs/churn.yaml uses, and print the time.
Run with Debian's /usr/bin/python3 (pandas 1.5.3). Debian's pandas has no Parquet engine (pyarrow
and fastparquet are not packaged) and no PostgreSQL driver (psycopg2 is not installed here), so
PostgreSQL is read as the CSV that psql's COPY TO STDOUT writes."""
import sys
import time

import pandas as pd

CONFIG = ["Customer ID", "Age", "Number of Dependents", "Number of Referrals", "Tenure in Months",
          "Avg Monthly Long Distance Charges", "Avg Monthly GB Download", "Monthly Charge", "Total Charges",
          "Total Refunds", "Total Extra Data Charges", "Total Long Distance Charges", "Total Revenue", "Contract",
          "Internet Type", "Payment Method", "Gender", "Customer Status"]

path, which = sys.argv[1], sys.argv[2]
src = sys.stdin if path == "-" else path
t0 = time.perf_counter()
df = pd.read_csv(src, usecols=CONFIG if which == "config" else None)
print(f"pandas read_csv {which}: {len(df)} rows x {df.shape[1]} columns in {time.perf_counter() - t0:.2f} s")
