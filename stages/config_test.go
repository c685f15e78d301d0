package stages

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

// loadAndCheck is what `segment validate` does: decode, validate, check
// the columns and their types against the input and, when execution.mode
// names stream or database, every stage feature that mode refuses.
func loadAndCheck(path string, sets ...confyaml.Override) (*pipeline.Config, error) {
	cfg, err := pipeline.Load(path, Registry(), pipeline.LoadOptions{Overrides: sets})
	if err != nil {
		return nil, err
	}
	return cfg, pipeline.Check(context.Background(), cfg, pipeline.CheckOptions{})
}

// TestBadConfigs: every testdata/*.bad.yaml lists the exact errors it must
// produce in "# want:" comments (order-insensitive, each a prefix match so a
// message may continue with a hint). An input file that cannot be read is
// not a config error but a data error (*pipeline.InputError, exit 1); its
// message is checked the same way.
func TestBadConfigs(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.bad.yaml")
	if len(files) < 15 {
		t.Fatalf("only %d bad configs", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, _ := os.ReadFile(f)
			var want []string
			for _, line := range strings.Split(string(src), "\n") {
				if w, ok := strings.CutPrefix(line, "# want: "); ok {
					want = append(want, w)
				}
			}
			if len(want) == 0 {
				t.Fatal("no # want: lines")
			}
			_, err := loadAndCheck(f)
			var ce confyaml.ConfigErrors
			var ie *pipeline.InputError
			switch {
			case errors.As(err, &ce):
			case errors.As(err, &ie):
				ce = confyaml.ConfigErrors{{Msg: ie.Error()}}
			default:
				t.Fatalf("got %v, want config errors", err)
			}
			var got []string
			for _, e := range ce {
				got = append(got, e.Error())
			}
			sort.Strings(got)
			sort.Strings(want)
			if len(got) != len(want) {
				t.Fatalf("got %d errors:\n  %s\nwant:\n  %s", len(got), strings.Join(got, "\n  "), strings.Join(want, "\n  "))
			}
			for i := range want {
				if !strings.HasPrefix(got[i], want[i]) {
					t.Errorf("\n got %s\nwant %s", got[i], want[i])
				}
			}
		})
	}
}

func TestGoodConfigs(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.good.yaml")
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if _, err := loadAndCheck(f); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestCleanSteps runs every clean step on a small table and checks the
// result cell by cell.
func TestCleanSteps(t *testing.T) {
	cfg, err := loadAndCheck("testdata/clean.good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	tb := res.State.Table
	if got := strings.Join(tb.Names(), "|"); got != "Customer ID|Age|Tenure|Tenure_Years|Revenue|Contract_One Year" {
		t.Fatalf("columns %s", got)
	}
	// Row 0002-B (Churned, Age 45) is filtered out; 0003-C has no Age but
	// is kept by is_missing(Age), then filled with the median of 30 → 30.
	want := [][]string{
		{"0001-A", "30", "12", "1", "1000", "1"},
		{"0003-C", "30", "1", "0", "50", "0"},
	}
	if tb.NumRows() != len(want) {
		t.Fatalf("%d rows", tb.NumRows())
	}
	for i, row := range want {
		for j, w := range row {
			if got := tb.Columns()[j].Format(i); got != w {
				t.Errorf("row %d %s = %q, want %q", i, tb.Names()[j], got, w)
			}
		}
	}
}
