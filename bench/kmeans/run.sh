#!/usr/bin/env bash
# k-means benchmark: native engine vs scikit-learn 1.2.1 vs muesli on
# 1,000,000 × 10 standardised rows (seeded mixture of 8 Gaussian blobs).
#
#   bash bench/kmeans/run.sh            # from the repo root
#   REPEAT=1 SKIP_MUESLI=1 bash bench/kmeans/run.sh
#
# Writes bench/out/blobs_1m_10.f64 once (80 MB, gitignored), appends one
# record per run to bench/out/kmeans_results.jsonl and prints a Markdown
# table (bench/kmeans/summarize.py). Wall time and peak RSS come from
# /usr/bin/time -v around the whole process (including reading the file);
# fit_seconds is the fit alone.
set -euo pipefail
cd "$(dirname "$0")/../.."

REPEAT=${REPEAT:-3}
K=${K:-8}
NINIT=${NINIT:-10}
MUESLI_NINIT=${MUESLI_NINIT:-1}
DATA=bench/out/blobs_1m_10.f64
OUT=bench/out/kmeans_results.jsonl
BIN=bench/out/kmeansbench
PY=/usr/bin/python3

mkdir -p bench/out
go build -o "$BIN" ./bench/kmeans
if [[ ! -f $DATA ]]; then
	"$BIN" gen -out "$DATA" -n 1000000 -d 10 -blobs 8 -seed 1
fi
: > "$OUT"

# run LABEL CMD... : runs CMD under /usr/bin/time -v and appends its JSON
# line plus wall/RSS to $OUT.
run() {
	local label=$1
	shift
	local tf
	tf=$(mktemp)
	local json
	json=$(/usr/bin/time -v "$@" 2>"$tf" | tail -n 1)
	local wall rss
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$tf")
	rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$tf")
	rm -f "$tf"
	$PY - "$label" "$wall" "$rss" "$json" >>"$OUT" <<'PYEOF'
import json, sys
label, wall, rss, rec = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
parts = [float(p) for p in wall.split(":")]
secs = sum(v * 60 ** (len(parts) - 1 - i) for i, v in enumerate(parts))
rec.update({"label": label, "wall_seconds": secs, "max_rss_kb": int(rss)})
print(json.dumps(rec))
PYEOF
	tail -n 1 "$OUT" | cut -c1-160
}

for r in $(seq "$REPEAT"); do
	run "native workers=1" "$BIN" fit -in "$DATA" -k "$K" -ninit "$NINIT" -workers 1
	run "native workers=2" "$BIN" fit -in "$DATA" -k "$K" -ninit "$NINIT" -workers 2
	OMP_NUM_THREADS=1 run "sklearn OMP_NUM_THREADS=1" $PY bench/kmeans/sklearn_bench.py "$DATA" "$K" "$NINIT"
	OMP_NUM_THREADS=2 run "sklearn OMP_NUM_THREADS=2" $PY bench/kmeans/sklearn_bench.py "$DATA" "$K" "$NINIT"
done
if [[ -z ${SKIP_MUESLI:-} ]]; then
	run "muesli n_init=$MUESLI_NINIT workers=1" "$BIN" fit -in "$DATA" -k "$K" -ninit "$MUESLI_NINIT" -engine muesli -workers 1
fi
if [[ -z ${SKIP_ELBOW:-} ]]; then
	/usr/bin/time -v "$BIN" elbow -in "$DATA" -kmin 2 -kmax 10 -ninit "$NINIT" \
		>bench/out/kmeans_elbow.jsonl 2>bench/out/kmeans_elbow.time
	grep -E "elbow|Elapsed|Maximum resident" bench/out/kmeans_elbow.time
fi
$PY bench/kmeans/summarize.py "$OUT" bench/out/kmeans_elbow.jsonl
