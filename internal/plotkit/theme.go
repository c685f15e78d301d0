package plotkit

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Font is the theme's typeface: Liberation Sans, bundled with gonum/plot
// (plot.DefaultFont is Liberation Serif).
var Font = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Theme font sizes, tuned for figures about 512 px (384 pt) wide.
const (
	TitleSize  = vg.Length(12) // plot title
	LabelSize  = vg.Length(10) // axis titles
	TickSize   = vg.Length(9)  // tick labels and legend entries
	AnnotSize  = vg.Length(9)  // largest size for in-plot annotations
	MinFont    = vg.Length(6)  // smallest size any text is shrunk to
	DPI        = 96            // dots per inch of PNG output
	pxToPoints = 72.0 / DPI
)

var (
	// Background is the figure background.
	Background = color.RGBA{0xff, 0xff, 0xff, 0xff}
	// TextColor is the colour of titles, labels and dark annotations
	// (matplotlib's ".15" grey used by seaborn).
	TextColor = color.RGBA{0x26, 0x26, 0x26, 0xff}
	// LightText is the annotation colour on dark cells.
	LightText = color.RGBA{0xff, 0xff, 0xff, 0xff}
	// GridColor is the colour of light grid lines.
	GridColor = color.RGBA{0xe5, 0xe5, 0xe5, 0xff}
	// AxisColor is the colour of axis lines and ticks.
	AxisColor = color.RGBA{0x59, 0x59, 0x59, 0xff}
)

// segmentPalette is Okabe & Ito's colour-blind-safe palette (black moved to
// the end) followed by Tableau 10 colours that are not close to any of them.
var segmentPalette = [NumSegmentColors]color.RGBA{
	{0x00, 0x72, 0xb2, 0xff}, // blue
	{0xe6, 0x9f, 0x00, 0xff}, // orange
	{0x00, 0x9e, 0x73, 0xff}, // bluish green
	{0xcc, 0x79, 0xa7, 0xff}, // reddish purple
	{0x56, 0xb4, 0xe9, 0xff}, // sky blue
	{0xd5, 0x5e, 0x00, 0xff}, // vermillion
	{0xf0, 0xe4, 0x42, 0xff}, // yellow
	{0x00, 0x00, 0x00, 0xff}, // black
	{0x9c, 0x75, 0x5f, 0xff}, // Tableau brown
	{0xba, 0xb0, 0xac, 0xff}, // Tableau grey
	{0xb0, 0x7a, 0xa1, 0xff}, // Tableau purple
	{0x76, 0xb7, 0xb2, 0xff}, // Tableau teal
}

// NumSegmentColors is the number of distinct segment colours.
const NumSegmentColors = 12

// SegmentColor returns the colour of categorical segment i (0-based). The
// first 8 are the Okabe–Ito palette, then 4 Tableau 10 colours; indices
// beyond wrap around (negative indices count from the end), so the same
// segment always has the same colour in every figure.
func SegmentColor(i int) color.Color {
	n := len(segmentPalette)
	return segmentPalette[((i%n)+n)%n]
}

// TextStyle returns a theme text style of the given size and colour,
// centred on its anchor.
func TextStyle(size vg.Length, c color.Color) text.Style {
	return text.Style{
		Color:   c,
		Font:    font.From(Font, size),
		XAlign:  draw.XCenter,
		YAlign:  draw.YCenter,
		Handler: plot.DefaultTextHandler,
	}
}

// NewPlot returns a plot with the theme applied: sans-serif fonts, theme
// sizes and colours, white background and the given title and axis labels
// (empty strings are left out).
func NewPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	ApplyTheme(p)
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	return p
}

// ApplyTheme sets p's fonts, sizes and colours to the theme's.
func ApplyTheme(p *plot.Plot) {
	p.BackgroundColor = Background
	p.Title.TextStyle.Font = font.From(Font, TitleSize)
	p.Title.TextStyle.Color = TextColor
	p.Title.Padding = vg.Points(6)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle.Font = font.From(Font, LabelSize)
		ax.Label.TextStyle.Color = TextColor
		ax.Label.Padding = vg.Points(4)
		ax.Tick.Label.Font = font.From(Font, TickSize)
		ax.Tick.Label.Color = TextColor
		ax.Tick.Color = AxisColor
		ax.LineStyle.Color = AxisColor
		ax.LineStyle.Width = vg.Points(0.75)
		ax.Tick.LineStyle.Width = vg.Points(0.75)
	}
	p.Legend.TextStyle.Font = font.From(Font, TickSize)
	p.Legend.TextStyle.Color = TextColor
}

// Grid returns light grid lines in the theme's colour, to add to a plot
// with p.Add(plotkit.Grid()).
func Grid() *plotter.Grid {
	g := plotter.NewGrid()
	g.Vertical.Color = GridColor
	g.Vertical.Width = vg.Points(0.5)
	g.Horizontal.Color = GridColor
	g.Horizontal.Width = vg.Points(0.5)
	return g
}
