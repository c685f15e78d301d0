package profile

import (
	"slices"
	"testing"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
)

// TestCategoricalMissingLabel: missing values form their own level,
// "(missing)" by default or the label the config gives (the churn table's
// blank Internet Type means "no internet service"); a label that is already
// a level takes the missing values in.
func TestCategoricalMissingLabel(t *testing.T) {
	col := frame.NewString("Internet Type", []string{"Fiber", "", "DSL", "", "Fiber", ""}, []bool{false, true, false, true, false, true})
	tb, err := frame.New(col)
	if err != nil {
		t.Fatal(err)
	}
	members := [][]int{{0, 1, 2}, {3, 4, 5}}
	for _, tc := range []struct {
		missing string
		levels  []string
		overall []float64
		seg1    []int
		level   string
	}{
		{"", []string{"Fiber", "DSL", result.MissingLevel}, []float64{2.0 / 6, 1.0 / 6, 3.0 / 6}, []int{1, 0, 2}, result.MissingLevel},
		{"No internet service", []string{"Fiber", "DSL", "No internet service"}, []float64{2.0 / 6, 1.0 / 6, 3.0 / 6}, []int{1, 0, 2}, "No internet service"},
		{"DSL", []string{"DSL", "Fiber"}, []float64{4.0 / 6, 2.0 / 6}, []int{2, 1}, "DSL"},
	} {
		cp, err := categorical(tb, CategoricalColumn{Column: "Internet Type", Missing: tc.missing}, members, 12)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(cp.Levels, tc.levels) || !slices.Equal(cp.Overall, tc.overall) || !slices.Equal(cp.Counts[1], tc.seg1) || cp.MissingLevel != tc.level {
			t.Errorf("missing %q: levels %q overall %v segment 2 %v missing level %q", tc.missing, cp.Levels, cp.Overall, cp.Counts[1], cp.MissingLevel)
		}
	}
}
