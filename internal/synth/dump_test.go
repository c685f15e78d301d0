package synth

import (
	"flag"
	"os"
	"testing"
)

// Development helper used by testdata/compare_churn.py and
// testdata/engagement_corr.py; skipped unless -synth.dump is given:
//
//	go test ./internal/synth -run TestDump -args -synth.dump=/tmp/churn.csv -synth.kind=churn -synth.rows=7043 -synth.seed=42
var (
	dumpPath = flag.String("synth.dump", "", "write a generated table to this path")
	dumpKind = flag.String("synth.kind", "churn", "table to dump: churn or engagement")
	dumpRows = flag.Int("synth.rows", 7043, "rows to dump")
	dumpSeed = flag.Uint64("synth.seed", 42, "seed to dump with")
)

func TestDump(t *testing.T) {
	if *dumpPath == "" {
		t.Skip("no -synth.dump path given")
	}
	f, err := os.Create(*dumpPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gen := Churn
	if *dumpKind == "engagement" {
		gen = Engagement
	}
	if err := gen(f, *dumpRows, *dumpSeed); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
