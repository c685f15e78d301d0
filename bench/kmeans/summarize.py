"""Summarise bench/out/kmeans_results.jsonl (and the elbow file) as Markdown.

    /usr/bin/python3 bench/kmeans/summarize.py bench/out/kmeans_results.jsonl [bench/out/kmeans_elbow.jsonl]

Per label: best (minimum) fit and wall time over the repeats, peak RSS, the
inertia and its relative difference from the lowest sklearn inertia.
"""
import json
import os
import sys


def main():
    recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
    sk = [r["inertia"] for r in recs if r["engine"] == "sklearn"]
    ref = min(sk) if sk else None
    by = {}
    for r in recs:
        by.setdefault(r["label"], []).append(r)
    print("| run | repeats | fit s (min) | wall s (min) | peak RSS MB | inertia | rel. diff vs sklearn best | iterations (best restart) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for label, rs in by.items():
        fit = min(r["fit_seconds"] for r in rs)
        wall = min(r["wall_seconds"] for r in rs)
        rss = max(r["max_rss_kb"] for r in rs) / 1024
        inert = rs[0]["inertia"]
        same = all(r["inertia"] == inert for r in rs)
        rel = "" if ref is None else "%+.2e" % (inert / ref - 1)
        print("| %s | %d | %.2f | %.2f | %.0f | %.6f%s | %s | %d |" % (
            label, len(rs), fit, wall, rss, inert, "" if same else " (varies)", rel, rs[0]["iterations"]))
    if len(sys.argv) > 2 and os.path.exists(sys.argv[2]):
        el = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
        print()
        print("| k | inertia | fit s | iterations | converged |")
        print("|---:|---:|---:|---:|---|")
        for r in el:
            print("| %d | %.6f | %.2f | %d | %s |" % (r["k"], r["inertia"], r["fit_seconds"], r["iterations"], r["converged"]))
        print()
        print("elbow total fit seconds: %.2f" % sum(r["fit_seconds"] for r in el))


if __name__ == "__main__":
    main()
