#!/usr/bin/env bash
# PostgreSQL ingest vs CSV ingest of the same 1,000,000 × 38 churn table (issue 9's goal: within 3×).
# Usage: bench/postgres/run.sh [ROWS] [REPEATS]     (from anywhere; KEEP=1 keeps the CSV and the table)
#
# Generates bench/out/churn.csv with `segment synth churn --seed 1`, loads it into a table "churn"
# (types as csvio infers them, COPY … FROM STDIN (FORMAT csv) as psql's \copy), then times, each in
# its own process under /usr/bin/time -v: internal/pgio reading all columns and the 6 columns a
# config uses, and internal/csvio.ReadFile of the file, all columns and the same 6.
# Uses the server of $SEGMENT_PG_DSN, or starts the test servers with .ci/pg and stops them after.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-1000000}
REPEATS=${2:-3}
OUT=bench/out
mkdir -p "$OUT"
COLS="Customer ID,Customer Status,Age,Number of Referrals,Tenure in Months,Total Revenue"

if [ -z "${SEGMENT_PG_DSN:-}" ]; then
  pg_env=$(.ci/pg start)
  eval "$pg_env"
  trap '.ci/pg stop' EXIT
fi
go build -o "$OUT/segment" ./cmd/segment
go build -o "$OUT/pgbench" ./bench/postgres
DATA="$OUT/churn.csv"
[ -f "$DATA" ] || "$OUT/segment" synth churn --rows "$ROWS" --seed 1 -o "$DATA" >/dev/null
echo "input: $DATA ($(du -h "$DATA" | cut -f1), $ROWS rows x 38 columns); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$OUT/pgbench" load -dsn "$SEGMENT_PG_DSN" -csv "$DATA" -table churn

peak() { grep 'Maximum resident' "$1" | awk '{printf "%.0f MB", $6/1024}'; }
wall() { grep 'Elapsed (wall' "$1" | awk '{print $NF}'; }
run() { # run LABEL ARGS...
  local label=$1
  shift
  /usr/bin/time -v "$OUT/pgbench" "$@" >"$OUT/pg.json" 2>"$OUT/pg.time"
  echo "$label  wall $(wall "$OUT/pg.time")  peak RSS $(peak "$OUT/pg.time")  $(cat "$OUT/pg.json")"
}
for i in $(seq "$REPEATS"); do
  echo "--- run $i (load average $(cut -d' ' -f1-3 /proc/loadavg))"
  run "postgres all 38 " pg -dsn "$SEGMENT_PG_DSN" -table churn
  run "csv      all 38 " csv -csv "$DATA"
  run "postgres 6 cols " pg -dsn "$SEGMENT_PG_DSN" -table churn -columns "$COLS"
  run "csv      6 cols " csv -csv "$DATA" -columns "$COLS"
  run "postgres scan 38 " pg -dsn "$SEGMENT_PG_DSN" -table churn -scan 65536
done
if [ -z "${KEEP:-}" ]; then
  "$OUT/pgbench" drop -dsn "$SEGMENT_PG_DSN" -table churn
  rm -f "$DATA" "$OUT/pg.json" "$OUT/pg.time"
fi
