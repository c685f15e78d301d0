package rowexpr

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/expr-lang/expr/ast"
)

// missingPatcher rewrites the tree so missing values follow the package's
// rules: is_missing(col) reads the column's missing flag, fill(col, v)
// becomes "missing ? v : col", and a comparison reading a missing cell is
// false.
type missingPatcher struct {
	c      *compiler
	filled map[ast.Node]bool // conditionals made by fill(): their column is handled
}

var comparisons = map[string]bool{
	"==": true, "!=": true, "<": true, "<=": true, ">": true, ">=": true,
	"in": true, "not in": true, "contains": true, "startsWith": true, "endsWith": true, "matches": true,
}

// column returns the column index an identifier refers to, or -1.
func (p *missingPatcher) column(n ast.Node) int {
	id, ok := n.(*ast.IdentifierNode)
	if !ok {
		return -1
	}
	if strings.HasPrefix(id.Value, "__c") {
		if k, err := strconv.Atoi(id.Value[3:]); err == nil {
			return k
		}
	}
	if strings.HasPrefix(id.Value, "__") {
		return -1
	}
	if k, ok := p.c.index[id.Value]; ok {
		return k
	}
	return -1
}

func (p *missingPatcher) Visit(node *ast.Node) {
	if p.filled == nil {
		p.filled = map[ast.Node]bool{}
	}
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		if k := p.column(n); k >= 0 {
			p.c.refs[k] = true
		}
	case *ast.CallNode:
		callee, ok := n.Callee.(*ast.IdentifierNode)
		if !ok {
			return
		}
		switch callee.Value {
		case "is_missing":
			if len(n.Arguments) != 1 || p.column(n.Arguments[0]) < 0 {
				p.c.misuse = fmt.Errorf("is_missing() takes one column name, e.g. is_missing(Age) or is_missing(`Total Charges`)")
				return
			}
			p.c.explicit = true
			ast.Patch(node, &ast.IdentifierNode{Value: missVar(p.column(n.Arguments[0]))})
		case "fill":
			if len(n.Arguments) != 2 || p.column(n.Arguments[0]) < 0 {
				p.c.misuse = fmt.Errorf("fill() takes a column name and a default, e.g. fill(Age, 0)")
				return
			}
			p.c.explicit = true
			k := p.column(n.Arguments[0])
			cond := &ast.ConditionalNode{Ternary: true, Cond: &ast.IdentifierNode{Value: missVar(k)}, Exp1: n.Arguments[1], Exp2: n.Arguments[0]}
			p.filled[cond] = true
			ast.Patch(node, cond)
		}
	case *ast.BinaryNode:
		if !comparisons[n.Operator] {
			return
		}
		cols := map[int]bool{}
		p.collect(n.Left, cols)
		p.collect(n.Right, cols)
		if len(cols) == 0 {
			return
		}
		var cond ast.Node
		for k := range len(p.c.vars) {
			if !cols[k] {
				continue
			}
			m := &ast.IdentifierNode{Value: missVar(k)}
			if cond == nil {
				cond = m
			} else {
				cond = &ast.BinaryNode{Operator: "||", Left: cond, Right: m}
			}
		}
		orig := *node
		ast.Patch(node, &ast.ConditionalNode{Ternary: true, Cond: cond, Exp1: &ast.BoolNode{Value: false}, Exp2: orig})
	}
}

// collect gathers the columns a subtree reads, skipping fill() results.
func (p *missingPatcher) collect(n ast.Node, into map[int]bool) {
	ast.Walk(&n, visitor(func(x *ast.Node) {
		if k := p.column(*x); k >= 0 {
			into[k] = true
		}
	}))
	// Columns wrapped by fill() are handled; remove them again.
	ast.Walk(&n, visitor(func(x *ast.Node) {
		if c, ok := (*x).(*ast.ConditionalNode); ok && p.filled[c] {
			if k := p.column(c.Exp2); k >= 0 {
				delete(into, k)
			}
		}
	}))
}
