#!/usr/bin/env bash
# Runs every fuzz target of the module (every func Fuzz… in any package,
# found with `go test -list`), one after the other, each for FUZZTIME, and
# reports which found a crash.
#
#   bash bench/fuzz/run.sh                      # from anywhere; 1 minute each
#   FUZZTIME=5m FUZZ_PARALLEL=2 bash bench/fuzz/run.sh
#   ONLY=FuzzRowexpr bash bench/fuzz/run.sh     # one target (a regexp)
#
# FUZZ_PARALLEL is the number of fuzzing processes per target (default 1:
# the machine is shared). FUZZMINIMIZE (default 20x) bounds how long Go
# minimizes each new input: with its default of 60 s, a target whose seeds
# are whole config files spends its minute minimizing the first few inputs
# (execs stay at a handful) instead of fuzzing. A crash is saved by Go under the target's package
# as testdata/fuzz/<Target>/<hash>; commit it with the fix, it then runs in
# every `go test` as a regression case. Logs go to bench/out/fuzz/<Target>.log
# (gitignored). Exit status: 0 when no target failed.
set -uo pipefail
cd "$(dirname "$0")/../.."

FUZZTIME=${FUZZTIME:-1m}
FUZZ_PARALLEL=${FUZZ_PARALLEL:-1}
FUZZMINIMIZE=${FUZZMINIMIZE:-20x}
ONLY=${ONLY:-.}
LOGS=bench/out/fuzz
mkdir -p "$LOGS"

targets=()
for pkg in $(go list ./...); do
	for name in $(go test -list '^Fuzz' "$pkg" 2>/dev/null | grep '^Fuzz' | grep -E "$ONLY"); do
		targets+=("$pkg $name")
	done
done
if [[ ${#targets[@]} -eq 0 ]]; then
	echo "no fuzz targets found" >&2
	exit 1
fi

echo "| Target | Package | Time | Execs | New interesting | Result |"
echo "|---|---|---|---|---|---|"
failed=0
for t in "${targets[@]}"; do
	pkg=${t% *}
	name=${t#* }
	log="$LOGS/$name.log"
	start=$(date +%s)
	go test "$pkg" -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$FUZZMINIMIZE" -parallel "$FUZZ_PARALLEL" >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - start))
	# The last progress line: "fuzz: elapsed: 1m0s, execs: 123456 (2057/sec), new interesting: 12 (total: 40)"
	execs=$(grep -o 'execs: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
	interesting=$(grep -o 'new interesting: [0-9]* (total: [0-9]*)' "$log" | tail -1 | sed 's/new interesting: //')
	if [[ $rc -eq 0 ]]; then
		result="ok"
	else
		result="**FAILED** (see $log)"
		failed=$((failed + 1))
		saved=$(grep -o 'testdata/fuzz/[^ ]*' "$log" | head -1)
		[[ -n $saved ]] && result="$result; input saved as ${pkg#github.com/churnlab/segment/}/$saved"
	fi
	echo "| $name | ${pkg#github.com/churnlab/segment/} | ${secs}s | ${execs:-?} | ${interesting:-?} | $result |"
done
echo
echo "$((${#targets[@]} - failed)) of ${#targets[@]} targets passed ($FUZZTIME each, $FUZZ_PARALLEL process(es))."
exit $((failed > 0))
