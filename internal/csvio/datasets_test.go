package csvio

// The reference values come from testdata/reference.json, generated with
//
//	/usr/bin/python3 testdata/gen_reference.py ../../../shared/datasets > testdata/reference.json
//
// (Python's csv module with the package's typing rules re-implemented, sums
// cross-checked against pandas 1.5.3 read_csv).

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

const datasets = "../../../shared/datasets"

// relTol bounds the relative difference between a float64 sum taken in row
// order and the exactly rounded reference sum (math.fsum).
const relTol = 1e-12

type refColumn struct {
	Name      string            `json:"name"`
	Kind      string            `json:"kind"`
	Missing   int               `json:"missing"`
	Sum       string            `json:"sum"`
	PandasSum string            `json:"pandas_sum"`
	Min       string            `json:"min"`
	Max       string            `json:"max"`
	Distinct  int               `json:"distinct"`
	First     []string          `json:"first"`
	Counts    map[string]int    `json:"counts"`
	Cells     map[string]string `json:"cells"`
}

type refFile struct {
	Encoding string      `json:"encoding"`
	Rows     int         `json:"rows"`
	Cols     int         `json:"cols"`
	Columns  []refColumn `json:"columns"`
}

func loadReference(t *testing.T) map[string]refFile {
	t.Helper()
	b, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref map[string]refFile
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	return ref
}

func dataset(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(datasets, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("dataset %s not available: %v", name, err)
	}
	return p
}

func TestDatasets(t *testing.T) {
	ref := loadReference(t)
	for name, rf := range ref {
		t.Run(name, func(t *testing.T) {
			path := dataset(t, name)
			opt := Options{}
			if rf.Encoding != "utf-8" {
				opt.Encoding = rf.Encoding
			}
			res, err := ReadFile(context.Background(), path, opt)
			if err != nil {
				t.Fatal(err)
			}
			tb := res.Table
			if tb.NumRows() != rf.Rows || tb.NumCols() != rf.Cols || res.Rows != rf.Rows {
				t.Fatalf("shape %d×%d (Rows %d), want %d×%d", tb.NumRows(), tb.NumCols(), res.Rows, rf.Rows, rf.Cols)
			}
			for j, rc := range rf.Columns {
				c := tb.Columns()[j]
				if c.Name != rc.Name {
					t.Fatalf("column %d is %q, want %q", j, c.Name, rc.Name)
				}
				checkColumn(t, c, rc)
			}
		})
	}
}

func checkColumn(t *testing.T, c *frame.Column, rc refColumn) {
	t.Helper()
	if c.Kind.String() != rc.Kind {
		t.Errorf("%q: kind %v, want %s", c.Name, c.Kind, rc.Kind)
		return
	}
	if got := c.NumMissing(); got != rc.Missing {
		t.Errorf("%q: %d missing, want %d", c.Name, got, rc.Missing)
	}
	if rc.Missing == 0 && c.Missing != nil {
		t.Errorf("%q: Missing should be nil when nothing is missing", c.Name)
	}
	switch c.Kind {
	case frame.Int:
		var sum int64
		lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
		for i, v := range c.Int64s() {
			if c.IsMissing(i) {
				if v != 0 {
					t.Errorf("%q row %d: missing int holds %d", c.Name, i, v)
				}
				continue
			}
			sum += v
			lo, hi = min(lo, v), max(hi, v)
		}
		for what, pair := range map[string][2]string{"sum": {strconv.FormatInt(sum, 10), rc.Sum},
			"min": {strconv.FormatInt(lo, 10), rc.Min}, "max": {strconv.FormatInt(hi, 10), rc.Max}} {
			if pair[0] != pair[1] {
				t.Errorf("%q: %s %s, want %s", c.Name, what, pair[0], pair[1])
			}
		}
	case frame.Float:
		if rc.Sum == "" {
			break
		}
		sum, lo, hi := 0.0, math.Inf(1), math.Inf(-1)
		for i, v := range c.Floats {
			if c.IsMissing(i) != math.IsNaN(v) {
				t.Errorf("%q row %d: missing %v but value %v", c.Name, i, c.IsMissing(i), v)
			}
			if c.IsMissing(i) {
				continue
			}
			sum += v
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		want, _ := strconv.ParseFloat(rc.Sum, 64)
		pandas, _ := strconv.ParseFloat(rc.PandasSum, 64)
		if math.Abs(sum-want) > relTol*math.Abs(want) || math.Abs(sum-pandas) > relTol*math.Abs(pandas) {
			t.Errorf("%q: sum %v, want %v (pandas %v)", c.Name, sum, want, pandas)
		}
		wlo, _ := strconv.ParseFloat(rc.Min, 64)
		whi, _ := strconv.ParseFloat(rc.Max, 64)
		if lo != wlo || hi != whi {
			t.Errorf("%q: range [%v, %v], want [%v, %v]", c.Name, lo, hi, wlo, whi)
		}
	case frame.String:
		if got := c.Distinct(); got != rc.Distinct || len(c.Dict) != rc.Distinct {
			t.Errorf("%q: %d distinct (dict %d), want %d", c.Name, got, len(c.Dict), rc.Distinct)
		}
		for i, w := range rc.First {
			if i >= len(c.Dict) || c.Dict[i] != w {
				t.Errorf("%q: dict starts %q, want %q", c.Name, c.Dict[:min(5, len(c.Dict))], rc.First)
				break
			}
		}
		if rc.Counts != nil {
			got := map[string]int{}
			for i := range c.Len() {
				code := c.Code(i)
				if code >= 0 {
					got[c.Dict[code]]++
				}
			}
			for k, n := range rc.Counts {
				if got[k] != n {
					t.Errorf("%q: %d × %q, want %d", c.Name, got[k], k, n)
				}
			}
		}
	}
	for rs, want := range rc.Cells {
		i, _ := strconv.Atoi(rs)
		if strings.Trim(want, " \t") == "" {
			if !c.IsMissing(i) {
				t.Errorf("%q row %d: %q, want missing", c.Name, i, c.Str(i))
			}
			continue
		}
		switch c.Kind {
		case frame.Float:
			w, _ := strconv.ParseFloat(strings.TrimSpace(want), 64)
			if c.Floats[i] != w {
				t.Errorf("%q row %d: %v, want %v", c.Name, i, c.Floats[i], w)
			}
		case frame.Int:
			w, _ := strconv.ParseInt(strings.TrimSpace(want), 10, 64)
			if c.Int(i) != w {
				t.Errorf("%q row %d: %v, want %v", c.Name, i, c.Int(i), w)
			}
		default:
			if c.Str(i) != want {
				t.Errorf("%q row %d: %q, want %q", c.Name, i, c.Str(i), want)
			}
		}
	}
}

// TestMavenFacts checks facts about the Maven file stated in SOURCES.md.
func TestMavenFacts(t *testing.T) {
	path := dataset(t, "telecom_customer_churn.csv")
	res, err := ReadFile(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.SHA256 != "9309f4308b9111da3604c1b13c337de40fd2de16c9dd75904f3b0d2bf5b5beed" || res.Bytes != 1435200 {
		t.Errorf("sha256 %s, %d bytes", res.SHA256, res.Bytes)
	}
	if res.Delimiter != ',' || res.BOM || len(res.Trimmed) != 0 || len(res.Warnings) != 0 {
		t.Errorf("delimiter %q, BOM %v, trimmed %q, warnings %q", res.Delimiter, res.BOM, res.Trimmed, res.Warnings)
	}
	tb := res.Table
	wantMissing := map[string]int{
		"Avg Monthly Long Distance Charges": 682, "Multiple Lines": 682, "Internet Type": 1526,
		"Avg Monthly GB Download": 1526, "Unlimited Data": 1526, "Churn Category": 5174, "Churn Reason": 5174,
	}
	for name, n := range wantMissing {
		if got := tb.Col(name).NumMissing(); got != n {
			t.Errorf("%q: %d missing, want %d", name, got, n)
		}
	}
	if k := tb.Col("Avg Monthly Long Distance Charges").Kind; k != frame.Float {
		t.Errorf("Avg Monthly Long Distance Charges is %v", k)
	}
	if k := tb.Col("Multiple Lines").Kind; k != frame.String {
		t.Errorf("Multiple Lines is %v", k)
	}
	mc := tb.Col("Monthly Charge")
	neg, lo := 0, math.Inf(1)
	for _, v := range mc.Floats {
		if v < 0 {
			neg++
		}
		lo = math.Min(lo, v)
	}
	if neg != 120 || lo != -10 {
		t.Errorf("Monthly Charge: %d negative, min %v; want 120, -10", neg, lo)
	}
	// Total Revenue to the cent, against pandas: df["Total Revenue"].sum()
	// = 21371131.69 (testdata/reference.json).
	var cents int64
	for _, v := range tb.Col("Total Revenue").Floats {
		cents += int64(math.Round(v * 100))
	}
	if cents != 2137113169 {
		t.Errorf("Total Revenue = %d cents, want 2137113169", cents)
	}
	if got := tb.Col("Offer").Dict[0]; got != "None" {
		t.Errorf("Offer's first value %q, want the string None", got)
	}
}

func TestIBMTotalCharges(t *testing.T) {
	path := dataset(t, "WA_Fn-UseC_-Telco-Customer-Churn.csv")
	res, err := ReadFile(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := res.Table.Col("TotalCharges")
	if c.Kind != frame.Float || c.NumMissing() != 11 {
		t.Errorf("TotalCharges: %v with %d missing, want float with 11", c.Kind, c.NumMissing())
	}
	want := []string{`column "TotalCharges": 11 cells holding only spaces read as missing`}
	if strings.Join(res.Warnings, "|") != strings.Join(want, "|") {
		t.Errorf("warnings %q, want %q", res.Warnings, want)
	}
	for i, m := range c.Missing {
		if m && res.Table.Col("tenure").Int(i) != 0 {
			t.Errorf("row %d: missing TotalCharges with tenure %d", i, res.Table.Col("tenure").Int(i))
		}
	}
}

func TestMallCustomerID(t *testing.T) {
	path := dataset(t, "Mall_Customers.csv")
	res, err := ReadFile(context.Background(), path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	id := res.Table.Col("CustomerID")
	if id.Kind != frame.Int || id.Int(0) != 1 || id.Int(199) != 200 {
		t.Errorf("CustomerID %v %v", id.Kind, id.Int64s()[:3])
	}
	if got := res.Table.Col("Spending Score (1-100)").Int(199); got != 83 {
		t.Errorf("last row (no final newline) spending score %d, want 83", got)
	}
	res, err = ReadFile(context.Background(), path, Options{Types: map[string]frame.Kind{"CustomerID": frame.String}})
	if err != nil {
		t.Fatal(err)
	}
	id = res.Table.Col("CustomerID")
	if id.Kind != frame.String || id.Str(0) != "0001" || id.Str(199) != "0200" || len(id.Dict) != 200 {
		t.Errorf("CustomerID as string: %v %q %q", id.Kind, id.Str(0), id.Str(199))
	}
}

func TestDataDictionaryEncoding(t *testing.T) {
	path := dataset(t, "telecom_data_dictionary.csv")
	_, err := ReadFile(context.Background(), path, Options{})
	want := path + ` line 3, column "Description": invalid UTF-8 byte 0x92; the file is not UTF-8: set input.encoding: cp1252 (or latin1) to decode it`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
	res, err := ReadFile(context.Background(), path, Options{Encoding: "cp1252"})
	if err != nil {
		t.Fatal(err)
	}
	tb := res.Table
	if tb.NumRows() != 40 || tb.NumCols() != 3 {
		t.Fatalf("shape %d×%d", tb.NumRows(), tb.NumCols())
	}
	if got := tb.Col("Description").Str(1); got != "The customer\u2019s gender: Male, Female" {
		t.Errorf("row 1: %q", got)
	}
	if res.SHA256 != "c54e0d89a371e43b12e80da5798990926af49dc702278076f19852a271d9afce" {
		t.Errorf("sha256 of the raw bytes: %s", res.SHA256)
	}
	n := 0
	for _, c := range tb.Columns() {
		for i := range tb.NumRows() {
			n += strings.Count(c.Str(i), "\u2019")
		}
	}
	if n != 17 {
		t.Errorf("%d curly apostrophes, want 17", n)
	}
	// latin1 maps 0x92 to the C1 control U+0092.
	res, err = ReadFile(context.Background(), path, Options{Encoding: "latin1"})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Table.Col("Description").Str(1); got != "The customer\u0092s gender: Male, Female" {
		t.Errorf("latin1 row 1: %q", got)
	}
}

// TestChunkIndependence reads the datasets with block sizes that cut
// records, CRLF pairs and quoted fields at many places, and with 1 to 3
// workers: the tables must be identical.
func TestChunkIndependence(t *testing.T) {
	for _, name := range []string{"telecom_customer_churn.csv", "WA_Fn-UseC_-Telco-Customer-Churn.csv", "telecom_data_dictionary.csv"} {
		path := dataset(t, name)
		opt := Options{}
		if strings.HasPrefix(name, "telecom_data") {
			opt.Encoding = "cp1252"
		}
		base, err := ReadFile(context.Background(), path, opt)
		if err != nil {
			t.Fatal(err)
		}
		for _, size := range []int{1, 97, 4096, 65537, 1 << 20} {
			for _, workers := range []int{1, 2, 3} {
				if size == 1 && name != "telecom_data_dictionary.csv" {
					continue // too slow to be worth it on the large files
				}
				o := opt
				o.chunkSize, o.workers = size, workers
				got, err := ReadFile(context.Background(), path, o)
				if err != nil {
					t.Fatalf("%s chunk %d workers %d: %v", name, size, workers, err)
				}
				if d := diffTables(base.Table, got.Table); d != "" {
					t.Errorf("%s chunk %d workers %d: %s", name, size, workers, d)
				}
				if got.SHA256 != base.SHA256 || got.Rows != base.Rows || strings.Join(got.Warnings, "|") != strings.Join(base.Warnings, "|") {
					t.Errorf("%s chunk %d workers %d: result facts differ", name, size, workers)
				}
			}
		}
	}
}
