package plotkit

import (
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// ZHeatmapSpec describes a segment × feature heatmap of z-scores: rows are
// segments, columns are features, each cell is (segment mean − overall
// mean) / overall std, coloured by a diverging palette centred on 0.
type ZHeatmapSpec struct {
	Title   string
	Caption string
	// Rows are the segments, top to bottom.
	Rows []ZRow
	// Columns are the feature names, left to right.
	Columns []string
	// Format of the annotations (see FormatValue); default "+.1f".
	Format string
	// Palette (see ParsePalette); default "blue-white-red", the EDA
	// heatmap's default.
	Palette string
	// Limit is the |z| mapped to the palette's ends (larger values
	// saturate); 0 means automatic: the largest finite |z| rounded up to a
	// multiple of 0.5, at least 1.
	Limit float64
	// MaxLabelChars shortens column labels (see ShortenLabels); 0 means 30.
	// Labels wider than their column are wrapped onto two lines at a
	// space, or rotated 45° when that is not enough.
	MaxLabelChars int

	// WidthPx × HeightPx; default from the number of rows and columns.
	WidthPx, HeightPx int
}

// ZRow is one segment's row.
type ZRow struct {
	Segment int    // segment index: the colour of the swatch by its label
	Label   string // row label
	Values  []float64
}

// ZHeatmap is a resolved z-score heatmap.
type ZHeatmap struct {
	Title, Caption string
	RowLabels      []string // displayed row labels, top to bottom
	RowSegments    []int    // segment index of each row (swatch colour)
	ColLabels      []string // displayed (possibly shortened) column labels
	FullLabels     map[string]string
	Cells          [][]Cell   // Cells[i][j]: row i, column j
	Palette        *Diverging // applied to value / Limit
	Limit          float64
	ColorBarTicks  []float64 // in z units
	ColorBarLabels []string
	Format         string
	WidthPx        int
	HeightPx       int
}

// DefaultZFormat is the default annotation format of z-score heatmaps.
const DefaultZFormat = "+.1f"

// NewZHeatmap validates spec and resolves it. spec is not modified.
func NewZHeatmap(spec ZHeatmapSpec) (*ZHeatmap, error) {
	k, d := len(spec.Rows), len(spec.Columns)
	if k == 0 || d == 0 {
		return nil, fmt.Errorf("z heatmap needs at least one row and one column, got %d×%d", k, d)
	}
	format := spec.Format
	if format == "" {
		format = DefaultZFormat
	}
	nf, err := parseFormat(format)
	if err != nil {
		return nil, err
	}
	pal, err := ParsePalette(spec.Palette)
	if err != nil {
		return nil, err
	}
	if spec.Limit < 0 || math.IsNaN(spec.Limit) || math.IsInf(spec.Limit, 0) {
		return nil, fmt.Errorf("z heatmap limit %g must be 0 (automatic) or positive", spec.Limit)
	}
	limit := spec.Limit
	if limit == 0 {
		top := 0.0
		for _, r := range spec.Rows {
			for _, v := range r.Values {
				if finite(v) {
					top = math.Max(top, math.Abs(v))
				}
			}
		}
		limit = math.Max(1, math.Ceil(top*2-1e-9)/2)
	}
	w, h := spec.WidthPx, spec.HeightPx
	if w == 0 && h == 0 {
		w = min(1600, max(560, 300+92*d))
		h = min(1400, max(300, 190+50*k))
	}
	if err := checkSize(w, h); err != nil {
		return nil, err
	}
	maxChars := spec.MaxLabelChars
	if maxChars == 0 {
		maxChars = 30
	}
	cols, full := ShortenLabels(spec.Columns, maxChars)
	z := &ZHeatmap{
		Title: spec.Title, Caption: spec.Caption,
		ColLabels: cols, FullLabels: full,
		Palette: pal, Limit: limit, Format: format, WidthPx: w, HeightPx: h,
	}
	rowLabels := make([]string, k)
	for i, r := range spec.Rows {
		rowLabels[i] = r.Label
	}
	z.RowLabels, _ = ShortenLabels(rowLabels, legendMaxChars)
	for i, r := range spec.Rows {
		if len(r.Values) != d {
			return nil, fmt.Errorf("z heatmap row %d (%s) has %d values, want %d", i, r.Label, len(r.Values), d)
		}
		z.RowSegments = append(z.RowSegments, r.Segment)
		row := make([]Cell, d)
		for j, v := range r.Values {
			c := Cell{Value: v}
			if math.IsNaN(v) {
				c.Fill, c.Text = NaNColor, NaNText
			} else {
				c.Fill = pal.At(v / limit)
				c.Text = dropNegativeZero(nf.format(v))
				if c.Text == "+0.0" || c.Text == "-0.0" {
					c.Text = "0.0"
				}
			}
			c.TextColor = AnnotationColor(c.Fill)
			row[j] = c
		}
		z.Cells = append(z.Cells, row)
	}
	for _, t := range []float64{-1, -0.5, 0, 0.5, 1} {
		v := t * limit
		z.ColorBarTicks = append(z.ColorBarTicks, v)
		lbl := strconv.FormatFloat(v, 'f', -1, 64)
		if v > 0 {
			lbl = "+" + lbl
		}
		z.ColorBarLabels = append(z.ColorBarLabels, lbl+"σ")
	}
	return z, nil
}

// zLayout is the geometry of a drawn ZHeatmap, in points relative to the
// body canvas.
type zLayout struct {
	grid         vg.Rectangle
	cellW, cellH vg.Length
	bar          vg.Rectangle
	labelSize    vg.Length
	annotSize    vg.Length
	angle        float64
	colLines     [][]string // column labels as drawn: one or two lines (angle 0)
	swatchX      vg.Length  // centre of the row swatches
}

// wrap2 splits t at the space that best balances two lines; ok is false
// when t has no space.
func wrap2(t string) (a, b string, ok bool) {
	best, bestD := -1, len(t)+1
	for i, r := range t {
		if r == ' ' {
			d := i - (len(t) - i - 1)
			if d < 0 {
				d = -d
			}
			if d < bestD {
				best, bestD = i, d
			}
		}
	}
	if best < 0 {
		return t, "", false
	}
	return t[:best], t[best+1:], true
}

// columnLines fits the labels into columns cw wide: one line each when
// they fit, else two lines where needed; ok is false when even that does
// not fit.
func columnLines(sty text.Style, labels []string, cw vg.Length) ([][]string, bool) {
	out := make([][]string, len(labels))
	for i, t := range labels {
		if sty.Width(t) <= 0.94*cw {
			out[i] = []string{t}
			continue
		}
		a, b, ok := wrap2(t)
		if !ok || sty.Width(a) > 0.94*cw || sty.Width(b) > 0.94*cw {
			return nil, false
		}
		out[i] = []string{a, b}
	}
	return out, true
}

const zSwatch = vg.Length(7)

func (z *ZHeatmap) layout(body vg.Rectangle) zLayout {
	k, d := len(z.RowLabels), len(z.ColLabels)
	var L zLayout
	w, h := body.Max.X-body.Min.X, body.Max.Y-body.Min.Y
	tickSty := style(TickSize)
	cbW := vg.Length(10)
	cbRight := cbGap + cbW + cbTick + cbTickGap + maxWidth(tickSty, z.ColorBarLabels)
	for size := LabelSize; ; size -= 0.5 {
		sty := style(size)
		lh := textHeight(sty)
		left := zSwatch + 4 + maxWidth(sty, z.RowLabels) + labelGap
		availW := w - left - cbRight
		cw := min(availW/vg.Length(d), 150)
		angle := 0.0
		lines, ok := columnLines(sty, z.ColLabels, cw)
		bottom := lh + labelGap
		for _, l := range lines {
			bottom = max(bottom, vg.Length(len(l))*lh+labelGap)
		}
		if !ok {
			angle = xLabelAngle
			bottom = maxWidth(sty, z.ColLabels)*vg.Length(math.Sin(angle)) + lh + labelGap
		}
		ch := (h - bottom) / vg.Length(k)
		ch = min(ch, 0.75*cw, 64)
		fits := ch >= 1.15*lh && cw >= 1.05*lh
		if fits || size <= MinFont {
			L.labelSize, L.angle, L.cellW, L.cellH, L.colLines = size, angle, cw, ch, lines
			gridW, gridH := cw*vg.Length(d), ch*vg.Length(k)
			x0 := body.Min.X + left + (availW-gridW)/2
			L.swatchX = x0 - left + zSwatch/2
			blockH := gridH + bottom
			yTop := body.Max.Y - max(0, (h-blockH)/2)
			L.grid = vg.Rectangle{Min: vg.Point{X: x0, Y: yTop - gridH}, Max: vg.Point{X: x0 + gridW, Y: yTop}}
			break
		}
	}
	L.bar = vg.Rectangle{
		Min: vg.Point{X: L.grid.Max.X + cbGap, Y: L.grid.Min.Y},
		Max: vg.Point{X: L.grid.Max.X + cbGap + cbW, Y: L.grid.Max.Y},
	}
	var texts []string
	for _, row := range z.Cells {
		for _, c := range row {
			texts = append(texts, c.Text)
		}
	}
	L.annotSize = min(13, max(AnnotSize, 0.3*L.cellH))
	for L.annotSize > MinFont-1 {
		sty := style(L.annotSize)
		if maxWidth(sty, texts) <= 0.86*L.cellW && textHeight(sty) <= 0.8*L.cellH {
			break
		}
		L.annotSize -= 0.25
	}
	return L
}

// Draw renders the heatmap on c.
func (z *ZHeatmap) Draw(c draw.Canvas) {
	body := chrome{Title: z.Title, Caption: z.Caption}.draw(c)
	L := z.layout(body.Rectangle)
	for i, row := range z.Cells {
		for j, cell := range row {
			x0 := L.grid.Min.X + vg.Length(j)*L.cellW
			y1 := L.grid.Max.Y - vg.Length(i)*L.cellH
			in := cellInset
			c.FillPolygon(cell.Fill, []vg.Point{
				{X: x0 + in, Y: y1 - L.cellH + in}, {X: x0 + L.cellW - in, Y: y1 - L.cellH + in},
				{X: x0 + L.cellW - in, Y: y1 - in}, {X: x0 + in, Y: y1 - in},
			})
			sty := style(L.annotSize)
			sty.Color = cell.TextColor
			fillCentered(c, sty, vg.Point{X: x0 + L.cellW/2, Y: y1 - L.cellH/2}, cell.Text)
		}
	}
	ysty := style(L.labelSize)
	ysty.XAlign = draw.XRight
	for i, t := range z.RowLabels {
		y := L.grid.Max.Y - (vg.Length(i)+0.5)*L.cellH
		x := L.grid.Min.X - labelGap
		fillCentered(c, ysty, vg.Point{X: x, Y: y}, t)
		drawMarker(c, MarkerBox, SegmentColor(z.RowSegments[i]), vg.Point{X: L.swatchX, Y: y}, zSwatch)
	}
	xsty := style(L.labelSize)
	if L.angle == 0 {
		xsty.YAlign = draw.YTop
		lh := textHeight(xsty)
		for j, lines := range L.colLines {
			for n, t := range lines {
				p := vg.Point{X: L.grid.Min.X + (vg.Length(j)+0.5)*L.cellW, Y: L.grid.Min.Y - labelGap - vg.Length(n)*lh}
				c.FillText(xsty, p, t)
			}
		}
	} else {
		xsty.Rotation = L.angle
		xsty.XAlign = draw.XRight
		xsty.YAlign = draw.YCenter
		for j, t := range z.ColLabels {
			p := vg.Point{X: L.grid.Min.X + (vg.Length(j)+0.5)*L.cellW, Y: L.grid.Min.Y - labelGap}
			c.FillText(xsty, p, t)
		}
	}
	// Colour bar.
	cb := L.bar
	cbH := cb.Max.Y - cb.Min.Y
	for s := range barSlices {
		y0 := cb.Min.Y + cbH*vg.Length(s)/barSlices
		y1 := cb.Min.Y + cbH*vg.Length(s+1)/barSlices
		if s < barSlices-1 {
			y1 += cbH / barSlices / 2
		}
		v := -1 + 2*(float64(s)+0.5)/barSlices
		c.FillPolygon(z.Palette.At(v), []vg.Point{{X: cb.Min.X, Y: y0}, {X: cb.Max.X, Y: y0}, {X: cb.Max.X, Y: y1}, {X: cb.Min.X, Y: y1}})
	}
	line := draw.LineStyle{Color: AxisColor, Width: vg.Points(0.5)}
	c.StrokeLines(line, []vg.Point{cb.Min, {X: cb.Max.X, Y: cb.Min.Y}, cb.Max, {X: cb.Min.X, Y: cb.Max.Y}, cb.Min})
	tsty := style(TickSize)
	tsty.XAlign = draw.XLeft
	for i, v := range z.ColorBarTicks {
		y := cb.Min.Y + vg.Length((v/z.Limit+1)/2)*cbH
		c.StrokeLine2(line, cb.Max.X, y, cb.Max.X+cbTick, y)
		fillCentered(c, tsty, vg.Point{X: cb.Max.X + cbTick + cbTickGap, Y: y}, z.ColorBarLabels[i])
	}
}
