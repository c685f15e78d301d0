"""Summarise bench/out/kmeans_scan.jsonl (run.sh part SCAN) as Markdown.

    /usr/bin/python3 bench/kmeans/summarize_scan.py bench/out/kmeans_scan.jsonl

Table 1, per run label: scan seconds measured inside the process (all k),
CPU seconds (native only), wall seconds and peak RSS of the whole process,
min / max over the repeats, and the load average when each run started.
Table 2, per k: scikit-learn's best inertia over every random_state run, and
the relative excess of each native run (kept per-k output) and of
scikit-learn's single random_states over it.
"""
import collections
import json
import sys


def per_k(path):
    out = {}
    for line in open(path):
        r = json.loads(line)
        if "k" in r:
            out.setdefault((r.get("random_state", r.get("seed", 0))), {})[r["k"]] = r["inertia"]
    return out


def main():
    recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
    by = collections.OrderedDict()
    for r in recs:
        by.setdefault(r["label"], []).append(r)
    print("| run | repeats | scan s | CPU s | wall s | peak RSS MB | load |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, rs in by.items():
        def rng(key, scale=1.0, fmt="%.2f"):
            v = [r[key] * scale for r in rs if key in r]
            if not v:
                return ""
            lo, hi = min(v), max(v)
            return fmt % lo if len(v) == 1 or lo == hi else (fmt + "–" + fmt) % (lo, hi)
        print("| %s | %d | %s | %s | %s | %s | %s |" % (
            label, len(rs), rng("scan_seconds"), rng("cpu_seconds"), rng("wall_seconds"),
            rng("max_rss_kb", 1 / 1024, "%.0f"), " ".join("%.1f" % r["load"] for r in rs)))

    # Quality per k.
    sk = {}
    nat = collections.OrderedDict()
    for label, rs in by.items():
        for r in rs:
            for seed, ks in per_k(r["output"]).items():
                if label.startswith("sklearn"):
                    for k, v in ks.items():
                        sk.setdefault(k, {})[seed] = v
                elif "Scan" in label or "Fit per k" in label:
                    name = label if "seed=" in label else label + (" seed=0")
                    nat.setdefault(name, ks)
    if not sk:
        return
    best = {k: min(v.values()) for k, v in sk.items()}
    print()
    cols = list(nat)
    print("| k | sklearn best (rs %s) | sklearn rs=0 | " % ",".join(str(s) for s in sorted(next(iter(sk.values())))) +
          " | ".join(cols) + " |")
    print("|---:|---:|---:|" + "---:|" * len(cols))
    worst = {c: 0.0 for c in cols}
    for k in sorted(best):
        cells = []
        for c in cols:
            rel = nat[c][k] / best[k] - 1
            worst[c] = max(worst[c], rel)
            cells.append("%+.1e" % rel)
        print("| %d | %.2f | %+.1e | %s |" % (k, best[k], sk[k].get(0, float("nan")) / best[k] - 1, " | ".join(cells)))
    print("| worst | | %+.1e | %s |" % (max(sk[k].get(0, 0) / best[k] - 1 for k in best),
                                       " | ".join("%+.1e" % worst[c] for c in cols)))


if __name__ == "__main__":
    main()
