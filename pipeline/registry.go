package pipeline

import (
	"fmt"
	"slices"
)

// Registry maps stage types to their factories.
type Registry struct {
	byType  map[string]Factory
	order   []string
	sources *SourceRegistry
}

// NewRegistry builds a registry from an explicit list of factories. It
// panics on a duplicate or incomplete factory: that is a programming error
// in the one file that lists the stages.
func NewRegistry(factories ...Factory) *Registry {
	r := &Registry{byType: map[string]Factory{}}
	for _, f := range factories {
		if f.Type == "" || f.NewConfig == nil || f.New == nil {
			panic(fmt.Sprintf("pipeline: incomplete factory %+v", f.Type))
		}
		if _, dup := r.byType[f.Type]; dup {
			panic("pipeline: duplicate stage type " + f.Type)
		}
		r.byType[f.Type] = f
		r.order = append(r.order, f.Type)
	}
	return r
}

// Lookup returns the factory of a stage type.
func (r *Registry) Lookup(typ string) (Factory, bool) {
	f, ok := r.byType[typ]
	return f, ok
}

// Types lists the stage types in registration order (the order a typical
// config uses them).
func (r *Registry) Types() []string { return append([]string(nil), r.order...) }

// providers lists the stage types that provide slot, in registration order.
func (r *Registry) providers(slot Slot) []string {
	var by []string
	for _, t := range r.order {
		if slices.Contains(r.byType[t].Provides, slot) {
			by = append(by, t)
		}
	}
	return by
}

// WithSources attaches the input sources (sources/sources.go lists them)
// and returns r. Load decodes the input block with them and the column
// check opens the input through them.
func (r *Registry) WithSources(s *SourceRegistry) *Registry {
	r.sources = s
	return r
}

// Sources returns the input sources given to WithSources (nil when none).
func (r *Registry) Sources() *SourceRegistry { return r.sources }
