package plotkit

import (
	"image/color"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The segment figures (scatter, bars, box plots, z-score heatmap) share a
// frame drawn here: a centred title, an optional grey caption line under it
// (e.g. "sample of 50,000 of 1,000,000 points"), an optional legend column
// on the right, and the body in the remaining space.

// CaptionColor is the colour of captions and secondary text.
var CaptionColor = color.RGBA{0x59, 0x59, 0x59, 0xff}

// CaptionSize is the font size of captions.
const CaptionSize = vg.Length(8.5)

// Marker shapes of legend entries.
const (
	MarkerDot   = "dot"   // filled circle (scatter points)
	MarkerCross = "cross" // black ✕ with a white halo (centroids)
	MarkerBox   = "box"   // filled square (bars, boxes)
)

// LegendEntry is one line of a figure's legend.
type LegendEntry struct {
	Label  string
	Color  color.RGBA
	Marker string // MarkerDot, MarkerCross or MarkerBox
}

// chrome is the frame of a figure.
type chrome struct {
	Title   string
	Caption string
	Legend  []LegendEntry
}

const (
	legendSwatch = vg.Length(7)  // marker size in the legend
	legendGap    = vg.Length(5)  // between marker and text
	legendPad    = vg.Length(12) // between body and legend
	legendRow    = vg.Length(15) // line height of legend entries
	// legendMaxChars: longer legend labels are shortened with "…".
	legendMaxChars = 30
)

// legendLabels returns the entries' labels as displayed.
func legendLabels(entries []LegendEntry) []string {
	labels := make([]string, len(entries))
	for i, e := range entries {
		labels[i] = e.Label
	}
	shown, _ := ShortenLabels(labels, legendMaxChars)
	return shown
}

// draw fills the background, draws the title, caption and legend, and
// returns the canvas left for the body.
func (ch chrome) draw(c draw.Canvas) draw.Canvas {
	c.SetColor(Background)
	c.Fill(c.Rectangle.Path())
	body := draw.Crop(c, pad, -pad, pad, -pad)
	top := body.Max.Y
	if ch.Title != "" {
		sty := style(fitSize(ch.Title, TitleSize, body.Max.X-body.Min.X))
		sty.YAlign = draw.YTop
		c.FillText(sty, vg.Point{X: (body.Min.X + body.Max.X) / 2, Y: top}, ch.Title)
		top -= textHeight(sty) + 2
	}
	if ch.Caption != "" {
		sty := TextStyle(fitSize(ch.Caption, CaptionSize, body.Max.X-body.Min.X), CaptionColor)
		sty.YAlign = draw.YTop
		c.FillText(sty, vg.Point{X: (body.Min.X + body.Max.X) / 2, Y: top}, ch.Caption)
		top -= textHeight(sty)
	}
	if ch.Title != "" || ch.Caption != "" {
		top -= 6
	}
	body.Max.Y = top
	if len(ch.Legend) == 0 {
		return body
	}
	sty := style(TickSize)
	sty.XAlign = draw.XLeft
	sty.YAlign = draw.YCenter
	labels := legendLabels(ch.Legend)
	w := legendSwatch + legendGap + maxWidth(sty, labels)
	x0 := body.Max.X - w
	y := body.Max.Y - legendRow/2
	for i, e := range ch.Legend {
		drawMarker(c, e.Marker, e.Color, vg.Point{X: x0 + legendSwatch/2, Y: y}, legendSwatch)
		fillCentered(c, sty, vg.Point{X: x0 + legendSwatch + legendGap, Y: y}, labels[i])
		y -= legendRow
	}
	body.Max.X = x0 - legendPad
	return body
}

// fitSize shrinks size (to no less than MinFont) until txt fits width.
func fitSize(txt string, size, width vg.Length) vg.Length {
	for size > MinFont && style(size).Width(txt) > width {
		size -= 0.5
	}
	return size
}

// drawMarker draws a legend or centroid marker of side size centred at p.
func drawMarker(c draw.Canvas, marker string, clr color.Color, p vg.Point, size vg.Length) {
	switch marker {
	case MarkerCross:
		drawCross(c, p, size)
	case MarkerBox:
		h := size / 2
		c.FillPolygon(clr, []vg.Point{{X: p.X - h, Y: p.Y - h}, {X: p.X + h, Y: p.Y - h}, {X: p.X + h, Y: p.Y + h}, {X: p.X - h, Y: p.Y + h}})
	default:
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: clr, Radius: size / 2, Shape: draw.CircleGlyph{}}, p)
	}
}

// drawCross draws a black ✕ of side size with a white halo, centred at p.
func drawCross(c draw.Canvas, p vg.Point, size vg.Length) {
	h := size / 2
	lines := [][]vg.Point{
		{{X: p.X - h, Y: p.Y - h}, {X: p.X + h, Y: p.Y + h}},
		{{X: p.X - h, Y: p.Y + h}, {X: p.X + h, Y: p.Y - h}},
	}
	c.StrokeLines(draw.LineStyle{Color: Background, Width: size / 2.2}, lines...)
	c.StrokeLines(draw.LineStyle{Color: color.Black, Width: size / 5}, lines...)
}

// niceTicker labels 4 to 8 evenly spaced ticks at round values (steps of
// 1, 2, 2.5 or 5 × 10^k), with thousands separators from 10,000 up.
type niceTicker struct{}

// Ticks implements plot.Ticker.
func (niceTicker) Ticks(lo, hi float64) []plot.Tick {
	return NiceTicks(lo, hi, 6)
}

// NiceTicks returns about target labelled ticks covering [lo, hi] at round
// values.
func NiceTicks(lo, hi float64, target int) []plot.Tick {
	if !(hi > lo) || !finite(lo) || !finite(hi) || target < 2 {
		return plot.DefaultTicks{}.Ticks(lo, hi)
	}
	raw := (hi - lo) / float64(target-1)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	decimals := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	if math.Abs(step/math.Pow(10, -float64(decimals))-math.Round(step/math.Pow(10, -float64(decimals)))) > 1e-6 {
		decimals++ // 2.5 × 10^k
	}
	var ticks []plot.Tick
	sep := math.Max(math.Abs(lo), math.Abs(hi)) >= 10000
	first := math.Ceil(lo/step-1e-9) * step
	for i := 0; i < 100; i++ {
		v := first + float64(i)*step
		if v > hi+step*1e-9 {
			break
		}
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ticks = append(ticks, plot.Tick{Value: v, Label: tickLabel(v, decimals, sep)})
	}
	return ticks
}

// tickLabel formats a tick value; sep adds thousands separators to whole
// numbers (used when the axis reaches 10,000, so all its labels agree).
func tickLabel(v float64, decimals int, sep bool) string {
	if sep && decimals == 0 && math.Abs(v) < 1e15 {
		return Thousands(int64(math.Round(v)))
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}

// Thousands formats an integer with comma thousands separators.
func Thousands(v int64) string {
	s := strconv.FormatInt(v, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// newBodyPlot returns a themed plot without title for a figure body, with
// thousands separators on both axes and light grid lines across the x axis
// (vertical lines) and/or the y axis (horizontal lines).
func newBodyPlot(xlabel, ylabel string, vgrid, hgrid bool) *plot.Plot {
	p := NewPlot("", xlabel, ylabel)
	p.X.Tick.Marker = niceTicker{}
	p.Y.Tick.Marker = niceTicker{}
	p.X.Padding, p.Y.Padding = 0, 0
	if vgrid || hgrid {
		g := Grid()
		if !vgrid {
			g.Vertical.Color = nil
		}
		if !hgrid {
			g.Horizontal.Color = nil
		}
		p.Add(g)
	}
	return p
}

// paddedRange returns [lo, hi] widened by frac of its span on both sides
// (a unit span around a single value).
func paddedRange(lo, hi, frac float64) (float64, float64) {
	if !(hi > lo) {
		return lo - 0.5, hi + 0.5
	}
	d := (hi - lo) * frac
	return lo - d, hi + d
}
