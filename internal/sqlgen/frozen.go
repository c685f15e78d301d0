package sqlgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
)

// StepsFromTransform decodes the frozen clean steps of a model
// (model.json's transform.steps; the format is documented in
// docs/model.md) into Steps. A step that was not frozen, or whose params
// do not decode as its kind (unknown keys included), or that still holds
// an unfrozen statistic (fillna: mean, clip quantiles), is an error naming
// it. (cmd/segment also checks the transform with stages/clean.NewReplay,
// the decoder predict uses, before compiling it.)
func StepsFromTransform(tr *model.Transform) ([]Step, error) {
	if s, ok := tr.Replayable(); !ok {
		return nil, fmt.Errorf("the model's step %s was not frozen (%s), so it cannot score raw rows", s.Name(), s.NotFrozen)
	}
	out := make([]Step, 0, len(tr.Steps))
	for i := range tr.Steps {
		rec := &tr.Steps[i]
		s, err := decodeStep(rec)
		if err != nil {
			return nil, fmt.Errorf("the model's step %s: %w", rec.Name(), err)
		}
		out = append(out, s)
	}
	return out, nil
}

// strict decodes b into v, refusing unknown keys.
func strict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after the params")
	}
	return nil
}

func decodeStep(rec *model.Step) (Step, error) {
	s := Step{Name: rec.Name(), Kind: rec.Kind}
	for _, r := range rec.Reads {
		k, err := r.Kind()
		if err != nil {
			return s, fmt.Errorf("reads %q: %v", r.Name, err)
		}
		s.Reads = append(s.Reads, Read{Name: r.Name, Kind: k, Missing: r.Missing})
	}
	bad := func(err error) (Step, error) {
		return s, fmt.Errorf("params %s do not decode as a %s step: %v", rec.Params, rec.Kind, err)
	}
	p := rec.Params
	switch rec.Kind {
	case "filter":
		if err := strict(p, &s.Filter); err != nil {
			return bad(err)
		}
		if strings.TrimSpace(s.Filter) == "" {
			return s, fmt.Errorf("the filter expression is empty")
		}
	case "select", "drop":
		if err := strict(p, &s.Columns); err != nil {
			return bad(err)
		}
	case "rename":
		if err := strict(p, &s.Rename); err != nil {
			return bad(err)
		}
		seen := map[string]string{}
		for _, old := range slices.Sorted(maps.Keys(s.Rename)) {
			nw := s.Rename[old]
			if nw == "" {
				return s, fmt.Errorf("rename %q: the new name is empty", old)
			}
			if prev, dup := seen[nw]; dup {
				return s, fmt.Errorf("%q and %q would both be renamed to %q", prev, old, nw)
			}
			seen[nw] = old
		}
	case "derive":
		var v struct {
			Name string `json:"name"`
			Expr string `json:"expr"`
			Type string `json:"type"`
		}
		if err := strict(p, &v); err != nil {
			return bad(err)
		}
		if v.Name == "" || v.Expr == "" {
			return s, fmt.Errorf("a derive needs a name and an expr")
		}
		s.Derive = &Derive{Column: v.Name, Expr: v.Expr}
		if v.Type != "" {
			k, err := frame.ParseKind(v.Type)
			if err != nil {
				return s, err
			}
			s.Derive.Type, s.Derive.HasType = k, true
		}
	case "cast":
		var m map[string]string
		if err := strict(p, &m); err != nil {
			return bad(err)
		}
		s.Cast = map[string]frame.Kind{}
		for c, t := range m {
			k, err := frame.ParseKind(t)
			if err != nil {
				return s, fmt.Errorf("cast %q: %v", c, err)
			}
			s.Cast[c] = k
		}
	case "fillna":
		var m map[string]json.RawMessage
		if err := strict(p, &m); err != nil {
			return bad(err)
		}
		s.Fill = map[string]any{}
		for c, raw := range m {
			v, err := fillValue(raw)
			if err != nil {
				return s, fmt.Errorf("fillna %q: %v", c, err)
			}
			s.Fill[c] = v
		}
	case "clip":
		var m map[string]struct {
			Lower         *float64 `json:"lower"`
			Upper         *float64 `json:"upper"`
			LowerQuantile *float64 `json:"lower_quantile"`
			UpperQuantile *float64 `json:"upper_quantile"`
		}
		if err := strict(p, &m); err != nil {
			return bad(err)
		}
		s.Clip = map[string]Bounds{}
		for c, b := range m {
			if b.LowerQuantile != nil || b.UpperQuantile != nil {
				return s, fmt.Errorf("clip %q still holds quantiles, not the bounds frozen at fit time", c)
			}
			if b.Lower != nil && b.Upper != nil && *b.Lower > *b.Upper {
				return s, fmt.Errorf("clip %q: lower %g is above upper %g", c, *b.Lower, *b.Upper)
			}
			s.Clip[c] = Bounds{Lower: b.Lower, Upper: b.Upper}
		}
	case "onehot":
		v := struct {
			Columns   []string            `json:"columns"`
			DropFirst bool                `json:"drop_first"`
			PrefixSep string              `json:"prefix_sep"`
			MaxLevels int                 `json:"max_levels"`
			Levels    map[string][]string `json:"levels"`
		}{PrefixSep: "_", MaxLevels: 50}
		if err := strict(p, &v); err != nil {
			return bad(err)
		}
		if len(v.Columns) == 0 {
			return s, fmt.Errorf("onehot lists no column")
		}
		for _, c := range v.Columns {
			if _, ok := v.Levels[c]; !ok {
				return s, fmt.Errorf("onehot %q has no levels frozen at fit time", c)
			}
		}
		s.Onehot = &Onehot{Columns: v.Columns, Levels: v.Levels, DropFirst: v.DropFirst, PrefixSep: v.PrefixSep}
	case "dropna", "dedupe":
		var v struct {
			Columns []string `json:"columns"`
			How     string   `json:"how"`
			Keep    string   `json:"keep"`
		}
		if err := strict(p, &v); err != nil {
			// the list shorthand
			if err2 := strict(p, &v.Columns); err2 != nil {
				return bad(err)
			}
		}
		s.Columns, s.How = v.Columns, v.How
		if s.How == "" {
			s.How = "any"
		}
	default:
		return s, fmt.Errorf("unknown step kind %q", rec.Kind)
	}
	return s, nil
}

// fillValue decodes a frozen fill: a number (int64 when whole and written
// without a point, else float64), a text, true/false, or {"value": …}.
func fillValue(raw json.RawMessage) (any, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if m, ok := v.(map[string]any); ok {
		val, ok := m["value"]
		if !ok || len(m) != 1 {
			return nil, fmt.Errorf("a fill is a constant or {\"value\": constant}, not %s", raw)
		}
		v = val
	} else if s, ok := v.(string); ok && (s == "mean" || s == "median" || s == "mode") {
		return nil, fmt.Errorf("%s was not frozen to a value", s)
	}
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i, nil
		}
		f, err := x.Float64()
		if err != nil {
			return nil, fmt.Errorf("fill value %s: %v", x, err)
		}
		return f, nil
	case string, bool:
		return x, nil
	}
	return nil, fmt.Errorf("a fill constant is a number, text or true/false, not %s", raw)
}
