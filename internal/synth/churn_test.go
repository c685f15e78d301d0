package synth

// Fixtures: testdata/maven_reference.json and testdata/churn_seed42.json, made by
//
//	go test ./internal/synth -run TestDump -count=1 -args -synth.dump=/tmp/synth_churn_42.csv -synth.kind=churn -synth.rows=7043 -synth.seed=42
//	go test ./internal/synth -run TestDump -count=1 -args -synth.dump=/tmp/synth_eng_42.csv -synth.kind=engagement -synth.rows=5000 -synth.seed=42
//	/usr/bin/python3 internal/synth/testdata/gen_reference.py ../shared/datasets/telecom_customer_churn.csv /tmp/synth_churn_42.csv /tmp/synth_eng_42.csv internal/synth/testdata
//
// (from /work/main; see testdata/gen_reference.py).

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"math"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// mavenRef mirrors testdata/maven_reference.json (and churn_seed42.json).
type mavenRef struct {
	Header              []string              `json:"header"`
	Rows                int                   `json:"rows"`
	StatusCounts        map[string]int        `json:"status_counts"`
	CorrTenureRevenue   float64               `json:"corr_tenure_revenue"`
	ChurnRateByContract map[string]float64    `json:"churn_rate_by_contract"`
	BlankCounts         map[string]int        `json:"blank_counts"`
	NumericRanges       map[string][2]float64 `json:"numeric_ranges"`
	CategoricalValues   map[string][]string   `json:"categorical_values"`
	ReasonCategory      map[string]string     `json:"reason_category"`
	SHA256              string                `json:"sha256"`
}

const (
	realRows = 7043 // rows of the real Maven file
	seed42   = 42
)

var (
	churn42Once sync.Once
	churn42     []byte
)

// churnSample is Churn(7043 rows, seed 42), generated once.
func churnSample(t *testing.T) *table {
	t.Helper()
	churn42Once.Do(func() { churn42 = generate(t, Churn, realRows, seed42) })
	return parseTable(t, churn42)
}

func loadMavenRef(t *testing.T) mavenRef {
	t.Helper()
	var ref mavenRef
	readJSON(t, "maven_reference.json", &ref)
	return ref
}

func TestChurnHeader(t *testing.T) {
	ref := loadMavenRef(t)
	if !slices.Equal(ChurnColumns(), ref.Header) {
		t.Fatalf("ChurnColumns() = %q\nwant (real file) %q", ChurnColumns(), ref.Header)
	}
	data := generate(t, Churn, 3, 1)
	line, _, _ := strings.Cut(string(data), "\n")
	if want := strings.Join(ref.Header, ","); line != want {
		t.Errorf("header line = %q, want %q", line, want)
	}
	// The header matches the real file's first line byte for byte.
	f, err := os.Open(realChurnPath)
	if err != nil {
		t.Skipf("real file not available (%v); fixture header checked only", err)
	}
	defer f.Close()
	first, err := bufio.NewReader(f).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimRight(first, "\r\n"); got != line {
		t.Errorf("real header %q != generated %q", got, line)
	}
}

func TestChurnColumnsIsACopy(t *testing.T) {
	c := ChurnColumns()
	c[0] = "mutated"
	if ChurnColumns()[0] != "Customer ID" {
		t.Fatal("ChurnColumns shares its backing array")
	}
	if !strings.HasPrefix(string(generate(t, Churn, 1, 1)), "Customer ID,") {
		t.Fatal("header changed after mutating a ChurnColumns copy")
	}
}

func TestChurnShape(t *testing.T) {
	data := generate(t, Churn, 25, 3)
	if bytes.Contains(data, []byte("\r")) {
		t.Error("output contains CR; want LF line ends")
	}
	if !bytes.HasSuffix(data, []byte("\n")) {
		t.Error("output does not end with a newline")
	}
	if got := bytes.Count(data, []byte("\n")); got != 26 {
		t.Errorf("%d lines, want 26", got)
	}
	tb := parseTable(t, data)
	if len(tb.rows) != 25 || len(tb.header) != 38 {
		t.Fatalf("shape %d x %d, want 25 x 38", len(tb.rows), len(tb.header))
	}
	one := parseTable(t, generate(t, Churn, 1, 3))
	if len(one.rows) != 1 {
		t.Fatalf("rows=1 gave %d rows", len(one.rows))
	}
}

var moneyRE = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.([0-9][1-9]|[1-9]))?$`)

func TestChurnDomains(t *testing.T) {
	ref := loadMavenRef(t)
	tb := churnSample(t)
	if len(tb.rows) != realRows || len(tb.header) != 38 {
		t.Fatalf("shape %d x %d, want %d x 38", len(tb.rows), len(tb.header), realRows)
	}

	// Customer ID: NNNN-LLLLL, unique (strictly increasing).
	ids := tb.col(t, "Customer ID")
	for i, id := range ids {
		if !idRE.MatchString(id) {
			t.Fatalf("Customer ID %q", id)
		}
		if i > 0 && id <= ids[i-1] {
			t.Fatalf("Customer ID %q not after %q", id, ids[i-1])
		}
	}

	// Categorical columns: every value is one the real file uses, and every
	// value the real file uses occurs.
	for name, want := range ref.CategoricalValues {
		got := map[string]bool{}
		for _, v := range tb.col(t, name) {
			got[v] = true
		}
		keys := make([]string, 0, len(got))
		for k := range got {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if !slices.Equal(keys, want) {
			t.Errorf("%s values %q, want %q", name, keys, want)
		}
	}

	// Integer columns within the real ranges.
	for _, name := range []string{"Age", "Number of Dependents", "Number of Referrals",
		"Tenure in Months", "Avg Monthly GB Download", "Total Extra Data Charges"} {
		lo, hi := ref.NumericRanges[name][0], ref.NumericRanges[name][1]
		for i, v := range tb.floats(t, name) {
			if math.IsNaN(v) {
				continue
			}
			if v != math.Trunc(v) || v < lo || v > hi {
				t.Fatalf("%s row %d = %v, want an integer in [%v, %v]", name, i+1, v, lo, hi)
			}
		}
	}
	for i, v := range tb.floats(t, "Total Extra Data Charges") {
		if math.Mod(v, 10) != 0 {
			t.Fatalf("Total Extra Data Charges row %d = %v, want a multiple of 10", i+1, v)
		}
	}

	// Money columns: at most two decimals, written like the real file.
	money := []string{"Avg Monthly Long Distance Charges", "Monthly Charge", "Total Charges",
		"Total Refunds", "Total Extra Data Charges", "Total Long Distance Charges", "Total Revenue"}
	for _, name := range money {
		for i, s := range tb.col(t, name) {
			if s != "" && !moneyRE.MatchString(s) {
				t.Fatalf("%s row %d = %q is not formatted like the real file", name, i+1, s)
			}
		}
	}
	ranges := map[string][2]float64{ // brief's domains
		"Avg Monthly Long Distance Charges": {1.01, 49.99},
		"Monthly Charge":                    {-10, 125},
		"Total Charges":                     {15, 10000},
		"Total Refunds":                     {0, 49.99},
		"Total Long Distance Charges":       {0, 72 * 49.99},
	}
	for name, r := range ranges {
		for i, v := range tb.floats(t, name) {
			if v < r[0] || v > r[1] {
				t.Fatalf("%s row %d = %v, want in %v", name, i+1, v, r)
			}
		}
	}
	var neg int
	for _, v := range tb.floats(t, "Monthly Charge") {
		if v < 0 {
			neg++
			if v != math.Trunc(v) {
				t.Fatalf("negative Monthly Charge %v is not a whole number", v)
			}
		}
	}
	if neg == 0 {
		t.Error("no negative Monthly Charge; the real file has 120 in 7043 rows")
	}

	// Geography: California coordinates with at most 6 decimals, one
	// (city, lat, lon) per zip, every row present in the real file.
	zipKey := map[string]string{}
	city, zip := tb.col(t, "City"), tb.col(t, "Zip Code")
	lat, lon := tb.col(t, "Latitude"), tb.col(t, "Longitude")
	for i := range zip {
		if len(zip[i]) != 5 || zip[i][0] != '9' {
			t.Fatalf("Zip Code %q", zip[i])
		}
		for _, s := range []string{lat[i], lon[i]} {
			if _, frac, _ := strings.Cut(s, "."); len(frac) > 6 {
				t.Fatalf("coordinate %q has more than 6 decimals", s)
			}
		}
		la, _ := strconv.ParseFloat(lat[i], 64)
		lo, _ := strconv.ParseFloat(lon[i], 64)
		if la < 32.5 || la > 42.1 || lo < -124.5 || lo > -114.1 {
			t.Fatalf("(%v, %v) is outside California", la, lo)
		}
		key := city[i] + "|" + lat[i] + "|" + lon[i]
		if k, ok := zipKey[zip[i]]; ok && k != key {
			t.Fatalf("zip %s has %q and %q", zip[i], k, key)
		}
		zipKey[zip[i]] = key
	}
	if len(zipKey) < 300 {
		t.Errorf("%d distinct zips, want a few hundred", len(zipKey))
	}
	if real, err := os.ReadFile(realChurnPath); err == nil {
		rt := parseTable(t, real)
		have := map[string]bool{}
		rc, rz, rla, rlo := rt.col(t, "City"), rt.col(t, "Zip Code"), rt.col(t, "Latitude"), rt.col(t, "Longitude")
		for i := range rz {
			have[rz[i]+"|"+rc[i]+"|"+rla[i]+"|"+rlo[i]] = true
		}
		for z, k := range zipKey {
			if !have[z+"|"+k] {
				t.Errorf("zip row %s|%s is not in the real file", z, k)
			}
		}
	} else {
		t.Logf("real file not available (%v); zip rows not cross-checked", err)
	}
}

func TestChurnBlanksFollowServices(t *testing.T) {
	ref := loadMavenRef(t)
	tb := churnSample(t)
	phoneCols := []string{"Avg Monthly Long Distance Charges", "Multiple Lines"}
	inetCols := []string{"Internet Type", "Avg Monthly GB Download", "Online Security", "Online Backup",
		"Device Protection Plan", "Premium Tech Support", "Streaming TV", "Streaming Movies",
		"Streaming Music", "Unlimited Data"}
	churnCols := []string{"Churn Category", "Churn Reason"}
	blankCount := map[string]int{}
	for i, row := range tb.rows {
		get := func(c string) string { return row[tb.index[c]] }
		check := func(cols []string, absent bool, why string) {
			for _, c := range cols {
				if (get(c) == "") != absent {
					t.Fatalf("row %d: %s = %q but %s", i+1, c, get(c), why)
				}
			}
		}
		check(phoneCols, get("Phone Service") == "No", "Phone Service = "+get("Phone Service"))
		check(inetCols, get("Internet Service") == "No", "Internet Service = "+get("Internet Service"))
		check(churnCols, get("Customer Status") != "Churned", "Customer Status = "+get("Customer Status"))
		if get("Phone Service") == "No" && get("Internet Service") == "No" {
			t.Fatalf("row %d has neither phone nor internet", i+1)
		}
		if r := get("Churn Reason"); r != "" && ref.ReasonCategory[r] != get("Churn Category") {
			t.Fatalf("row %d: reason %q with category %q, real file has %q", i+1, r, get("Churn Category"), ref.ReasonCategory[r])
		}
		for j, v := range row {
			if v == "" {
				blankCount[tb.header[j]]++
			}
		}
	}
	// Blank proportions close to the real file's (682 and 1526 of 7043).
	const tol = 0.02
	for _, c := range []string{"Multiple Lines", "Internet Type"} {
		got := float64(blankCount[c]) / realRows
		want := float64(ref.BlankCounts[c]) / float64(ref.Rows)
		if math.Abs(got-want) > tol {
			t.Errorf("%s blank share %.4f, real %.4f (tol %v)", c, got, want, tol)
		}
	}
}

func TestChurnStatusShares(t *testing.T) {
	ref := loadMavenRef(t)
	// Binomial sd at n = 7043 is at most 0.006; the tolerances allow about 4 sd.
	tol := map[string]float64{"Stayed": 0.025, "Joined": 0.012, "Churned": 0.025}
	for _, seed := range []uint64{seed42, 1, 2, 3} {
		tb := parseTable(t, generate(t, Churn, realRows, seed))
		got := map[string]int{}
		for _, s := range tb.col(t, "Customer Status") {
			got[s]++
		}
		for s, n := range ref.StatusCounts {
			g, w := float64(got[s])/realRows, float64(n)/float64(ref.Rows)
			if math.Abs(g-w) > tol[s] {
				t.Errorf("seed %d: %s share %.4f, real %.4f (tol %v)", seed, s, g, w, tol[s])
			}
		}
	}
}

func TestChurnMoneyRelations(t *testing.T) {
	tb := churnSample(t)
	c := func(row []string, name string) int64 {
		s := row[tb.index[name]]
		if s == "" {
			return 0
		}
		v, err := cents(s)
		if err != nil {
			t.Fatalf("%s = %q: %v", name, s, err)
		}
		return v
	}
	var ratios []float64
	for i, row := range tb.rows {
		tenure, _ := strconv.ParseInt(row[tb.index["Tenure in Months"]], 10, 64)
		tc, ref, ex := c(row, "Total Charges"), c(row, "Total Refunds"), c(row, "Total Extra Data Charges")
		ld, rev := c(row, "Total Long Distance Charges"), c(row, "Total Revenue")
		if rev != tc-ref+ex+ld {
			t.Fatalf("row %d: revenue %d != %d - %d + %d + %d (cents)", i+1, rev, tc, ref, ex, ld)
		}
		if got, want := ld, tenure*c(row, "Avg Monthly Long Distance Charges"); got != want {
			t.Fatalf("row %d: Total Long Distance %d != tenure x avg = %d (cents)", i+1, got, want)
		}
		if ref > tc {
			t.Fatalf("row %d: refund %d exceeds total charges %d", i+1, ref, tc)
		}
		mc := c(row, "Monthly Charge")
		if mc <= 0 {
			continue
		}
		if mc%5 != 0 {
			t.Fatalf("row %d: Monthly Charge %d cents is not a multiple of 5", i+1, mc)
		}
		if tenure == 1 && tc != mc {
			t.Fatalf("row %d: tenure 1 but Total Charges %d != Monthly Charge %d", i+1, tc, mc)
		}
		r := float64(tc) / float64(tenure*mc)
		if r < 0.6 || r > 1.65 {
			t.Fatalf("row %d: Total Charges / (tenure x Monthly Charge) = %v", i+1, r)
		}
		ratios = append(ratios, r)
	}
	sort.Float64s(ratios)
	const tol = 0.01 // the real file's median ratio is 1.000
	if med := ratios[len(ratios)/2]; math.Abs(med-1) > tol {
		t.Errorf("median Total Charges / (tenure x Monthly Charge) = %v, want 1 ± %v", med, tol)
	}
}

func TestChurnCorrelations(t *testing.T) {
	ref := loadMavenRef(t)
	tb := churnSample(t)
	tenure := tb.floats(t, "Tenure in Months")
	r := pearson(tenure, tb.floats(t, "Total Revenue"))
	if r < 0.80 || r > 0.90 {
		t.Errorf("corr(tenure, revenue) = %.4f, want in [0.80, 0.90]", r)
	}
	const tol = 0.02
	if math.Abs(r-ref.CorrTenureRevenue) > tol {
		t.Errorf("corr(tenure, revenue) = %.4f, real %.4f (tol %v)", r, ref.CorrTenureRevenue, tol)
	}

	// Referrals rise with tenure.
	refs := tb.floats(t, "Number of Referrals")
	if rr := pearson(tenure, refs); rr < 0.2 {
		t.Errorf("corr(tenure, referrals) = %.3f, want >= 0.2 (real 0.327)", rr)
	}
	var sum, cnt [4]float64
	for i, tn := range tenure {
		b := min(int(tn-1)/18, 3)
		sum[b] += refs[i]
		cnt[b]++
	}
	for b := 1; b < 4; b++ {
		if sum[b]/cnt[b] <= sum[b-1]/cnt[b-1] {
			t.Errorf("mean referrals by tenure band not increasing: band %d %.3f <= %.3f", b, sum[b]/cnt[b], sum[b-1]/cnt[b-1])
		}
	}

	// Churn: Month-to-Month > One Year > Two Year.
	rate := map[string]float64{}
	n := map[string]float64{}
	status := tb.col(t, "Customer Status")
	for i, c := range tb.col(t, "Contract") {
		n[c]++
		if status[i] == "Churned" {
			rate[c]++
		}
	}
	for c := range rate {
		rate[c] /= n[c]
	}
	if !(rate["Month-to-Month"] > rate["One Year"] && rate["One Year"] > rate["Two Year"]) {
		t.Errorf("churn rates %v, want Month-to-Month > One Year > Two Year", rate)
	}
	for c, w := range ref.ChurnRateByContract {
		if math.Abs(rate[c]-w) > 0.05 {
			t.Errorf("churn rate %s = %.3f, real %.3f", c, rate[c], w)
		}
	}
}

func TestChurnTenureRules(t *testing.T) {
	tb := churnSample(t)
	tenure := tb.floats(t, "Tenure in Months")
	for i, s := range tb.col(t, "Customer Status") {
		switch {
		case s == "Joined" && tenure[i] > 3:
			t.Fatalf("row %d: Joined with tenure %v", i+1, tenure[i])
		case s == "Stayed" && tenure[i] < 4:
			t.Fatalf("row %d: Stayed with tenure %v", i+1, tenure[i])
		}
	}
}

func sum256(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

func TestChurnDeterminism(t *testing.T) {
	a := sum256(generate(t, Churn, 5000, 7))
	b := sum256(generate(t, Churn, 5000, 7))
	if a != b {
		t.Fatalf("same seed, different output: %s vs %s", a, b)
	}
	if c := sum256(generate(t, Churn, 5000, 8)); c == a {
		t.Fatal("seeds 7 and 8 gave identical output")
	}
}

// TestChurnSeed42Fixture checks the Go statistics against pandas on the
// same bytes (testdata/churn_seed42.json).
func TestChurnSeed42Fixture(t *testing.T) {
	var want mavenRef
	readJSON(t, "churn_seed42.json", &want)
	churnSample(t)
	if got := sum256(churn42); got != want.SHA256 {
		t.Skipf("Churn(7043, 42) sha256 %s differs from the fixture's %s (model changed or another platform's math); regenerate with testdata/gen_reference.py", got, want.SHA256)
	}
	tb := churnSample(t)
	const tol = 1e-12
	if r := pearson(tb.floats(t, "Tenure in Months"), tb.floats(t, "Total Revenue")); math.Abs(r-want.CorrTenureRevenue) > tol {
		t.Errorf("Go Pearson %.15f, pandas %.15f", r, want.CorrTenureRevenue)
	}
	got := map[string]int{}
	for _, s := range tb.col(t, "Customer Status") {
		got[s]++
	}
	for s, n := range want.StatusCounts {
		if got[s] != n {
			t.Errorf("%s: %d rows, pandas %d", s, got[s], n)
		}
	}
}

// TestPearsonOnRealFile checks the test's Pearson against pandas on the real file.
func TestPearsonOnRealFile(t *testing.T) {
	ref := loadMavenRef(t)
	data, err := os.ReadFile(realChurnPath)
	if err != nil {
		t.Skipf("real file not available: %v", err)
	}
	if got := sum256(data); got != ref.SHA256 {
		t.Fatalf("real file sha256 %s, fixture %s", got, ref.SHA256)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	tb := &table{header: recs[0], rows: recs[1:], index: map[string]int{}}
	for i, h := range tb.header {
		tb.index[h] = i
	}
	const tol = 1e-12
	if r := pearson(tb.floats(t, "Tenure in Months"), tb.floats(t, "Total Revenue")); math.Abs(r-ref.CorrTenureRevenue) > tol {
		t.Errorf("Go Pearson %.15f, pandas %.15f", r, ref.CorrTenureRevenue)
	}
}

func TestChurnErrors(t *testing.T) {
	var buf bytes.Buffer
	for _, rows := range []int{0, -1, math.MinInt} {
		if err := Churn(&buf, rows, 1); err == nil {
			t.Errorf("rows=%d: no error", rows)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes on bad input", buf.Len())
	}
	if err := Churn(nil, 10, 1); err == nil {
		t.Error("nil writer: no error")
	}
	for _, n := range []int{0, 100, 100_000} {
		if err := Churn(&failWriter{n: n}, 2000, 1); err == nil || !errorsIs(err, errFail) {
			t.Errorf("failing writer after %d bytes: err = %v, want wrapping %v", n, err, errFail)
		}
	}
}
