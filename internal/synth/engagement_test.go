package synth

// Fixture testdata/engagement_seed42.json (pandas Pearson matrix of
// Engagement(5000 rows, seed 42)) is made by testdata/gen_reference.py; the
// exact commands are at the top of churn_test.go and of the script.

import (
	"bytes"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

const engRows = 5000 // rows the correlation structure is specified on

// engMatrix returns the metric columns of an engagement table and their
// Pearson matrix.
func engMatrix(t *testing.T, tb *table) ([][]float64, [][]float64) {
	t.Helper()
	names := EngagementColumns()[1:]
	cols := make([][]float64, len(names))
	for i, n := range names {
		cols[i] = tb.floats(t, n)
	}
	r := make([][]float64, len(names))
	for i := range r {
		r[i] = make([]float64, len(names))
		for j := range r[i] {
			r[i][j] = pearson(cols[i], cols[j])
		}
	}
	return cols, r
}

func TestEngagementHeaderAndShape(t *testing.T) {
	want := []string{"Customer ID", "Purchase Frequency", "Session Duration", "Email Open Rate",
		"Mobile App Usage", "Support Tickets", "Social Media Engagement", "Product Reviews",
		"Loyalty Points"}
	if !slices.Equal(EngagementColumns(), want) {
		t.Fatalf("EngagementColumns() = %q", EngagementColumns())
	}
	c := EngagementColumns()
	c[1] = "mutated"
	if EngagementColumns()[1] != want[1] {
		t.Fatal("EngagementColumns shares its backing array")
	}
	data := generate(t, Engagement, 40, 9)
	if bytes.Contains(data, []byte("\r")) || !bytes.HasSuffix(data, []byte("\n")) {
		t.Error("want LF line ends and a final newline")
	}
	if line, _, _ := strings.Cut(string(data), "\n"); line != strings.Join(want, ",") {
		t.Errorf("header %q", line)
	}
	tb := parseTable(t, data)
	if len(tb.rows) != 40 || len(tb.header) != 9 {
		t.Fatalf("shape %d x %d, want 40 x 9", len(tb.rows), len(tb.header))
	}
	if one := parseTable(t, generate(t, Engagement, 1, 9)); len(one.rows) != 1 {
		t.Fatalf("rows=1 gave %d rows", len(one.rows))
	}
}

func TestEngagementDomains(t *testing.T) {
	tb := parseTable(t, generate(t, Engagement, engRows, seed42))
	ids := tb.col(t, "Customer ID")
	for i, id := range ids {
		if !idRE.MatchString(id) || (i > 0 && id <= ids[i-1]) {
			t.Fatalf("Customer ID %d = %q (previous %q)", i, id, ids[max(i-1, 0)])
		}
	}
	for _, name := range []string{"Purchase Frequency", "Support Tickets", "Social Media Engagement",
		"Product Reviews", "Loyalty Points"} {
		for i, s := range tb.col(t, name) {
			if v, err := strconv.ParseUint(s, 10, 64); err != nil || strconv.FormatUint(v, 10) != s {
				t.Fatalf("%s row %d = %q, want a non-negative integer", name, i+1, s)
			}
		}
	}
	decimals := map[string]int{"Session Duration": 2, "Email Open Rate": 3, "Mobile App Usage": 1}
	for name, d := range decimals {
		for i, s := range tb.col(t, name) {
			if _, frac, ok := strings.Cut(s, "."); !ok || len(frac) != d {
				t.Fatalf("%s row %d = %q, want %d decimals", name, i+1, s, d)
			}
		}
	}
	for i, v := range tb.floats(t, "Email Open Rate") {
		if v < 0 || v > 1 {
			t.Fatalf("Email Open Rate row %d = %v", i+1, v)
		}
	}
	for i, v := range tb.floats(t, "Mobile App Usage") {
		if v < 0 {
			t.Fatalf("Mobile App Usage row %d = %v", i+1, v)
		}
	}
	// Session Duration: positive and right-skewed (mean well above median).
	sd := tb.floats(t, "Session Duration")
	var mean float64
	for i, v := range sd {
		if v <= 0 {
			t.Fatalf("Session Duration row %d = %v", i+1, v)
		}
		mean += v
	}
	mean /= float64(len(sd))
	sorted := slices.Clone(sd)
	slices.Sort(sorted)
	if med := sorted[len(sorted)/2]; mean < 1.1*med {
		t.Errorf("Session Duration mean %.2f, median %.2f: want right skew", mean, med)
	}
	// Plausible scales: medians.
	wantMedian := map[string][2]float64{
		"Purchase Frequency": {8, 16}, "Session Duration": {5, 12}, "Email Open Rate": {0.15, 0.4},
		"Mobile App Usage": {8, 20}, "Support Tickets": {0, 1}, "Social Media Engagement": {10, 30},
		"Product Reviews": {0, 2}, "Loyalty Points": {800, 1600},
	}
	for name, r := range wantMedian {
		v := slices.Clone(tb.floats(t, name))
		slices.Sort(v)
		if med := v[len(v)/2]; med < r[0] || med > r[1] {
			t.Errorf("median %s = %v, want in %v", name, med, r)
		}
	}
}

// checkEngagementStructure asserts the specified correlation structure.
func checkEngagementStructure(t *testing.T, r [][]float64) {
	t.Helper()
	names := EngagementColumns()[1:]
	idx := func(n string) int { return slices.Index(names, n) }
	pf, app, loy := idx("Purchase Frequency"), idx("Mobile App Usage"), idx("Loyalty Points")
	email, social, rev := idx("Email Open Rate"), idx("Social Media Engagement"), idx("Product Reviews")

	if v := r[app][pf]; v < 0.6 || v > 0.85 {
		t.Errorf("r(App, Purchase) = %.3f, want ≈ 0.75-0.8 (>= 0.6)", v)
	}
	if v := r[pf][loy]; v < 0.6 {
		t.Errorf("r(Purchase, Loyalty) = %.3f, want >= 0.6", v)
	}
	if v := r[email][social]; v < 0.4 || v > 0.6 {
		t.Errorf("r(Email, Social) = %.3f, want in [0.4, 0.6]", v)
	}
	maxPos, minNeg := 0.0, 0.0
	var posPair, negPair [2]int
	weak := 0
	for i := range r {
		for j := i + 1; j < len(r); j++ {
			if r[i][j] > maxPos {
				maxPos, posPair = r[i][j], [2]int{i, j}
			}
			if r[i][j] < minNeg {
				minNeg, negPair = r[i][j], [2]int{i, j}
			}
			if math.Abs(r[i][j]) < 0.3 {
				weak++
			}
		}
	}
	if posPair != [2]int{pf, app} {
		t.Errorf("strongest positive pair is %s/%s (%.3f), want Purchase/App", names[posPair[0]], names[posPair[1]], maxPos)
	}
	if negPair[0] != rev && negPair[1] != rev {
		t.Errorf("strongest negative pair %s/%s (%.3f) does not involve Product Reviews", names[negPair[0]], names[negPair[1]], minNeg)
	}
	neg := 0
	for j := range r {
		if j != rev && r[rev][j] <= -0.2 {
			neg++
		}
	}
	if neg < 3 {
		t.Errorf("Product Reviews has r <= -0.2 with %d metrics, want >= 3", neg)
	}
	if weak < 18 { // of 28 pairs, "mostly weak"
		t.Errorf("%d of 28 pairs have |r| < 0.3, want most", weak)
	}
}

func TestEngagementCorrelationStructure(t *testing.T) {
	for _, seed := range []uint64{seed42, 1, 2, 3, 4} {
		_, r := engMatrix(t, parseTable(t, generate(t, Engagement, engRows, seed)))
		t.Run("seed="+strconv.FormatUint(seed, 10), func(t *testing.T) { checkEngagementStructure(t, r) })
	}
}

// TestEngagementSeed42Fixture compares the test's Pearson matrix with pandas
// on the same bytes.
func TestEngagementSeed42Fixture(t *testing.T) {
	var want struct {
		Rows    int         `json:"rows"`
		SHA256  string      `json:"sha256"`
		Columns []string    `json:"columns"`
		Pearson [][]float64 `json:"pearson"`
	}
	readJSON(t, "engagement_seed42.json", &want)
	data := generate(t, Engagement, engRows, seed42)
	if got := sum256(data); got != want.SHA256 {
		t.Skipf("Engagement(5000, 42) sha256 %s differs from the fixture's %s (model changed or another platform's math); regenerate with testdata/gen_reference.py", got, want.SHA256)
	}
	if !slices.Equal(want.Columns, EngagementColumns()[1:]) {
		t.Fatalf("fixture columns %q", want.Columns)
	}
	_, r := engMatrix(t, parseTable(t, data))
	const tol = 1e-12
	for i := range r {
		for j := range r[i] {
			if math.Abs(r[i][j]-want.Pearson[i][j]) > tol {
				t.Errorf("r[%s][%s] = %.15f, pandas %.15f", want.Columns[i], want.Columns[j], r[i][j], want.Pearson[i][j])
			}
		}
	}
}

func TestEngagementLoadingsValid(t *testing.T) {
	for m, row := range engLoadings {
		var h float64
		for _, l := range row {
			h += l * l
		}
		if h >= 1 || math.IsNaN(engUnique[m]) {
			t.Errorf("metric %d: communality %v, want < 1", m, h)
		}
	}
}

func TestEngagementDeterminism(t *testing.T) {
	a := sum256(generate(t, Engagement, 3000, 11))
	if b := sum256(generate(t, Engagement, 3000, 11)); a != b {
		t.Fatalf("same seed, different output: %s vs %s", a, b)
	}
	if c := sum256(generate(t, Engagement, 3000, 12)); c == a {
		t.Fatal("seeds 11 and 12 gave identical output")
	}
	// Churn and Engagement use unrelated streams for one seed.
	e := parseTable(t, generate(t, Engagement, 5, 11))
	c := parseTable(t, generate(t, Churn, 5, 11))
	if slices.Equal(e.col(t, "Customer ID"), c.col(t, "Customer ID")) {
		t.Error("Churn and Engagement draw the same IDs from one seed")
	}
}

func TestEngagementErrors(t *testing.T) {
	var buf bytes.Buffer
	for _, rows := range []int{0, -5} {
		if err := Engagement(&buf, rows, 1); err == nil {
			t.Errorf("rows=%d: no error", rows)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes on bad input", buf.Len())
	}
	if err := Engagement(nil, 10, 1); err == nil {
		t.Error("nil writer: no error")
	}
	for _, n := range []int{0, 50, 100_000} {
		if err := Engagement(&failWriter{n: n}, 5000, 1); !errorsIs(err, errFail) {
			t.Errorf("failing writer after %d bytes: err = %v, want wrapping %v", n, err, errFail)
		}
	}
}
