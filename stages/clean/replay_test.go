package clean

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/pipeline"
)

// fitSteps runs a clean stage with the steps in yaml on tb (input.id id)
// and returns the table and the frozen transform it leaves in the State.
func fitSteps(t testing.TB, tb *frame.Table, id, yaml string) (*frame.Table, *model.Transform) {
	t.Helper()
	root, errs := confyaml.Parse("t.yaml", []byte(yaml), "steps")
	if errs != nil {
		t.Fatal(errs)
	}
	d := confyaml.NewDecoder(confyaml.Options{File: "t.yaml"})
	cfg := NewConfig().(*Config)
	d.Decode(root, cfg, "")
	if errs := d.TakeErrors(""); errs != nil {
		t.Fatal(errs)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	st := &pipeline.State{Table: tb}
	env := &pipeline.Env{Name: "clean", Type: "clean", IDColumn: id, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Config: &pipeline.Config{Input: pipeline.InputConfig{ID: id}}}
	if err := (&stage{cfg: cfg}).Run(context.Background(), env, st); err != nil {
		t.Fatal(err)
	}
	// model.json round trip: what predict reads is what was written.
	b, err := json.Marshal(st.Transform)
	if err != nil {
		t.Fatal(err)
	}
	var tr model.Transform
	if err := json.Unmarshal(b, &tr); err != nil {
		t.Fatal(err)
	}
	return st.Table, &tr
}

// asText reads a CSV file with every column as text, as predict reads its
// input.
func asText(t testing.TB, path string) *frame.Table {
	t.Helper()
	header, _, err := csvio.ReadHeader(path, csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]frame.Kind{}
	for _, h := range header {
		types[h] = frame.String
	}
	res, err := csvio.ReadFile(context.Background(), path, csvio.Options{Types: types})
	if err != nil {
		t.Fatal(err)
	}
	return res.Table
}

// replay plans and runs tr on the text table raw for features.
func replay(t *testing.T, tr *model.Transform, features []string, raw *frame.Table, opt ReplayOptions) (*Plan, *ReplayResult) {
	t.Helper()
	r, err := NewReplay(tr, features)
	if err != nil {
		t.Fatal(err)
	}
	p, err := r.Plan(raw.Names(), opt)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := raw.Select(p.Read...)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.Run(context.Background(), sub)
	if err != nil {
		t.Fatal(err)
	}
	return p, res
}

// sameCell compares row i of a and row j of b exactly (floats by bits,
// missing equal to missing).
func sameCell(a *frame.Column, i int, b *frame.Column, j int) bool {
	if a.Kind != b.Kind || a.IsMissing(i) != b.IsMissing(j) {
		return false
	}
	if a.IsMissing(i) {
		return true
	}
	switch a.Kind {
	case frame.Float:
		return math.Float64bits(a.Floats[i]) == math.Float64bits(b.Floats[j])
	case frame.Int:
		return a.Int(i) == b.Int(j)
	case frame.Bool:
		return a.Bools[i] == b.Bools[j]
	}
	return a.Dict[a.Code(i)] == b.Dict[b.Code(j)]
}

// mavenSteps use every kind of step on the Maven table, with statistics
// that must be frozen (fillna mean/median/mode, clip quantiles, onehot
// levels) and derived columns, one of them from a column with missing
// values.
const mavenSteps = `steps:
  - filter: '` + "`Customer Status`" + ` != "Churned"'
  - rename: {Number of Referrals: Referrals, Tenure in Months: Tenure, Avg Monthly GB Download: GB}
  - derive: {name: Tenure_Years, expr: 'floor(Tenure / 12)', type: int}
  - derive: {name: LD2, expr: '` + "`Avg Monthly Long Distance Charges`" + ` * 2'}
  - fillna: {GB: mean, LD2: median, Internet Type: mode, Offer: "none", Age: median}
  - clip: {Monthly Charge: {lower_quantile: 0.01, upper_quantile: 0.99}, Total Revenue: {lower: 0, upper_quantile: 0.95}}
  - cast: {Total Charges: int}
  - dropna: [Multiple Lines]
  - onehot: {columns: [Contract, Internet Type, Offer], drop_first: true}
  - dedupe: [Customer ID]
  - drop: [Latitude, Longitude]
  - select: [Customer ID, Referrals, Tenure, Tenure_Years, GB, LD2, Age, Monthly Charge, Total Revenue, Total Charges,
             Contract_One Year, Contract_Two Year, Internet Type_DSL, Internet Type_Fiber Optic,
             Offer_Offer A, Offer_Offer B, Offer_Offer E, Customer Status]
`

var mavenFeatures = []string{"Referrals", "Tenure", "Tenure_Years", "GB", "LD2", "Age", "Monthly Charge", "Total Revenue", "Total Charges",
	"Contract_One Year", "Contract_Two Year", "Internet Type_DSL", "Internet Type_Fiber Optic", "Offer_Offer A", "Offer_Offer E"}

// TestReplayMaven: the frozen steps replayed on the raw Maven file, read as
// text, give every feature of every training row exactly (bit for bit) —
// with rows: training the same rows in the same order, and with rows: all
// every input row, the training rows among them unchanged.
func TestReplayMaven(t *testing.T) {
	if testing.Short() {
		t.Skip("reads the Maven table")
	}
	tb, _ := loadMaven(t)
	fit, tr := fitSteps(t, tb, "Customer ID", mavenSteps)
	raw := asText(t, mavenPath)

	// The frozen forms hold constants, not methods.
	params := map[string]string{}
	for _, s := range tr.Steps {
		params[s.Kind] += string(s.Params)
	}
	for _, word := range []string{`"mean"`, `"median"`, `"mode"`, "quantile"} {
		if strings.Contains(params["fillna"]+params["clip"], word) {
			t.Errorf("frozen params still hold %s: %s %s", word, params["fillna"], params["clip"])
		}
	}
	if !strings.Contains(params["onehot"], `"levels":{"Contract":["Month-to-Month","One Year","Two Year"]`) {
		t.Errorf("onehot levels not frozen: %s", params["onehot"])
	}

	p, res := replay(t, tr, mavenFeatures, raw, ReplayOptions{Rows: RowsTraining})
	if len(res.Problems) > 0 {
		t.Fatalf("problems: %v", res.Problems[:min(5, len(res.Problems))])
	}
	if res.Table.NumRows() != fit.NumRows() {
		t.Fatalf("%d rows replayed, %d fitted", res.Table.NumRows(), fit.NumRows())
	}
	for _, f := range mavenFeatures {
		a, b := fit.Col(f), res.Table.Col(f)
		for i := range fit.NumRows() {
			if !sameCell(a, i, b, i) {
				t.Fatalf("feature %q row %d: fit %s, replay %s", f, i, a.Format(i), b.Format(i))
			}
		}
	}
	// Only what the features need is read: not the outcome, not the
	// dropped or unused columns.
	for _, c := range []string{"Latitude", "City", "Churn Reason"} {
		if slices.Contains(p.Read, c) {
			t.Errorf("reads %q, which no feature needs", c)
		}
	}
	// The row steps (filter, dropna, dedupe) drop what they dropped at fit.
	var drops, fitDrops []int
	for _, rs := range res.RowSteps {
		drops = append(drops, rs.Drops)
	}
	for _, s := range tr.Steps {
		if s.Kind == "filter" || s.Kind == "dropna" || s.Kind == "dedupe" {
			fitDrops = append(fitDrops, s.RowsIn-s.RowsOut)
		}
	}
	if !slices.Equal(drops, fitDrops) || drops[0] != 1869 || drops[1] == 0 {
		t.Errorf("row steps drop %v, at fit %v", drops, fitDrops)
	}

	// rows: all scores every input row; the training rows are unchanged.
	_, all := replay(t, tr, mavenFeatures, raw, ReplayOptions{})
	if all.Table.NumRows() != raw.NumRows() || len(all.Problems) > 0 {
		t.Fatalf("rows: all: %d rows, %d problems", all.Table.NumRows(), len(all.Problems))
	}
	at := map[string]int{}
	for i := range raw.NumRows() {
		at[raw.Col("Customer ID").Str(i)] = i
	}
	ids := fit.Col("Customer ID")
	for _, f := range mavenFeatures {
		a, b := fit.Col(f), all.Table.Col(f)
		for i := range fit.NumRows() {
			if j := at[ids.Str(i)]; !sameCell(a, i, b, j) {
				t.Fatalf("rows: all: feature %q, %s: fit %s, replay %s", f, ids.Str(i), a.Format(i), b.Format(i))
			}
		}
	}
	if all.RowSteps[0].Drops != 1869 {
		t.Errorf("rows: all: %v", all.RowSteps)
	}
}

// TestReplayNeeds: only the steps feeding the features run, narrowed; a
// row step whose columns are absent is skipped with a note (rows: all) or
// is an error (rows: training); a missing column is named with the step
// that reads it.
func TestReplayNeeds(t *testing.T) {
	tb, err := frame.New(
		frame.NewString("id", []string{"a", "b", "c"}, nil),
		frame.NewInt("x", []int64{1, 2, 3}, nil),
		frame.NewFloat("y", []float64{1, math.NaN(), 3}, nil),
		frame.NewString("status", []string{"ok", "ok", "gone"}, nil),
		frame.NewString("plan", []string{"A", "B", "A"}, nil),
	)
	if err != nil {
		t.Fatal(err)
	}
	_, tr := fitSteps(t, tb, "id", `steps:
  - filter: status == "ok"
  - rename: {x: X}
  - fillna: {y: mean}
  - derive: {name: z, expr: X * 2}
  - derive: {name: unused, expr: y + 1}
  - onehot: {columns: [plan]}
`)
	r, err := NewReplay(tr, []string{"z", "y", "plan_A"})
	if err != nil {
		t.Fatal(err)
	}
	// Everything the features need, and the filter's column.
	p, err := r.Plan([]string{"id", "x", "y", "plan", "status"}, ReplayOptions{})
	if err != nil || !slices.Equal(p.Read, []string{"x", "y", "status", "plan"}) || p.Skipped != nil {
		t.Fatalf("read %v, skipped %v, %v", p.Read, p.Skipped, err)
	}
	var kinds []string
	for _, s := range p.steps {
		kinds = append(kinds, s.rec.Key)
	}
	if got := strings.Join(kinds, " "); got != "steps[0].filter steps[1].rename steps[2].fillna steps[3].derive steps[5].onehot" {
		t.Errorf("steps %s", got)
	}
	// Without the filter's column, the filter is skipped.
	p, err = r.Plan([]string{"x", "y", "plan"}, ReplayOptions{})
	if err != nil || len(p.Skipped) != 1 || p.Skipped[0] != `clean: steps[0].filter is not evaluated: the input has no column "status"` {
		t.Fatalf("skipped %q, %v", p.Skipped, err)
	}
	if _, err = r.Plan([]string{"x", "y", "plan"}, ReplayOptions{Rows: RowsTraining}); err == nil ||
		err.Error() != `lacks a column the model needs: "status" (read by clean: steps[0].filter)` {
		t.Errorf("rows: training without the filter's column: %v", err)
	}
	// A missing column is blamed on the first step that reads it.
	_, err = r.Plan([]string{"X", "y", "plan", "status"}, ReplayOptions{})
	var me *MissingColumnsError
	if !errorAs(err, &me) || err.Error() != `lacks a column the model needs: "x" (read by clean: steps[1].rename; did you mean "X"?)` {
		t.Errorf("missing x: %v", err)
	}
	_, err = r.Plan([]string{"status"}, ReplayOptions{})
	if err == nil || err.Error() != `lacks 3 columns the model needs: "plan" (read by clean: steps[5].onehot), "x" (read by clean: steps[1].rename), "y" (read by clean: steps[2].fillna)` {
		t.Errorf("missing all: %v", err)
	}
}

func errorAs(err error, me **MissingColumnsError) bool {
	e, ok := err.(*MissingColumnsError)
	if ok {
		*me = e
	}
	return ok
}

// TestReplayProblems: bad values in new rows are problems of their rows
// (named by step, column and value), the other rows are replayed; unseen
// levels are zeros and counted, or problems with unseen: reject.
func TestReplayProblems(t *testing.T) {
	tb, err := frame.New(
		frame.NewString("id", []string{"a", "b", "c", "d"}, nil),
		frame.NewInt("n", []int64{1, 2, 3, 4}, nil),
		frame.NewString("s", []string{"1.5", "2", "3", "4"}, nil),
		frame.NewString("plan", []string{"A", "B", "A", "B"}, nil),
		frame.NewInt("k", []int64{1, 1, 2, 2}, []bool{false, true, false, false}),
	)
	if err != nil {
		t.Fatal(err)
	}
	fit, tr := fitSteps(t, tb, "id", `steps:
  - cast: {s: float}
  - derive: {name: r, expr: n / k}
  - derive: {name: q, expr: n * 10}
  - onehot: {columns: [plan]}
`)
	if got := fit.Col("r"); got.Kind != frame.Float || !got.IsMissing(1) {
		t.Fatalf("fit r: %v %v", got.Kind, got.Missing) // k had a missing value: a float to the expression
	}
	raw, err := frame.New(
		frame.NewString("id", []string{"e", "f", "g", "h", "i"}, nil),
		frame.NewString("n", []string{"5", "x", "7", "8.0", "9.5"}, nil),
		frame.NewString("s", []string{"1", "2", "oops", "4", "5"}, nil),
		frame.NewString("plan", []string{"A", "C", "C", "D", ""}, []bool{false, false, false, false, true}),
		frame.NewString("k", []string{"2", "2", "0", "3", "1"}, nil),
	)
	if err != nil {
		t.Fatal(err)
	}
	features := []string{"s", "r", "q", "plan_A", "plan_B"}
	_, res := replay(t, tr, features, raw, ReplayOptions{})
	var got []string
	for _, p := range res.Problems {
		got = append(got, p.String()+" @"+string(rune('0'+p.Row)))
	}
	want := []string{
		`column "n": not a number ("x") @1`,
		`column "n": not a whole number (the column held whole numbers when the model was fitted; to accept decimals, fit with the column in input.types as float) ("9.5") @4`,
		`clean: steps[0].cast: column "s": not a number (cast to float) ("oops") @2`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// k had a missing value at fit time, so the expression saw a float;
	// k is 0 in row 2: n / k is infinite, so missing, as in training.
	r := res.Table.Col("r")
	if r.Kind != frame.Float || r.Floats[0] != 2.5 || !r.IsMissing(1) || !r.IsMissing(2) || r.Floats[3] != 8.0/3 {
		t.Errorf("r = %v (missing %v)", r.Floats, r.Missing)
	}
	if q := res.Table.Col("q"); q.Kind != frame.Int || q.Int(3) != 80 {
		t.Errorf("q = %v", q.Int64s())
	}
	a, b := res.Table.Col("plan_A"), res.Table.Col("plan_B")
	if !slices.Equal(a.Int64s(), []int64{1, 0, 0, 0, 0}) || !slices.Equal(b.Int64s(), []int64{0, 0, 0, 0, 0}) {
		t.Errorf("plan_A %v plan_B %v", a.Int64s(), b.Int64s())
	}
	if len(res.Unseen) != 1 || res.Unseen[0].Rows != 3 || res.Unseen[0].Column != "plan" ||
		!slices.Equal(res.Unseen[0].Levels, []LevelCount{{"C", 2}, {"D", 1}}) {
		t.Errorf("unseen %+v", res.Unseen)
	}
	_, res = replay(t, tr, features, raw, ReplayOptions{Unseen: UnseenReject})
	var rejected []int
	for _, p := range res.Problems {
		if p.Reason == "a level never seen in training" {
			rejected = append(rejected, p.Row)
		}
	}
	if !slices.Equal(rejected, []int{1, 2, 3}) || res.Unseen != nil {
		t.Errorf("unseen: reject: rows %v, counts %v", rejected, res.Unseen)
	}
}

// TestReplayExpressionFails: an expression that fails on a new row's value
// is a problem of that row; an int column that had no missing value at fit
// time but has one now gives a missing result in that row.
func TestReplayExpressionFails(t *testing.T) {
	tb, err := frame.New(frame.NewInt("a", []int64{6, 8}, nil), frame.NewInt("b", []int64{3, 4}, nil))
	if err != nil {
		t.Fatal(err)
	}
	_, tr := fitSteps(t, tb, "", `steps:
  - derive: {name: m, expr: a % b}
  - filter: a % b == 0
`)
	raw, err := frame.New(
		frame.NewString("a", []string{"7", "9", "5"}, nil),
		frame.NewString("b", []string{"0", "", "5"}, []bool{false, true, false}),
	)
	if err != nil {
		t.Fatal(err)
	}
	_, res := replay(t, tr, []string{"m"}, raw, ReplayOptions{})
	var got []string
	for _, p := range res.Problems {
		got = append(got, p.String())
	}
	want := []string{
		`clean: steps[0].derive: column "m": the expression failed: runtime error: integer divide by zero (1:3) ("a = 7, b = 0")`,
		`clean: steps[1].filter: the filter failed: runtime error: integer divide by zero (1:3) ("a = 7, b = 0")`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	m := res.Table.Col("m")
	if m.Kind != frame.Int || !m.IsMissing(0) || !m.IsMissing(1) || m.Int(2) != 0 {
		t.Errorf("m = %v missing %v", m.Int64s(), m.Missing)
	}
	if res.RowSteps[0].Drops != 2 { // row 0 (failed) and row 1 (b missing: false)
		t.Errorf("row steps %+v", res.RowSteps)
	}
}

// TestReplayEditedModel: a hand-edited transform is refused with a message
// naming the step.
func TestReplayEditedModel(t *testing.T) {
	tb, err := frame.New(frame.NewFloat("x", []float64{1, math.NaN(), 3}, nil))
	if err != nil {
		t.Fatal(err)
	}
	_, tr := fitSteps(t, tb, "", "steps:\n  - fillna: {x: mean}\n")
	if got := string(tr.Steps[0].Params); got != `{"x":2}` {
		t.Fatalf("frozen fillna %s", got)
	}
	for _, tc := range []struct {
		edit func(tr *model.Transform)
		want string
	}{
		{func(tr *model.Transform) { tr.Steps[0].Kind = "fillnaa" }, `the model's step clean: steps[0].fillna: unknown step kind "fillnaa"`},
		{func(tr *model.Transform) { tr.Steps[0].Params = []byte(`{"x":[1]}`) }, `the model's step clean: steps[0].fillna: params {"x":[1]} do not decode as a fillna step`},
		{func(tr *model.Transform) {
			tr.Steps[0].Kind, tr.Steps[0].Params = "onehot", []byte(`{"columns":["x"],"colour":1}`)
		}, `unknown field "colour"`},
		{func(tr *model.Transform) {
			tr.Steps[0].Kind, tr.Steps[0].Params = "clip", []byte(`{"x":{"lower":5,"upper":1}}`)
		}, `lower 5 is above upper 1`},
		{func(tr *model.Transform) { tr.Steps[0].Params, tr.Steps[0].NotFrozen = nil, "no mean" }, `the model's step clean: steps[0].fillna was not frozen (no mean), so it cannot score raw rows`},
	} {
		bad := tr.Clone()
		tc.edit(bad)
		if _, err := NewReplay(bad, []string{"x"}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
	// A feature no step produces and the input never had.
	r, err := NewReplay(tr, []string{"x2"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Plan([]string{"x", "x2"}, ReplayOptions{}); err == nil || !strings.Contains(err.Error(), `the model's steps do not produce the feature "x2" and the raw input had no such column`) {
		t.Errorf("got %v", err)
	}
}
