package confyaml

import (
	"fmt"

	"github.com/goccy/go-yaml/ast"
)

// ScalarText returns the text of a scalar node (a null is ""), and false
// for a mapping, a list or no node.
func ScalarText(n ast.Node) (string, bool) {
	switch x := n.(type) {
	case *ast.StringNode:
		return x.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return x.GetToken().Value, true
	case *ast.LiteralNode:
		return x.Value.Value, true
	case *ast.NullNode:
		return "", true
	}
	return "", false
}

// DescribeNode says what a node holds, for messages: "a list", "the string
// \"abc\"", "an empty value".
func DescribeNode(n ast.Node) string {
	switch x := n.(type) {
	case *ast.MappingNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.StringNode:
		return fmt.Sprintf("the string %q", x.Value)
	case *ast.IntegerNode:
		return "the integer " + x.GetToken().Value
	case *ast.FloatNode:
		return "the number " + x.GetToken().Value
	case *ast.BoolNode:
		return "the boolean " + x.GetToken().Value
	case *ast.NullNode:
		return "an empty value"
	case nil:
		return "nothing"
	}
	return n.Type().String()
}

// FirstKey is where a mapping starts, for messages about the whole mapping.
func FirstKey(n ast.Node) ast.Node {
	if m, ok := n.(*ast.MappingNode); ok && len(m.Values) > 0 {
		return m.Values[0].Key
	}
	return n
}
