package plotkit

// Reference values: testdata/fixtures.json, generated with the system
// Python 3 (str.format, seaborn 0.12.2) by
//
//	cd /work/main && /usr/bin/python3 internal/plotkit/testdata/gen_fixtures.py

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

type fixtures struct {
	Format []struct {
		Fmt   string
		Value any
		Want  string
	}
	Luminance []struct {
		Color     string
		Luminance float64
		DarkText  bool `json:"dark_text"`
	}
	// Examples are pandas 1.5.3 correlation matrices of the Maven file.
	Examples []struct {
		Name   string
		Labels []string
		Values [][]float64
	}
}

func loadFixtures(t *testing.T) fixtures {
	t.Helper()
	b, err := os.ReadFile("testdata/fixtures.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx fixtures
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	return fx
}

func fixtureFloat(t *testing.T, v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case string:
		switch x {
		case "nan":
			return math.NaN()
		case "inf":
			return math.Inf(1)
		case "-inf":
			return math.Inf(-1)
		}
	}
	t.Fatalf("bad fixture value %v", v)
	return 0
}

func TestFormatValuePython(t *testing.T) {
	fx := loadFixtures(t)
	if len(fx.Format) == 0 {
		t.Fatal("no format fixtures")
	}
	for _, c := range fx.Format {
		v := fixtureFloat(t, c.Value)
		got, err := FormatValue(c.Fmt, v)
		if err != nil {
			t.Errorf("FormatValue(%q, %v): %v", c.Fmt, v, err)
			continue
		}
		if got != c.Want {
			t.Errorf("FormatValue(%q, %v) = %q, Python %q", c.Fmt, v, got, c.Want)
		}
	}
}

func TestFormatValueBrief(t *testing.T) {
	for _, tc := range []struct {
		fmt  string
		v    float64
		want string
	}{
		{".2g", 0.8253, "0.83"},
		{".2g", 0.05, "0.05"},
		{".2g", -0.108, "-0.11"},
		{".2f", 0.825361, "0.83"},
		{".2f", -0.108764, "-0.11"},
		{".0%", 0.25, "25%"},
	} {
		if got, err := FormatValue(tc.fmt, tc.v); err != nil || got != tc.want {
			t.Errorf("FormatValue(%q, %v) = %q, %v; want %q", tc.fmt, tc.v, got, err, tc.want)
		}
	}
}

func TestFormatValueErrors(t *testing.T) {
	for _, spec := range []string{"", ".", ".2", "2f", ".2d", "%.2f", "{:.2f}", "10.2f", ".-1f", ".+1f", "+", ",.2f", ".2x"} {
		if _, err := FormatValue(spec, 1); err == nil {
			t.Errorf("FormatValue(%q): no error", spec)
		}
	}
}
