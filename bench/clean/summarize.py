"""Prints bench/clean/run.sh's results (bench/out/clean_bench.tsv) as Markdown tables.

Usage: /usr/bin/python3 bench/clean/summarize.py bench/out/clean_bench.tsv

The clean stage's CPU and memory are each run's figure minus the same repeat's ingest-only run's.
"""
import collections
import sys

rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
print("| job | engine | run | wall s | CPU s (user+sys) | peak RSS MB | clean stage s | rows out |")
print("|---|---|---:|---:|---:|---:|---:|---:|")
for job, engine, run, wall, cpu, rss, clean, out in rows:
    print(f"| {job} | {engine} | {run} | {wall} | {cpu} | {rss} | {clean if job != 'ingest-only' else '–'} | {out} |")

base = {run: (float(cpu), float(rss)) for job, _, run, _, cpu, rss, _, _ in rows if job == "ingest-only"}
by = collections.defaultdict(list)
for job, engine, run, wall, cpu, rss, clean, out in rows:
    if job != "ingest-only":
        bc, br = base.get(run, (0.0, 0.0))
        by[(job, engine)].append((float(clean), float(cpu) - bc, float(rss), float(rss) - br))


def span(xs, fmt):
    return f"{fmt.format(min(xs))}–{fmt.format(max(xs))}"


print()
print("| job | engine | clean stage s (best / median) | clean CPU s | peak RSS MB | above ingest-only MB |")
print("|---|---|---:|---:|---:|---:|")
for (job, engine), v in sorted(by.items()):
    cl = sorted(c for c, _, _, _ in v)
    print(f"| {job} | {engine} | {cl[0]:.3f} / {cl[len(cl) // 2]:.3f} | {span([c for _, c, _, _ in v], '{:.2f}')} "
          f"| {span([r for _, _, r, _ in v], '{:.0f}')} | {span([d for _, _, _, d in v], '{:.0f}')} |")
