#!/usr/bin/env bash
# k-prototypes benchmark: 1,000,000 rows x (5 numeric + 5 categorical),
# k = 6, n_init = 10, generated in memory (nothing written but the binary).
#
#   bash bench/kproto/run.sh              # from the repo root
#   REPEAT=1 WORKERS="2" INITS="cao" bash bench/kproto/run.sh
#
# Prints one line per run: init, workers, fit seconds, wall seconds and
# peak RSS (/usr/bin/time -v, whole process including data generation).
set -euo pipefail
cd "$(dirname "$0")/../.."
REPEAT=${REPEAT:-3}
WORKERS=${WORKERS:-"2 1"}
INITS=${INITS:-"cao huang"}
N=${N:-1000000}
BIN=bench/out/kprotobench
mkdir -p bench/out
go build -o "$BIN" ./bench/kproto
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %-7s %-9s %-9s %-9s %-8s %s\n' init workers fit_s wall_s rss_MB iters cost
for init in $INITS; do
	for w in $WORKERS; do
		for r in $(seq "$REPEAT"); do
			tf=$(mktemp)
			json=$(/usr/bin/time -v "$BIN" -n "$N" -init "$init" -workers "$w" 2>"$tf")
			wall=$(awk -F': ' '/Elapsed/ {print $2}' "$tf")
			rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}' "$tf")
			rm -f "$tf"
			/usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print("%-6s %-7s %-9.2f %-9s %-9s %-8d %.6f" % (d["init"], sys.argv[2], d["fit_seconds"], sys.argv[3], sys.argv[4], sum(d["iterations"]), d["cost"]))' "$json" "$w" "$wall" "$rss"
		done
	done
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -f "$BIN"
