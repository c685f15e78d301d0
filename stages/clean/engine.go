package clean

import (
	"github.com/churnlab/segment/internal/confyaml"
)

// Engines that run the steps (the config key `engine`).
const (
	// EngineNative runs the steps on the typed table of internal/frame.
	EngineNative = "native"
	// EngineGota runs them with gota DataFrame operations (gota.go).
	EngineGota = "gota"
	// DefaultEngine is the engine when the key is absent.
	DefaultEngine = EngineNative
)

// validateEngine checks the engine key, and that every step has an
// implementation on the chosen engine.
func (c *Config) validateEngine(fe *confyaml.FieldErrors) {
	switch c.Engine {
	case EngineNative:
	case EngineGota:
		for i := range c.Steps {
			st := &c.Steps[i]
			if st.Op == nil {
				continue // an unknown step, reported while decoding
			}
			if _, ok := st.Op.(gotaOp); !ok {
				fe.Add(st.key(i), "engine: gota has no %s step; use engine: native", st.Kind)
			}
		}
	default:
		fe.Add("engine", "unknown engine %q (want native or gota)", c.Engine)
	}
}
