#!/usr/bin/env bash
# The clean stage on engine native vs engine gota, on a 1,000,000-row churn table.
# Usage: bench/clean/run.sh [ROWS] [REPEATS]     (from the repository root)
# Needs /usr/bin/time and /usr/bin/python3 (for the summary). Writes only under bench/out/ (gitignored);
# remove bench/out/churn*.csv afterwards (194 MB for 1M rows).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-1000000}
REPEATS=${2:-3}
OUT=bench/out
mkdir -p "$OUT"
go build -o "$OUT/segment" ./cmd/segment
DATA="$OUT/churn.csv"
[ "$ROWS" = 1000000 ] || DATA="$OUT/churn_${ROWS}.csv"
[ -f "$DATA" ] || "$OUT/segment" synth churn --rows "$ROWS" --seed 1 -o "$DATA"
echo "input: $DATA ($(du -h "$DATA" | cut -f1), $ROWS rows x 38 columns); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
export BENCH_INPUT="$PWD/$DATA" BENCH_OUT="$PWD/$OUT/clean_runs"
TSV="$OUT/clean_bench.tsv"
: >"$TSV"

# one JOB ENGINE RUN CONFIG [--set ...]: time a whole `segment run` and read the clean stage's seconds from the manifest
one() {
  local job=$1 engine=$2 run=$3 cfg=$4
  shift 4
  rm -rf "$BENCH_OUT"
  /usr/bin/time -v "$OUT/segment" run -c "$cfg" "$@" >/dev/null 2>"$OUT/clean.time"
  /usr/bin/python3 - "$job" "$engine" "$run" "$OUT/clean.time" "$BENCH_OUT/latest/manifest.json" >>"$TSV" <<'PY'
import json, sys
job, engine, run, timef, manf = sys.argv[1:]
t = {}
for line in open(timef):
    k, _, v = line.strip().rpartition(": ")
    t[k] = v
h, m, s = (["0"] + t["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":"))[-3:]
wall = int(h) * 3600 + int(m) * 60 + float(s)
cpu = float(t["User time (seconds)"]) + float(t["System time (seconds)"])
rss = int(t["Maximum resident set size (kbytes)"]) / 1024
st = {x["name"]: x for x in json.load(open(manf))["stages"]}
clean = st.get("clean", {})
print(job, engine, run, f"{wall:.2f}", f"{cpu:.2f}", f"{rss:.0f}", clean.get("seconds", 0), clean.get("rows_out", st["ingest"]["rows_out"]), sep="\t")
PY
  tail -n1 "$TSV"
}

for i in $(seq "$REPEATS"); do
  one ingest-only - "$i" bench/clean/ingest_only.yaml
  for engine in native gota; do
    one churn "$engine" "$i" bench/clean/config.yaml --set "stages.clean.engine=$engine"
    one seed "$engine" "$i" bench/ingest/config.yaml --set "stages.clean.engine=$engine"
  done
done

# The tables must be the same: write each engine's table once and compare.
for job in churn:bench/clean/config.yaml seed:bench/ingest/config.yaml; do
  for engine in native gota; do
    rm -rf "$BENCH_OUT"
    "$OUT/segment" run -c "${job#*:}" --set "stages.clean.engine=$engine" --set output.keep_tables=true >/dev/null 2>&1
    sha256sum "$BENCH_OUT"/latest/*clean.table.csv | cut -d' ' -f1 >"$OUT/${job%%:*}.$engine.sha"
  done
  if cmp -s "$OUT/${job%%:*}.native.sha" "$OUT/${job%%:*}.gota.sha"; then
    echo "${job%%:*}: native and gota tables identical (sha256 $(cut -c1-16 "$OUT/${job%%:*}.native.sha")…)"
  else
    echo "${job%%:*}: TABLES DIFFER" >&2
    exit 1
  fi
done
rm -rf "$BENCH_OUT"
/usr/bin/python3 bench/clean/summarize.py "$TSV"
