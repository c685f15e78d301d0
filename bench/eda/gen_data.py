#!/usr/bin/python3
# Writes the eda benchmark input: Customer ID + 12 numeric columns (6 int, 6 float with 2 decimals and
# 1 % blank cells) × ROWS rows, correlated through two shared factors. Deterministic (numpy seed 2026).
# Usage: /usr/bin/python3 bench/eda/gen_data.py ROWS OUT.csv
import sys

import numpy as np
import pandas as pd

rows, out = int(sys.argv[1]), sys.argv[2]
rng = np.random.default_rng(2026)
f1, f2 = rng.normal(size=rows), rng.normal(size=rows)
cols = {"Customer ID": [f"C{i:07d}" for i in range(rows)]}
for c in range(12):
    a, b = np.cos(c), np.sin(c)
    if c % 2 == 0:
        cols[f"Metric {c + 1:02d}"] = np.round(50 + 10 * (a * f1 + b * f2 + rng.normal(size=rows))).astype(np.int64)
    else:
        v = np.round(100 * (a * f1 + b * f2) + 30 * rng.normal(size=rows), 2)
        v[rng.integers(0, 100, size=rows) == 0] = np.nan
        cols[f"Metric {c + 1:02d}"] = v
pd.DataFrame(cols).to_csv(out, index=False)
