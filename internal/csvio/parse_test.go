package csvio

import (
	"math"
	"math/rand/v2"
	"strconv"
	"testing"
)

func TestParseFloat(t *testing.T) {
	ok := []string{"0", "-0", "+0", "1", "-1", "1.5", ".5", "5.", "-.5", "1e3", "1E3", "1e+3", "1e-3",
		"0.1", "0.3", "123456789012345678901234567890", "9007199254740993", "9007199254740992",
		"1.7976931348623157e308", "1e309", "-1e309", "4.9e-324", "1e-400", "0000.0001", "1e22", "1e23",
		"123456789012345.6789", "0.000000000000000000000000001", "2.2250738585072011e-308", "00", "1e0000000000000000000000000001"}
	for _, s := range ok {
		got, good := parseFloat([]byte(s))
		want, err := strconv.ParseFloat(s, 64)
		if err != nil && want == 0 && !math.IsInf(want, 0) {
			want = 0
		}
		if !good || math.Float64bits(got) != math.Float64bits(want) {
			t.Errorf("parseFloat(%q) = %v, %v; want %v", s, got, good, want)
		}
	}
	bad := []string{"", ".", "+", "-", "e5", "1e", "1e+", "1.2.3", "nan", "NaN", "inf", "-Inf", "infinity",
		"0x10", "0x1p-2", "1_000", "1,5", "1 ", " 1", "--1", "1e5.0", "١"}
	for _, s := range bad {
		if v, good := parseFloat([]byte(s)); good {
			t.Errorf("parseFloat(%q) = %v, want rejection", s, v)
		}
	}
}

// TestParseFloatRandom compares parseFloat with strconv.ParseFloat bit for
// bit on random decimal strings, including the fast path's edges.
func TestParseFloatRandom(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		return string(b)
	}
	for range 200000 {
		s := ""
		if rng.IntN(3) == 0 {
			s = "-"
		}
		s += digits(rng.IntN(20))
		if rng.IntN(2) == 0 {
			s += "." + digits(rng.IntN(20))
		}
		if rng.IntN(3) == 0 {
			s += "e" + strconv.Itoa(rng.IntN(60)-30)
		}
		want, err := strconv.ParseFloat(s, 64)
		got, good := parseFloat([]byte(s))
		if err != nil {
			if ne, _ := err.(*strconv.NumError); ne != nil && ne.Err == strconv.ErrRange {
				if !good || got != want {
					t.Fatalf("%q: %v %v, want %v", s, got, good, want)
				}
				continue
			}
			if good {
				t.Fatalf("%q: accepted as %v, strconv says %v", s, got, err)
			}
			continue
		}
		if !good || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("%q: %v %v, want %v", s, got, good, want)
		}
	}
}

func TestParseInt(t *testing.T) {
	tests := []struct {
		in  string
		v   int64
		neg bool
		ok  bool
	}{
		{"0", 0, false, true}, {"-0", 0, true, true}, {"+5", 5, false, true}, {"0001", 1, false, true},
		{"9223372036854775807", math.MaxInt64, false, true}, {"-9223372036854775808", math.MinInt64, true, true},
		{"9223372036854775808", 0, false, false}, {"-9223372036854775809", 0, false, false},
		{"99999999999999999999", 0, false, false}, {"", 0, false, false}, {"-", 0, false, false},
		{"1.0", 0, false, false}, {"1e3", 0, false, false}, {"12a", 0, false, false}, {"0x1", 0, false, false},
		{"000000000000000000000000000042", 42, false, true},
	}
	for _, tc := range tests {
		v, neg, ok := parseInt([]byte(tc.in))
		if v != tc.v || neg != tc.neg || ok != tc.ok {
			t.Errorf("parseInt(%q) = %d %v %v, want %d %v %v", tc.in, v, neg, ok, tc.v, tc.neg, tc.ok)
		}
	}
}

func TestParseBool(t *testing.T) {
	for _, s := range []string{"true", "True", "TRUE", "tRuE", "false", "False", "FALSE"} {
		if _, ok := parseBool([]byte(s)); !ok {
			t.Errorf("%q rejected", s)
		}
	}
	for _, s := range []string{"t", "f", "yes", "no", "1", "0", "truee", "fals", "T"} {
		if _, ok := parseBool([]byte(s)); ok {
			t.Errorf("%q accepted", s)
		}
	}
	if v, _ := parseBool([]byte("FaLsE")); v {
		t.Error("FaLsE is true")
	}
}

func TestJoin(t *testing.T) {
	kinds := []kind{kNone, kBool, kInt, kFloat, kString}
	for _, a := range kinds {
		for _, b := range kinds {
			if join(a, b) != join(b, a) {
				t.Errorf("join(%v,%v) not symmetric", a, b)
			}
			for _, c := range kinds {
				if join(join(a, b), c) != join(a, join(b, c)) {
					t.Errorf("join not associative on %v %v %v", a, b, c)
				}
			}
		}
	}
	if join(kInt, kFloat) != kFloat || join(kBool, kInt) != kString || join(kNone, kBool) != kBool {
		t.Error("join table")
	}
}
