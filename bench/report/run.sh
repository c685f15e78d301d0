#!/usr/bin/env bash
# profile + plots + report on a 1,000,000-row churn table (k = 4, plots sampled to 50,000 points).
# Usage: bench/report/run.sh [ROWS] [REPEATS]     (from anywhere; works in the repository root)
# Needs /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-1000000}
REPEATS=${2:-3}
OUT=bench/out
mkdir -p "$OUT"
go build -o "$OUT/segment" ./cmd/segment
DATA="$OUT/churn_${ROWS}.csv"
[ -f "$DATA" ] || "$OUT/segment" synth churn --rows "$ROWS" --seed 1 -o "$DATA"
echo "input: $DATA ($(du -h "$DATA" | cut -f1), $ROWS rows x 38 columns); $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

peak() { grep 'Maximum resident' "$1" | awk '{printf "%.0f MB", $6/1024}'; }
stage_seconds() { /usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); print("  ".join("%s %.2fs" % (s["name"], s["seconds"]) for s in m["stages"]))' "$1"; }

for i in $(seq "$REPEATS"); do
  rm -rf "$OUT/runs-report"
  BENCH_INPUT="$PWD/$DATA" BENCH_OUT="$PWD/$OUT/runs-report" /usr/bin/time -v "$OUT/segment" run -c bench/report/config.yaml \
      >/dev/null 2>"$OUT/seg-report.time"
  echo "segment run #$i: $(stage_seconds "$OUT/runs-report/latest/manifest.json")  (process peak RSS $(peak "$OUT/seg-report.time"))"
done
R="$OUT/runs-report/latest"
echo "files: $(du -ch "$R"/*.png | tail -1 | cut -f1) of PNG, report.html $(du -h "$R/report.html" | cut -f1), report.md $(du -h "$R/report.md" | cut -f1)"
/usr/bin/python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); s=p["sample"]; print("plot sample: %d of %d rows, per segment %s" % (s["drawn"], s["rows"], s["per_segment"]))' "$R/profile.json"
echo "Go benchmarks (in memory, 1,000,000 rows x 4 features + 2 extra columns):"
go test ./stages/profile/ -run '^$' -bench 'Profile' -benchmem -count 1 | grep '^Benchmark'
