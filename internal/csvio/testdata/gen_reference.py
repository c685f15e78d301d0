#!/usr/bin/python3
# Generates reference.json, the expected shape, kinds and values of the
# public datasets read with csvio's rules.
#
# Command (from internal/csvio):
#   /usr/bin/python3 testdata/gen_reference.py ../../../shared/datasets > testdata/reference.json
#
# The kinds and missing counts are computed from the raw cells (Python's csv
# module) with the rules of the package documentation, re-implemented here
# independently. Numeric sums are cross-checked against pandas 1.5.3's
# read_csv, and pandas' sum is stored too.
import csv
import json
import math
import os
import re
import sys

import pandas as pd

FILES = [
    ("telecom_customer_churn.csv", "utf-8"),
    ("WA_Fn-UseC_-Telco-Customer-Churn.csv", "utf-8"),
    ("Churn_Modelling.csv", "utf-8"),
    ("Mall_Customers.csv", "utf-8"),
    ("telecom_zipcode_population.csv", "utf-8"),
    ("telecom_data_dictionary.csv", "cp1252"),
]

INT = re.compile(r"[+-]?[0-9]+")
FLOAT = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")


def cell_kind(s):
    t = s.strip(" \t")
    if t == "":
        return None
    if t.lower() in ("true", "false"):
        return "bool"
    if INT.fullmatch(t) and -(2**63) <= int(t) < 2**63:
        return "int"
    if FLOAT.fullmatch(t):
        return "float"
    return "string"


def join(a, b):
    if a is None:
        return b
    if b is None or a == b:
        return a
    if {a, b} == {"int", "float"}:
        return "float"
    return "string"


def column(name, cells):
    k = None
    for c in cells:
        k = join(k, cell_kind(c))
    kind = k or "float"
    present = [c for c in cells if c.strip(" \t") != ""]
    out = {"name": name, "kind": kind, "missing": len(cells) - len(present)}
    if kind == "int":
        vals = [int(c.strip(" \t")) for c in present]
        out.update(sum=str(sum(vals)), min=str(min(vals)), max=str(max(vals)))
    elif kind == "float":
        vals = [float(c.strip(" \t")) for c in present]
        if vals:
            out.update(sum=repr(math.fsum(vals)), min=repr(min(vals)), max=repr(max(vals)))
    elif kind == "string":
        order, counts = [], {}
        for c in present:
            if c not in counts:
                order.append(c)
                counts[c] = 0
            counts[c] += 1
        out.update(distinct=len(order), first=order[:5])
        if len(order) <= 10:
            out["counts"] = counts
    # A few exact cells: first, middle and last row ("" = missing).
    rows = [0, len(cells) // 2, len(cells) - 1]
    out["cells"] = {str(r): cells[r] for r in rows}
    return out


def main(root):
    ref = {}
    for name, enc in FILES:
        path = os.path.join(root, name)
        with open(path, newline="", encoding=enc) as f:
            recs = list(csv.reader(f))
        header = [h.strip() for h in recs[0]]
        body = [r for r in recs[1:] if r]
        cols = [column(h, [r[j] for r in body]) for j, h in enumerate(header)]
        df = pd.read_csv(path, encoding=enc)
        assert df.shape == (len(body), len(header)), (name, df.shape)
        for c in cols:
            if c["kind"] in ("int", "float") and "sum" in c:
                s = pd.to_numeric(df[c["name"]], errors="coerce")
                assert int(s.isna().sum()) == c["missing"], (name, c["name"])
                c["pandas_sum"] = repr(float(s.sum()))
                assert math.isclose(float(c["sum"]), float(s.sum()), rel_tol=1e-12), (name, c["name"])
        ref[name] = {"encoding": enc, "rows": len(body), "cols": len(header), "columns": cols}
    json.dump(ref, sys.stdout, indent=1, ensure_ascii=False, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
