#!/usr/bin/env bash
# Ingest + clean of a 1,000,000-row churn table: segment vs pandas, side by side.
# Usage: bench/ingest/run.sh [ROWS] [REPEATS]     (from the repository root)
# Needs /usr/bin/python3 with pandas (Debian: apt-get install python3-pandas) and /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-1000000}
REPEATS=${2:-3}
OUT=bench/out
mkdir -p "$OUT"
go build -o "$OUT/segment" ./cmd/segment
DATA="$OUT/churn_${ROWS}.csv"
[ -f "$DATA" ] || "$OUT/segment" synth churn --rows "$ROWS" --seed 1 -o "$DATA"
echo "input: $DATA ($(du -h "$DATA" | cut -f1), $ROWS rows x 38 columns); $(nproc) cores"

peak() { grep 'Maximum resident' "$1" | awk '{printf "%.0f MB", $6/1024}'; }
wall() { grep 'Elapsed (wall' "$1" | awk '{print $NF}'; }

for i in $(seq "$REPEATS"); do
  rm -rf "$OUT/runs"
  BENCH_INPUT="$PWD/$DATA" BENCH_OUT="$PWD/$OUT/runs" /usr/bin/time -v "$OUT/segment" run -c bench/ingest/config.yaml \
      >/dev/null 2>"$OUT/seg.time"
  stages=$(grep -E '^\[[0-9]/' "$OUT/seg.time" | awk '{printf "%s %s  ", $2, $NF}')
  echo "segment run #$i: wall $(wall "$OUT/seg.time")  peak RSS $(peak "$OUT/seg.time")  ($stages)"
done
for i in $(seq "$REPEATS"); do
  /usr/bin/time -v /usr/bin/python3 bench/ingest/pandas_clean.py "$DATA" 2>"$OUT/pd.time" | sed "s/^/pandas #$i: /"
  echo "pandas #$i: wall $(wall "$OUT/pd.time")  peak RSS $(peak "$OUT/pd.time")"
done
