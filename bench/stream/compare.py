"""Compare an in-memory run with a streamed run of the same job (issue 10's agreement criterion):
k, inertia, adjusted Rand index of the assignments, describe() (summary.csv) and correlation.csv.
Standard library only (no scikit-learn needed: ARI from the contingency table's pair counts).

    /usr/bin/python3 bench/stream/compare.py MEMORY_RUN_DIR STREAM_RUN_DIR
"""
import csv
import json
import sys
from collections import Counter
from math import comb


def rows(path):
    with open(path, newline="") as f:
        return list(csv.reader(f))


def main(mem, stream):
    mm = json.load(open(mem + "/model.json"))
    sm = json.load(open(stream + "/model.json"))
    print(f"k: memory {mm['k']}, stream {sm['k']}")
    rel = (sm["inertia"] - mm["inertia"]) / mm["inertia"]
    print(f"inertia: memory {mm['inertia']!r}, stream {sm['inertia']!r} (relative {rel:+.2e})")
    ma = {r[0]: r[1] for r in rows(mem + "/assignments.csv")[1:]}
    pairs = Counter()
    for r in rows(stream + "/assignments.csv")[1:]:
        pairs[(ma[r[0]], r[1])] += 1
    n = sum(pairs.values())
    a, b = Counter(), Counter()
    for (x, y), v in pairs.items():
        a[x] += v
        b[y] += v
    s = sum(comb(v, 2) for v in pairs.values())
    sa = sum(comb(v, 2) for v in a.values())
    sb = sum(comb(v, 2) for v in b.values())
    e = sa * sb / comb(n, 2)
    print(f"ARI over {n} rows: {(s - e) / ((sa + sb) / 2 - e):.6f}")
    for name in ("summary.csv", "correlation.csv"):
        x, y = rows(mem + "/" + name), rows(stream + "/" + name)
        worst, exact = 0.0, True
        for rx, ry in zip(x, y):
            for cx, cy in zip(rx, ry):
                if cx == cy:
                    continue
                try:
                    fx, fy = float(cx), float(cy)
                    worst = max(worst, abs(fx - fy) / max(1.0, abs(fx)))
                except ValueError:
                    exact = False
        print(f"{name}: {'same text' if exact and worst == 0 else f'largest relative difference {worst:.1e}'}"
              + ("" if exact else " (text cells differ!)"))


if __name__ == "__main__":
    main(sys.argv[1].rstrip("/"), sys.argv[2].rstrip("/"))
