package stats

// Reference values: testdata/categorical_fixtures.json, generated with
// pandas 1.5.3 by
//
//	cd /work/main && /usr/bin/python3 internal/stats/testdata/gen_fixtures.py

import (
	"slices"
	"strconv"
	"testing"
)

type categoricalWant struct {
	Count, Missing, Distinct, Freq int
	Top                            string
}

func (w categoricalWant) check(t *testing.T, what string, got Categorical) {
	t.Helper()
	if got.Count != w.Count || got.Missing != w.Missing || got.Distinct != w.Distinct || got.Top != w.Top || got.Freq != w.Freq {
		t.Errorf("%s: got %+v, pandas %+v", what, got, w)
	}
}

type categoricalFixtures struct {
	Columns []struct {
		Dataset, Column string
		categoricalWant
	}
	Synthetic []struct {
		Values []*string
		categoricalWant
	}
}

// encode dictionary-encodes values, assigning codes in sorted-string order
// (deliberately not first-appearance order); nil is code -1.
func encode(values []*string) ([]int32, []string) {
	var dict []string
	for _, v := range values {
		if v != nil {
			dict = append(dict, *v)
		}
	}
	slices.Sort(dict)
	dict = slices.Compact(dict)
	codes := make([]int32, len(values))
	for i, v := range values {
		codes[i] = -1
		if v != nil {
			j, _ := slices.BinarySearch(dict, *v)
			codes[i] = int32(j)
		}
	}
	return codes, dict
}

func TestDescribeStringsPandasSynthetic(t *testing.T) {
	var fx categoricalFixtures
	readJSON(t, "categorical_fixtures.json", &fx)
	if len(fx.Synthetic) == 0 {
		t.Fatal("no synthetic fixtures")
	}
	// Cases where pandas' top is not the first-seen value among the most
	// frequent: the fixtures must exercise the introsort emulation.
	notFirst := 0
	for i, c := range fx.Synthetic {
		values := make([]string, len(c.Values))
		missing := make([]bool, len(c.Values))
		for j, v := range c.Values {
			if v == nil {
				missing[j] = true
			} else {
				values[j] = *v
			}
		}
		got, err := DescribeStrings(values, missing)
		if err != nil {
			t.Fatal(err)
		}
		c.check(t, "synthetic strings "+itoa(i), got)
		codes, dict := encode(c.Values)
		got, err = DescribeCodes(codes, dict)
		if err != nil {
			t.Fatal(err)
		}
		c.check(t, "synthetic codes "+itoa(i), got)

		if first := firstSeenTop(values, missing); first != c.Top {
			notFirst++
		}
	}
	if notFirst == 0 {
		t.Error("no synthetic case where pandas breaks a tie against first appearance")
	}
	t.Logf("%d of %d cases: pandas' top is not the first-seen tied value", notFirst, len(fx.Synthetic))
}

// firstSeenTop is the naive rule: most frequent, ties to first appearance.
func firstSeenTop(values []string, missing []bool) string {
	count := map[string]int{}
	var order []string
	for i, v := range values {
		if missing[i] {
			continue
		}
		if count[v] == 0 {
			order = append(order, v)
		}
		count[v]++
	}
	top, best := "", 0
	for _, v := range order {
		if count[v] > best {
			top, best = v, count[v]
		}
	}
	return top
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestDescribeStringsPandasColumns(t *testing.T) {
	var fx categoricalFixtures
	readJSON(t, "categorical_fixtures.json", &fx)
	files := map[string]string{"maven": "telecom_customer_churn.csv", "ibm": "WA_Fn-UseC_-Telco-Customer-Churn.csv"}
	tables := map[string]*table{}
	for _, c := range fx.Columns {
		tb := tables[c.Dataset]
		if tb == nil {
			tb = loadCSV(t, files[c.Dataset])
			tables[c.Dataset] = tb
		}
		values := tb.strings(t, c.Column)
		missing := make([]bool, len(values))
		ptrs := make([]*string, len(values))
		for i := range values {
			// gen_fixtures.py reads with na_values=[""]: only empty cells.
			missing[i] = values[i] == ""
			if !missing[i] {
				ptrs[i] = &values[i]
			}
		}
		got, err := DescribeStrings(values, missing)
		if err != nil {
			t.Fatal(err)
		}
		c.check(t, c.Dataset+"/"+c.Column, got)
		codes, dict := encode(ptrs)
		got, err = DescribeCodes(codes, dict)
		if err != nil {
			t.Fatal(err)
		}
		c.check(t, c.Dataset+"/"+c.Column+" (codes)", got)
	}
}

func TestDescribeStringsSmall(t *testing.T) {
	for _, tc := range []struct {
		name    string
		values  []string
		missing []bool
		want    categoricalWant
	}{
		{"empty", nil, nil, categoricalWant{}},
		// pd.Series(['b','a','a','b','c']).describe(): top 'b' (first seen).
		{"tie first seen", []string{"b", "a", "a", "b", "c"}, nil, categoricalWant{Count: 5, Distinct: 3, Top: "b", Freq: 2}},
		{"missing skipped", []string{"x", "y", "y", "x", "x"}, []bool{false, false, false, true, true}, categoricalWant{Count: 3, Missing: 2, Distinct: 2, Top: "y", Freq: 2}},
		{"all missing", []string{"a"}, []bool{true}, categoricalWant{Missing: 1}},
		{"empty string is a value", []string{"", "", "a"}, nil, categoricalWant{Count: 3, Distinct: 2, Top: "", Freq: 2}},
	} {
		got, err := DescribeStrings(tc.values, tc.missing)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		tc.want.check(t, tc.name, got)
	}
}

func TestDescribeCodesDictionary(t *testing.T) {
	// Unused entries are ignored, duplicated entries merge.
	dict := []string{"unused", "a", "b", "a"}
	codes := []int32{2, 1, -1, 3, 2, 2, 3}
	got, err := DescribeCodes(codes, dict)
	if err != nil {
		t.Fatal(err)
	}
	categoricalWant{Count: 6, Missing: 1, Distinct: 2, Top: "b", Freq: 3}.check(t, "codes", got)
	got, err = DescribeCodes([]int32{3, 1, 2}, dict)
	if err != nil {
		t.Fatal(err)
	}
	categoricalWant{Count: 3, Distinct: 2, Top: "a", Freq: 2}.check(t, "merged", got)
}

func TestDescribeCategoricalErrors(t *testing.T) {
	if _, err := DescribeStrings([]string{"a", "b"}, []bool{false}); err == nil {
		t.Error("DescribeStrings: no error for mismatched missing flags")
	}
	for _, codes := range [][]int32{{0, 2}, {-2}} {
		if _, err := DescribeCodes(codes, []string{"a", "b"}); err == nil {
			t.Errorf("DescribeCodes(%v): no error for code outside dictionary", codes)
		}
	}
}

func TestDescribeCategoricalDoesNotMutate(t *testing.T) {
	values := []string{"b", "a", "a", "b"}
	missing := []bool{false, true, false, false}
	codes := []int32{1, 0, -1, 1}
	dict := []string{"a", "b"}
	v0, m0, c0, d0 := slices.Clone(values), slices.Clone(missing), slices.Clone(codes), slices.Clone(dict)
	if _, err := DescribeStrings(values, missing); err != nil {
		t.Fatal(err)
	}
	if _, err := DescribeCodes(codes, dict); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(values, v0) || !slices.Equal(missing, m0) || !slices.Equal(codes, c0) || !slices.Equal(dict, d0) {
		t.Error("inputs modified")
	}
}
