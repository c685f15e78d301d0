package plotkit

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// render writes d as PNG (checking its decoded size) and SVG into
// exampleDir and returns the decoded PNG.
func render(t *testing.T, d Drawer, name string, w, h int) image.Image {
	t.Helper()
	dir := exampleDir(t)
	var buf bytes.Buffer
	if err := Write(&buf, d, "png", w, h); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if gw, gh := pngSize(t, filepath.Join(dir, name+".png")); gw != w || gh != h {
		t.Errorf("%s.png is %d×%d, want %d×%d", name, gw, gh, w, h)
	}
	img, err := png.Decode(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var svg bytes.Buffer
	if err := Write(&svg, d, "svg", w, h); err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(svg.Bytes(), []byte("<svg")) {
		t.Errorf("%s: no SVG written", name)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".svg"), svg.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return img
}

// hasColor reports whether some pixel of img is exactly c.
func hasColor(img image.Image, c color.Color) bool {
	r0, g0, b0, _ := c.RGBA()
	bd := img.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r>>8 == r0>>8 && g>>8 == g0>>8 && b>>8 == b0>>8 {
				return true
			}
		}
	}
	return false
}

// inkShare is the share of pixels that are not white.
func inkShare(img image.Image) float64 {
	bd := img.Bounds()
	ink := 0
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		for x := bd.Min.X; x < bd.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r < 0xf000 || g < 0xf000 || b < 0xf000 {
				ink++
			}
		}
	}
	return float64(ink) / float64(bd.Dx()*bd.Dy())
}

func TestNewScatter(t *testing.T) {
	spec := ScatterSpec{
		Title: "Tenure vs Revenue", Caption: "sample of 6 of 60 customers", XLabel: "Tenure", YLabel: "Revenue",
		Series: []ScatterSeries{
			{Segment: 0, Label: "Segment 1", X: []float64{1, 2, 3}, Y: []float64{10, 20, 30}, Order: []int{0, 2, 4}},
			{Segment: 1, Label: "Segment 2", X: []float64{50, 60}, Y: []float64{500, 700}, Order: []int{1, 3}},
			{Segment: 2, Label: "Segment 3", X: []float64{30}, Y: []float64{-100}, Order: []int{5}},
		},
		Centroids: []Centroid{{0, 2, 20}, {1, 55, 600}, {2, 30, -100}},
	}
	keep := append([]float64(nil), spec.Series[0].X...)
	s, err := NewScatter(spec)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(keep, spec.Series[0].X) {
		t.Error("spec modified")
	}
	if s.Points() != 6 || s.WidthPx != DefaultFigureWidthPx || s.HeightPx != DefaultFigureHeightPx {
		t.Errorf("points %d size %d×%d", s.Points(), s.WidthPx, s.HeightPx)
	}
	for i, sr := range s.Series {
		if sr.Color != rgba(SegmentColor(i)) || s.Legend[i].Color != sr.Color || s.Legend[i].Label != spec.Series[i].Label || s.Legend[i].Marker != MarkerDot {
			t.Errorf("series %d colour %v legend %+v", i, sr.Color, s.Legend[i])
		}
	}
	if last := s.Legend[len(s.Legend)-1]; len(s.Legend) != 4 || last.Label != "Centroid" || last.Marker != MarkerCross {
		t.Errorf("legend %+v", s.Legend)
	}
	// Ranges: data span plus 4 % each side.
	const tol = 1e-12
	if math.Abs(s.XRange[0]-(1-59*0.04)) > tol || math.Abs(s.XRange[1]-(60+59*0.04)) > tol ||
		math.Abs(s.YRange[0]-(-100-800*0.04)) > tol || math.Abs(s.YRange[1]-(700+800*0.04)) > tol {
		t.Errorf("ranges %v %v", s.XRange, s.YRange)
	}
	if s.PointRadius != 2.4 || s.PointAlpha != 200 {
		t.Errorf("point style %v %d", s.PointRadius, s.PointAlpha)
	}
	// Drawn in row order across segments.
	want := [][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}, {0, 2}, {2, 0}}
	if got := s.DrawOrder(); !reflect.DeepEqual(got, want) {
		t.Errorf("draw order %v, want %v", got, want)
	}
	img := render(t, s, "segment_scatter", s.WidthPx, s.HeightPx)
	if share := inkShare(img); share < 0.02 {
		t.Errorf("only %.3f of the scatter is inked", share)
	}
}

func TestScatterErrorsAndStyles(t *testing.T) {
	for _, spec := range []ScatterSpec{
		{},
		{Series: []ScatterSeries{{X: []float64{1}, Y: nil}}},
		{Series: []ScatterSeries{{X: []float64{1}, Y: []float64{math.NaN()}}}},
		{Series: []ScatterSeries{{X: []float64{1}, Y: []float64{1}, Order: []int{1, 2}}}},
		{Series: []ScatterSeries{{X: []float64{1}, Y: []float64{1}}}, Centroids: []Centroid{{0, math.Inf(1), 0}}},
		{Series: []ScatterSeries{{X: []float64{1}, Y: []float64{1}}}, WidthPx: -1, HeightPx: 10},
	} {
		if _, err := NewScatter(spec); err == nil {
			t.Errorf("NewScatter(%+v): no error", spec)
		}
	}
	for _, tc := range []struct {
		n      int
		radius vg.Length
		alpha  uint8
	}{{1000, 2.4, 200}, {1001, 1.9, 150}, {20000, 1.5, 110}, {50000, 1.2, 80}} {
		r, a := pointStyle(tc.n)
		if r != tc.radius || a != tc.alpha {
			t.Errorf("pointStyle(%d) = %v, %d", tc.n, r, a)
		}
	}
	// Without Order, series are drawn one after the other.
	s, _ := NewScatter(ScatterSpec{Series: []ScatterSeries{{X: []float64{1, 2}, Y: []float64{1, 2}}, {Segment: 1, X: []float64{3}, Y: []float64{3}}}})
	if got := s.DrawOrder(); !reflect.DeepEqual(got, [][2]int{{0, 0}, {0, 1}, {1, 0}}) {
		t.Errorf("draw order %v", got)
	}
}

func TestNewBars(t *testing.T) {
	b, err := NewBars(BarsSpec{Title: "Segment sizes", XLabel: "customers", Bars: []BarSpec{
		{0, "Segment 1", 2567}, {1, "Segment 2", 1705}, {2, "Segment 3", 1680}, {3, "A very long pinned segment name indeed", 300},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if b.Total != 6252 || b.WidthPx != 720 || b.HeightPx != 286 {
		t.Errorf("total %d size %d×%d", b.Total, b.WidthPx, b.HeightPx)
	}
	wantText := []string{"2,567 (41.1%)", "1,705 (27.3%)", "1,680 (26.9%)", "300 (4.8%)"}
	for i, bar := range b.Bars {
		if bar.Text != wantText[i] || bar.Color != rgba(SegmentColor(i)) || math.Abs(bar.Share-float64(bar.Count)/6252) > 1e-15 {
			t.Errorf("bar %d = %+v", i, bar)
		}
	}
	if b.Bars[3].Label != "A very long pinned segment na…" || math.Abs(b.XMax-2567*1.28) > 1e-9 {
		t.Errorf("label %q xmax %g", b.Bars[3].Label, b.XMax)
	}
	img := render(t, b, "segment_sizes", b.WidthPx, b.HeightPx)
	for i := range 4 {
		if !hasColor(img, SegmentColor(i)) {
			t.Errorf("bar colour %s not drawn", Hex(SegmentColor(i)))
		}
	}
	if _, err := NewBars(BarsSpec{}); err == nil {
		t.Error("no error for no bars")
	}
	if _, err := NewBars(BarsSpec{Bars: []BarSpec{{0, "x", -1}}}); err == nil {
		t.Error("no error for a negative count")
	}
}

func TestNewZHeatmap(t *testing.T) {
	spec := ZHeatmapSpec{
		Title:   "Segment profiles",
		Columns: []string{"Tenure in Months", "Total Revenue", "Number of Referrals"},
		Rows: []ZRow{
			{0, "Segment 1 (36%)", []float64{-0.81, -0.64, -0.04}},
			{1, "Segment 2 (24%)", []float64{1.26, 1.31, math.NaN()}},
			{2, "Segment 3 (15%)", []float64{0.04, 0.38, 2.02}},
		},
	}
	z, err := NewZHeatmap(spec)
	if err != nil {
		t.Fatal(err)
	}
	if z.Limit != 2.5 || z.Format != DefaultZFormat || z.WidthPx != 576 || z.HeightPx != 340 {
		t.Errorf("limit %g format %q size %d×%d", z.Limit, z.Format, z.WidthPx, z.HeightPx)
	}
	wantText := [][]string{{"-0.8", "-0.6", "0.0"}, {"+1.3", "+1.3", NaNText}, {"0.0", "+0.4", "+2.0"}}
	pal, _ := ParsePalette("")
	for i, row := range z.Cells {
		for j, c := range row {
			if c.Text != wantText[i][j] {
				t.Errorf("cell %d,%d text %q, want %q", i, j, c.Text, wantText[i][j])
			}
			want := pal.At(spec.Rows[i].Values[j] / 2.5)
			if c.Fill != want || c.TextColor != AnnotationColor(c.Fill) {
				t.Errorf("cell %d,%d fill %s, want %s", i, j, Hex(c.Fill), Hex(want))
			}
		}
	}
	if !reflect.DeepEqual(z.ColorBarLabels, []string{"-2.5σ", "-1.25σ", "0σ", "+1.25σ", "+2.5σ"}) {
		t.Errorf("colour bar %q", z.ColorBarLabels)
	}
	if !reflect.DeepEqual(z.RowSegments, []int{0, 1, 2}) || z.ColLabels[2] != "Number of Referrals" {
		t.Errorf("rows %v cols %q", z.RowSegments, z.ColLabels)
	}
	img := render(t, z, "segment_profiles", z.WidthPx, z.HeightPx)
	for _, c := range []color.Color{z.Cells[1][0].Fill, z.Cells[2][2].Fill, NaNColor, SegmentColor(2)} {
		if !hasColor(img, c) {
			t.Errorf("colour %s not drawn", Hex(c))
		}
	}

	// A fixed limit saturates; a small profile gets the minimum limit 1.
	z2, _ := NewZHeatmap(ZHeatmapSpec{Columns: []string{"a"}, Rows: []ZRow{{0, "s", []float64{0.2}}}})
	z3, _ := NewZHeatmap(ZHeatmapSpec{Columns: []string{"a"}, Rows: []ZRow{{0, "s", []float64{5}}}, Limit: 2})
	if z2.Limit != 1 || z3.Cells[0][0].Fill != pal.At(1) {
		t.Errorf("limits %g, saturated fill %s", z2.Limit, Hex(z3.Cells[0][0].Fill))
	}
	for _, bad := range []ZHeatmapSpec{
		{},
		{Columns: []string{"a", "b"}, Rows: []ZRow{{0, "s", []float64{1}}}},
		{Columns: []string{"a"}, Rows: []ZRow{{0, "s", []float64{1}}}, Limit: -1},
		{Columns: []string{"a"}, Rows: []ZRow{{0, "s", []float64{1}}}, Palette: "nope"},
		{Columns: []string{"a"}, Rows: []ZRow{{0, "s", []float64{1}}}, Format: "%d"},
	} {
		if _, err := NewZHeatmap(bad); err == nil {
			t.Errorf("NewZHeatmap(%+v): no error", bad)
		}
	}
}

func TestWrap2(t *testing.T) {
	for _, tc := range []struct{ in, a, b string }{
		{"Tenure in Months", "Tenure", "in Months"}, // tie: the first space
		{"Number of Referrals", "Number of", "Referrals"},
		{"Total Revenue", "Total", "Revenue"},
		{"Revenue", "Revenue", ""},
	} {
		a, b, _ := wrap2(tc.in)
		if a != tc.a || b != tc.b {
			t.Errorf("wrap2(%q) = %q, %q", tc.in, a, b)
		}
	}
}

func TestWhiskers(t *testing.T) {
	// numpy: q1, q3 of [1..10, 40] are 3.5 and 8.5; fences -4 and 16.
	v := []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 40, math.NaN()}
	lo, hi := Whiskers(v, 3.5, 8.5)
	if lo != 1 || hi != 10 {
		t.Errorf("whiskers %g %g, want 1 10", lo, hi)
	}
	if lo, hi := Whiskers([]float64{math.NaN()}, 0, 0); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("whiskers of nothing %g %g", lo, hi)
	}
}

func TestNewBoxes(t *testing.T) {
	for _, tc := range []struct{ n, cols, rows int }{{1, 1, 1}, {3, 3, 1}, {4, 2, 2}, {5, 3, 2}, {9, 3, 3}, {10, 4, 3}} {
		if c, r := boxGrid(tc.n); c != tc.cols || r != tc.rows {
			t.Errorf("boxGrid(%d) = %d×%d, want %d×%d", tc.n, c, r, tc.cols, tc.rows)
		}
	}
	segs := []BoxSegment{{0, "1", "Segment 1"}, {1, "2", "Segment 2"}, {2, "3", "Segment 3"}}
	var panels []BoxPanel
	for f, name := range []string{"Tenure", "Total Revenue", "Referrals", "Age"} {
		var bs []BoxStats
		for s := range segs {
			m := float64(10*s + f)
			bs = append(bs, BoxStats{N: 10, Q1: m - 2, Median: m, Q3: m + 3, Mean: m + 0.5, Low: m - 6, High: m + 8})
		}
		panels = append(panels, BoxPanel{Title: name, Boxes: bs})
	}
	b, err := NewBoxes(BoxesSpec{Title: "Features by segment", Segments: segs, Panels: panels})
	if err != nil {
		t.Fatal(err)
	}
	if b.Cols != 2 || b.Rows != 2 || b.WidthPx != 800 || b.HeightPx != 570 || len(b.Legend) != 3 {
		t.Errorf("grid %d×%d size %d×%d legend %d", b.Cols, b.Rows, b.WidthPx, b.HeightPx, len(b.Legend))
	}
	for i, c := range b.Colors {
		if c != rgba(SegmentColor(i)) || b.Legend[i].Label != segs[i].Label || b.Legend[i].Marker != MarkerBox {
			t.Errorf("segment %d colour %v legend %+v", i, c, b.Legend[i])
		}
	}
	img := render(t, b, "segment_boxes", b.WidthPx, b.HeightPx)
	for i := range segs {
		if !hasColor(img, lighten(rgba(SegmentColor(i)), 0.45)) {
			t.Errorf("box fill of segment %d not drawn", i)
		}
	}
	if _, err := NewBoxes(BoxesSpec{Segments: segs, Panels: []BoxPanel{{Title: "x", Boxes: panels[0].Boxes[:2]}}}); err == nil {
		t.Error("no error for a panel with too few boxes")
	}
}

func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   string
	}{
		{0, 72, "0 20 40 60"},
		{-1.3, 2.7, "-1 0 1 2"},
		{0, 12500, "0 2,500 5,000 7,500 10,000 12,500"},
		{0, 1, "0.0 0.2 0.4 0.6 0.8 1.0"},
		{0.31, 0.42, "0.325 0.350 0.375 0.400"},
		{0, 3000, "0 1000 2000 3000"},
		{-2.5, 4.1, "-2 0 2 4"},
	} {
		var got []string
		for _, tk := range NiceTicks(tc.lo, tc.hi, 6) {
			got = append(got, tk.Label)
		}
		if strings.Join(got, " ") != tc.want {
			t.Errorf("NiceTicks(%g, %g) = %q, want %q", tc.lo, tc.hi, strings.Join(got, " "), tc.want)
		}
	}
}

func TestThousandsAndPercent(t *testing.T) {
	for v, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", -1234567: "-1,234,567", 50000: "50,000"} {
		if got := Thousands(v); got != want {
			t.Errorf("Thousands(%d) = %q", v, got)
		}
	}
	for v, want := range map[float64]string{0.331: "33.1%", 0.0042: "0.42%", 0: "0.0%", 1: "100.0%", math.NaN(): NaNText} {
		if got := Percent(v); got != want {
			t.Errorf("Percent(%g) = %q, want %q", v, got, want)
		}
	}
}
