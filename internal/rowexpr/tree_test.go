package rowexpr

import (
	"testing"

	"github.com/expr-lang/expr/ast"

	"github.com/churnlab/segment/internal/frame"
)

// TestTreeIdent: the tree a translator reads names columns by variable,
// plain identifiers too, and marks the missing flags.
func TestTreeIdent(t *testing.T) {
	vars := []Var{{Name: "Age", Kind: frame.Int}, {Name: "Total Revenue", Kind: frame.Float}}
	p, err := Compile("is_missing(`Total Revenue`) or Age > 3", vars)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Explicit() {
		t.Error("an expression calling is_missing is explicit")
	}
	var idents []string
	tree := p.Tree()
	ast.Walk(&tree, visitor(func(n *ast.Node) {
		if id, ok := (*n).(*ast.IdentifierNode); ok {
			v, flag, ok := p.Ident(id.Value)
			if !ok {
				t.Errorf("identifier %q does not resolve", id.Value)
			}
			s := v.Name
			if flag {
				s = "missing(" + s + ")"
			}
			idents = append(idents, s)
		}
	}))
	// is_missing(`Total Revenue`), then the comparison's guard and Age.
	want := map[string]bool{"missing(Total Revenue)": true, "missing(Age)": true, "Age": true}
	for _, s := range idents {
		if !want[s] {
			t.Errorf("unexpected identifier %s in %v", s, idents)
		}
	}
	if len(idents) != 3 {
		t.Errorf("identifiers %v", idents)
	}
	if _, _, ok := p.Ident("__c9"); ok {
		t.Error("__c9 resolves without a ninth column")
	}
	if _, _, ok := p.Ident("floor"); ok {
		t.Error("a function name resolves as a column")
	}
}
