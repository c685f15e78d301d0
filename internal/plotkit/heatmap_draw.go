package plotkit

import (
	"math"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Layout constants, in points.
const (
	pad         = vg.Length(8)   // canvas margin
	labelGap    = vg.Length(4)   // between labels and the grid
	cbGap       = vg.Length(12)  // between the grid and the colour bar
	cbTick      = vg.Length(3)   // colour-bar tick length
	cbTickGap   = vg.Length(2)   // between tick and tick label
	titleGap    = vg.Length(8)   // between title and grid
	cellInset   = vg.Length(0.4) // white gap around each cell
	minCell     = vg.Length(4)
	barSlices   = 256
	xLabelAngle = math.Pi / 4
)

// HeatmapLayout is the geometry of a heatmap drawn on a canvas, in points
// relative to the canvas' lower-left corner.
type HeatmapLayout struct {
	Size     vg.Point     // canvas size
	Grid     vg.Rectangle // the cells
	Cell     vg.Length    // side of a (square) cell
	ColorBar vg.Rectangle

	TitleSize, LabelSize, AnnotSize, TickSize vg.Length
	XLabelAngle                               float64 // radians; 0 or π/4

	// Bounding boxes of the drawn texts.
	Title        vg.Rectangle
	XLabels      []vg.Rectangle
	YLabels      []vg.Rectangle
	TickLabels   []vg.Rectangle
	Annotations  [][]vg.Rectangle // zero rectangle for masked cells
	titleAnchor  vg.Point
	xLabelAnchor []vg.Point
	yLabelAnchor []vg.Point
	tickAnchor   []vg.Point
}

func style(size vg.Length) text.Style { return TextStyle(size, TextColor) }

func maxWidth(sty text.Style, texts []string) vg.Length {
	var w vg.Length
	for _, t := range texts {
		w = max(w, sty.Width(t))
	}
	return w
}

// textHeight is the height of one line of text in sty's font.
func textHeight(sty text.Style) vg.Length {
	e := sty.FontExtents()
	return e.Ascent + e.Descent
}

// Layout computes where everything goes on a canvas of w×h points. Font
// sizes shrink (down to MinFont) until labels do not overlap and
// annotations fit inside their cells.
func (h *Heatmap) Layout(w, ht vg.Length) HeatmapLayout {
	k := len(h.XLabels)
	L := HeatmapLayout{Size: vg.Point{X: w, Y: ht}}
	// Theme sizes are tuned for 512 px (384 pt); larger figures scale
	// text up to 1.5×.
	scale := max(1, min(1.5, min(w, ht)/384))

	// Title: shrink to fit the width.
	L.TitleSize = TitleSize * scale
	for h.Title != "" && L.TitleSize > 8 && style(L.TitleSize).Width(h.Title) > w-2*pad {
		L.TitleSize -= 0.5
	}
	var titleH vg.Length
	if h.Title != "" {
		titleH = textHeight(style(L.TitleSize)) + titleGap
	}

	L.TickSize = 8.5 * scale
	cbW := vg.Length(10)
	cbRight := cbGap + cbW + cbTick + cbTickGap + maxWidth(style(L.TickSize), h.ColorBarLabels)
	fit := h.fitLabels(w, ht, scale, titleH, cbRight)
	L.LabelSize, L.XLabelAngle, L.Cell = fit.size, fit.angle, fit.cell
	gridW := fit.cell * vg.Length(k)

	// Centre the block horizontally, and title+grid+labels vertically.
	blockW := fit.left + gridW + cbRight
	x0 := (w-blockW)/2 + fit.left
	blockH := titleH + gridW + fit.bottom
	yTop := ht - (ht-blockH)/2 - titleH // top of the grid
	L.Grid = vg.Rectangle{
		Min: vg.Point{X: x0, Y: yTop - gridW},
		Max: vg.Point{X: x0 + gridW, Y: yTop},
	}
	L.ColorBar = vg.Rectangle{
		Min: vg.Point{X: L.Grid.Max.X + cbGap, Y: L.Grid.Min.Y},
		Max: vg.Point{X: L.Grid.Max.X + cbGap + cbW, Y: L.Grid.Max.Y},
	}
	h.placeTexts(&L)
	h.fitAnnotations(&L, scale)
	return L
}

// labelFit is the label size found by fitLabels and the grid it leaves.
type labelFit struct {
	size               vg.Length // label font size
	angle              float64   // x-label rotation: 0 or xLabelAngle
	cell, left, bottom vg.Length
}

// fitLabels tries label sizes from TickSize down and takes the largest
// that keeps neighbouring labels apart, rotating the x labels when they do
// not fit under their cells; it returns that size and the square cell, left
// margin (y labels) and bottom margin (x labels) it leaves.
func (h *Heatmap) fitLabels(w, ht vg.Length, scale, titleH, cbRight vg.Length) labelFit {
	k := len(h.XLabels)
	for size := TickSize * scale; ; size -= 0.5 {
		sty := style(size)
		lw := maxWidth(sty, h.YLabels)
		lh := textHeight(sty)
		xw := maxWidth(sty, h.XLabels)
		solve := func(angle float64, leftExtra vg.Length) (c, l, b vg.Length) {
			l = lw + labelGap + leftExtra
			if angle == 0 {
				b = lh + labelGap
			} else {
				sin, cos := vg.Length(math.Sin(angle)), vg.Length(math.Cos(angle))
				b = xw*sin + lh*cos/2 + labelGap
			}
			availW := w - 2*pad - l - cbRight
			availH := ht - 2*pad - titleH - b
			c = max(min(availW, availH)/vg.Length(k), minCell)
			return c, l, b
		}
		angle := 0.0
		c, l, b := solve(angle, 0)
		if xw > 0.9*c {
			angle = xLabelAngle
			c, l, b = solve(angle, 0)
			// The first rotated labels reach left of the grid; make room.
			var extra vg.Length
			cos := vg.Length(math.Cos(angle))
			for j, t := range h.XLabels {
				reach := sty.Width(t)*cos + lh/2 - (vg.Length(j)+0.5)*c
				extra = max(extra, reach-l+pad/2)
			}
			if extra > 0 {
				c, l, b = solve(angle, extra)
			}
		}
		fits := c >= 1.1*lh // rows of y labels
		if angle != 0 {
			fits = fits && c*vg.Length(math.Sin(angle)) >= 1.05*lh
		}
		if fits || size <= MinFont {
			return labelFit{size: size, angle: angle, cell: c, left: l, bottom: b}
		}
	}
}

// placeTexts places the title above the grid, the y labels left of it, the
// x labels below it and the colour bar's tick labels right of the bar.
func (h *Heatmap) placeTexts(L *HeatmapLayout) {
	w, cell := L.Size.X, L.Cell
	if h.Title != "" {
		sty := style(L.TitleSize)
		sty.YAlign = draw.YBottom
		tx := (L.Grid.Min.X + L.Grid.Max.X) / 2
		half := sty.Width(h.Title) / 2
		tx = max(min(tx, w-pad-half), pad+half)
		L.titleAnchor = vg.Point{X: tx, Y: L.Grid.Max.Y + titleGap}
		L.Title = shift(sty.Rectangle(h.Title), L.titleAnchor)
	}

	lsty := style(L.LabelSize)
	ysty := lsty
	ysty.XAlign = draw.XRight
	for i, t := range h.YLabels {
		p := vg.Point{X: L.Grid.Min.X - labelGap, Y: L.Grid.Max.Y - (vg.Length(i)+0.5)*cell}
		L.yLabelAnchor = append(L.yLabelAnchor, p)
		L.YLabels = append(L.YLabels, shift(ysty.Rectangle(t), p))
	}
	xsty := h.xLabelStyle(*L)
	for j, t := range h.XLabels {
		p := vg.Point{X: L.Grid.Min.X + (vg.Length(j)+0.5)*cell, Y: L.Grid.Min.Y - labelGap}
		L.xLabelAnchor = append(L.xLabelAnchor, p)
		L.XLabels = append(L.XLabels, shift(xsty.Rectangle(t), p))
	}

	tsty := style(L.TickSize)
	tsty.XAlign = draw.XLeft
	for i, v := range h.ColorBarTicks {
		y := L.ColorBar.Min.Y + vg.Length((v+1)/2)*(L.ColorBar.Max.Y-L.ColorBar.Min.Y)
		p := vg.Point{X: L.ColorBar.Max.X + cbTick + cbTickGap, Y: y}
		L.tickAnchor = append(L.tickAnchor, p)
		L.TickLabels = append(L.TickLabels, shift(tsty.Rectangle(h.ColorBarLabels[i]), p))
	}
}

// fitAnnotations takes the largest annotation size that fits every cell's
// text in its cell — starting from a size proportional to the cell (at
// least the theme's, at most 13 pt) — and places the texts.
func (h *Heatmap) fitAnnotations(L *HeatmapLayout, scale vg.Length) {
	k, cell := len(h.XLabels), L.Cell
	var texts []string
	for _, row := range h.Cells {
		for _, c := range row {
			if !c.Masked {
				texts = append(texts, c.Text)
			}
		}
	}
	L.AnnotSize = min(13, max(AnnotSize*scale, 0.25*cell))
	for L.AnnotSize > MinFont-1 {
		sty := style(L.AnnotSize)
		if maxWidth(sty, texts) <= 0.86*(cell-2*cellInset) && textHeight(sty) <= 0.8*cell {
			break
		}
		L.AnnotSize -= 0.25
	}
	asty := style(L.AnnotSize)
	L.Annotations = make([][]vg.Rectangle, k)
	for i, row := range h.Cells {
		L.Annotations[i] = make([]vg.Rectangle, k)
		for j, c := range row {
			if c.Masked {
				continue
			}
			ctr := L.cellCenter(i, j)
			wd := asty.Width(c.Text)
			capH := capHeight(L.AnnotSize)
			L.Annotations[i][j] = vg.Rectangle{
				Min: vg.Point{X: ctr.X - wd/2, Y: ctr.Y - capH/2},
				Max: vg.Point{X: ctr.X + wd/2, Y: ctr.Y + capH/2},
			}
		}
	}
}

func (h *Heatmap) xLabelStyle(L HeatmapLayout) text.Style {
	sty := style(L.LabelSize)
	if L.XLabelAngle == 0 {
		sty.YAlign = draw.YTop
		return sty
	}
	sty.Rotation = L.XLabelAngle
	sty.XAlign = draw.XRight
	sty.YAlign = draw.YCenter
	return sty
}

func (L *HeatmapLayout) cellCenter(i, j int) vg.Point {
	return vg.Point{
		X: L.Grid.Min.X + (vg.Length(j)+0.5)*L.Cell,
		Y: L.Grid.Max.Y - (vg.Length(i)+0.5)*L.Cell,
	}
}

func shift(r vg.Rectangle, p vg.Point) vg.Rectangle {
	return vg.Rectangle{Min: r.Min.Add(p), Max: r.Max.Add(p)}
}

// capRatio is Liberation Sans' cap height per em, used to centre digits
// vertically (the font's ascent includes accent room, so YCenter sits the
// digits visibly low).
var capRatio = func() float64 {
	const fallback = 0.7
	face := plot.DefaultTextHandler.Cache().Lookup(Font, 12)
	var buf sfnt.Buffer
	upem := face.Face.UnitsPerEm()
	m, err := face.Face.Metrics(&buf, fixed.Int26_6(upem), 0)
	if err != nil || m.CapHeight <= 0 {
		return fallback
	}
	return float64(m.CapHeight) / float64(upem)
}()

func capHeight(size vg.Length) vg.Length { return size * vg.Length(capRatio) }

// fillCentered draws one line of txt with its horizontal centre and its
// cap-height centre at p.
func fillCentered(c draw.Canvas, sty text.Style, p vg.Point, txt string) {
	// text.Plain puts the baseline at anchor − ascent + size for YBottom.
	sty.YAlign = draw.YBottom
	ext := sty.FontExtents()
	baseline := p.Y - capHeight(sty.Font.Size)/2
	c.FillText(sty, vg.Point{X: p.X, Y: baseline + ext.Ascent - sty.Font.Size}, txt)
}

// Draw renders the heatmap on c, scaled to c's size.
func (h *Heatmap) Draw(c draw.Canvas) {
	size := c.Rectangle.Size()
	L := h.Layout(size.X, size.Y)
	o := c.Rectangle.Min
	at := func(p vg.Point) vg.Point { return p.Add(o) }

	c.SetColor(Background)
	c.Fill(c.Rectangle.Path())

	for i, row := range h.Cells {
		for j, cell := range row {
			if cell.Masked {
				continue
			}
			ctr := at(L.cellCenter(i, j))
			half := L.Cell/2 - cellInset
			c.FillPolygon(cell.Fill, []vg.Point{
				{X: ctr.X - half, Y: ctr.Y - half}, {X: ctr.X + half, Y: ctr.Y - half},
				{X: ctr.X + half, Y: ctr.Y + half}, {X: ctr.X - half, Y: ctr.Y + half},
			})
			sty := style(L.AnnotSize)
			sty.Color = cell.TextColor
			fillCentered(c, sty, ctr, cell.Text)
		}
	}

	if h.Title != "" {
		sty := style(L.TitleSize)
		sty.YAlign = draw.YBottom
		c.FillText(sty, at(L.titleAnchor), h.Title)
	}
	ysty := style(L.LabelSize)
	ysty.XAlign = draw.XRight
	for i, t := range h.YLabels {
		c.FillText(ysty, at(L.yLabelAnchor[i]), t)
	}
	xsty := h.xLabelStyle(L)
	for j, t := range h.XLabels {
		c.FillText(xsty, at(L.xLabelAnchor[j]), t)
	}

	// Colour bar: thin overlapping slices (no seams), outline and ticks.
	cb := L.ColorBar
	cbH := cb.Max.Y - cb.Min.Y
	for s := range barSlices {
		y0 := cb.Min.Y + cbH*vg.Length(s)/barSlices
		y1 := cb.Min.Y + cbH*vg.Length(s+1)/barSlices
		if s < barSlices-1 {
			y1 += cbH / barSlices / 2
		}
		v := -1 + 2*(float64(s)+0.5)/barSlices
		c.FillPolygon(h.Palette.At(v), []vg.Point{
			at(vg.Point{X: cb.Min.X, Y: y0}), at(vg.Point{X: cb.Max.X, Y: y0}),
			at(vg.Point{X: cb.Max.X, Y: y1}), at(vg.Point{X: cb.Min.X, Y: y1}),
		})
	}
	line := draw.LineStyle{Color: AxisColor, Width: vg.Points(0.5)}
	c.StrokeLines(line, []vg.Point{
		at(cb.Min), at(vg.Point{X: cb.Max.X, Y: cb.Min.Y}), at(cb.Max),
		at(vg.Point{X: cb.Min.X, Y: cb.Max.Y}), at(cb.Min),
	})
	tsty := style(L.TickSize)
	tsty.XAlign = draw.XLeft
	for i, p := range L.tickAnchor {
		c.StrokeLine2(line, at(vg.Point{X: cb.Max.X, Y: p.Y}).X, at(p).Y, at(vg.Point{X: cb.Max.X + cbTick, Y: p.Y}).X, at(p).Y)
		fillCentered(c, tsty, at(p), h.ColorBarLabels[i])
	}
}
