#!/usr/bin/python3
# pandas side of the eda benchmark: read the CSV (not timed), then time, in-process, describe() + corr()
# on the 12 numeric columns, and separately the extras segment's summary also reports (nunique, isna).
# Usage: /usr/bin/python3 bench/eda/pandas_eda.py IN.csv
import sys
import time

import pandas as pd

df = pd.read_csv(sys.argv[1], float_precision="round_trip").drop(columns=["Customer ID"])
t0 = time.perf_counter()
d = df.describe()
c = df.corr()
t1 = time.perf_counter()
u = df.nunique()
m = df.isna().sum()
t2 = time.perf_counter()
print(f"describe+corr {t1 - t0:.3f}s  +nunique+isna {t2 - t0:.3f}s  ({len(df)} rows x {df.shape[1]} columns, pandas {pd.__version__})")
