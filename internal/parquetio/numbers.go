package parquetio

import (
	"math/big"
	"strconv"
	"time"

	"github.com/parquet-go/parquet-go/deprecated"
)

// decimalInt converts the unscaled value u of a DECIMAL with the given scale
// to the nearest float64. When u and 10^scale are both exact float64 values
// one IEEE division rounds correctly; otherwise the decimal text is parsed,
// which also rounds correctly. Either way the result equals what parsing the
// value's decimal text (as a CSV reader does) gives.
func decimalInt(u int64, scale int32) float64 {
	if scale == 0 {
		return float64(u)
	}
	if scale > 0 && int(scale) < len(pow10) && u >= -(1<<53) && u <= 1<<53 {
		return float64(u) / pow10[scale]
	}
	var buf [48]byte
	b := strconv.AppendInt(buf[:0], u, 10)
	b = append(b, 'e')
	b = strconv.AppendInt(b, -int64(scale), 10)
	return parseFloat(b)
}

// decimalBytes converts a big-endian two's complement unscaled value.
func decimalBytes(b []byte, scale int32) float64 {
	if len(b) == 0 {
		return 0
	}
	if len(b) <= 8 {
		u := int64(int8(b[0])) // sign-extend the first byte
		for _, x := range b[1:] {
			u = u<<8 | int64(x)
		}
		return decimalInt(u, scale)
	}
	v := new(big.Int).SetBytes(b)
	if b[0]&0x80 != 0 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), uint(8*len(b))))
	}
	s := v.Append(nil, 10)
	s = append(s, 'e')
	s = strconv.AppendInt(s, -int64(scale), 10)
	return parseFloat(s)
}

// parseFloat parses a decimal number; out-of-range values give ±Inf or 0,
// as strconv does.
func parseFloat(b []byte) float64 {
	f, _ := strconv.ParseFloat(string(b), 64)
	return f
}

func appendFloat32(dst []byte, f float32) []byte {
	return strconv.AppendFloat(dst, float64(f), 'g', -1, 32)
}

// Dates and times become strings, since a frame has no date kind. The text is
// ISO 8601 as RFC 3339 writes it:
//
//	DATE                          2024-03-01
//	TIMESTAMP, isAdjustedToUTC    2024-03-01T13:45:06Z, 2024-03-01T13:45:06.25Z
//	TIMESTAMP, local (naive)      2024-03-01T13:45:06, 2024-03-01T13:45:06.000123
//	INT96 (legacy, naive)         2024-03-01T13:45:06.5
//	TIME                          13:45:06, 13:45:06.123 (Z appended when UTC-adjusted)
//
// The fraction has as many digits as needed and none when it is zero.
const (
	dateLayout = "2006-01-02"
	tsLayout   = "2006-01-02T15:04:05.999999999"
	timeLayout = "15:04:05.999999999"
)

// FormatDate renders a DATE (days since 1970-01-01) as YYYY-MM-DD.
func FormatDate(days int64) string {
	return time.Unix(days*86400, 0).UTC().Format(dateLayout)
}

// FormatTimestamp renders an instant as the ISO 8601 text this package gives
// timestamps: YYYY-MM-DDTHH:MM:SS, then a fraction of as many digits as
// needed (none when zero), then "Z" when utc is true. Other sources of dates
// (a PostgreSQL timestamp column, say) should use it so that a table reads
// the same from every source.
func FormatTimestamp(t time.Time, utc bool) string {
	s := t.UTC().Format(tsLayout)
	if utc {
		s += "Z"
	}
	return s
}

func formatDate(days int64) string { return FormatDate(days) }

// timestampFormatter returns a formatter for values counted in units of
// unit nanoseconds since the epoch.
func timestampFormatter(unit int64, utc bool) func(int64) string {
	perSec := int64(1e9) / unit
	return func(v int64) string {
		sec, rem := v/perSec, v%perSec
		if rem < 0 {
			sec, rem = sec-1, rem+perSec
		}
		return FormatTimestamp(time.Unix(sec, rem*unit), utc)
	}
}

// timeFormatter returns a formatter for times of day counted in units of
// unit nanoseconds since midnight.
func timeFormatter(unit int64, utc bool) func(int64) string {
	return func(v int64) string {
		s := time.Unix(0, 0).UTC().Add(time.Duration(v * unit)).Format(timeLayout)
		if v < 0 || v*unit >= 86400e9 {
			s = "+" + s // out of range; keep it distinct rather than wrapping silently
		}
		if utc {
			s += "Z"
		}
		return s
	}
}

// formatInt96 renders a legacy INT96 timestamp (nanoseconds of the day, then
// the Julian day) as a naive timestamp, as pandas and Spark read it.
func formatInt96(v deprecated.Int96) string {
	nanos := int64(uint64(v[1])<<32 | uint64(v[0]))
	days := int64(v[2]) - 2440588
	return FormatTimestamp(time.Unix(days*86400, 0).Add(time.Duration(nanos)), false)
}
