#!/usr/bin/env bash
# Byte-identity check of a change: runs the shipped configs and the benchmark configs with one binary, under
# GOMAXPROCS 1 and 2, and compares two such sets of run folders file by file.
#
#   bench/e2e/identical.sh run BIN OUTDIR          # every job below, folders in OUTDIR/<job>-p<N>/
#   bench/e2e/identical.sh compare OUTDIR_A OUTDIR_B
#
# `run` needs ../shared/datasets/ (the Maven and IBM tables) and writes a 100,000-row synthetic churn table
# into bench/out/. `compare` compares every file of every run folder byte for byte, except manifest.json,
# which is compared without its clock fields (started_at, finished_at, seconds, run_id), output.dir, the
# config's sha256 (which covers output.dir) and the default memory limit (half the machine's available memory
# at the time, and the mode reason that quotes it), and the run id and memory limit in the report, which are replaced; it also compares each job's GOMAXPROCS 1 and 2 folders with each other. Exit status 1 on any difference.
set -euo pipefail
cd "$(dirname "$0")/../.."
DS=$(cd ../shared/datasets && pwd)

run() {
  local bin=$1 out=$2
  mkdir -p "$out" bench/out
  local synth=bench/out/churn_100000.csv
  [ -f "$synth" ] || "$bin" synth churn --rows 100000 --seed 1 -o "$synth"
  local abs; abs=$(cd bench/out && pwd)/churn_100000.csv
  local -a jobs=(
    "churn|configs/churn.yaml"
    "engagement|configs/engagement.yaml"
    "maven|configs/maven_churn.yaml|--set|input.path=$DS/telecom_customer_churn.csv"
    "maven-gota|configs/maven_churn.yaml|--set|input.path=$DS/telecom_customer_churn.csv|--set|stages.seed_table.engine=gota|--set|stages.revenue_int.engine=gota"
    "telco|configs/telco_mixed.yaml|--set|input.path=$DS/WA_Fn-UseC_-Telco-Customer-Churn.csv"
    "e2e|bench/e2e/config.yaml|--set|output.keep_tables=true"
    "cluster|bench/cluster/config.yaml"
    "ingest|bench/ingest/config.yaml|--set|output.keep_tables=true"
  )
  for job in "${jobs[@]}"; do
    IFS='|' read -r -a parts <<<"$job"
    local name=${parts[0]} cfg=${parts[1]}
    for p in 1 2; do
      local dir="$out/$name-p$p"
      rm -rf "$dir"
      if ! BENCH_INPUT=$abs BENCH_OUT=/unused GOMAXPROCS=$p "$bin" run -c "$cfg" --out "$dir" --no-progress "${parts[@]:2}" \
          >/dev/null 2>"$out/$name-p$p.log"; then
        echo "$name (GOMAXPROCS $p) failed:"; tail -5 "$out/$name-p$p.log"; exit 1
      fi
    done
    echo "ran $name"
  done
}

compare() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, os, re, sys

def manifest(path):
    def strip(v):
        if isinstance(v, dict):
            return {k: strip(x) for k, x in v.items() if k not in ("started_at", "finished_at", "seconds", "run_id", "dir", "config_sha256",
                    # the machine's available memory at the time (execution.memory_limit's default)
                    "memory_limit_bytes", "memory_limit_from", "reason")}
        if isinstance(v, list):
            return [strip(x) for x in v]
        return v
    return strip(json.load(open(path)))

def files(run):
    out = {}
    for root, _, names in os.walk(run):
        for n in names:
            p = os.path.join(root, n)
            out[os.path.relpath(p, run)] = p
    return out

def latest(d):
    runs = [x for x in os.listdir(d) if not x.startswith(("latest", ".", "failed"))]
    assert len(runs) == 1, (d, runs)
    return os.path.join(d, runs[0])

MEMLIMIT = re.compile(rb"memory(\\?_)limit [0-9.]+ [KMGT]?B")

def content(path, run):
    data = open(path, "rb").read()
    data = MEMLIMIT.sub(b"memory_limit LIMIT", data)  # the report's execution line: the machine's memory then
    return data.replace(os.path.basename(run).encode(), b"RUN_ID")

def same(a, b):
    fa, fb = files(a), files(b)
    bad = sorted(set(fa) ^ set(fb))
    for rel in sorted(set(fa) & set(fb)):
        if rel.endswith("manifest.json"):
            if manifest(fa[rel]) != manifest(fb[rel]):
                bad.append(rel)
        elif content(fa[rel], a) != content(fb[rel], b):
            bad.append(rel)
    return bad, len(fa)

a, b = sys.argv[1], sys.argv[2]
fail = 0
for job in sorted(x for x in os.listdir(a) if os.path.isdir(os.path.join(a, x))):
    pairs = [(os.path.join(a, job), os.path.join(b, job), "vs " + b)]
    if job.endswith("-p1"):
        pairs.append((os.path.join(a, job), os.path.join(a, job[:-1] + "2"), "vs GOMAXPROCS 2"))
    for x, y, what in pairs:
        if not os.path.isdir(y):
            print(f"{job}: missing in {what}"); fail = 1; continue
        bad, n = same(latest(x), latest(y))
        print(f"{job} {what}: {n} files, " + ("identical" if not bad else "DIFFER: " + ", ".join(bad)))
        fail |= bool(bad)
sys.exit(fail)
PY
}

case ${1:-} in
  run) run "$2" "$3" ;;
  compare) compare "$2" "$3" ;;
  *) echo "usage: $0 run BIN OUTDIR | compare OUTDIR_A OUTDIR_B" >&2; exit 2 ;;
esac
