package plotkit

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BarsSpec describes the segment-size chart: one horizontal bar per
// segment, top to bottom in the given order, labelled with its count and
// share.
type BarsSpec struct {
	Title   string
	Caption string
	XLabel  string // e.g. "customers"
	Bars    []BarSpec
	// WidthPx × HeightPx; default DefaultFigureWidthPx × (110 + 44 per
	// bar, at least 260).
	WidthPx, HeightPx int
}

// BarSpec is one segment's bar.
type BarSpec struct {
	Segment int
	Label   string
	Count   int
}

// Bars is a resolved segment-size chart.
type Bars struct {
	Title, Caption, XLabel string
	Bars                   []Bar
	Total                  int
	XMax                   float64 // axis limit (room for the value labels)
	WidthPx, HeightPx      int
}

// Bar is one bar as drawn.
type Bar struct {
	Segment int
	Label   string // axis label (shortened to 30 characters)
	Count   int
	Share   float64    // Count / Total
	Color   color.RGBA // SegmentColor(Segment)
	Text    string     // "2,345 (33.3%)"
}

// NewBars validates spec and resolves it.
func NewBars(spec BarsSpec) (*Bars, error) {
	if len(spec.Bars) == 0 {
		return nil, fmt.Errorf("bar chart %q has no bars", spec.Title)
	}
	w, h := spec.WidthPx, spec.HeightPx
	if w == 0 && h == 0 {
		w, h = DefaultFigureWidthPx, max(260, 110+44*len(spec.Bars))
	}
	if err := checkSize(w, h); err != nil {
		return nil, err
	}
	b := &Bars{Title: spec.Title, Caption: spec.Caption, XLabel: spec.XLabel, WidthPx: w, HeightPx: h}
	labels := make([]string, len(spec.Bars))
	for i, s := range spec.Bars {
		if s.Count < 0 {
			return nil, fmt.Errorf("bar %q has a negative count %d", s.Label, s.Count)
		}
		b.Total += s.Count
		labels[i] = s.Label
	}
	shown, _ := ShortenLabels(labels, legendMaxChars)
	top := 0
	for i, s := range spec.Bars {
		share := 0.0
		if b.Total > 0 {
			share = float64(s.Count) / float64(b.Total)
		}
		b.Bars = append(b.Bars, Bar{
			Segment: s.Segment, Label: shown[i], Count: s.Count, Share: share,
			Color: rgba(SegmentColor(s.Segment)),
			Text:  fmt.Sprintf("%s (%s)", Thousands(int64(s.Count)), Percent(share)),
		})
		top = max(top, s.Count)
	}
	b.XMax = math.Max(1, float64(top)) * 1.28 // room for the labels
	return b, nil
}

// Percent formats a share as a percentage with one decimal ("33.3%"), or
// two below 1 % ("0.42%").
func Percent(share float64) string {
	if math.IsNaN(share) {
		return NaNText
	}
	p := share * 100
	if p != 0 && math.Abs(p) < 1 {
		return fmt.Sprintf("%.2f%%", p)
	}
	return fmt.Sprintf("%.1f%%", p)
}

// Draw renders the chart on c.
func (b *Bars) Draw(c draw.Canvas) {
	body := chrome{Title: b.Title, Caption: b.Caption}.draw(c)
	p := newBodyPlot(b.XLabel, "", true, false)
	p.X.Min, p.X.Max = 0, b.XMax
	k := len(b.Bars)
	names := make([]string, k)
	for i, bar := range b.Bars {
		names[k-1-i] = bar.Label // first bar on top
	}
	p.Y.Tick.Label.Font.Size = LabelSize
	p.NominalY(names...)
	p.Y.Min, p.Y.Max = -0.5, float64(k)-0.5
	p.X.Padding = 0
	p.Add(&barsPlotter{b: b})
	p.Draw(body)
}

type barsPlotter struct{ b *Bars }

func (bp *barsPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	k := len(bp.b.Bars)
	// Bar thickness: 62 % of the slot.
	slot := trY(1) - trY(0)
	half := slot * 0.31
	sty := style(TickSize)
	sty.XAlign = draw.XLeft
	for i, bar := range bp.b.Bars {
		y := trY(float64(k - 1 - i))
		x0, x1 := trX(0), trX(float64(bar.Count))
		c.FillPolygon(bar.Color, []vg.Point{{X: x0, Y: y - half}, {X: x1, Y: y - half}, {X: x1, Y: y + half}, {X: x0, Y: y + half}})
		fillCentered(c, sty, vg.Point{X: x1 + 5, Y: y}, bar.Text)
	}
}
