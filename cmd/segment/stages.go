package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages"
)

func cmdStages(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("stages", "", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	reg := stages.Registry()
	for _, typ := range reg.Types() {
		f, _ := reg.Lookup(typ)
		fmt.Fprintf(stdout, "%s\n  %s\n", f.Type, f.Summary)
		if len(f.Needs) > 0 {
			fmt.Fprintf(stdout, "  needs: %s\n", joinSlots(f.Needs))
		}
		if len(f.Provides) > 0 {
			fmt.Fprintf(stdout, "  provides: %s\n", joinSlots(f.Provides))
		}
		keys := configKeys(f.NewConfig())
		if len(keys) == 0 {
			fmt.Fprintln(stdout, "  config: (no keys)")
		} else {
			fmt.Fprintln(stdout, "  config:")
			for _, k := range keys {
				fmt.Fprintf(stdout, "    %-22s %-14s default %s\n", k.name, k.typ, k.def)
			}
		}
		fmt.Fprintln(stdout)
	}
	fmt.Fprintln(stdout, "Every key is documented in docs/config.md.")
	return nil
}

func joinSlots(s []pipeline.Slot) string {
	parts := make([]string, len(s))
	for i, x := range s {
		parts[i] = string(x)
	}
	return strings.Join(parts, ", ")
}

type keyInfo struct{ name, typ, def string }

// configKeys lists the YAML keys of a config struct with their defaults.
func configKeys(cfg any) []keyInfo {
	v := reflect.ValueOf(cfg)
	for v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	var out []keyInfo
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" || name == "-" {
			continue
		}
		def := "(none)"
		if strings.Contains(opts, "required") {
			def = "(required)"
		} else if fv := v.Field(i); !fv.IsZero() {
			b, err := json.Marshal(fv.Interface())
			if err == nil {
				def = string(b)
			}
		} else {
			switch fv.Kind() {
			case reflect.Bool:
				def = "false"
			case reflect.Int, reflect.Int64, reflect.Float64, reflect.Uint64:
				def = "0"
			}
		}
		typ := typeName(f.Type)
		if reflect.PointerTo(f.Type).Implements(reflect.TypeFor[confyaml.NodeDecoder]()) {
			typ = "value" // takes several shapes; see docs/config.md
		}
		out = append(out, keyInfo{name: name, typ: typ, def: def})
	}
	return out
}

func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return typeName(t.Elem())
	case reflect.Slice:
		return "list of " + typeName(t.Elem())
	case reflect.Map:
		return "map"
	case reflect.Struct:
		return "block"
	case reflect.Int, reflect.Int64, reflect.Uint64:
		return "integer"
	case reflect.Float64:
		return "number"
	case reflect.Bool:
		return "bool"
	case reflect.String:
		return "string"
	}
	return t.Kind().String()
}
