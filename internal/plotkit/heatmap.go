package plotkit

import (
	"fmt"
	"image/color"
	"math"
	"strings"
)

// Mask values for HeatmapSpec.Mask.
const (
	MaskNone  = "none"
	MaskUpper = "upper" // hide the strictly upper triangle (np.triu(k=1))
	MaskLower = "lower" // hide the strictly lower triangle (np.tril(k=-1))
)

// Default heatmap settings.
const (
	DefaultHeatmapFormat = ".2f"
	DefaultHeatmapPx     = 512
)

// HeatmapSpec describes an annotated correlation heatmap.
type HeatmapSpec struct {
	Title  string
	Labels []string    // row labels = column labels
	Values [][]float64 // square, len(Labels)×len(Labels); NaN allowed

	Format  string // Python-style number format (see FormatValue); default ".2f"
	Palette string // see ParsePalette; default "blue-white-red"
	Mask    string // "none" (default), "upper" or "lower"

	WidthPx, HeightPx int // figure size; default 512×512

	// MaxLabelChars is the label length above which labels are shortened
	// (see ShortenLabels); 0 means automatic: 22 characters for up to 8
	// labels, DefaultMaxLabelChars (16) for more.
	MaxLabelChars int
}

// Cell is one heatmap cell as drawn.
type Cell struct {
	Value  float64
	Masked bool       // hidden by the mask: not drawn, no annotation
	Fill   color.RGBA // palette colour (NaNColor for NaN); zero if masked
	// Text is the annotation: the value in Format, except that a value
	// rounding to zero loses its minus sign ("-0.00" → "0.00"); NaNText
	// for NaN; "" if masked.
	Text      string
	TextColor color.RGBA // seaborn's contrast rule on Fill; zero if masked
}

// Heatmap is a fully resolved heatmap: everything it shows, ready to draw.
type Heatmap struct {
	Title string
	// XLabels (left to right) and YLabels (top to bottom) are the
	// displayed, possibly shortened, labels; both follow Labels' order.
	XLabels, YLabels []string
	// FullLabels maps each displayed label to the full label.
	FullLabels map[string]string
	// Cells[i][j] is row i (top to bottom), column j (left to right).
	Cells [][]Cell

	Palette *Diverging
	// ColorBarTicks are the colour-bar tick values, ColorBarLabels their
	// texts.
	ColorBarTicks  []float64
	ColorBarLabels []string

	Format            string
	Mask              string
	WidthPx, HeightPx int
}

// NaNText annotates cells whose value is NaN (e.g. a constant column).
const NaNText = "n/a"

// BuildHeatmap validates spec and resolves it into a Heatmap. spec is not
// modified.
func BuildHeatmap(spec HeatmapSpec) (*Heatmap, error) {
	k := len(spec.Labels)
	if k == 0 {
		return nil, fmt.Errorf("heatmap needs at least one label")
	}
	if len(spec.Values) != k {
		return nil, fmt.Errorf("heatmap has %d labels but %d rows of values", k, len(spec.Values))
	}
	for i, row := range spec.Values {
		if len(row) != k {
			return nil, fmt.Errorf("heatmap values are not square: row %d has %d values, want %d", i, len(row), k)
		}
	}
	seen := make(map[string]bool, k)
	for _, l := range spec.Labels {
		if seen[l] {
			return nil, fmt.Errorf("heatmap label %q appears twice", l)
		}
		seen[l] = true
	}
	format := spec.Format
	if format == "" {
		format = DefaultHeatmapFormat
	}
	nf, err := parseFormat(format)
	if err != nil {
		return nil, err
	}
	pal, err := ParsePalette(spec.Palette)
	if err != nil {
		return nil, err
	}
	mask := strings.ToLower(strings.TrimSpace(spec.Mask))
	if mask == "" {
		mask = MaskNone
	}
	if mask != MaskNone && mask != MaskUpper && mask != MaskLower {
		return nil, fmt.Errorf("unknown heatmap mask %q (want none, upper or lower)", spec.Mask)
	}
	w, h := spec.WidthPx, spec.HeightPx
	if w == 0 && h == 0 {
		w, h = DefaultHeatmapPx, DefaultHeatmapPx
	}
	if err := checkSize(w, h); err != nil {
		return nil, err
	}
	if spec.MaxLabelChars < 0 {
		return nil, fmt.Errorf("MaxLabelChars %d < 0", spec.MaxLabelChars)
	}
	maxChars := spec.MaxLabelChars
	if maxChars == 0 {
		maxChars = DefaultMaxLabelChars
		if k <= 8 {
			maxChars = 22
		}
	}

	shown, full := ShortenLabels(spec.Labels, maxChars)
	hm := &Heatmap{
		Title:          spec.Title,
		XLabels:        shown,
		YLabels:        append([]string(nil), shown...),
		FullLabels:     full,
		Palette:        pal,
		ColorBarTicks:  []float64{-1, -0.5, 0, 0.5, 1},
		ColorBarLabels: []string{"-1", "-0.5", "0", "0.5", "1"},
		Format:         format,
		Mask:           mask,
		WidthPx:        w,
		HeightPx:       h,
	}
	hm.Cells = make([][]Cell, k)
	for i := range k {
		hm.Cells[i] = make([]Cell, k)
		for j := range k {
			v := spec.Values[i][j]
			c := Cell{Value: v}
			switch {
			case mask == MaskUpper && j > i, mask == MaskLower && j < i:
				c.Masked = true
			case math.IsNaN(v):
				c.Fill = NaNColor
				c.Text = NaNText
				c.TextColor = AnnotationColor(c.Fill)
			default:
				c.Fill = pal.At(v)
				c.Text = dropNegativeZero(nf.format(v))
				c.TextColor = AnnotationColor(c.Fill)
			}
			hm.Cells[i][j] = c
		}
	}
	return hm, nil
}

// Save writes the heatmap at its WidthPx×HeightPx size to path (.png or
// .svg).
func (h *Heatmap) Save(path string) error {
	return Save(h, path, h.WidthPx, h.HeightPx)
}

// dropNegativeZero removes the minus sign from a formatted number whose
// digits are all zero, e.g. "-0.00" or "-0.0%": Python prints the sign of
// values that round to zero, which reads as noise in a figure.
func dropNegativeZero(s string) string {
	if !strings.HasPrefix(s, "-") || strings.ContainsAny(s, "123456789") || strings.Contains(s, "inf") {
		return s
	}
	return s[1:]
}
