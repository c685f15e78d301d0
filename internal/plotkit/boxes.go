package plotkit

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BoxStats summarise one segment's values of one feature.
type BoxStats struct {
	N      int     // values behind the box
	Q1     float64 // 25 % quantile
	Median float64
	Q3     float64 // 75 % quantile
	Mean   float64
	// Low and High are the whisker ends (see Whiskers).
	Low, High float64
}

// Whiskers returns Tukey's whisker ends for values with quartiles q1 and
// q3: the smallest value ≥ q1 − 1.5·IQR and the largest value ≤ q3 +
// 1.5·IQR. NaN values are skipped; it returns NaN, NaN when no value is
// left. values is not modified.
func Whiskers(values []float64, q1, q3 float64) (lo, hi float64) {
	iqr := q3 - q1
	loFence, hiFence := q1-1.5*iqr, q3+1.5*iqr
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range values {
		if math.IsNaN(v) {
			continue
		}
		if v >= loFence && v < lo {
			lo = v
		}
		if v <= hiFence && v > hi {
			hi = v
		}
	}
	if math.IsInf(lo, 1) || math.IsInf(hi, -1) {
		return math.NaN(), math.NaN()
	}
	return lo, hi
}

// BoxesSpec describes box plots of features by segment as small multiples:
// one panel per feature, one box per segment in each panel.
type BoxesSpec struct {
	Title   string
	Caption string
	Panels  []BoxPanel
	// Segments lists the segments (index and legend label), in the order
	// of the boxes in every panel.
	Segments []BoxSegment
	// WidthPx × HeightPx; default from the number of panels (about 300 ×
	// 250 px per panel plus the legend).
	WidthPx, HeightPx int
}

// BoxSegment names a segment of a box plot.
type BoxSegment struct {
	Segment int    // segment index (colour)
	Tick    string // short label under its box, e.g. "1"
	Label   string // legend label
}

// BoxPanel is one feature's panel.
type BoxPanel struct {
	Title string     // the feature
	Boxes []BoxStats // one per segment, aligned with BoxesSpec.Segments
}

// Boxes is resolved small-multiple box plots.
type Boxes struct {
	Title, Caption    string
	Segments          []BoxSegment
	Colors            []color.RGBA // per segment: SegmentColor
	Panels            []BoxPanel
	Cols, Rows        int // panel grid
	Legend            []LegendEntry
	WidthPx, HeightPx int
}

// boxGrid returns the number of panel columns and rows for n panels.
func boxGrid(n int) (cols, rows int) {
	switch {
	case n <= 3:
		cols = n
	case n == 4:
		cols = 2
	case n <= 9:
		cols = 3
	default:
		cols = 4
	}
	return cols, (n + cols - 1) / cols
}

// NewBoxes validates spec and resolves it.
func NewBoxes(spec BoxesSpec) (*Boxes, error) {
	if len(spec.Panels) == 0 || len(spec.Segments) == 0 {
		return nil, fmt.Errorf("box plots need at least one panel and one segment, got %d and %d", len(spec.Panels), len(spec.Segments))
	}
	for _, p := range spec.Panels {
		if len(p.Boxes) != len(spec.Segments) {
			return nil, fmt.Errorf("box panel %q has %d boxes for %d segments", p.Title, len(p.Boxes), len(spec.Segments))
		}
	}
	b := &Boxes{Title: spec.Title, Caption: spec.Caption, Segments: append([]BoxSegment(nil), spec.Segments...), Panels: spec.Panels}
	b.Cols, b.Rows = boxGrid(len(spec.Panels))
	for _, s := range spec.Segments {
		c := rgba(SegmentColor(s.Segment))
		b.Colors = append(b.Colors, c)
		b.Legend = append(b.Legend, LegendEntry{Label: s.Label, Color: c, Marker: MarkerBox})
	}
	w, h := spec.WidthPx, spec.HeightPx
	if w == 0 && h == 0 {
		w = min(1600, 300*b.Cols+200)
		h = min(1600, 250*b.Rows+70)
	}
	if err := checkSize(w, h); err != nil {
		return nil, err
	}
	b.WidthPx, b.HeightPx = w, h
	return b, nil
}

// Draw renders the panels on c.
func (b *Boxes) Draw(c draw.Canvas) {
	body := chrome{Title: b.Title, Caption: b.Caption, Legend: b.Legend}.draw(c)
	plots := make([][]*plot.Plot, b.Rows)
	for r := range plots {
		plots[r] = make([]*plot.Plot, b.Cols)
	}
	ticks := make([]string, len(b.Segments))
	for i, s := range b.Segments {
		ticks[i] = s.Tick
	}
	for i, panel := range b.Panels {
		p := newBodyPlot("", "", false, true)
		p.Title.Text = panel.Title
		p.Title.TextStyle.Font = font.From(Font, LabelSize)
		p.Title.Padding = vg.Points(4)
		p.NominalX(ticks...)
		p.X.Min, p.X.Max = -0.6, float64(len(ticks))-0.4
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, bx := range panel.Boxes {
			for _, v := range []float64{bx.Low, bx.High, bx.Q1, bx.Q3, bx.Mean} {
				if finite(v) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
		if math.IsInf(lo, 1) {
			lo, hi = 0, 1
		}
		p.Y.Min, p.Y.Max = paddedRange(lo, hi, 0.06)
		p.Add(&boxPlotter{b: b, panel: panel})
		plots[i/b.Cols][i%b.Cols] = p
	}
	tiles := draw.Tiles{Rows: b.Rows, Cols: b.Cols, PadX: vg.Points(14), PadY: vg.Points(12)}
	canvases := plot.Align(plots, tiles, body)
	for r, row := range plots {
		for col, p := range row {
			if p != nil {
				p.Draw(canvases[r][col])
			}
		}
	}
}

type boxPlotter struct {
	b     *Boxes
	panel BoxPanel
}

// lighten mixes c with white: t = 0 keeps c, t = 1 gives white.
func lighten(c color.RGBA, t float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(math.Round(float64(v) + (255-float64(v))*t)) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 0xff}
}

// darken scales c towards black: t = 0 keeps c, t = 1 gives black.
func darken(c color.RGBA, t float64) color.RGBA {
	mix := func(v uint8) uint8 { return uint8(math.Round(float64(v) * (1 - t))) }
	return color.RGBA{mix(c.R), mix(c.G), mix(c.B), 0xff}
}

func (bp *boxPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	half := (trX(1) - trX(0)) * 0.3
	for i, bx := range bp.panel.Boxes {
		if bx.N == 0 || !finite(bx.Q1) || !finite(bx.Q3) {
			continue
		}
		clr := bp.b.Colors[i]
		x := trX(float64(i))
		q1, q3, med := trY(bx.Q1), trY(bx.Q3), trY(bx.Median)
		edge := draw.LineStyle{Color: darken(clr, 0.25), Width: vg.Points(1)}
		if finite(bx.Low) && finite(bx.High) {
			lo, hi := trY(bx.Low), trY(bx.High)
			c.StrokeLine2(edge, x, q1, x, lo)
			c.StrokeLine2(edge, x, q3, x, hi)
			c.StrokeLine2(edge, x-half/2, lo, x+half/2, lo)
			c.StrokeLine2(edge, x-half/2, hi, x+half/2, hi)
		}
		box := []vg.Point{{X: x - half, Y: q1}, {X: x + half, Y: q1}, {X: x + half, Y: q3}, {X: x - half, Y: q3}}
		c.FillPolygon(lighten(clr, 0.45), box)
		c.StrokeLines(edge, append(box, box[0]))
		c.StrokeLine2(draw.LineStyle{Color: darken(clr, 0.55), Width: vg.Points(2)}, x-half, med, x+half, med)
		if finite(bx.Mean) {
			pt := vg.Point{X: x, Y: trY(bx.Mean)}
			c.DrawGlyphNoClip(draw.GlyphStyle{Color: Background, Radius: 2.6, Shape: draw.CircleGlyph{}}, pt)
			c.DrawGlyphNoClip(draw.GlyphStyle{Color: TextColor, Radius: 2.6, Shape: draw.RingGlyph{}}, pt)
		}
	}
}
