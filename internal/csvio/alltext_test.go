package csvio

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// TestAllText: every column not in Types is read as text, byte for byte,
// with empty cells and NAValues missing; Types still wins.
func TestAllText(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.csv")
	if err := os.WriteFile(path, []byte("id,n,x,b\n007,1.50,NA,true\n010, 2 ,,False\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	res, err := ReadFile(context.Background(), path, Options{AllText: true, NAValues: []string{"NA"}, Types: map[string]frame.Kind{"b": frame.Bool}})
	if err != nil {
		t.Fatal(err)
	}
	tb := res.Table
	for _, c := range []struct {
		col  string
		kind frame.Kind
		want []string
	}{
		{"id", frame.String, []string{"007", "010"}},
		{"n", frame.String, []string{"1.50", " 2 "}},
		{"x", frame.String, []string{"", ""}},
		{"b", frame.Bool, []string{"true", "false"}},
	} {
		col := tb.Col(c.col)
		if col.Kind != c.kind {
			t.Errorf("%s: kind %v, want %v", c.col, col.Kind, c.kind)
		}
		for i, w := range c.want {
			if c.col == "x" {
				if !col.IsMissing(i) {
					t.Errorf("x row %d: want missing", i)
				}
				continue
			}
			if got := col.Str(i); got != w {
				t.Errorf("%s row %d: %q, want %q", c.col, i, got, w)
			}
		}
	}
}
