package sqlgen

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/pgtest"
	"github.com/churnlab/segment/internal/rowexpr"
)

// exprTol is the relative tolerance between PostgreSQL's value of a
// compiled expression and rowexpr's. Arithmetic, sqrt and rounding are
// IEEE-754 in both and agree to the bit; ln, log10, exp and pow come from
// different libms (Go's and the C library's), which may differ in the
// last place.
const exprTol = 1e-14

// exprTable is a table with the kinds and the awkward values expressions
// meet: zeros, negatives, halves, missing cells.
func exprTable(t *testing.T) *frame.Table {
	t.Helper()
	nan := math.NaN()
	tbl, err := frame.New(
		frame.NewInt("i", []int64{1, 2, 3, 4, 5, 6, 7, 8}, nil),
		frame.NewInt("a", []int64{0, 1, -3, 4, 10, 7, -1, 2}, nil),
		frame.NewInt("b", []int64{5, 0, 2, 0, 1, 9, 3, 4}, []bool{false, true, false, false, true, false, false, false}),
		frame.NewFloat("x", []float64{2.5, -0.5, nan, 0, 1.5, 1e-12, -2.5, 3.25}, nil),
		frame.NewString("Customer Status", []string{"Stayed", "Churned", "", "Joined", "stayed", "Ch'urned", "a\"b", `back\slash`}, []bool{false, false, true, false, false, false, false, false}),
		frame.NewBool("flag", []bool{true, false, true, false, true, false, false, true}, []bool{false, false, false, false, false, false, true, false}),
	)
	if err != nil {
		t.Fatal(err)
	}
	return tbl
}

var deriveCases = []string{
	"a + 1", "a * 2 - 3", "-a", "a / 4", "x / a", "a / (a - a)", "1 / (x / 0)", "x * 2.5 - 1",
	"a % 3", "b + 1", "b * x", "b / 2",
	"round(x)", "round(x * 3)", "round(x, 1)", "round(a / 4)", "floor(x)", "ceil(x)", "floor(a)", "abs(a - 3)", "abs(x)",
	"sqrt(x)", "sqrt(a)", "log(x)", "log(a)", "log1p(x)", "log1p(a)", "log10(a)", "exp(x)", "exp(a * 100)", "exp(-a * 300)",
	"pow(x, 2)", "x ** 0.5", "a ^ 2", "pow(a, -1)", "pow(x, 1.5)",
	"max(a, 2)", "min(x, 1.5)", "max(a, 0, 5)", "int(x)", "int(x * 10)", "float(a)",
	"x > 1 ? 1.0 : 0.0", "a > 1 ? a : 0", "not (x > 1)", "a in [1, 2, 3]", "x in [2.5, 0.0]",
	"`Customer Status` in ['Stayed', 'Joined']", "`Customer Status` contains 'ur'", "`Customer Status` startsWith 'Ch'",
	"`Customer Status` endsWith 'ed'", "`Customer Status` + '-x'", "`Customer Status` < 'Joined'", "`Customer Status` != 'Churned'",
	"is_missing(x) ? -1.0 : x", "fill(x, 0.0) * 2", "fill(`Customer Status`, 'none')", "is_missing(b)", "is_missing(b) ? 0.0 : b",
	"flag and a > 1", "flag or x > 2", "!flag", "x == 2.5", "a == 1 or a == 2",
}

var filterCases = []string{
	"x > 1", "not (x > 1)", "`Customer Status` != \"Churned\"", "is_missing(x) or x > 2", "a % 2 == 0",
	"b > 1", "flag", "not flag", "x / a > 0", "`Customer Status` in ['Stayed', 'Joined'] and a > 0",
}

// TestExprPostgres compiles each expression, runs it on PostgreSQL over
// the same rows, and compares every value with rowexpr's (as derive and as
// filter): missing is NULL, numbers agree within exprTol.
func TestExprPostgres(t *testing.T) {
	dsn, _ := pgtest.Schema(t, pgtest.DSN(t))
	tbl := exprTable(t)
	pgtest.LoadTable(t, dsn, "expr table", tbl)
	conn := pgtest.Connect(t, dsn)
	d := MustLookup("postgres")
	vars := rowexpr.VarsOf(tbl)
	refs := make([]ColumnRef, len(vars))
	for i, v := range vars {
		refs[i] = ColumnRef{Name: v.Name, Kind: v.Kind, Missing: v.HasMissing, SQL: d.mustIdent(v.Name)}
	}
	ctx := context.Background()
	run := func(t *testing.T, sql string) []any {
		rows, err := conn.Query(ctx, "SELECT "+sql+" FROM \"expr table\" ORDER BY i")
		if err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
		defer rows.Close()
		var out []any
		for rows.Next() {
			v, err := rows.Values()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, v[0])
		}
		if err := rows.Err(); err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
		return out
	}
	exact, approx := 0, 0
	for _, src := range deriveCases {
		t.Run("derive "+src, func(t *testing.T) {
			p, err := rowexpr.Compile(src, vars)
			if err != nil {
				t.Fatal(err)
			}
			want, fails, err := p.DeriveEach(ctx, tbl, "v")
			if err != nil || len(fails) > 0 {
				t.Fatalf("rowexpr: %v %v", err, fails)
			}
			e, err := CompileExpr(d, src, refs)
			if err != nil {
				t.Fatal(err)
			}
			if e.Kind != want.Kind {
				t.Fatalf("kind %s, rowexpr %s", e.Kind, want.Kind)
			}
			got := run(t, e.Derive(d))
			for i, g := range got {
				w := want.Format(i)
				if want.IsMissing(i) {
					if g != nil {
						t.Errorf("row %d: %v, rowexpr: missing", i+1, g)
					}
					continue
				}
				switch want.Kind {
				case frame.Float:
					f, ok := g.(float64)
					switch {
					case !ok:
						t.Errorf("row %d: %v (%T), rowexpr %s", i+1, g, g, w)
					case f == want.Floats[i]:
						exact++
					case relDiff(f, want.Floats[i]) <= exprTol:
						approx++
					default:
						t.Errorf("row %d: %v, rowexpr %v", i+1, f, want.Floats[i])
					}
				default:
					if fmt.Sprint(g) != w {
						t.Errorf("row %d: %v, rowexpr %s", i+1, g, w)
					}
				}
			}
		})
	}
	t.Logf("floats: %d bit-identical, %d within %g", exact, approx, exprTol)
	for _, src := range filterCases {
		t.Run("filter "+src, func(t *testing.T) {
			p, err := rowexpr.Compile(src, vars)
			if err != nil {
				t.Fatal(err)
			}
			want, err := p.Filter(ctx, tbl)
			if err != nil {
				t.Fatal(err)
			}
			e, err := CompileExpr(d, src, refs)
			if err != nil {
				t.Fatal(err)
			}
			cond, err := e.Filter(d)
			if err != nil {
				t.Fatal(err)
			}
			got := run(t, cond)
			for i, g := range got {
				if g != want[i] {
					t.Errorf("row %d: %v, rowexpr %v", i+1, g, want[i])
				}
			}
		})
	}
}

func relDiff(a, b float64) float64 {
	if a == b {
		return 0
	}
	return math.Abs(a-b) / math.Max(math.Abs(a), math.Abs(b))
}

// TestExprRefused: what has no exact SQL form is refused, naming it.
func TestExprRefused(t *testing.T) {
	tbl := exprTable(t)
	vars := rowexpr.VarsOf(tbl)
	for _, tc := range []struct{ dialect, src, want string }{
		{"postgres", "upper(`Customer Status`) == 'A'", "the function upper()"},
		{"postgres", "len(`Customer Status`)", "the function len()"},
		{"postgres", "a % (a + 1)", "by anything but a non-zero whole number"},
		{"postgres", "a % a", "by anything but a non-zero whole number"},
		{"postgres", "`Customer Status` matches '^S'", "matches: postgres's regular expressions are not Go's"},
		{"ansi", "`Customer Status` < 'b'", "ordering texts byte by byte"},
		{"postgres", "max(a, 1.5)", "max() of an int and a float"},
		{"postgres", "int(`Customer Status`)", "int() of a string"},
		{"postgres", "a > 1 ? 1 : 2.5", "a condition giving an int or a float"},
	} {
		refs := make([]ColumnRef, len(vars))
		d := MustLookup(tc.dialect)
		for i, v := range vars {
			refs[i] = ColumnRef{Name: v.Name, Kind: v.Kind, Missing: v.HasMissing, SQL: d.mustIdent(v.Name)}
		}
		_, err := CompileExpr(d, tc.src, refs)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.src) {
			t.Errorf("%s %q: error %v, want one naming %q and the expression", tc.dialect, tc.src, err, tc.want)
		}
	}
}
