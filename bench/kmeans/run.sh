#!/usr/bin/env bash
# k-means benchmarks of internal/kmeans against scikit-learn 1.2.1 (and muesli):
#
#   BLOBS   1,000,000 x 10 standardised blobs, k = 8, n_init = 10 (one Fit; sample mode off
#           and on), scikit-learn at OMP_NUM_THREADS=1 and 2, muesli (one restart).
#   SCAN    issue 10's k: auto scan, k = 2..10, n_init = 10, on 1,000,000 synthetic churn rows x
#           the 6 features of configs/churn.yaml (standardised): kmeans.Scan (1 and 2 workers),
#           one Fit per k (what the cluster stage does today), Fit per k with sample mode off (the
#           old engine), scikit-learn at OMP_NUM_THREADS=1 and 2, and scikit-learn at
#           random_state 1..4 for the quality reference (best of five).
#   PUBLIC  inertia of the k = 2..10 scan on the public tables of ../shared/datasets: native
#           seeds 0..4 (n_init 10 and 30) against scikit-learn's best of random_state 0..4.
#
#   bash bench/kmeans/run.sh                       # from the repo root, everything (~15 min quiet)
#   PARTS="SCAN" REPEAT=1 bash bench/kmeans/run.sh  # one part
#   SKIP_MUESLI=1 SKIP_REF=1 ...                    # leave out muesli / the 4 reference scans
#   REPEAT=3 SK_REPEAT=1                            # repeats of the native / scikit-learn runs (defaults)
#
# Inputs are generated once into bench/out/ (gitignored): blobs_1m_10.f64 (80 MB), churn_1m_6.f64
# (48 MB; the 200 MB churn CSV it is cut from is deleted). Every process runs under
# /usr/bin/time -v: wall time and peak RSS of the whole process, reading the matrix included;
# fit/scan seconds and CPU seconds are measured inside. One JSON record per run is appended to
# bench/out/kmeans_*.jsonl and summarize.py prints the Markdown tables of README.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

REPEAT=${REPEAT:-3}       # native runs
SK_REPEAT=${SK_REPEAT:-1} # scikit-learn runs (one 1M-row scan takes 40-80 s per thread count)
PARTS=${PARTS:-"BLOBS SCAN PUBLIC"}
PY=/usr/bin/python3
BIN=bench/out/kmeansbench
BLOBS=bench/out/blobs_1m_10.f64
CHURN=bench/out/churn_1m_6.f64

mkdir -p bench/out
go build -o "$BIN" ./bench/kmeans
echo "$(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg)"

# run OUT LABEL CMD... : runs CMD under /usr/bin/time -v, keeps its whole stdout in
# bench/out/runs/<OUT name>/LABEL.N.jsonl and appends its last line plus wall/RSS/label to OUT.
run() {
	local out=$1 label=$2
	shift 2
	local dir
	dir="bench/out/runs/$(basename "$out" .jsonl)"
	mkdir -p "$dir"
	local n=1
	while [[ -e "$dir/${label// /_}.$n.jsonl" ]]; do n=$((n + 1)); done
	local keep="$dir/${label// /_}.$n.jsonl"
	local tf
	tf=$(mktemp)
	/usr/bin/time -v "$@" >"$keep" 2>"$tf"
	local wall rss
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/{print $2}' "$tf")
	rss=$(awk -F': ' '/Maximum resident set size/{print $2}' "$tf")
	rm -f "$tf"
	$PY - "$label" "$wall" "$rss" "$keep" "$(cut -d' ' -f1 /proc/loadavg)" >>"$out" <<'PYEOF'
import json, sys
label, wall, rss, keep, load = sys.argv[1:6]
rec = json.loads(open(keep).read().strip().splitlines()[-1])
parts = [float(p) for p in wall.split(":")]
secs = sum(v * 60 ** (len(parts) - 1 - i) for i, v in enumerate(parts))
rec.update({"label": label, "wall_seconds": secs, "max_rss_kb": int(rss), "output": keep, "load": float(load)})
print(json.dumps(rec))
PYEOF
	tail -n 1 "$out" | cut -c1-170
}

if [[ " $PARTS " == *" BLOBS "* ]]; then
	OUT=bench/out/kmeans_results.jsonl
	: >"$OUT"
	[[ -f $BLOBS ]] || "$BIN" gen -out "$BLOBS" -n 1000000 -d 10 -blobs 8 -seed 1
	for r in $(seq "$REPEAT"); do
		run "$OUT" "native workers=1" "$BIN" fit -in "$BLOBS" -k 8 -workers 1 -sample-above -1
		run "$OUT" "native workers=2" "$BIN" fit -in "$BLOBS" -k 8 -workers 2 -sample-above -1
		run "$OUT" "native sample mode workers=2" "$BIN" fit -in "$BLOBS" -k 8 -workers 2
	done
	for r in $(seq "$SK_REPEAT"); do
		OMP_NUM_THREADS=1 run "$OUT" "sklearn OMP_NUM_THREADS=1" $PY bench/kmeans/sklearn_bench.py "$BLOBS" 8 10
		OMP_NUM_THREADS=2 run "$OUT" "sklearn OMP_NUM_THREADS=2" $PY bench/kmeans/sklearn_bench.py "$BLOBS" 8 10
	done
	if [[ -z ${SKIP_MUESLI:-} ]]; then
		run "$OUT" "muesli n_init=1 workers=1" "$BIN" fit -in "$BLOBS" -k 8 -ninit 1 -engine muesli -workers 1
	fi
	$PY bench/kmeans/summarize.py "$OUT"
fi

if [[ " $PARTS " == *" SCAN "* ]]; then
	OUT=bench/out/kmeans_scan.jsonl
	: >"$OUT"
	if [[ ! -f $CHURN ]]; then
		go run ./cmd/segment synth churn --rows 1000000 --seed 1 -o bench/out/churn_1m.csv
		"$BIN" csv -in bench/out/churn_1m.csv -out "$CHURN"
		rm -f bench/out/churn_1m.csv
	fi
	for r in $(seq "$REPEAT"); do
		run "$OUT" "native Scan workers=1" "$BIN" scan -in "$CHURN" -workers 1
		run "$OUT" "native Scan workers=2" "$BIN" scan -in "$CHURN" -workers 2
		run "$OUT" "native Fit per k workers=2" "$BIN" elbow -in "$CHURN" -workers 2
	done
	for r in $(seq "$SK_REPEAT"); do
		OMP_NUM_THREADS=1 run "$OUT" "sklearn OMP_NUM_THREADS=1" $PY bench/kmeans/sklearn_scan.py "$CHURN" 2 10 10 0
		OMP_NUM_THREADS=2 run "$OUT" "sklearn OMP_NUM_THREADS=2" $PY bench/kmeans/sklearn_scan.py "$CHURN" 2 10 10 0
	done
	run "$OUT" "native Fit per k, sample mode off, workers=2" "$BIN" elbow -in "$CHURN" -workers 2 -sample-above -1
	for s in 1 2 3 4; do
		run "$OUT" "native Scan seed=$s workers=2" "$BIN" scan -in "$CHURN" -workers 2 -seed "$s"
	done
	if [[ -z ${SKIP_REF:-} ]]; then
		OMP_NUM_THREADS=2 run "$OUT" "sklearn reference random_state=1..4" $PY bench/kmeans/sklearn_scan.py "$CHURN" 2 10 10 1,2,3,4
	fi
	$PY bench/kmeans/summarize_scan.py "$OUT"
fi

if [[ " $PARTS " == *" PUBLIC "* ]]; then
	"$BIN" public -ninit 10 >bench/out/native_public10.jsonl
	"$BIN" public -ninit 30 >bench/out/native_public30.jsonl
	OMP_NUM_THREADS=2 $PY bench/kmeans/sklearn_public.py 0,1,2,3,4 >bench/out/sklearn_public.jsonl
	$PY bench/kmeans/compare_public.py bench/out/sklearn_public.jsonl bench/out/native_public10.jsonl bench/out/native_public30.jsonl
fi
