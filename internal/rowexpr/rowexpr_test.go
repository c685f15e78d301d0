package rowexpr

import (
	"context"
	"errors"
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

func testTable(t *testing.T) *frame.Table {
	t.Helper()
	tb, err := frame.New(
		frame.NewFloat("Age", []float64{30, 70, math.NaN(), 45}, nil),
		frame.NewString("Customer Status", []string{"Stayed", "Churned", "", "Joined"}, []bool{false, false, true, false}),
		frame.NewInt("Tenure in Months", []int64{9, 30, 50, 0}, nil),
		frame.NewInt("Referrals", []int64{1, 0, 3, 0}, []bool{false, true, false, false}),
		frame.NewBool("Married", []bool{true, false, true, false}, nil),
	)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestFilter(t *testing.T) {
	tb := testTable(t)
	for _, tc := range []struct {
		expr string
		want []bool
	}{
		// A comparison reading a missing cell is false — != included.
		{"`Customer Status` != \"Churned\"", []bool{true, false, false, true}},
		{"`Customer Status` == \"Churned\"", []bool{false, true, false, false}},
		{"Age > 40", []bool{false, true, false, true}},
		{"Age != 30", []bool{false, true, false, true}},
		{"not (Age > 40)", []bool{true, false, true, false}},
		{"is_missing(Age) or Age > 60", []bool{false, true, true, false}},
		{"is_missing(`Customer Status`)", []bool{false, false, true, false}},
		{"fill(Age, 99) > 60", []bool{false, true, true, false}},
		{"Referrals >= 0", []bool{true, false, true, true}},
		{"Married and `Tenure in Months` > 10", []bool{false, false, true, false}},
		{"`Customer Status` in [\"Stayed\", \"Joined\"]", []bool{true, false, false, true}},
		{"lower(`Customer Status`) startsWith \"st\"", []bool{true, false, false, false}},
	} {
		p, err := Compile(tc.expr, VarsOf(tb))
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		got, err := p.Filter(context.Background(), tb)
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("%s: got %v, want %v", tc.expr, got, tc.want)
				break
			}
		}
	}
}

func TestDerive(t *testing.T) {
	const tol = 1e-12
	tb := testTable(t)
	nan := math.NaN()
	for _, tc := range []struct {
		expr string
		kind frame.Kind
		want []float64 // NaN = missing
	}{
		{"floor(`Tenure in Months` / 12)", frame.Float, []float64{0, 2, 4, 0}},
		{"`Tenure in Months` * 2", frame.Int, []float64{18, 60, 100, 0}},
		{"Age + 1", frame.Float, []float64{31, 71, nan, 46}},
		// Referrals has a missing cell, so it is a float (NaN) in expressions.
		{"Referrals + 1", frame.Float, []float64{2, nan, 4, 1}},
		{"fill(Age, 0) + 1", frame.Float, []float64{31, 71, 1, 46}},
		{"log1p(`Tenure in Months`)", frame.Float, []float64{math.Log1p(9), math.Log1p(30), math.Log1p(50), 0}},
		{"round(2.5) + round(3.5) + round(Age / 100, 1)", frame.Float, []float64{6.3, 6.7, nan, 6.4}},
		{"sqrt(-1 * `Tenure in Months`)", frame.Float, []float64{nan, nan, nan, 0}},
		{"Age > 40 ? 1 : 0", frame.Int, []float64{0, 1, nan, 1}},
	} {
		p, err := Compile(tc.expr, VarsOf(tb))
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		c, err := p.Derive(context.Background(), tb, "x")
		if err != nil {
			t.Errorf("%s: %v", tc.expr, err)
			continue
		}
		if c.Kind != tc.kind {
			t.Errorf("%s: kind %v, want %v", tc.expr, c.Kind, tc.kind)
		}
		for i, w := range tc.want {
			got, ok := c.Value(i)
			if math.IsNaN(w) != !ok || ok && math.Abs(got-w) > tol {
				t.Errorf("%s row %d: got %v (present %v), want %v", tc.expr, i, got, ok, w)
			}
		}
	}
	p, _ := Compile("`Customer Status` + \"!\"", VarsOf(tb))
	c, err := p.Derive(context.Background(), tb, "s")
	if err != nil || c.Str(0) != "Stayed!" || !c.IsMissing(2) {
		t.Errorf("string derive: %v %q missing=%v", err, c.Str(0), c.IsMissing(2))
	}
}

func TestCompileErrors(t *testing.T) {
	tb := testTable(t)
	for _, tc := range []struct{ expr, want string }{
		{"Agee > 3", `unknown column "Agee" (did you mean "Age"?)`},
		{"`Customer Statu` == 'x'", `unknown column "Customer Statu" (did you mean "Customer Status"?)`},
		{"Customer Status == 'x'", "between backticks"},
		{"is_missing(Age + 1)", "is_missing() takes one column name"},
		{"Age > 'x'", "> cannot combine a number with text (1:5); a text column goes with text"},
		{"`Customer Status` / Age", "/ cannot combine text with a number"},
		{"`Age", "unclosed `"},
		{"Age > \"x", "unclosed string"},
	} {
		_, err := Compile(tc.expr, VarsOf(tb))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err %v, want %q", tc.expr, err, tc.want)
		}
	}
	p, _ := Compile("Age + 1", VarsOf(tb))
	if _, err := p.Filter(context.Background(), tb); err == nil || !strings.Contains(err.Error(), "true or false") {
		t.Errorf("non-bool filter: %v", err)
	}
}

func TestRuntimeErrorNamesRow(t *testing.T) {
	tb := testTable(t)
	p, err := Compile("`Tenure in Months` % `Tenure in Months`", VarsOf(tb))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.Derive(context.Background(), tb, "x")
	var re *RowError
	if !errors.As(err, &re) || re.Row != 3 {
		t.Fatalf("err %v, want a RowError at row index 3", err)
	}
}

func TestReferenced(t *testing.T) {
	cols, unknown, err := Referenced("`Customer Status` != \"x\" and Age > 3 and floor(Bogus) > 1", []string{"Customer Status", "Age"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cols, ",") != "Customer Status,Age" || strings.Join(unknown, ",") != "Bogus" {
		t.Errorf("cols %v unknown %v", cols, unknown)
	}
}

// TestParallelDeterministic: results do not depend on GOMAXPROCS.
func TestParallelDeterministic(t *testing.T) {
	n := 50_000
	x := make([]float64, n)
	for i := range x {
		x[i] = float64(i%97) / 7
	}
	tb, _ := frame.New(frame.NewFloat("x", x, nil))
	p, err := Compile("x * 3 > 20 ? log(x + 1) : x", VarsOf(tb))
	if err != nil {
		t.Fatal(err)
	}
	old := runtime.GOMAXPROCS(1)
	a, _ := p.Derive(context.Background(), tb, "y")
	runtime.GOMAXPROCS(2)
	b, _ := p.Derive(context.Background(), tb, "y")
	runtime.GOMAXPROCS(old)
	for i := range a.Floats {
		if math.Float64bits(a.Floats[i]) != math.Float64bits(b.Floats[i]) {
			t.Fatalf("row %d differs", i)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Derive(ctx, tb, "y"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func BenchmarkFilter1M(b *testing.B) {
	n := 1_000_000
	vals := make([]string, n)
	levels := []string{"Stayed", "Churned", "Joined"}
	for i := range vals {
		vals[i] = levels[i%3]
	}
	tb, _ := frame.New(frame.NewString("Customer Status", vals, nil))
	p, _ := Compile("`Customer Status` != \"Churned\"", VarsOf(tb))
	b.ResetTimer()
	for range b.N {
		if _, err := p.Filter(context.Background(), tb); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDerive1M(b *testing.B) {
	n := 1_000_000
	v := make([]int64, n)
	for i := range v {
		v[i] = int64(i % 72)
	}
	tb, _ := frame.New(frame.NewInt("Tenure", v, nil))
	p, _ := Compile("floor(Tenure / 12)", VarsOf(tb))
	b.ResetTimer()
	for range b.N {
		if _, err := p.Derive(context.Background(), tb, "y"); err != nil {
			b.Fatal(err)
		}
	}
}

// TestDeriveStats: the rows a derive leaves missing are counted by cause,
// and the cause of an undefined result is worded from the expression.
func TestDeriveStats(t *testing.T) {
	tb := testTable(t)
	vars := VarsOf(tb)
	for _, tc := range []struct {
		expr  string
		stats DeriveStats
		cause string
	}{
		// Age is missing in row 3; tenure is 0 in row 4: 45/0 = +Inf.
		{"Age / `Tenure in Months`", DeriveStats{InputMissing: 1, Undefined: 1}, "division by zero"},
		{"log(`Tenure in Months`)", DeriveStats{Undefined: 1}, "a logarithm or square root out of range"},
		{"sqrt(Age) / `Tenure in Months`", DeriveStats{InputMissing: 1, Undefined: 1}, "division by zero or a logarithm or square root out of range"},
		{"fill(Age, 0) * 2", DeriveStats{}, "an arithmetic overflow"},
		{"Referrals + 1", DeriveStats{InputMissing: 1}, "an arithmetic overflow"},
	} {
		p, err := Compile(tc.expr, vars)
		if err != nil {
			t.Fatal(tc.expr, err)
		}
		col, st, err := p.DeriveWithStats(context.Background(), tb, "x")
		if err != nil || st != tc.stats || p.UndefinedCause() != tc.cause || col.NumMissing() != st.InputMissing+st.Undefined {
			t.Errorf("%s: %+v %q (%d missing), %v; want %+v %q", tc.expr, st, p.UndefinedCause(), col.NumMissing(), err, tc.stats, tc.cause)
		}
	}
}
