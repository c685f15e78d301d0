#!/usr/bin/env bash
# eda stage (summary + correlation of 12 numeric columns, heatmap, insights) vs pandas describe() + corr().
# Usage: bench/eda/run.sh [ROWS] [REPEATS]     (from anywhere; works in the repository root)
# Needs /usr/bin/python3 with pandas and numpy (Debian: apt-get install python3-pandas) and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-1000000}
REPEATS=${2:-3}
OUT=bench/out
mkdir -p "$OUT"
go build -o "$OUT/segment" ./cmd/segment
DATA="$OUT/eda_${ROWS}.csv"
[ -f "$DATA" ] || /usr/bin/python3 bench/eda/gen_data.py "$ROWS" "$DATA"
echo "input: $DATA ($(du -h "$DATA" | cut -f1), $ROWS rows x 12 numeric columns + id); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

peak() { grep 'Maximum resident' "$1" | awk '{printf "%.0f MB", $6/1024}'; }
stage_seconds() { /usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print("  ".join("%s %.2fs" % (s["name"], s["seconds"]) for s in m["stages"]))' "$1"; }

for i in $(seq "$REPEATS"); do
  rm -rf "$OUT/runs-eda"
  BENCH_INPUT="$PWD/$DATA" BENCH_OUT="$PWD/$OUT/runs-eda" /usr/bin/time -v "$OUT/segment" run -c bench/eda/config.yaml \
      >/dev/null 2>"$OUT/seg-eda.time"
  echo "segment run #$i: $(stage_seconds "$OUT/runs-eda/latest/manifest.json")  (process peak RSS $(peak "$OUT/seg-eda.time"))"
done
for i in $(seq "$REPEATS"); do
  /usr/bin/time -v /usr/bin/python3 bench/eda/pandas_eda.py "$DATA" 2>"$OUT/pd-eda.time" | sed "s/^/pandas #$i: /"
  echo "pandas #$i: process peak RSS $(peak "$OUT/pd-eda.time") (read_csv included)"
done
echo "Go benchmark of the same functions (in memory, 12 x 1,000,000):"
go test ./stages/eda/ -run '^$' -bench 'SummarizeCorrelate/rows=1000000|AnalyzeAndDraw' -benchmem -count 1 | grep '^Benchmark'
