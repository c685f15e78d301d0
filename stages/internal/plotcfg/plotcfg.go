// Package plotcfg holds the plot settings that several stages' configs share
// — figure formats, a size in pixels, a diverging palette — with their YAML
// shapes, JSON forms and validation, so every stage reads and checks them the
// same way.
package plotcfg

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/plotkit"
)

// Formats lists the image formats to write: png and/or svg.
type Formats []string

// PNG is the default: Formats{"png"}.
func PNG() Formats { return Formats{"png"} }

// Check reports an empty list, unknown formats and repeats under key.
func (f Formats) Check(fe *confyaml.FieldErrors, key string) {
	if len(f) == 0 {
		fe.Add(key, "list at least one of png, svg")
	}
	seen := map[string]bool{}
	for i, v := range f {
		k := fmt.Sprintf("%s[%d]", key, i)
		switch {
		case v != "png" && v != "svg":
			fe.Add(k, "unknown format %q (want png or svg)", v)
		case seen[v]:
			fe.Add(k, "format %q is listed twice", v)
		}
		seen[v] = true
	}
}

// Size is a figure size in pixels. In YAML it is [width, height] or one
// number for a square.
type Size struct{ W, H int }

// DecodeYAML implements confyaml.NodeDecoder.
func (s *Size) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	const want = "size is [width, height] in pixels, or one number for a square"
	switch x := n.(type) {
	case *ast.SequenceNode:
		var v []int
		d.Decode(x, &v, key)
		if len(x.Values) != 2 {
			d.Errorf(n, key, "%s; got %d values", want, len(x.Values))
			return
		}
		if len(v) == 2 {
			s.W, s.H = v[0], v[1]
		}
	case *ast.IntegerNode:
		var v int
		d.Decode(x, &v, key)
		s.W, s.H = v, v
	default:
		d.Errorf(n, key, "%s", want)
	}
}

// MarshalJSON writes [width, height].
func (s Size) MarshalJSON() ([]byte, error) { return json.Marshal([2]int{s.W, s.H}) }

// Check reports a width or height outside lo…hi pixels under key.
func (s Size) Check(fe *confyaml.FieldErrors, key string, lo, hi int) {
	for _, side := range []struct {
		name string
		v    int
	}{{"width", s.W}, {"height", s.H}} {
		if side.v < lo || side.v > hi {
			fe.Add(key, "%s %d px outside %d…%d", side.name, side.v, lo, hi)
		}
	}
}

// Palette is a diverging palette: a name ("blue-white-red",
// "red-white-blue") or hex colour stops from −1 to +1. In YAML it is a
// string or a list of strings.
type Palette struct {
	Name  string   // used when Stops is nil
	Stops []string // hex colours from −1 to +1
}

// DefaultPalette is blue-white-red, the notebook's RdBu with a white centre.
func DefaultPalette() Palette { return Palette{Name: plotkit.BlueWhiteRed} }

// DecodeYAML implements confyaml.NodeDecoder.
func (p *Palette) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	if _, isList := n.(*ast.SequenceNode); isList {
		var stops []string
		d.Decode(n, &stops, key)
		p.Name, p.Stops = "", stops
		if len(stops) < 2 {
			d.Errorf(n, key, "a palette needs at least 2 colour stops, got %d", len(stops))
		}
		return
	}
	if s, ok := d.Scalar(n, key); ok {
		p.Name, p.Stops = strings.TrimSpace(s), nil
	}
}

// Spec returns the palette in plotkit.ParsePalette's form.
func (p Palette) Spec() string {
	if p.Stops != nil {
		return strings.Join(p.Stops, ",")
	}
	return p.Name
}

// MarshalJSON writes the name, or the list of stops.
func (p Palette) MarshalJSON() ([]byte, error) {
	if p.Stops != nil {
		return json.Marshal(p.Stops)
	}
	return json.Marshal(p.Name)
}

// Check reports a palette plotkit cannot build under key.
func (p Palette) Check(fe *confyaml.FieldErrors, key string) {
	if _, err := plotkit.ParsePalette(p.Spec()); err != nil {
		fe.Add(key, "%v", err)
	}
}
