package plotkit

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
)

// Palette names accepted by ParsePalette.
const (
	BlueWhiteRed = "blue-white-red" // default: +1 dark blue, −1 dark red
	RedWhiteBlue = "red-white-blue" // +1 dark red, −1 dark blue
)

// rdBu lists ColorBrewer's RdBu (matplotlib's "RdBu", seaborn's usual
// correlation map) from −1 to +1, with the centre #f7f7f7 replaced by pure
// white.
var rdBu = []string{
	"#67001f", "#b2182b", "#d6604d", "#f4a582", "#fddbc7",
	"#ffffff",
	"#d1e5f0", "#92c5de", "#4393c3", "#2166ac", "#053061",
}

// NaNColor fills heatmap cells whose value is NaN.
var NaNColor = color.RGBA{0xe8, 0xe8, 0xe8, 0xff}

// Diverging maps values in [−1, 1] to colours by linear interpolation in
// RGB between evenly spaced stops, the first at −1 and the last at +1.
type Diverging struct {
	name  string
	stops []color.RGBA
}

// NewDiverging returns a palette through the given hex stops ("#rrggbb",
// "rrggbb" or "#rgb"), listed from −1 to +1. At least two are required.
func NewDiverging(hexStops []string) (*Diverging, error) {
	if len(hexStops) < 2 {
		return nil, fmt.Errorf("a palette needs at least 2 colour stops, got %d", len(hexStops))
	}
	d := &Diverging{name: strings.Join(hexStops, ",")}
	for _, h := range hexStops {
		c, err := ParseHex(h)
		if err != nil {
			return nil, err
		}
		d.stops = append(d.stops, c)
	}
	return d, nil
}

// ParsePalette returns the palette named by spec: "" or "blue-white-red"
// (the default), "red-white-blue", or a comma-separated list of at least
// two hex colours from −1 to +1.
func ParsePalette(spec string) (*Diverging, error) {
	switch s := strings.TrimSpace(spec); s {
	case "", BlueWhiteRed:
		d, err := NewDiverging(rdBu)
		d.name = BlueWhiteRed
		return d, err
	case RedWhiteBlue:
		rev := make([]string, len(rdBu))
		for i, h := range rdBu {
			rev[len(rdBu)-1-i] = h
		}
		d, err := NewDiverging(rev)
		d.name = RedWhiteBlue
		return d, err
	default:
		if !strings.Contains(s, ",") {
			return nil, fmt.Errorf("unknown palette %q (want %q, %q or comma-separated hex colours)", spec, BlueWhiteRed, RedWhiteBlue)
		}
		parts := strings.Split(s, ",")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		return NewDiverging(parts)
	}
}

// Name returns the palette's name, or its stops joined by commas.
func (d *Diverging) Name() string { return d.name }

// Stops returns a copy of the palette's colour stops, from −1 to +1.
func (d *Diverging) Stops() []color.RGBA { return append([]color.RGBA(nil), d.stops...) }

// At returns the colour of v. Values outside [−1, 1] are clamped; NaN
// gives NaNColor.
func (d *Diverging) At(v float64) color.RGBA {
	if math.IsNaN(v) {
		return NaNColor
	}
	v = math.Max(-1, math.Min(1, v))
	pos := (v + 1) / 2 * float64(len(d.stops)-1)
	i := int(math.Floor(pos))
	if i >= len(d.stops)-1 {
		return d.stops[len(d.stops)-1]
	}
	t := pos - float64(i)
	a, b := d.stops[i], d.stops[i+1]
	mix := func(x, y uint8) uint8 {
		return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t))
	}
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}

// ParseHex parses "#rrggbb", "rrggbb", "#rgb" or "rgb" into an opaque colour.
func ParseHex(s string) (color.RGBA, error) {
	h := strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	if len(h) != 6 {
		return color.RGBA{}, fmt.Errorf("bad hex colour %q (want #rrggbb)", s)
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return color.RGBA{}, fmt.Errorf("bad hex colour %q (want #rrggbb)", s)
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}, nil
}

// Hex formats c as "#rrggbb" (alpha ignored).
func Hex(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
}

// RelativeLuminance is seaborn's relative_luminance: sRGB channels in
// [0, 1] are linearised (c/12.92 if c ≤ 0.03928, else ((c+0.055)/1.055)^2.4)
// and weighted 0.2126 R + 0.7152 G + 0.0722 B.
func RelativeLuminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v>>8) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// AnnotationColor returns seaborn's heatmap annotation colour for a cell
// of colour c: TextColor (#262626) when its relative luminance exceeds
// 0.408, else white.
func AnnotationColor(c color.Color) color.RGBA {
	if RelativeLuminance(c) > 0.408 {
		return TextColor
	}
	return LightText
}
