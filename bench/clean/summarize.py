"""Prints bench/clean/run.sh's results (bench/out/clean_bench.tsv) as Markdown tables.

Usage: /usr/bin/python3 bench/clean/summarize.py bench/out/clean_bench.tsv
"""
import collections
import sys

rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
print("| job | engine | run | wall s | CPU s (user+sys) | peak RSS MB | clean stage s | rows out |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for job, engine, run, wall, cpu, rss, clean, out in rows:
    print(f"| {job} | {engine} | {run} | {wall} | {cpu} | {rss} | {clean} | {out} |")

by = collections.defaultdict(list)
for job, engine, run, wall, cpu, rss, clean, out in rows:
    by[(job, engine)].append((float(clean), float(cpu), float(rss)))
base = max(r for _, _, r in by[("ingest-only", "-")]) if ("ingest-only", "-") in by else 0
print()
print("| job | engine | clean stage s (best) | clean stage s (median) | CPU s (best, whole run) | peak RSS MB (max) | RSS above ingest-only MB |")
print("|---|---|---:|---:|---:|---:|---:|")
for (job, engine), v in sorted(by.items()):
    cl = sorted(c for c, _, _ in v)
    print(f"| {job} | {engine} | {cl[0]:.3f} | {cl[len(cl) // 2]:.3f} | {min(c for _, c, _ in v):.2f} | {max(r for _, _, r in v):.0f} | {max(r for _, _, r in v) - base:.0f} |")
