package pipeline

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"

	"github.com/churnlab/segment/internal/confyaml"
)

// StageSpec is one entry of `stages:`.
type StageSpec struct {
	// Type of the stage (see `segment stages`). Required.
	Type string `json:"type"`
	// Name of the stage, unique in the config; defaults to Type. It
	// addresses the stage in --set (stages.NAME.key) and prefixes its files
	// when it differs from Type, so it follows the rules of a job name:
	// letters, digits, '.', '_' and '-', starting with a letter or digit, at
	// most 64 characters.
	Name string `json:"name"`
	// Config is the decoded stage config (a pointer from Factory.NewConfig).
	Config any `json:"config"`

	Factory Factory `json:"-"`

	node, typeNode, nameNode, configNode ast.Node
	dec                                  *confyaml.Decoder
}

// DecodeYAML implements confyaml.NodeDecoder: it keeps the config block's node for
// decoding once the stage type is known.
func (s *StageSpec) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	s.node = confyaml.FirstKey(n)
	m, ok := n.(*ast.MappingNode)
	if !ok {
		d.Errorf(n, key, "expected a stage block {type, name, config}, got %s", confyaml.DescribeNode(n))
		return
	}
	valid := []string{"type", "name", "config"}
	seen := map[string]bool{}
	for _, mv := range m.Values {
		k, _ := confyaml.ScalarText(mv.Key)
		if seen[k] {
			d.Errorf(mv.Key, confyaml.JoinKey(key, k), "key %q is given twice", k)
			continue
		}
		seen[k] = true
		v := d.Resolve(mv.Value)
		switch k {
		case "type":
			s.typeNode = v
			s.Type, _ = d.Scalar(v, confyaml.JoinKey(key, k))
		case "name":
			s.nameNode = v
			s.Name, _ = d.Scalar(v, confyaml.JoinKey(key, k))
		case "config":
			s.configNode = v
		default:
			d.Errorf(mv.Key, confyaml.JoinKey(key, k), "%s", confyaml.UnknownKey(k, valid))
		}
	}
	if !seen["type"] {
		d.Errorf(confyaml.FirstKey(n), confyaml.JoinKey(key, "type"), "missing required key \"type\"")
	}
}

// block labels the stage's config errors: stage "NAME" (TYPE).
func (s *StageSpec) block() string { return fmt.Sprintf("stage %q (%s)", s.Name, s.Type) }

// errorAt locates a problem with the stage as a whole at node n.
func (s *StageSpec) errorAt(d *confyaml.Decoder, n ast.Node, key, msg string) *confyaml.ConfigError {
	return d.ErrorAt(n, s.block(), key, msg)
}

// locate turns the field errors of the stage's config block (from Validate
// or CheckColumns) into located config errors; a key absent from the file
// points at the stage.
func (s *StageSpec) locate(fes confyaml.FieldErrors) confyaml.ConfigErrors {
	return s.dec.Locate(fes, s.block(), s.node)
}
