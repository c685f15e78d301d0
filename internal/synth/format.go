package synth

import (
	"strconv"
	"strings"
)

// csvField returns s encoded as one RFC 4180 field: quoted, with inner
// quotes doubled, when it holds a comma, a quote, CR or LF; unchanged otherwise.
func csvField(s string) string {
	if !strings.ContainsAny(s, ",\"\r\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// csvHeader joins names into an LF-terminated CSV header line.
func csvHeader(names []string) string {
	var b strings.Builder
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(csvField(n))
	}
	b.WriteByte('\n')
	return b.String()
}

// appendCents appends the amount c/100 the way the Maven file writes money:
// at most two decimals, trailing zeros and a bare point dropped
// (6560 -> "65.6", -400 -> "-4", 38 -> "0.38", 0 -> "0").
func appendCents(b []byte, c int64) []byte {
	if c < 0 {
		b = append(b, '-')
		c = -c
	}
	b = strconv.AppendInt(b, c/100, 10)
	f := c % 100
	switch {
	case f == 0:
	case f%10 == 0:
		b = append(b, '.', byte('0'+f/10))
	default:
		b = append(b, '.', byte('0'+f/10), byte('0'+f%10))
	}
	return b
}

// appendFixed appends x with exactly prec decimals ("%.*f").
func appendFixed(b []byte, x float64, prec int) []byte {
	return strconv.AppendFloat(b, x, 'f', prec, 64)
}

// appendYesNo appends "Yes" or "No".
func appendYesNo(b []byte, v bool) []byte {
	if v {
		return append(b, "Yes"...)
	}
	return append(b, "No"...)
}
