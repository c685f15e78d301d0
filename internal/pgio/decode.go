package pgio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/big"
	"strconv"
)

// Binary value decoders. Each takes the value's bytes as the server sent
// them in binary format (length already checked for fixed-size types).

func be16(b []byte) int16 { return int16(binary.BigEndian.Uint16(b)) }
func be32(b []byte) int32 { return int32(binary.BigEndian.Uint32(b)) }
func be64(b []byte) int64 { return int64(binary.BigEndian.Uint64(b)) }

// float4To64 converts a real to the float64 nearest to the decimal the
// server prints for it (float4out with extra_float_digits ≥ 1, the default
// since PostgreSQL 12), which is what a CSV export carries: real 0.1 becomes
// 0.1, not 0.10000000149011612. That decimal is the shortest that reads back
// as the same real and lies strictly inside its rounding interval
// (PostgreSQL's Ryu is built without STRICTLY_SHORTEST, so it never returns
// a decimal on the interval's boundary, where Go's shortest form may).
func float4To64(bits uint32) float64 {
	f := math.Float32frombits(bits)
	if math.IsInf(float64(f), 0) || math.IsNaN(float64(f)) || f == 0 {
		return float64(f)
	}
	var buf [32]byte
	s := strconv.AppendFloat(buf[:0], float64(f), 'e', -1, 32)
	v, _ := strconv.ParseFloat(string(s), 64)
	if !onFloat32Boundary(s, v, f) {
		return v
	}
	// The shortest decimal sits on a boundary: take one more digit at a
	// time, correctly rounded, until one is strictly inside.
	digits := bytes.IndexByte(s, 'e')
	if bytes.IndexByte(s[:digits], '.') >= 0 {
		digits--
	}
	if s[0] == '-' {
		digits--
	}
	for p := digits + 1; p <= 9; p++ {
		s = strconv.AppendFloat(buf[:0], float64(f), 'e', p-1, 32)
		v, _ = strconv.ParseFloat(string(s), 64)
		if g, _ := strconv.ParseFloat(string(s), 32); float32(g) == f && !onFloat32Boundary(s, v, f) {
			return v
		}
	}
	return float64(f)
}

// onFloat32Boundary reports whether the decimal s (whose float64 value is
// v) is exactly halfway between f and one of its neighbouring reals.
func onFloat32Boundary(s []byte, v float64, f float32) bool {
	for _, dir := range []float32{float32(math.Inf(-1)), float32(math.Inf(1))} {
		n := math.Nextafter32(f, dir)
		mid := (float64(f) + float64(n)) / 2 // exact: a real has 24 bits, a float64 53
		if v != mid {
			continue
		}
		// v equals the midpoint; check exactly that the decimal does.
		r, ok := new(big.Rat).SetString(string(s))
		if ok && r.Cmp(new(big.Rat).SetFloat64(mid)) == 0 {
			return true
		}
	}
	return false
}

// numeric sign words.
const (
	numPos  = 0x0000
	numNeg  = 0x4000
	numNaN  = 0xC000
	numPInf = 0xD000
	numNInf = 0xF000
)

var errNumericRange = errors.New("numeric value outside the float64 range (±1.8e308)")

// pow10 holds the powers of ten that are exact in float64.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// decodeNumeric converts a binary numeric to the float64 nearest to its
// exact decimal value (correctly rounded, as strconv.ParseFloat of its text).
// NaN gives NaN (read as missing), ±Infinity gives ±Inf.
func decodeNumeric(b []byte) (float64, error) {
	if len(b) < 8 {
		return 0, errors.New("numeric value shorter than its header")
	}
	ndigits := int(be16(b))
	weight := int(be16(b[2:]))
	sign := binary.BigEndian.Uint16(b[4:])
	if len(b) != 8+2*ndigits || ndigits < 0 {
		return 0, errors.New("numeric value of inconsistent length")
	}
	switch sign {
	case numNaN:
		return math.NaN(), nil
	case numPInf:
		return math.Inf(1), nil
	case numNInf:
		return math.Inf(-1), nil
	case numPos, numNeg:
	default:
		return 0, errors.New("numeric value with an unknown sign word")
	}
	if ndigits == 0 {
		return 0, nil
	}
	d := b[8:]
	// Fast path: at most 16 significant decimal digits (4 base-10000
	// digits) and a power of ten that is exact in float64 (Clinger).
	if ndigits <= 4 {
		var m uint64
		for i := 0; i < ndigits; i++ {
			m = m*10000 + uint64(binary.BigEndian.Uint16(d[2*i:]))
		}
		e := (weight - (ndigits - 1)) * 4
		for m != 0 && m%10 == 0 {
			m /= 10
			e++
		}
		if m < 1<<53 && e >= -22 && e <= 22 {
			f := float64(m)
			if e >= 0 {
				f *= pow10[e]
			} else {
				f /= pow10[-e]
			}
			if sign == numNeg {
				f = -f
			}
			return f, nil
		}
	}
	// Slow path: the decimal text, parsed with correct rounding.
	var arr [64]byte // most numerics fit: no allocation
	buf := arr[:0]
	if sign == numNeg {
		buf = append(buf, '-')
	}
	for i := 0; i < ndigits; i++ {
		g := binary.BigEndian.Uint16(d[2*i:])
		if g > 9999 {
			return 0, errors.New("numeric digit out of range")
		}
		buf = append(buf, byte('0'+g/1000), byte('0'+g/100%10), byte('0'+g/10%10), byte('0'+g%10))
	}
	buf = append(buf, 'e')
	buf = strconv.AppendInt(buf, int64((weight-(ndigits-1))*4), 10)
	f, err := strconv.ParseFloat(string(buf), 64)
	if err != nil {
		var ne *strconv.NumError
		if errors.As(err, &ne) && ne.Err == strconv.ErrRange && !math.IsInf(f, 0) {
			return f, nil // underflow to (sub)normal or zero: nearest value
		}
		return 0, errNumericRange
	}
	return f, nil
}

// Dates and timestamps count from 2000-01-01 (Julian day 2451545).
const (
	pgEpochJDate = 2451545
	usecsPerDay  = 86400 * 1000000
)

// j2date is PostgreSQL's j2date (src/backend/utils/adt/datetime.c): the
// proleptic Gregorian year, month and day of a Julian day number.
func j2date(jd int) (year, month, day int) {
	julian := uint32(jd)
	julian += 32044
	quad := julian / 146097
	extra := (julian-quad*146097)*4 + 3
	julian += 60 + quad*3 + extra/146097
	quad = julian / 1461
	julian -= quad * 1461
	y := int(julian * 4 / 1461)
	if y != 0 {
		julian = (julian+305)%365 + 123
	} else {
		julian = (julian+306)%366 + 123
	}
	y += int(quad * 4)
	year = y - 4800
	quad = julian * 2141 / 65536
	day = int(julian - 7834*quad/256)
	month = int((quad+10)%12 + 1)
	return
}

// appendYMD appends a date as PostgreSQL's ISO DateStyle prints it:
// YYYY-MM-DD with at least four year digits; years before 1 AD are written
// as positive years and marked BC at the end by the caller.
func appendYMD(dst []byte, year, month, day int) (out []byte, bc bool) {
	if year <= 0 {
		year = 1 - year
		bc = true
	}
	dst = appendPad(dst, year, 4)
	dst = append(dst, '-')
	dst = appendPad(dst, month, 2)
	dst = append(dst, '-')
	dst = appendPad(dst, day, 2)
	return dst, bc
}

func appendPad(dst []byte, v, width int) []byte {
	var buf [20]byte
	s := strconv.AppendInt(buf[:0], int64(v), 10)
	for i := len(s); i < width; i++ {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

// appendDate appends a binary date (days since 2000-01-01) as the server's
// text output with DateStyle ISO: 2024-03-01, 0044-03-15 BC, infinity,
// -infinity.
func appendDate(dst []byte, days int32) []byte {
	switch days {
	case math.MaxInt32:
		return append(dst, "infinity"...)
	case math.MinInt32:
		return append(dst, "-infinity"...)
	}
	y, m, d := j2date(int(days) + pgEpochJDate)
	dst, bc := appendYMD(dst, y, m, d)
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

// appendTimestamp appends a binary timestamp (microseconds since
// 2000-01-01 00:00:00) as the server's text output with DateStyle ISO:
// 2024-03-01 13:45:00, with .ffffff (trailing zeros dropped) when there are
// fractional seconds, "+00" for timestamptz (the value is in UTC), " BC"
// last for years before 1 AD, and infinity/-infinity.
func appendTimestamp(dst []byte, us int64, tz bool) []byte {
	switch us {
	case math.MaxInt64:
		return append(dst, "infinity"...)
	case math.MinInt64:
		return append(dst, "-infinity"...)
	}
	date := us / usecsPerDay
	t := us % usecsPerDay
	if t < 0 {
		t += usecsPerDay
		date--
	}
	y, mo, d := j2date(int(date) + pgEpochJDate)
	dst, bc := appendYMD(dst, y, mo, d)
	sec := t / 1000000
	frac := t % 1000000
	dst = append(dst, ' ')
	dst = appendPad(dst, int(sec/3600), 2)
	dst = append(dst, ':')
	dst = appendPad(dst, int(sec/60%60), 2)
	dst = append(dst, ':')
	dst = appendPad(dst, int(sec%60), 2)
	if frac != 0 {
		var digits [6]byte
		for i := 5; i >= 0; i-- {
			digits[i] = byte('0' + frac%10)
			frac /= 10
		}
		n := 6
		for n > 0 && digits[n-1] == '0' {
			n--
		}
		dst = append(dst, '.')
		dst = append(dst, digits[:n]...)
	}
	if tz {
		dst = append(dst, "+00"...)
	}
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

// appendUUID appends a binary uuid in its canonical 8-4-4-4-12 lowercase
// hexadecimal form.
func appendUUID(dst []byte, b []byte) []byte {
	const hex = "0123456789abcdef"
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hex[c>>4], hex[c&15])
	}
	return dst
}
