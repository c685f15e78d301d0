#!/usr/bin/env bash
# Side-by-side run of issue 10's end-to-end benchmark: the segment job (bench/e2e/config.yaml) and the
# analyst's pandas + scikit-learn script (bench/e2e/analyst.py) on one input, one after the other, each
# under /usr/bin/time -v; prints wall time and peak RSS of both and their ratios.
#
#   bench/e2e/run.sh BIN INPUT.csv OUTDIR [N_INIT K_MAX]
#
# BIN is a built segment binary (go build -o bench/out/segment ./cmd/segment), INPUT.csv the Maven table
# or a `segment synth churn` table (bench/out/, gitignored). N_INIT and K_MAX (defaults 10 and 10) are
# lowered to 1 and 4 at 10,000,000 rows, for both programs. The script runs with the system Python
# (/usr/bin/python3: pandas 1.5.3, scikit-learn 1.2.1) and OMP_NUM_THREADS=1. Every output, the
# /usr/bin/time reports and the script's phase times stay in OUTDIR.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 BIN INPUT.csv OUTDIR [N_INIT K_MAX]" >&2; exit 2; }
bin=$(realpath "$1") input=$(realpath "$2") out=$3 n_init=${4:-10} k_max=${5:-10}
cd "$(dirname "$0")/../.."
mkdir -p "$out"
out=$(realpath "$out")

set_args=()
if [ "$n_init" != 10 ] || [ "$k_max" != 10 ]; then
  set_args=(--set "stages.cluster.n_init=$n_init" --set "stages.cluster.elbow=[2, $k_max]")
fi

BENCH_INPUT=$input BENCH_OUT=$out/segment /usr/bin/time -v -o "$out/segment.time" \
  "$bin" run -c bench/e2e/config.yaml --no-progress "${set_args[@]}" >"$out/segment.out" 2>"$out/segment.log"
OMP_NUM_THREADS=1 /usr/bin/time -v -o "$out/analyst.time" \
  /usr/bin/python3 bench/e2e/analyst.py "$input" "$out/analyst" "$n_init" "$k_max" >"$out/analyst.out" 2>"$out/analyst.log"

/usr/bin/python3 - "$out" <<'PY'
import re, sys

def measure(path):
    text = open(path).read()
    h, m, s = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", text).groups()
    wall = int(h or 0) * 3600 + int(m) * 60 + float(s)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1)) * 1024
    return wall, rss

out = sys.argv[1]
sw, sr = measure(out + "/segment.time")
pw, pr = measure(out + "/analyst.time")
print(f"segment  {sw:8.2f} s  {sr / 1e6:8.0f} MB")
print(f"analyst  {pw:8.2f} s  {pr / 1e6:8.0f} MB")
print(f"ratio    {pw / sw:8.1f} x faster, {sr / pr:.2f} x the memory")
PY
