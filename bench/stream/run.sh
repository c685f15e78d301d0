#!/usr/bin/env bash
# Streamed (execution.mode: stream) against in-memory runs of configs/churn.yaml on a synthetic churn
# table of ROWS rows × 38 columns, generated into bench/out/stream/ and deleted afterwards.
#
#   bench/stream/run.sh ROWS [MODES]     e.g. bench/stream/run.sh 10000000 "stream memory"
#
# Each run is measured by /usr/bin/time -v (wall time, peak RSS) around bench/stream/main.go (which runs
# the job in-process as `segment run` does and prints each stage, each pass and the Go heap's peak).
# Three runs per size:
#   stream-default  configs/churn.yaml as shipped (k: auto over 2..10, n_init 10 — on the sample)
#   stream          k_range [2, 4] (n_init 10 as shipped), for the side-by-side
#   memory          the same, in memory
# and the stream and memory runs' assignments are compared (bench/stream/compare.py: k, inertia, ARI,
# describe and correlation). Check free disk first: the CSV is about 200 bytes a row, the spill file
# about a third of that.
set -euo pipefail
ROWS=${1:?usage: run.sh ROWS [MODES]}
MODES=${2:-stream-default stream memory}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT=$ROOT/bench/out/stream
mkdir -p "$OUT"
cd "$ROOT"
go build -o "$OUT/segment" ./cmd/segment
go build -o "$OUT/stream-bench" ./bench/stream
DATA=$OUT/churn_$ROWS.csv
if [ ! -f "$DATA" ]; then
  /usr/bin/time -f "generate: %e s" "$OUT/segment" synth churn --rows "$ROWS" --seed 1 -o "$DATA"
fi
ls -l "$DATA"
df -h "$OUT" | tail -1
for mode in $MODES; do
  sets=(-set "input.path=$DATA")
  case $mode in
    stream-default) sets+=(-set execution.mode=stream) ;;
    stream) sets+=(-set execution.mode=stream -set "stages.cluster.k_range=[2, 4]") ;;
    memory) sets+=(-set execution.mode=memory -set "stages.cluster.k_range=[2, 4]") ;;
  esac
  rm -rf "$OUT/runs-$mode"
  echo "== $ROWS rows, $mode"
  /usr/bin/time -v "$OUT/stream-bench" -c configs/churn.yaml "${sets[@]}" -out "$OUT/runs-$mode" \
    -json "$OUT/$mode-$ROWS.json" 2> >(grep -E "Elapsed \(wall|Maximum resident|pass: |^\[|stream-bench" >&2)
done
if [[ " $MODES " == *" stream "* && " $MODES " == *" memory "* ]]; then
  /usr/bin/python3 bench/stream/compare.py "$OUT"/runs-memory/*T*/ "$OUT"/runs-stream/*T*/
fi
if [ -z "${KEEP:-}" ]; then rm -f "$DATA"; fi
