package profile

import (
	"context"
	"image/color"
	"testing"

	"github.com/churnlab/segment/internal/plotkit"
)

// TestColorsFollowIDs: a segment's colour is keyed to its number, not to
// its size rank — here the largest segment is number 3 — in the profile
// and in every figure (bars, heatmap swatches, scatter and PCA series, box
// plots), so it keeps its colour night after night.
func TestColorsFollowIDs(t *testing.T) {
	tb, cl, cfg := synthetic(2000)
	cl.IDs = []int{3, 1, 4, 2} // stable IDs carried from a previous model
	a, err := Analyze(context.Background(), tb, cl, cfg)
	if err != nil {
		t.Fatal(err)
	}
	figs, err := a.Figures(context.Background(), tb, cl, cfg, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := func(s int) color.RGBA {
		r, g, b, _ := plotkit.SegmentColor(cl.IDs[s] - 1).RGBA()
		return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 0xff}
	}
	for s, sp := range a.Result.Segments {
		if sp.Color != plotkit.Hex(plotkit.SegmentColor(cl.IDs[s]-1)) {
			t.Errorf("segment %d (index %d): colour %s", sp.ID, s, sp.Color)
		}
	}
	checked := 0
	for _, f := range figs {
		switch d := f.Drawer.(type) {
		case *plotkit.Bars:
			for s, b := range d.Bars {
				checked++
				if b.Color != want(s) {
					t.Errorf("%s: bar %d colour %v, want %v", f.Name, s, b.Color, want(s))
				}
			}
		case *plotkit.Scatter:
			for s, sr := range d.Series {
				checked++
				if sr.Color.R != want(s).R || sr.Color.G != want(s).G || sr.Color.B != want(s).B {
					t.Errorf("%s: series %d colour %v, want %v", f.Name, s, sr.Color, want(s))
				}
			}
		case *plotkit.Boxes:
			for s, c := range d.Colors {
				checked++
				if c != want(s) {
					t.Errorf("%s: box %d colour %v, want %v", f.Name, s, c, want(s))
				}
			}
		case *plotkit.ZHeatmap:
			for s, key := range d.RowSegments {
				checked++
				if key != cl.IDs[s]-1 {
					t.Errorf("%s: row %d colour key %d, want %d", f.Name, s, key, cl.IDs[s]-1)
				}
			}
		}
	}
	if checked < 4*5 {
		t.Errorf("checked %d colours in %d figures", checked, len(figs))
	}
}
