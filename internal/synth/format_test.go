package synth

import "testing"

func TestAppendCents(t *testing.T) {
	for _, tc := range []struct {
		c    int64
		want string
	}{
		{0, "0"},
		{5, "0.05"},
		{38, "0.38"},
		{50, "0.5"},
		{100, "1"},
		{1010, "10.1"},
		{6560, "65.6"},
		{97481, "974.81"},
		{-5, "-0.05"},
		{-400, "-4"},
		{-1000, "-10"},
		{1197934, "11979.34"},
	} {
		if got := string(appendCents(nil, tc.c)); got != tc.want {
			t.Errorf("appendCents(%d) = %q, want %q", tc.c, got, tc.want)
		}
		back, err := cents(tc.want)
		if err != nil || back != tc.c {
			t.Errorf("cents(%q) = %d, %v; want %d", tc.want, back, err, tc.c)
		}
	}
}

func TestCSVField(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Los Angeles", "Los Angeles"},
		{"Don't know", "Don't know"},
		{"", ""},
		{"a,b", `"a,b"`},
		{`say "hi"`, `"say ""hi"""`},
		{"two\nlines", "\"two\nlines\""},
		{"cr\r", "\"cr\r\""},
	} {
		if got := csvField(tc.in); got != tc.want {
			t.Errorf("csvField(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got, want := csvHeader([]string{"a", "b,c"}), "a,\"b,c\"\n"; got != want {
		t.Errorf("csvHeader = %q, want %q", got, want)
	}
}

func TestAppendFixed(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		prec int
		want string
	}{
		{0.5, 3, "0.500"},
		{12.345678, 2, "12.35"},
		{0, 1, "0.0"},
		{974.81, 2, "974.81"},
	} {
		if got := string(appendFixed(nil, tc.x, tc.prec)); got != tc.want {
			t.Errorf("appendFixed(%v, %d) = %q, want %q", tc.x, tc.prec, got, tc.want)
		}
	}
}
