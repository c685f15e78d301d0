package plotkit

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// FormatValue formats v like Python's format(v, spec) for the subset of
// the format-specification mini-language used for annotations:
//
//	[sign][.precision]type
//
// sign is "+", "-" or " ", precision defaults to 6, and type is one of
// f F e E g G % ("%" multiplies by 100 and appends "%"). Rounding is exact
// round-half-even on the binary value, as in Python, so ".2f" of 0.125 is
// "0.12" and ".2g" of -0.108 is "-0.11". NaN and infinities print as
// "nan", "inf" and "-inf" (upper case for F, E, G). Width, fill, grouping
// and "#" are not supported and give an error.
func FormatValue(spec string, v float64) (string, error) {
	f, err := parseFormat(spec)
	if err != nil {
		return "", err
	}
	return f.format(v), nil
}

type pyFormat struct {
	sign byte // '+', ' ' or 0
	prec int
	verb byte // 'f', 'e', 'g' or '%'
	up   bool // F, E, G
}

func parseFormat(spec string) (pyFormat, error) {
	bad := func() (pyFormat, error) {
		return pyFormat{}, fmt.Errorf("unsupported number format %q (want e.g. \".2f\", \".2g\", \"+.1%%\")", spec)
	}
	s := spec
	var f pyFormat
	if s != "" && strings.IndexByte("+- ", s[0]) >= 0 {
		if s[0] != '-' {
			f.sign = s[0]
		}
		s = s[1:]
	}
	if s == "" {
		return bad()
	}
	f.prec = 6
	verb := s[len(s)-1]
	s = s[:len(s)-1]
	if s != "" {
		if s[0] != '.' || len(s) == 1 {
			return bad()
		}
		p, err := strconv.Atoi(s[1:])
		if err != nil || p < 0 || p > 50 || strings.IndexByte(s[1:], '+') >= 0 {
			return bad()
		}
		f.prec = p
	}
	switch verb {
	case 'f', 'e', 'g', '%':
		f.verb = verb
	case 'F', 'E', 'G':
		f.verb = verb + ('a' - 'A')
		f.up = true
	default:
		return bad()
	}
	return f, nil
}

func (f pyFormat) format(v float64) string {
	neg := math.Signbit(v) && !math.IsNaN(v)
	a := math.Abs(v)
	var body string
	switch {
	case math.IsNaN(v):
		body = "nan"
	case math.IsInf(v, 0):
		body = "inf"
	default:
		switch f.verb {
		case 'f':
			body = strconv.FormatFloat(a, 'f', f.prec, 64)
		case 'e':
			body = strconv.FormatFloat(a, 'e', f.prec, 64)
		case 'g':
			// Python treats precision 0 as 1; Go's %g switches to
			// exponent notation under the same rule (exp < -4 or
			// exp >= precision) and also drops trailing zeros.
			body = strconv.FormatFloat(a, 'g', max(f.prec, 1), 64)
		case '%':
			body = strconv.FormatFloat(a*100, 'f', f.prec, 64)
		}
	}
	if f.up {
		body = strings.ToUpper(body)
	}
	if f.verb == '%' {
		body += "%"
	}
	switch {
	case neg:
		return "-" + body
	case f.sign != 0:
		return string(f.sign) + body
	}
	return body
}
