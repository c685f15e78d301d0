#!/usr/bin/env bash
# Ingest of the synthetic churn table (38 columns, Maven schema) from CSV and from Parquet.
# Usage: bench/parquet/run.sh [ROWS] [REPEATS]     (from the repository root)
# Needs /usr/bin/time. KEEP=1 keeps the generated files in bench/out/ (deleted otherwise).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-1000000}
REPEATS=${2:-3}
OUT=bench/out
mkdir -p "$OUT"
go build -o "$OUT/segment" ./cmd/segment
go build -o "$OUT/pqbench" ./bench/parquet
CSV="$OUT/churn_${ROWS}.csv"
PQ="$OUT/churn_${ROWS}.parquet"
[ -f "$CSV" ] || "$OUT/segment" synth churn --rows "$ROWS" --seed 1 -o "$CSV"
[ -f "$PQ" ] || /usr/bin/time -f "convert: %e s, peak RSS %M KB" "$OUT/pqbench" convert -csv "$CSV" -o "$PQ"
echo "input: $CSV ($(du -h "$CSV" | cut -f1)), $PQ ($(du -h "$PQ" | cut -f1), snappy, row groups of 1,048,576); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

run() { # file cols [extra args]
  local f=$1 cols=$2; shift 2
  local line
  line=$(/usr/bin/time -f "%M %U %S" -o "$OUT/pq.time" "$OUT/pqbench" read -in "$f" -cols "$cols" "$@")
  read -r rss user sys < "$OUT/pq.time"
  echo "$line  peak RSS $(( rss / 1024 )) MB  CPU $(awk -v u="$user" -v s="$sys" 'BEGIN{printf "%.2f", u+s}') s"
}
for i in $(seq "$REPEATS"); do
  echo "--- run $i (load $(cut -d' ' -f1 /proc/loadavg))"
  for cols in features config all; do
    run "$CSV" "$cols"
    run "$PQ" "$cols"
  done
  run "$PQ" all -scan 65536
  run "$PQ" features -lineage
done
[ -n "${KEEP:-}" ] || rm -f "$CSV" "$PQ"
