package eda

import (
	"math"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/plotkit"
)

// pyRepr formats v as Python's repr(float) does, which is what pandas'
// to_csv writes: the shortest string that parses back to v, in fixed
// notation with at least one decimal ("1.0") unless the decimal exponent is
// below -4 or at least 16, then in exponent notation ("1e-05",
// "1.5e+16"). NaN gives "" (pandas' default na_rep); infinities "inf" and
// "-inf".
func pyRepr(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	e := strconv.FormatFloat(v, 'e', -1, 64) // d.ddde±XX
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 {
		return e
	}
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if !strings.ContainsRune(s, '.') {
		s += ".0"
	}
	return s
}

// thousands formats n with commas between groups of three digits:
// 5000 → "5,000".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// fmtR formats a correlation for a sentence: two decimals, Python's
// rounding, no minus sign on a value that rounds to zero.
func fmtR(r float64) string {
	s, _ := plotkit.FormatValue(".2f", r)
	if strings.HasPrefix(s, "-") && strings.Trim(s[1:], "0.") == "" {
		s = s[1:]
	}
	return s
}

// fmtPct formats a share as a percentage with one decimal: 0.7346 → "73.5%".
func fmtPct(share float64) string {
	s, _ := plotkit.FormatValue(".1%", share)
	return s
}
