package confyaml

import (
	"errors"
	"fmt"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Parse reads a config file's text into its root mapping. A file over the
// limits (CheckLimits), a syntax error, more than one document, an empty
// file or a root that is not a mapping is returned as one located
// ConfigError; what the mapping should hold is named by want (e.g.
// "version, name, input, stages, ...").
func Parse(file string, src []byte, want string) (*ast.MappingNode, ConfigErrors) {
	if e := CheckLimits(file, src); e != nil {
		return nil, ConfigErrors{e}
	}
	f, err := parseBytes(src)
	if err != nil {
		pos, msg := file, err.Error()
		var se *yaml.SyntaxError
		if errors.As(err, &se) && se.Token != nil {
			pos = fmt.Sprintf("%s:%d:%d", file, se.Token.Position.Line, se.Token.Position.Column)
			msg = se.Message
		}
		return nil, ConfigErrors{{Pos: pos, Msg: "YAML syntax error: " + msg}}
	}
	var body ast.Node
	for _, doc := range f.Docs {
		if doc.Body == nil {
			continue
		}
		if body != nil {
			return nil, ConfigErrors{{Pos: file, Msg: "the file holds more than one YAML document; use one"}}
		}
		body = doc.Body
	}
	if body == nil {
		return nil, ConfigErrors{{Pos: file, Msg: "the config is empty"}}
	}
	switch b := body.(type) {
	case *ast.MappingNode:
		return b, nil
	case *ast.MappingValueNode:
		return ast.Mapping(b.GetToken(), false, b), nil
	}
	return nil, ConfigErrors{{Pos: file, Msg: "the config must be a mapping of keys (" + want + ")"}}
}

// parseBytes is goccy's parser, with a panic inside it (a parser bug on
// odd input) turned into an error: a config never crashes segment.
func parseBytes(src []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("the YAML parser failed on this text (%v)", r)
		}
	}()
	return parser.ParseBytes(src, 0)
}
