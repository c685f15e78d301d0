package plotkit

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Default segment figure size in pixels (scatter and PCA plots).
const (
	DefaultFigureWidthPx  = 720
	DefaultFigureHeightPx = 520
)

// ScatterSeries is one segment's points.
type ScatterSeries struct {
	Segment int    // segment index: its colour is SegmentColor(Segment)
	Label   string // legend text
	X, Y    []float64
	// Order, when set (one value per point, e.g. the row number), makes the
	// points of all series be drawn in increasing Order, so that no segment
	// hides under the ones drawn after it. Without it series are drawn one
	// after the other.
	Order []int
}

// Centroid is a segment centre marked on a scatter plot.
type Centroid struct {
	Segment int
	X, Y    float64
}

// ScatterSpec describes a scatter plot of points coloured by segment.
type ScatterSpec struct {
	Title   string
	Caption string // grey line under the title, e.g. the sample size
	XLabel  string
	YLabel  string
	Series  []ScatterSeries
	// Centroids are drawn as black ✕ marks on top of the points.
	Centroids []Centroid

	WidthPx, HeightPx int // default DefaultFigureWidthPx × DefaultFigureHeightPx
}

// Scatter is a resolved scatter plot: everything it shows, ready to draw.
type Scatter struct {
	Title, Caption, XLabel, YLabel string

	// Series are drawn in order (later ones on top); each has its
	// segment's colour.
	Series []ScatterSeriesDrawn
	// Centroids are drawn last, as black ✕ marks.
	Centroids []Centroid
	// Legend lists every series (with its point count when sampled) and
	// the centroid mark.
	Legend []LegendEntry

	// PointRadius and PointAlpha depend on the number of points: large
	// clouds get smaller, more transparent dots so density stays visible.
	PointRadius vg.Length
	PointAlpha  uint8

	// XRange and YRange are the axis limits (data range plus 4 %).
	XRange, YRange [2]float64

	WidthPx, HeightPx int
}

// ScatterSeriesDrawn is a series as drawn.
type ScatterSeriesDrawn struct {
	Segment int
	Label   string
	Color   color.RGBA // SegmentColor(Segment), opaque
	X, Y    []float64
	Order   []int
}

// Points returns the number of points drawn.
func (s *Scatter) Points() int {
	n := 0
	for _, sr := range s.Series {
		n += len(sr.X)
	}
	return n
}

// NewScatter validates spec and resolves it. spec is not modified; the
// point slices are shared, not copied.
func NewScatter(spec ScatterSpec) (*Scatter, error) {
	w, h := spec.WidthPx, spec.HeightPx
	if w == 0 && h == 0 {
		w, h = DefaultFigureWidthPx, DefaultFigureHeightPx
	}
	if err := checkSize(w, h); err != nil {
		return nil, err
	}
	if len(spec.Series) == 0 {
		return nil, fmt.Errorf("scatter %q has no series", spec.Title)
	}
	s := &Scatter{
		Title: spec.Title, Caption: spec.Caption, XLabel: spec.XLabel, YLabel: spec.YLabel,
		Centroids: append([]Centroid(nil), spec.Centroids...),
		WidthPx:   w, HeightPx: h,
	}
	xlo, xhi := math.Inf(1), math.Inf(-1)
	ylo, yhi := math.Inf(1), math.Inf(-1)
	grow := func(x, y float64) {
		xlo, xhi = math.Min(xlo, x), math.Max(xhi, x)
		ylo, yhi = math.Min(ylo, y), math.Max(yhi, y)
	}
	n := 0
	for i, sr := range spec.Series {
		if len(sr.X) != len(sr.Y) {
			return nil, fmt.Errorf("scatter series %d (%s) has %d x and %d y values", i, sr.Label, len(sr.X), len(sr.Y))
		}
		if sr.Order != nil && len(sr.Order) != len(sr.X) {
			return nil, fmt.Errorf("scatter series %d (%s) has %d points but %d order values", i, sr.Label, len(sr.X), len(sr.Order))
		}
		for j := range sr.X {
			if !finite(sr.X[j]) || !finite(sr.Y[j]) {
				return nil, fmt.Errorf("scatter series %d (%s) point %d is not finite (%g, %g)", i, sr.Label, j, sr.X[j], sr.Y[j])
			}
			grow(sr.X[j], sr.Y[j])
		}
		n += len(sr.X)
		s.Series = append(s.Series, ScatterSeriesDrawn{
			Segment: sr.Segment, Label: sr.Label, Color: rgba(SegmentColor(sr.Segment)), X: sr.X, Y: sr.Y, Order: sr.Order,
		})
		s.Legend = append(s.Legend, LegendEntry{Label: sr.Label, Color: rgba(SegmentColor(sr.Segment)), Marker: MarkerDot})
	}
	for i, c := range s.Centroids {
		if !finite(c.X) || !finite(c.Y) {
			return nil, fmt.Errorf("centroid %d is not finite (%g, %g)", i, c.X, c.Y)
		}
		grow(c.X, c.Y)
	}
	if len(s.Centroids) > 0 {
		s.Legend = append(s.Legend, LegendEntry{Label: "Centroid", Color: rgba(color.Black), Marker: MarkerCross})
	}
	if n == 0 && len(s.Centroids) == 0 {
		xlo, xhi, ylo, yhi = 0, 1, 0, 1
	}
	s.XRange[0], s.XRange[1] = paddedRange(xlo, xhi, 0.04)
	s.YRange[0], s.YRange[1] = paddedRange(ylo, yhi, 0.04)
	s.PointRadius, s.PointAlpha = pointStyle(n)
	return s, nil
}

// pointStyle returns the dot radius (points) and alpha for n points.
func pointStyle(n int) (vg.Length, uint8) {
	switch {
	case n <= 1000:
		return 2.4, 200
	case n <= 5000:
		return 1.9, 150
	case n <= 20000:
		return 1.5, 110
	default:
		return 1.2, 80
	}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

func rgba(c color.Color) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

// Draw renders the scatter plot on c.
func (s *Scatter) Draw(c draw.Canvas) {
	body := chrome{Title: s.Title, Caption: s.Caption, Legend: s.Legend}.draw(c)
	p := newBodyPlot(s.XLabel, s.YLabel, true, true)
	p.X.Min, p.X.Max = s.XRange[0], s.XRange[1]
	p.Y.Min, p.Y.Max = s.YRange[0], s.YRange[1]
	p.Add(&pointsPlotter{s: s})
	p.Draw(body)
}

// pointsPlotter draws the series and the centroids of a Scatter.
type pointsPlotter struct{ s *Scatter }

// DrawOrder returns the points in the order they are drawn, as (series,
// point) pairs: by Order when every series has one (ties by series), else
// series by series.
func (s *Scatter) DrawOrder() [][2]int {
	var out [][2]int
	ordered := len(s.Series) > 0
	for k, sr := range s.Series {
		ordered = ordered && (sr.Order != nil || len(sr.X) == 0)
		for i := range sr.X {
			out = append(out, [2]int{k, i})
		}
	}
	if ordered {
		sort.SliceStable(out, func(a, b int) bool {
			return s.Series[out[a][0]].Order[out[a][1]] < s.Series[out[b][0]].Order[out[b][1]]
		})
	}
	return out
}

func (pp *pointsPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	styles := make([]draw.GlyphStyle, len(pp.s.Series))
	for k, sr := range pp.s.Series {
		clr := color.NRGBA{sr.Color.R, sr.Color.G, sr.Color.B, pp.s.PointAlpha}
		styles[k] = draw.GlyphStyle{Color: clr, Radius: pp.s.PointRadius, Shape: draw.CircleGlyph{}}
	}
	for _, ki := range pp.s.DrawOrder() {
		sr := &pp.s.Series[ki[0]]
		c.DrawGlyphNoClip(styles[ki[0]], vg.Point{X: trX(sr.X[ki[1]]), Y: trY(sr.Y[ki[1]])})
	}
	for _, ct := range pp.s.Centroids {
		drawCross(c, vg.Point{X: trX(ct.X), Y: trY(ct.Y)}, 9)
	}
}
