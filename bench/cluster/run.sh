#!/usr/bin/env bash
# k: auto (elbow over k = 2..10, n_init 10 each) on a 1,000,000-row churn table: segment vs scikit-learn.
# Usage: bench/cluster/run.sh [ROWS] [REPEATS] [SKLEARN_REPEATS]     (from the repository root)
# Needs /usr/bin/python3 with pandas and scikit-learn (Debian: python3-sklearn) and /usr/bin/time.
# SKLEARN_REPEATS=0 skips scikit-learn (about 2.5 minutes per run on 2 cores).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-1000000}
REPEATS=${2:-3}
SK_REPEATS=${3:-1}
OUT=bench/out
mkdir -p "$OUT/cluster"
BIN="$OUT/cluster/segment"
go build -o "$BIN" ./cmd/segment
DATA="$OUT/churn_${ROWS}.csv"
[ -f "$DATA" ] || "$BIN" synth churn --rows "$ROWS" --seed 1 -o "$DATA"
echo "input: $DATA ($(du -h "$DATA" | cut -f1), $ROWS rows x 38 columns); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

peak() { grep 'Maximum resident' "$1" | awk '{printf "%.0f MB", $6/1024}'; }
wall() { grep 'Elapsed (wall' "$1" | awk '{print $NF}'; }
cpu() { awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f s", s}' "$1"; }

for i in $(seq "$REPEATS"); do
  rm -rf "$OUT/cluster/runs"
  BENCH_INPUT="$PWD/$DATA" BENCH_OUT="$PWD/$OUT/cluster/runs" /usr/bin/time -v "$BIN" run -c bench/cluster/config.yaml --no-progress \
      >/dev/null 2>"$OUT/cluster/seg.time"
  stages=$(grep -E '^\[[0-9]/' "$OUT/cluster/seg.time" | awk '{printf "%s %s  ", $2, $NF}')
  k=$(grep -o '"k": [0-9]*' "$OUT/cluster/runs/latest/model.json" | head -1)
  echo "segment run #$i: wall $(wall "$OUT/cluster/seg.time")  cpu $(cpu "$OUT/cluster/seg.time")  peak RSS $(peak "$OUT/cluster/seg.time")  ($stages) chosen $k"
done
cp "$OUT/cluster/runs/latest/elbow.csv" "$OUT/cluster/segment_elbow.csv"
for i in $(seq "$SK_REPEATS"); do
  /usr/bin/time -v /usr/bin/python3 bench/cluster/sklearn_elbow.py "$DATA" >"$OUT/cluster/sklearn_elbow.txt" 2>"$OUT/cluster/sk.time"
  echo "scikit-learn #$i: wall $(wall "$OUT/cluster/sk.time")  cpu $(cpu "$OUT/cluster/sk.time")  peak RSS $(peak "$OUT/cluster/sk.time")  ($(head -1 "$OUT/cluster/sklearn_elbow.txt"))"
done
echo "elbow tables: $OUT/cluster/segment_elbow.csv and $OUT/cluster/sklearn_elbow.txt"
