#!/usr/bin/env bash
# execution.mode: database vs pulling every row (the postgres source, execution.mode: memory) on the
# same PostgreSQL table: configs/maven_churn.yaml (without its elbow) over N synthetic churn rows.
# Usage: bench/pushdown/run.sh [ROWS] [SAMPLE_ROWS]   (default 1000000 100000; KEEP=1 keeps the table;
#        MODES="database" skips the memory run, e.g. at 10M rows where it needs ~7.5 GB)
#
# Generates bench/out/churn.csv with `segment synth churn --seed 1` (the Maven schema), loads it into a
# table "churn" (bench/postgres's loader: COPY, VACUUM ANALYZE), then runs `segment run` twice, each in
# its own process under /usr/bin/time -v, and reads each run's manifest:
#   memory    input.dsn + input.table, execution.mode: memory — every row is pulled into the process;
#   database  the same with execution.mode: database — clean/eda/cluster/profile run as SQL, the fit
#             uses a seeded sample of SAMPLE_ROWS rows, every row's segment is written to a table.
# Prints wall time, peak RSS, rows that left the database (manifest: the input's rows in memory mode,
# notes.database rows_pulled + rows_returned in database mode) and the SQL statements run.
# Uses the server of $SEGMENT_PG_DSN, or starts the test servers with .ci/pg and stops them after.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-1000000}
SAMPLE=${2:-100000}
OUT=bench/out
mkdir -p "$OUT"
if [ -z "${SEGMENT_PG_DSN:-}" ]; then
  pg_env=$(.ci/pg start)
  eval "$pg_env"
  trap '.ci/pg stop' EXIT
fi
go build -o "$OUT/segment" ./cmd/segment
go build -o "$OUT/pgbench" ./bench/postgres
DATA="$OUT/churn.csv"
[ -f "$DATA" ] || "$OUT/segment" synth churn --rows "$ROWS" --seed 1 -o "$DATA" >/dev/null
echo "input: $ROWS rows x 38 columns; $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$OUT/pgbench" load -dsn "$SEGMENT_PG_DSN" -csv "$DATA" -table churn

peak() { grep 'Maximum resident' "$1" | awk '{printf "%.0f MB", $6/1024}'; }
wall() { grep 'Elapsed (wall' "$1" | awk '{print $NF}'; }
common=(--set input.path= --set "input.dsn=$SEGMENT_PG_DSN" --set input.table=churn --set stages.cluster.elbow=null)
run() { # run LABEL MODE ARGS...
  local label=$1 mode=$2
  shift 2
  rm -rf "$OUT/runs-$mode"
  /usr/bin/time -v "$OUT/segment" run -c configs/maven_churn.yaml "${common[@]}" --set "output.dir=$PWD/$OUT/runs-$mode" \
    --set "execution.mode=$mode" "$@" >"$OUT/$mode.log" 2>"$OUT/$mode.time" || { tail -5 "$OUT/$mode.log" "$OUT/$mode.time"; return 1; }
  local manifest
  manifest=$(ls -d "$OUT/runs-$mode"/*/manifest.json | head -1)
  /usr/bin/python3 - "$manifest" "$label" "$(wall "$OUT/$mode.time")" "$(peak "$OUT/$mode.time")" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
label, wall, peak = sys.argv[2:5]
pulled = returned = stmts = 0
for s in m["stages"]:
    db = (s.get("notes") or {}).get("database")
    if not db:
        continue
    rec = db.get("record", db)
    pulled += rec.get("rows_pulled", 0)
    returned += rec.get("rows_returned", 0)
    stmts += rec.get("statements", 0)
if stmts == 0:
    pulled = m["input"]["rows"]
print(f"{label}  wall {wall}  peak RSS {peak}  rows of the table pulled {pulled:,}  aggregate rows returned {returned:,}  SQL statements {stmts}")
PY
}
MODES=${MODES:-memory database}
[[ " $MODES " != *" memory "* ]] || run "memory  " memory
[[ " $MODES " != *" database "* ]] || run "database" database --set stages.cluster.database.sample_rows="$SAMPLE" --set stages.cluster.database.table=churn_segments
if [ -z "${KEEP:-}" ]; then
  "$OUT/pgbench" drop -dsn "$SEGMENT_PG_DSN" -table churn
  "$OUT/pgbench" drop -dsn "$SEGMENT_PG_DSN" -table churn_segments || true
  rm -rf "$DATA" "$OUT/runs-memory" "$OUT/runs-database" "$OUT"/memory.* "$OUT"/database.*
fi
