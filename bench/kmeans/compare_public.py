"""Compare native and scikit-learn inertias on the public tables.

    /usr/bin/python3 bench/kmeans/compare_public.py sklearn.jsonl native.jsonl [native2.jsonl ...]

The reference for each (table, k) is scikit-learn's best KMeans(n_init=10)
inertia over its random_states. For every native file (one line per table,
seed, k) and for scikit-learn's own single random_states it prints how many
(table, k, seed) fits exceed the reference by more than 0.1 %, the worst
excess, and a Markdown table of the worst excess per (table, k).
"""
import collections
import json
import sys

SLACK = 1e-3


def load(path, seedkey):
    out = collections.defaultdict(dict)
    for line in open(path):
        r = json.loads(line)
        out[(r["dataset"], r["k"])][r[seedkey]] = r
    return out


def main():
    sk = load(sys.argv[1], "random_state")
    best = {key: min(r["inertia"] for r in v.values()) for key, v in sk.items()}
    runs = [("scikit-learn, single random_state", sk)]
    for p in sys.argv[2:]:
        nat = load(p, "seed")
        ninit = next(iter(next(iter(nat.values())).values()))["n_init"]
        runs.append(("native n_init=%d, single seed" % ninit, nat))
    print("| fits | over best×1.001 | worst excess |")
    print("|---|---:|---:|")
    for label, data in runs:
        over = tot = 0
        worst = 0.0
        for key, v in data.items():
            for r in v.values():
                rel = r["inertia"] / best[key] - 1
                tot += 1
                over += rel > SLACK
                worst = max(worst, rel)
        print("| %s | %d / %d | %+.2e |" % (label, over, tot, worst))
    print()
    print("| table | k | sklearn best | " + " | ".join("worst " + l.split(",")[0] for l, _ in runs) + " |")
    print("|---|---:|---:|" + "---:|" * len(runs))
    for key in sorted(best):
        cells = []
        for _, data in runs:
            cells.append("%+.1e" % max(r["inertia"] / best[key] - 1 for r in data[key].values()))
        print("| %s | %d | %.6g | %s |" % (key[0], key[1], best[key], " | ".join(cells)))


if __name__ == "__main__":
    main()
