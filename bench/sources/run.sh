#!/usr/bin/env bash
# Ingest through every source, segment beside pandas: ROWS × 38 rows (default 10,000,000) from CSV,
# .csv.gz and Parquet — all 38 columns and the 18 that configs/churn.yaml uses — and PGROWS (default
# 1,000,000) from PostgreSQL. Each measurement is one process under /usr/bin/time (wall time, peak RSS).
#
# Usage: bench/sources/run.sh [ROWS] [PGROWS] [REPEATS]     (from the repository root)
# Needs /usr/bin/time, gzip, psql, Debian's /usr/bin/python3 with pandas. Uses the server of
# $SEGMENT_PG_DSN, or starts the test servers (.ci/pg start) and stops them at exit. Writes
# bench/out/sources/ (≈ 2.5 GB for 10M rows; checks df first) and deletes it at the end (KEEP=1 keeps it).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-10000000}
PGROWS=${2:-1000000}
REPEATS=${3:-1}
OUT=bench/out/sources
mkdir -p "$OUT"
need_kb=$(( ROWS / 1000 * 500 ))
avail_kb=$(df -Pk "$OUT" | awk 'NR==2 {print $4}')
if [ "$avail_kb" -lt "$need_kb" ]; then
  echo "need about $(( need_kb / 1024 / 1024 )) GB free under $OUT, have $(( avail_kb / 1024 / 1024 )) GB" >&2; exit 1
fi
cleanup() {
  if [ -z "${KEEP:-}" ]; then rm -rf "$OUT"; fi
  if [ -n "${STARTED_PG:-}" ]; then .ci/pg stop >/dev/null 2>&1 || true; fi
}
trap cleanup EXIT
go build -o "$OUT/segment" ./cmd/segment
go build -o "$OUT/sources-bench" ./bench/sources

CSV="$OUT/churn_${ROWS}.csv"
[ -f "$CSV" ] || "$OUT/segment" synth churn --rows "$ROWS" --seed 1 -o "$CSV"
[ -f "$CSV.gz" ] || /usr/bin/time -f "gzip -6: %e s" gzip -6 -k "$CSV"
PQ="$OUT/churn_${ROWS}.parquet"
[ -f "$PQ" ] || /usr/bin/time -f "to parquet: %e s, peak RSS %M KB" "$OUT/sources-bench" parquet -csv "$CSV" -o "$PQ"
echo "input: $ROWS rows x 38 columns: CSV $(du -h "$CSV" | cut -f1), .csv.gz $(du -h "$CSV.gz" | cut -f1), Parquet $(du -h "$PQ" | cut -f1) (snappy, segment's writer)"

CONFIG='[Customer ID, Age, Number of Dependents, Number of Referrals, Tenure in Months, Avg Monthly Long Distance Charges, Avg Monthly GB Download, Monthly Charge, Total Charges, Total Refunds, Total Extra Data Charges, Total Long Distance Charges, Total Revenue, Contract, Internet Type, Payment Method, Gender, Customer Status]'

# measure LABEL CMD...: one line with wall time, peak RSS and (for segment) the ingest stage's seconds.
# Shell functions run through bash -c (exported); GNU time's peak RSS is the largest process's.
measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %M" -o "$OUT/time" bash -c '"$@"' _ "$@" >"$OUT/stdout" 2>"$OUT/stderr" || { cat "$OUT/stderr" >&2; exit 1; }
  read -r wall rss <"$OUT/time"
  local stage
  stage=$(grep -E '^\[1/1\] ingest' "$OUT/stderr" | awk '{print "ingest stage " $NF}' || true)
  [ -n "$stage" ] || stage=$(grep -E '^pandas' "$OUT/stdout" | sed 's/.* in /read_csv /' || true)
  printf "%-44s wall %7.2f s  peak RSS %6d MB  %s\n" "$label" "$wall" $(( rss / 1024 )) "$stage"
}

seg() { BENCH_INPUT="$PWD/$1" BENCH_OUT="$PWD/$OUT/runs" "$OUT/segment" run -c bench/sources/file.yaml --no-progress "${@:2}"; }
export -f seg
export OUT

for i in $(seq "$REPEATS"); do
  echo "--- run $i ($(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
  for cols in all config; do
    set_cols=()
    [ "$cols" = config ] && set_cols=(--set "input.columns=$CONFIG")
    measure "segment csv, $cols columns" seg "$CSV" "${set_cols[@]}"
    measure "segment csv.gz, $cols columns" seg "$CSV.gz" "${set_cols[@]}"
    measure "segment parquet, $cols columns" seg "$PQ" "${set_cols[@]}"
    measure "pandas read_csv csv, $cols columns" /usr/bin/python3 bench/sources/pandas_read.py "$CSV" "$cols"
    measure "pandas read_csv csv.gz, $cols columns" /usr/bin/python3 bench/sources/pandas_read.py "$CSV.gz" "$cols"
    rm -rf "$OUT/runs"
  done
done

# PostgreSQL: PGROWS rows loaded with psql \copy.
if [ -z "${SEGMENT_PG_DSN:-}" ]; then
  eval "$(.ci/pg start)"
  STARTED_PG=1
fi
PGCSV="$OUT/churn_${PGROWS}.csv"
[ -f "$PGCSV" ] || "$OUT/segment" synth churn --rows "$PGROWS" --seed 1 -o "$PGCSV"
psql -X -q -v ON_ERROR_STOP=1 -d "$SEGMENT_PG_DSN" -c 'DROP TABLE IF EXISTS bench_churn'
psql -X -q -v ON_ERROR_STOP=1 -d "$SEGMENT_PG_DSN" -c "$("$OUT/sources-bench" createtable -csv "$PGCSV" -table bench_churn)"
/usr/bin/time -f "psql copy of $PGROWS rows: %e s" psql -X -q -v ON_ERROR_STOP=1 -d "$SEGMENT_PG_DSN" -c "\\copy bench_churn FROM '$PGCSV' (FORMAT csv, HEADER)"
psql -X -q -d "$SEGMENT_PG_DSN" -c 'VACUUM ANALYZE bench_churn'
pgseg() { BENCH_DSN="$SEGMENT_PG_DSN" BENCH_TABLE=bench_churn BENCH_OUT="$PWD/$OUT/runs" "$OUT/segment" run -c bench/sources/pg.yaml --no-progress "$@"; }
pgpandas() { psql -X -q -d "$SEGMENT_PG_DSN" -c "\\copy (SELECT * FROM bench_churn ORDER BY \"Customer ID\" COLLATE \"C\") TO STDOUT (FORMAT csv, HEADER)" | /usr/bin/python3 bench/sources/pandas_read.py - all; }
export -f pgseg pgpandas
export SEGMENT_PG_DSN
for i in $(seq "$REPEATS"); do
  echo "--- postgres run $i ($PGROWS rows; load $(cut -d' ' -f1-3 /proc/loadavg))"
  measure "segment csv ($PGROWS rows), all columns" seg "$PGCSV"
  measure "segment postgres, all, ORDER BY id" pgseg
  measure "segment postgres, all, server order" pgseg --set 'input.order_by=[]'
  measure "segment postgres, config, ORDER BY id" pgseg --set "input.columns=$CONFIG"
  measure "psql COPY csv | pandas read_csv, all" pgpandas
  rm -rf "$OUT/runs"
done
psql -X -q -d "$SEGMENT_PG_DSN" -c 'DROP TABLE bench_churn'
