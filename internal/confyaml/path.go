package confyaml

import (
	"path/filepath"

	"github.com/goccy/go-yaml/ast"
)

// Path is a file path in a config; relative values resolve against the
// config file's folder (or the working directory for --set values).
type Path string

// DecodeYAML implements NodeDecoder.
func (p *Path) DecodeYAML(d *Decoder, n ast.Node, key string) {
	if s, ok := d.Scalar(n, key); ok {
		*p = Path(d.ResolvePath(n, s))
	}
}

func isAbs(p string) bool { return filepath.IsAbs(p) }

func joinPath(base, p string) string {
	if base == "" {
		return filepath.Clean(p)
	}
	return filepath.Join(base, p)
}
