package clean

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/rowexpr"
	"github.com/churnlab/segment/pipeline"
)

// TestGotaCoversEveryKind: every step kind has a gota implementation, so
// engine: gota accepts every config the native engine accepts.
func TestGotaCoversEveryKind(t *testing.T) {
	for _, k := range kinds {
		if _, ok := k.new().(gotaOp); !ok {
			t.Errorf("step kind %q has no gota implementation (applyGota in a gota_*.go file)", k.name)
		}
	}
}

// decodeStep decodes one step written as in a config's steps list.
func decodeStep(t *testing.T, src string) Step {
	t.Helper()
	root, errs := confyaml.Parse("t.yaml", []byte("steps:\n  - "+src+"\n"), "steps")
	if errs != nil {
		t.Fatal(errs)
	}
	d := confyaml.NewDecoder(confyaml.Options{File: "t.yaml"})
	cfg := NewConfig().(*Config)
	d.Decode(root, cfg, "")
	if errs := d.TakeErrors(""); errs != nil {
		t.Fatalf("%s: %v", src, errs)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return cfg.Steps[0]
}

// applyNative runs a step on the native engine.
func applyNative(t *testing.T, tb *frame.Table, op Op) (*frame.Table, error) {
	t.Helper()
	var prog *rowexpr.Program
	if e, ok := op.(exprOp); ok {
		var err error
		if prog, err = rowexpr.Compile(e.expression(), rowexpr.VarsOf(tb)); err != nil {
			return nil, err
		}
	}
	return op.Apply(context.Background(), tb, prog)
}

// applyGota runs a step on the gota engine, from and back to a table, and
// checks that the DataFrame it was given is unchanged.
func applyGota(t *testing.T, tb *frame.Table, op Op) (*frame.Table, error) {
	t.Helper()
	df := tb.DataFrame()
	var ex *gotaExpr
	if e, ok := op.(exprOp); ok {
		var err error
		if ex, err = gotaExpression(e.expression(), nil, df); err != nil {
			return nil, err
		}
	}
	out, err := op.(gotaOp).applyGota(context.Background(), df, ex)
	if after, cerr := frame.FromDataFrame(df); cerr != nil || frame.Equal(after, tb) != nil {
		t.Errorf("%T changed the DataFrame it was given: %v %v", op, cerr, frame.Equal(after, tb))
	}
	if err != nil {
		return nil, err
	}
	if out.Err != nil {
		t.Fatalf("%T returned a DataFrame with Err and no error: %v", op, out.Err)
	}
	return frame.FromDataFrame(out)
}

// compareEngines runs each step on both engines and requires the same
// table cell for cell (types, values, missing cells), or the same error.
func compareEngines(t *testing.T, tb *frame.Table, steps []string) {
	t.Helper()
	for _, src := range steps {
		st := decodeStep(t, src)
		want, werr := applyNative(t, tb, st.Op)
		got, gerr := applyGota(t, tb, st.Op)
		switch {
		case werr != nil || gerr != nil:
			if werr == nil || gerr == nil || werr.Error() != gerr.Error() {
				t.Errorf("%s: native error %v, gota error %v", src, werr, gerr)
			}
		default:
			if err := frame.Equal(got, want); err != nil {
				t.Errorf("%s: gota differs from native: %v", src, err)
			}
		}
	}
}

// TestGotaStepsMaven runs every kind of step, with the variants whose gota
// semantics differ, on the Maven table with both engines.
func TestGotaStepsMaven(t *testing.T) {
	tb, _ := loadMaven(t)
	compareEngines(t, tb, []string{
		"filter: '`Customer Status` != \"Churned\"'",
		"filter: '`Internet Type` != \"DSL\"'", // missing Internet Type: false, not kept
		"filter: Age > 30 and `Internet Type` == \"DSL\"",
		"filter: is_missing(`Internet Type`) or `Monthly Charge` > 100.5",
		"filter: '`Avg Monthly GB Download` > 20.5'", // an int column with missing values (a float in expressions)
		"filter: 'Age > 200'",
		"filter: 'true'",
		"select: [Customer ID, Age, City, Total Revenue]",
		"drop: [Churn Reason, Churn Category, Offer]",
		"rename: {Age: Years, City: Town, Tenure in Months: Tenure(Months)}",
		"rename: {Age: City, City: Age}", // a swap
		"rename: {Age: Gender}",          // onto an existing name
		"derive: {name: Tenure(Years), expr: 'floor(`Tenure in Months` / 12)', type: int}",
		"derive: {name: Place, expr: 'City + \"/\" + Gender'}",
		"derive: {name: Old, expr: Age > 50}",
		"derive: {name: GB, expr: '`Avg Monthly GB Download` * 1.5'}",
		"derive: {name: Age, expr: Age * 2}", // replaces a column in place
		"derive: {name: Third, expr: '`Monthly Charge` / 3', type: string}",
		"derive: {name: One, expr: '1'}",
		"derive: {name: Ratio, expr: '`Total Refunds` / `Total Charges` * 100', type: float}",
		"cast: {Total Revenue: int, Monthly Charge: int}",
		"cast: {Age: float, Zip Code: string, Monthly Charge: string}",
		"cast: {Avg Monthly GB Download: string, Number of Referrals: bool}",
		"cast: {Avg Monthly GB Download: float}",
		"cast: {Avg Monthly Long Distance Charges: int}", // missing values: an error
		"cast: {City: float}",
		"cast: {Married: bool}",
		"cast: {Zip Code: bool, City: int}", // two errors: the first in name order
		"fillna: {Avg Monthly GB Download: mean, Avg Monthly Long Distance Charges: median, Internet Type: mode}",
		"fillna: {Avg Monthly GB Download: median, Offer: mode, Multiple Lines: mode}",
		"fillna: {Avg Monthly GB Download: 0, Avg Monthly Long Distance Charges: 0}",
		"fillna: {Avg Monthly GB Download: 0.5, Internet Type: \"NaN\"}",
		"fillna: {Internet Type: 3, Churn Reason: 2.5, Churn Category: {value: mean}}",
		"fillna: {Avg Monthly GB Download: mode, Age: mean}",
		"fillna: {City: mean}",
		"fillna: {Internet Type: 0.1234567891}",
		"dropna:",
		"dropna: [Internet Type, Avg Monthly Long Distance Charges]",
		"dropna: {columns: [Internet Type, Multiple Lines], how: all}",
		"dedupe: [City, Contract]",
		"dedupe: {columns: [Gender, Married, Contract, Number of Referrals], keep: last}",
		"dedupe: [Internet Type, Avg Monthly GB Download]",
		"dedupe:",
		"clip: {Monthly Charge: {lower_quantile: 0.01, upper_quantile: 0.99}}",
		"clip: {Age: {lower: 18.5}, Tenure in Months: {lower: 3, upper: 60}}",
		"clip: {Avg Monthly GB Download: {upper_quantile: 0.9}, Total Revenue: {lower: 100}}",
		"clip: {City: {lower: 0}}",
		"onehot: {columns: [Contract, Internet Type]}",
		"onehot: {columns: [Contract], drop_first: true, prefix_sep: ':'}",
		"onehot: {columns: [Number of Dependents, Married]}",
		"onehot: {columns: [Monthly Charge]}", // too many levels
	})
}

// edgeTable holds the cells where gota's own behaviour differs: the text
// "NaN", floats equal to 6 decimals, -0, ints and bools with missing values.
func edgeTable(t *testing.T) *frame.Table {
	t.Helper()
	tb, err := frame.New(
		frame.NewString("id", []string{"a", "b", "c", "d", "e", "f"}, nil),
		frame.NewString("s", []string{"NaN", "x", "", "NaN", "x", "y"}, []bool{false, false, true, false, false, false}),
		frame.NewFloat("f", []float64{0.1234567891, 0.1234567892, math.Copysign(0, -1), 0, 2.5, math.NaN()}, nil),
		frame.NewInt("i", []int64{3, 0, -7, 3, 1 << 60, 2}, []bool{false, true, false, false, false, false}),
		frame.NewBool("b", []bool{true, false, false, true, true, false}, []bool{false, false, true, false, false, false}),
		frame.NewString("n", []string{" 3", "3.7", "-2", "1e3", "0", "7"}, nil),
	)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestGotaStepsEdgeCells(t *testing.T) {
	compareEngines(t, edgeTable(t), []string{
		"filter: s == \"NaN\"",
		"filter: is_missing(s)",
		"filter: s != \"x\"",
		"filter: i > 2.5", // gota's Filter would compare with 2
		"filter: f > 0.12345678915",
		"derive: {name: t, expr: s + \"!\"}",
		"derive: {name: t, expr: f * 1000000, type: string}",
		"derive: {name: t, expr: 'i + 1', type: int}",
		"derive: {name: t, expr: 'fill(i, -1)'}",
		"cast: {f: string, i: string, b: string}",
		"cast: {i: float, b: float}",
		"cast: {b: int}",
		"cast: {n: int}",
		"cast: {n: float}",
		"cast: {f: int}",
		"cast: {s: float}",
		"cast: {i: bool, f: bool}",
		"fillna: {s: \"NaN\", f: mean, i: median, b: mode}",
		"fillna: {s: mode, f: 1.25, i: 2.5, b: true}",
		"fillna: {s: 7, f: median, i: mode}",
		"dropna: [s]",
		"dropna: {how: all}",
		"dedupe: [f]", // floats equal to 6 decimals are different; -0 equals 0
		"dedupe: [s]", // the text "NaN" is not missing
		"dedupe: {columns: [s, b], keep: last}",
		"clip: {f: {lower: 0.1234567891, upper: 1}, i: {upper_quantile: 0.5}}",
		"clip: {i: {lower: -1, upper: 5}}",
		"onehot: {columns: [f, s]}", // level names from exact values; "NaN" is a level
		"onehot: {columns: [b, i], drop_first: true}",
		"rename: {s: i, i: s}",
		"select: [n, s]",
	})
}

// TestGotaDropEveryColumn: a drop of every column is refused with a
// message naming gota's limit.
func TestGotaDropEveryColumn(t *testing.T) {
	st := decodeStep(t, "drop: [id, s, f, i, b, n]")
	_, err := applyGota(t, edgeTable(t), st.Op)
	if err == nil || !strings.Contains(err.Error(), "a gota DataFrame cannot have none") {
		t.Errorf("err %v", err)
	}
}

// nativeOnly is a step kind without a gota implementation.
type nativeOnly struct{}

func (nativeOnly) Validate(*confyaml.FieldErrors, string) {}
func (nativeOnly) CheckColumns(*pipeline.Schema, string)  {}
func (nativeOnly) Apply(_ context.Context, t *frame.Table, _ *rowexpr.Program) (*frame.Table, error) {
	return t, nil
}

// TestGotaRefusesUnknownKinds: a step the gota engine cannot run is a
// config error naming the step, not a failure halfway through a run.
func TestGotaRefusesUnknownKinds(t *testing.T) {
	cfg := &Config{Engine: EngineGota, Steps: []Step{{Kind: "select", Op: &Select{"a"}}, {Kind: "future", Op: nativeOnly{}}}}
	err := cfg.Validate()
	if err == nil || !strings.Contains(err.Error(), "steps[1].future: engine: gota has no future step; use engine: native") {
		t.Errorf("err %v", err)
	}
	cfg.Engine = EngineNative
	if err := cfg.Validate(); err != nil {
		t.Errorf("native: %v", err)
	}
}
