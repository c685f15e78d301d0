package plotkit

import (
	"math"
	"path/filepath"
	"testing"

	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

func TestNewPlotTheme(t *testing.T) {
	p := NewPlot("Tenure vs revenue", "Tenure (months)", "Revenue ($)")
	if p.Title.Text != "Tenure vs revenue" || p.X.Label.Text != "Tenure (months)" || p.Y.Label.Text != "Revenue ($)" {
		t.Errorf("texts %q %q %q", p.Title.Text, p.X.Label.Text, p.Y.Label.Text)
	}
	for name, f := range map[string]struct {
		variant font.Variant
		size    vg.Length
	}{
		"title":  {p.Title.TextStyle.Font.Variant, p.Title.TextStyle.Font.Size},
		"xlabel": {p.X.Label.TextStyle.Font.Variant, p.X.Label.TextStyle.Font.Size},
		"ytick":  {p.Y.Tick.Label.Font.Variant, p.Y.Tick.Label.Font.Size},
		"legend": {p.Legend.TextStyle.Font.Variant, p.Legend.TextStyle.Font.Size},
	} {
		if f.variant != "Sans" || f.size == 0 {
			t.Errorf("%s font: variant %q size %v", name, f.variant, f.size)
		}
	}
	if p.Title.TextStyle.Font.Size != TitleSize || p.X.Label.TextStyle.Font.Size != LabelSize || p.X.Tick.Label.Font.Size != TickSize {
		t.Error("theme sizes not applied")
	}
	if Hex(p.BackgroundColor) != "#ffffff" {
		t.Errorf("background %s", Hex(p.BackgroundColor))
	}
	// The Sans face must resolve to Liberation Sans, not a fallback.
	face := plot.DefaultTextHandler.Cache().Lookup(Font, 10)
	var buf sfnt.Buffer
	if name, err := face.Face.Name(&buf, sfnt.NameIDFull); err != nil || name != "Liberation Sans" {
		t.Errorf("theme font resolves to %q (%v), want Liberation Sans", name, err)
	}
}

func TestSavePlot(t *testing.T) {
	p := NewPlot("Theme check", "x", "y")
	p.Add(Grid())
	pts := make(plotter.XYs, 50)
	for i := range pts {
		pts[i].X = float64(i)
		pts[i].Y = math.Sin(float64(i) / 5)
	}
	for seg := range 3 {
		s, err := plotter.NewScatter(pts)
		if err != nil {
			t.Fatal(err)
		}
		s.Color = SegmentColor(seg)
		for i := range s.XYs {
			s.XYs[i].Y += float64(seg)
		}
		p.Add(s)
		p.Legend.Add("segment "+string(rune('A'+seg)), s)
	}
	dir := exampleDir(t)
	paths, err := SaveAll(p, filepath.Join(dir, "theme_scatter"), []string{"png", "svg"}, 640, 480)
	if err != nil {
		t.Fatal(err)
	}
	if w, h := pngSize(t, paths[0]); w != 640 || h != 480 {
		t.Errorf("PNG %d×%d, want 640×480", w, h)
	}
	checkSVG(t, paths[1], 640, 480)
	for _, bad := range []struct {
		path string
		w, h int
	}{{filepath.Join(dir, "x.jpg"), 10, 10}, {filepath.Join(dir, "x.png"), 0, 10}, {filepath.Join(dir, "no", "such", "dir.png"), 10, 10}} {
		if err := Save(p, bad.path, bad.w, bad.h); err == nil {
			t.Errorf("Save(%s, %d, %d): no error", bad.path, bad.w, bad.h)
		}
	}
	if _, err := SaveAll(p, filepath.Join(dir, "y"), []string{"pdf"}, 10, 10); err == nil {
		t.Error("SaveAll(pdf): no error")
	}
	if _, err := SaveAll(p, filepath.Join(dir, "y"), nil, 10, 10); err == nil {
		t.Error("SaveAll(no formats): no error")
	}
}
