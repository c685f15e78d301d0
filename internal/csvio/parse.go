package csvio

import (
	"errors"
	"math"
	"strconv"
	"unsafe"
)

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// trim removes surrounding spaces and tabs.
func trim(b []byte) []byte {
	i, j := 0, len(b)
	for i < j && isBlank(b[i]) {
		i++
	}
	for j > i && isBlank(b[j-1]) {
		j--
	}
	return b[i:j]
}

// parseBool accepts "true" and "false" in any letter case.
func parseBool(b []byte) (v, ok bool) {
	switch len(b) {
	case 4:
		return true, b[0]|0x20 == 't' && b[1]|0x20 == 'r' && b[2]|0x20 == 'u' && b[3]|0x20 == 'e'
	case 5:
		return false, b[0]|0x20 == 'f' && b[1]|0x20 == 'a' && b[2]|0x20 == 'l' && b[3]|0x20 == 's' && b[4]|0x20 == 'e'
	}
	return false, false
}

// parseInt accepts an optional sign and decimal digits whose value fits an
// int64. neg reports a minus sign, so that "-0" can become -0.0 in a float
// column.
func parseInt(b []byte) (v int64, neg, ok bool) {
	i := 0
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		i = 1
	}
	if i == len(b) {
		return 0, false, false
	}
	var u uint64
	for ; i < len(b); i++ {
		d := b[i] - '0'
		if d > 9 {
			return 0, false, false
		}
		if u > (1<<63)/10 {
			return 0, false, false
		}
		u = u*10 + uint64(d)
		if u > 1<<63 {
			return 0, false, false
		}
	}
	if neg {
		return -int64(u), true, true // u == 1<<63 wraps to MinInt64
	}
	if u > 1<<63-1 {
		return 0, false, false
	}
	return int64(u), false, true
}

var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parseFloat accepts [sign] digits [. digits] [e [sign] digits] (with digits
// on at least one side of the point) and returns the correctly rounded
// float64, exactly as strconv.ParseFloat. Words like NaN and Inf, hexadecimal
// and underscores are rejected. Values too large for a float64 give ±Inf.
func parseFloat(b []byte) (float64, bool) {
	v, ok, _ := parseFloatC(b)
	return v, ok
}

// parseFloatC is parseFloat that also reports whether b is the canonical
// text of the value, strconv.FormatFloat(v, 'f', -1, 64): no plus sign, no
// exponent, no leading or trailing zeros, at most 15 significant digits
// (which a float64 always gives back) and at most 24 bytes.
func parseFloatC(b []byte) (float64, bool, bool) {
	n := len(b)
	i := 0
	neg := false
	canon := n <= 24
	if i < n && (b[i] == '+' || b[i] == '-') {
		neg = b[i] == '-'
		canon = canon && !(b[i] == '+')
		i++
	}
	if i+1 < n && b[i] == '0' && b[i+1] != '.' {
		canon = false // a leading zero, or "-0" style digits that follow
	}
	intStart := i
	var mant uint64
	nd, exp := 0, 0
	digits, exact := false, true
	for ; i < n; i++ {
		d := b[i] - '0'
		if d > 9 {
			break
		}
		digits = true
		if mant == 0 && d == 0 {
			continue
		}
		if nd < 19 {
			mant = mant*10 + uint64(d)
			nd++
		} else {
			exact = false
			exp++
		}
	}
	if i == intStart {
		canon = false // ".5"
	}
	if i < n && b[i] == '.' {
		if i+1 == n || b[n-1] == '0' {
			canon = false // "5." or a trailing zero; an exponent is caught below
		}
		for i++; i < n; i++ {
			d := b[i] - '0'
			if d > 9 {
				break
			}
			digits = true
			if mant == 0 && d == 0 {
				exp--
				continue
			}
			if nd < 19 {
				mant = mant*10 + uint64(d)
				nd++
				exp--
			} else {
				exact = false
			}
		}
	}
	if !digits {
		return 0, false, false
	}
	if nd > 15 {
		canon = false
	}
	if i < n && (b[i] == 'e' || b[i] == 'E') {
		canon = false
		i++
		eneg := false
		if i < n && (b[i] == '+' || b[i] == '-') {
			eneg = b[i] == '-'
			i++
		}
		if i == n {
			return 0, false, false
		}
		e := 0
		for ; i < n; i++ {
			d := b[i] - '0'
			if d > 9 {
				return 0, false, false
			}
			if e < 100000 {
				e = e*10 + int(d)
			}
		}
		if eneg {
			e = -e
		}
		exp += e
	}
	if i != n {
		return 0, false, false
	}
	if exact && mant <= 1<<53 && exp >= -22 && exp <= 22 {
		// Both operands are exact, so one IEEE operation rounds correctly.
		f := float64(mant)
		if exp < 0 {
			f /= pow10[-exp]
		} else {
			f *= pow10[exp]
		}
		if neg {
			f = -f
		}
		return f, true, canon
	}
	f, err := strconv.ParseFloat(unsafe.String(&b[0], n), 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return 0, false, false
	}
	return f, true, canon && !math.IsInf(f, 0)
}
