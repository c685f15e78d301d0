package sqlgen

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/model"
)

// update rewrites the golden SQL files: go test ./internal/sqlgen -update
var update = flag.Bool("update", false, "rewrite testdata/*.sql from the current output")

// The golden models (testdata/*.model.json) are model.json files of real
// runs: maven (configs/maven_churn.yaml on the Maven table: a filter,
// renames, a cast to int, normalize), frozen (cmd/segment's frozenConfig
// on data/churn_sample.csv: fillna mean/median, clip quantiles, a derive
// with max(), onehot) and names (column and segment names with quotes,
// backticks, backslashes, parentheses and spaces; a derive; onehot with
// drop_first), telco (configs/telco_mixed.yaml on IBM's telco table
// without stability and elbow: k-prototypes with three text categories)
// and telco_category (the same with SeniorCitizen, an int column, as a
// category and categorical_missing: category; segment 4's PaymentMethod
// mode edited to null, the missing category, to cover that branch).
var goldenModels = []struct {
	name string
	opt  ExportOptions
}{
	{"maven", ExportOptions{Table: "analytics.telecom customers", ID: "Customer ID", IDOut: "Customer_ID"}},
	{"frozen", ExportOptions{Table: "churn", ID: "Customer ID", IDOut: "Customer ID", AllDistances: true}},
	{"names", ExportOptions{Table: `proj.data set."odd.table"`, ID: "id", IDOut: "id"}},
	{"telco", ExportOptions{Table: "telco", ID: "customerID", IDOut: "customerID"}},
	{"telco_category", ExportOptions{Table: "crm.telco", ID: "customerID", IDOut: "customerID", AllDistances: true}},
}

func loadModel(t *testing.T, name string) *model.Model {
	t.Helper()
	m, err := model.Load(filepath.Join("testdata", name+".model.json"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestGolden checks the SQL of every dialect for the golden models
// against testdata/<model>.<dialect>.sql (PostgreSQL's is also run by
// cmd/segment's tests; DuckDB's by TestDuckDB when DuckDB is at hand).
func TestGolden(t *testing.T) {
	for _, gm := range goldenModels {
		m := loadModel(t, gm.name)
		for _, dn := range Dialects() {
			t.Run(gm.name+"/"+dn, func(t *testing.T) {
				ex, err := ExportModel(MustLookup(dn), m, gm.opt)
				if err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", gm.name+"."+dn+".sql")
				if *update {
					if err := os.WriteFile(path, []byte(ex.SQL), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test ./internal/sqlgen -update to create it)", err)
				}
				if ex.SQL != string(want) {
					t.Errorf("%s differs from the generated SQL (go test ./internal/sqlgen -update rewrites it); first difference at line %d", path, firstDiffLine(ex.SQL, string(want)))
				}
				checkStructure(t, ex.SQL)
				if dn == "clickhouse" {
					checkQualified(t, ex.SQL)
				}
			})
		}
	}
}

func firstDiffLine(a, b string) int {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(la), len(lb)) {
		if la[i] != lb[i] {
			return i + 1
		}
	}
	return min(len(la), len(lb)) + 1
}

// checkStructure is a structural check that needs no engine: outside
// quoted names, text literals and comments, parentheses balance and the
// statement ends with one semicolon.
func checkStructure(t *testing.T, sql string) {
	t.Helper()
	depth, semis := 0, 0
	for i := 0; i < len(sql); i++ {
		switch c := sql[i]; c {
		case '-':
			if i+1 < len(sql) && sql[i+1] == '-' {
				for i < len(sql) && sql[i] != '\n' {
					i++
				}
			}
		case '\'', '"', '`':
			for i++; i < len(sql); i++ {
				if sql[i] == '\\' && c != '"' {
					// backslash escapes (BigQuery, ClickHouse, E'' strings)
					i++
					continue
				}
				if sql[i] == c {
					if i+1 < len(sql) && sql[i+1] == c && c != '`' {
						i++ // a doubled quote
						continue
					}
					break
				}
			}
			if i >= len(sql) {
				t.Fatalf("an unclosed %c", c)
			}
		case '(':
			depth++
		case ')':
			if depth--; depth < 0 {
				t.Fatalf("a ) without (")
			}
		case ';':
			semis++
		}
	}
	if depth != 0 || semis != 1 || !strings.HasSuffix(sql, ";\n") {
		t.Errorf("unbalanced parentheses (%d) or %d semicolons", depth, semis)
	}
}

var (
	fromRE      = regexp.MustCompile("\n  FROM (.+?)(?: AS (`[^`]*`))?(?:\n|$)")
	qualifierRE = regexp.MustCompile("(`(?:[^`\\\\]|\\\\.)*`)\\.`")
)

// checkQualified checks, in ClickHouse SQL, that every qualified column
// reference of a layer names the relation that layer reads (a reference
// to another layer's name would fail, or read an alias).
func checkQualified(t *testing.T, sql string) {
	t.Helper()
	for _, body := range strings.Split(sql, "\n)") {
		m := fromRE.FindStringSubmatch(body)
		if m == nil {
			continue
		}
		rel := m[1]
		if m[2] != "" {
			rel = m[2]
		}
		sel := body[:strings.LastIndex(body, "\n  FROM ")]
		for _, q := range qualifierRE.FindAllStringSubmatch(sel, -1) {
			if q[1] != rel {
				t.Errorf("a layer reading %s refers to %s", rel, q[1])
			}
		}
	}
}
