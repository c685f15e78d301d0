#!/usr/bin/env bash
# Reading a 1,000,000-row churn table plain, as .csv.gz and as .csv.zst:
# csvio alone (ReadFile, and Scan in batches) and `segment run` of
# bench/ingest/config.yaml (ingest + clean), with wall time, CPU time and
# peak RSS. Usage: bench/ingest/compressed.sh [ROWS] [REPEATS] (from the
# repository root). Needs gzip, zstd and /usr/bin/time; writes about
# 300 MB under bench/out/ and deletes it at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${1:-1000000}
REPEATS=${2:-3}
OUT=bench/out
mkdir -p "$OUT"
df -h "$OUT" | tail -1
go build -o "$OUT/segment" ./cmd/segment
go build -o "$OUT/readcsv" ./bench/ingest/readcsv
DATA="$OUT/x_${ROWS}.csv"
trap 'rm -f "$DATA" "$DATA.gz" "$DATA.zst"; rm -rf "$OUT/runs"' EXIT
"$OUT/segment" synth churn --rows "$ROWS" --seed 1 -o "$DATA"
gzip -6 -k -f "$DATA"
zstd -q -3 -k -f "$DATA"
ls -l "$DATA" "$DATA.gz" "$DATA.zst" | awk '{printf "%s %d bytes\n", $NF, $5}'
echo "$(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"

measure() { # label command...
  local label=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$OUT/t.txt" "$@" >/dev/null 2>"$OUT/err.txt" || { cat "$OUT/err.txt"; exit 1; }
  read -r wall user sys rss < "$OUT/t.txt"
  printf '%-34s wall %6.2f s  cpu %6.2f s  peak RSS %5.0f MB\n' "$label" "$wall" "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc)"
}
for i in $(seq "$REPEATS"); do
  for f in "$DATA" "$DATA.gz" "$DATA.zst"; do
    measure "ReadFile $(basename "$f")" "$OUT/readcsv" "$f"
  done
  for f in "$DATA" "$DATA.gz" "$DATA.zst"; do
    measure "Scan 65536 $(basename "$f")" "$OUT/readcsv" -batch 65536 "$f"
  done
  measure "ReadFile - (stdin, plain)" sh -c "$OUT/readcsv - < $DATA"
  measure "ReadFile - (cat | , plain)" sh -c "cat $DATA | $OUT/readcsv -"
  for f in "$DATA" "$DATA.gz" "$DATA.zst"; do
    rm -rf "$OUT/runs"
    BENCH_INPUT="$PWD/$f" BENCH_OUT="$PWD/$OUT/runs" measure "segment run $(basename "$f")" "$OUT/segment" run -c bench/ingest/config.yaml
  done
done
