package pipeline

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/synth"
)

// TestTypesOverBatches: the column types gathered batch by batch (what
// validate learns from a scan of an input a run would stream) are those of
// the whole table read at once: kinds, missing values, and the levels of
// the columns with few values (merged, ordered as onehot orders them, and
// dropped once a column has more than MaxTypedLevels).
func TestTypesOverBatches(t *testing.T) {
	var b bytes.Buffer
	if err := synth.Churn(&b, 5000, 3); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "churn.csv")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := csvio.ReadFile(context.Background(), path, csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	whole := res.Table
	want := TypesOf(whole)
	for _, batch := range []int{1, 7, 1000, 5000} {
		var acc typesAcc
		for lo := 0; lo < whole.NumRows(); lo += batch {
			rows := make([]int, 0, batch)
			for i := lo; i < min(lo+batch, whole.NumRows()); i++ {
				rows = append(rows, i)
			}
			acc.add(whole.Take(rows))
		}
		got := acc.types()
		if !reflect.DeepEqual(got, want) {
			for name, w := range want {
				if g := got[name]; !reflect.DeepEqual(g, w) {
					t.Errorf("batches of %d, column %q: %+v, want %+v", batch, name, g, w)
				}
			}
		}
	}
}
