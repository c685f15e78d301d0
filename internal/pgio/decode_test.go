package pgio

import (
	"context"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"
)

// encodeNumeric builds the binary numeric of a decimal string such as
// "-123.4500" (digits only, optional sign and point), as the server sends it.
func encodeNumeric(s string) []byte {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	dscale := len(frac)
	// Pad the integer part on the left and the fraction on the right to
	// multiples of 4 digits.
	for len(intPart)%4 != 0 {
		intPart = "0" + intPart
	}
	for len(frac)%4 != 0 {
		frac += "0"
	}
	all := intPart + frac
	var groups []uint16
	for i := 0; i < len(all); i += 4 {
		g, _ := strconv.Atoi(all[i : i+4])
		groups = append(groups, uint16(g))
	}
	weight := len(intPart)/4 - 1
	// Strip leading and trailing zero groups, as the server does.
	for len(groups) > 0 && groups[0] == 0 {
		groups = groups[1:]
		weight--
	}
	for len(groups) > 0 && groups[len(groups)-1] == 0 {
		groups = groups[:len(groups)-1]
	}
	if len(groups) == 0 {
		weight = 0
	}
	b := binary.BigEndian.AppendUint16(nil, uint16(len(groups)))
	b = binary.BigEndian.AppendUint16(b, uint16(int16(weight)))
	sign := uint16(numPos)
	if neg {
		sign = numNeg
	}
	b = binary.BigEndian.AppendUint16(b, sign)
	b = binary.BigEndian.AppendUint16(b, uint16(dscale))
	for _, g := range groups {
		b = binary.BigEndian.AppendUint16(b, g)
	}
	return b
}

// TestDecodeNumeric checks the numeric → float64 conversion against
// strconv.ParseFloat of the same decimal text (correct rounding), on edge
// cases and 20,000 random decimals of 1 to 40 digits with 0 to 30 decimals.
func TestDecodeNumeric(t *testing.T) {
	cases := []string{"0", "0.0", "1", "-1", "0.1", "0.5", "123.456", "-0.000001", "9999", "10000", "12345678901234567890",
		"0.30000000000000004", "9007199254740993", "1.7976931348623157", "4.9406564584124654", "100000000000000000000000",
		"0.0000000000000000000000001", "123456789012345.6789", "9999999999999999"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		n := 1 + rng.IntN(40)
		var sb strings.Builder
		if rng.IntN(2) == 0 {
			sb.WriteByte('-')
		}
		digits := make([]byte, n)
		for i := range digits {
			digits[i] = byte('0' + rng.IntN(10))
		}
		sc := rng.IntN(min(n, 30) + 1)
		ip := string(digits[:n-sc])
		if ip == "" {
			ip = "0"
		}
		sb.WriteString(ip)
		if sc > 0 {
			sb.WriteByte('.')
			sb.Write(digits[n-sc:])
		}
		cases = append(cases, sb.String())
	}
	for _, s := range cases {
		got, err := decodeNumeric(encodeNumeric(s))
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		want, _ := strconv.ParseFloat(s, 64)
		if math.Float64bits(got) != math.Float64bits(want) && !(got == 0 && want == 0) {
			t.Fatalf("%s: got %v, want %v", s, got, want)
		}
	}
}

func TestDecodeNumericSpecial(t *testing.T) {
	word := func(sign uint16) []byte {
		b := make([]byte, 8)
		binary.BigEndian.PutUint16(b[4:], sign)
		return b
	}
	if v, _ := decodeNumeric(word(numNaN)); !math.IsNaN(v) {
		t.Errorf("NaN: %v", v)
	}
	if v, _ := decodeNumeric(word(numPInf)); !math.IsInf(v, 1) {
		t.Errorf("+Inf: %v", v)
	}
	if v, _ := decodeNumeric(word(numNInf)); !math.IsInf(v, -1) {
		t.Errorf("-Inf: %v", v)
	}
	big := encodeNumeric("1" + strings.Repeat("0", 400))
	if _, err := decodeNumeric(big); err == nil || !strings.Contains(err.Error(), "float64 range") {
		t.Errorf("1e400: err %v", err)
	}
	tiny := encodeNumeric("0." + strings.Repeat("0", 400) + "1")
	if v, err := decodeNumeric(tiny); err != nil || v != 0 {
		t.Errorf("1e-401: %v %v, want 0 (nearest float64)", v, err)
	}
	for _, bad := range [][]byte{{0, 1}, {0, 2, 0, 0, 0, 0, 0, 0, 0, 1}, word(0x1234)} {
		if _, err := decodeNumeric(bad); err == nil {
			t.Errorf("% x: no error", bad)
		}
	}
}

// TestJ2Date checks PostgreSQL's Julian-day conversion against Go's
// proleptic Gregorian calendar for every day from 4713 BC to 9999 AD in
// 997-day steps, and a few fixed days.
func TestJ2Date(t *testing.T) {
	epoch := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for days := -2451545; days < 2933000; days += 997 {
		y, m, d := j2date(days + pgEpochJDate)
		want := epoch.AddDate(0, 0, days)
		if y != want.Year() || time.Month(m) != want.Month() || d != want.Day() {
			t.Fatalf("day %d: %d-%d-%d, want %v", days, y, m, d, want)
		}
	}
	for _, c := range []struct {
		days int32
		want string
	}{{0, "2000-01-01"}, {-1, "1999-12-31"}, {59, "2000-02-29"}, {-730119, "0001-01-01"}, {-730120, "0001-12-31 BC"},
		{math.MaxInt32, "infinity"}, {math.MinInt32, "-infinity"}} {
		if got := string(appendDate(nil, c.days)); got != c.want {
			t.Errorf("appendDate(%d) = %q, want %q", c.days, got, c.want)
		}
	}
	for _, c := range []struct {
		us   int64
		tz   bool
		want string
	}{{0, false, "2000-01-01 00:00:00"}, {1, true, "2000-01-01 00:00:00.000001+00"}, {-1, false, "1999-12-31 23:59:59.999999"},
		{500000, false, "2000-01-01 00:00:00.5"}, {math.MaxInt64, true, "infinity"}, {math.MinInt64, false, "-infinity"}} {
		if got := string(appendTimestamp(nil, c.us, c.tz)); got != c.want {
			t.Errorf("appendTimestamp(%d) = %q, want %q", c.us, got, c.want)
		}
	}
}

// TestTextMatchesServer reads dates, timestamps, timestamptz, uuids, reals
// and numerics and compares what segment makes of the binary values with the
// server's own text output (DateStyle ISO, TimeZone UTC, extra_float_digits
// 1 — what a CSV export with those settings carries) and the server's
// numeric::float8.
func TestTextMatchesServer(t *testing.T) {
	db, _ := testDB(t)
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET extra_float_digits = 1; SELECT setseed(0.5)"); err != nil {
		t.Fatal(err)
	}
	const q = `
WITH edge(d, ts) AS (VALUES
  ('infinity'::date, 'infinity'::timestamp), ('-infinity', '-infinity'),
  ('4713-01-01 BC', '4713-11-24 00:00:00 BC'), ('0044-03-15 BC', '0044-03-15 12:30:00.25 BC'),
  ('0001-01-01', '0001-01-01 00:00:00'), ('0001-12-31 BC', '0001-12-31 23:59:59.999999 BC'),
  ('1999-12-31', '1999-12-31 23:59:59.999999'), ('2000-02-29', '2000-02-29 12:00:00.000001'),
  ('1900-02-28', '1900-03-01 00:00:00'), ('5874897-12-31', '294276-12-31 23:59:59.999999'),
  ('9999-12-31', '10000-01-01 00:00:00')),
rnd AS (
  SELECT ('2000-01-01'::date + (random() * 4000000 - 2400000)::int) AS d,
         '2000-01-01'::timestamp + (random() * 2e11 - 1.5e11) * interval '1 second' AS ts
  FROM generate_series(1, 3000))
SELECT d, d::text AS d_text, ts, ts::text AS ts_text, ts::timestamptz AS tz, ts::timestamptz::text AS tz_text,
       md5(ts::text)::uuid AS u, md5(ts::text)::uuid::text AS u_text,
       (random() * 10 ^ (random() * 60 - 30))::real AS r, ((random() * 10 ^ (random() * 60 - 30))::real)::text AS r_text,
       round(((random() - 0.5) * 10 ^ (random() * 40 - 20))::numeric, (random() * 30)::int) AS n
FROM (SELECT * FROM edge UNION ALL SELECT * FROM rnd) x`
	res := mustRead(t, db, Source{Query: q})
	tb := res.Table
	for _, pair := range [][2]string{{"d", "d_text"}, {"ts", "ts_text"}, {"tz", "tz_text"}, {"u", "u_text"}} {
		a, b := tb.Col(pair[0]), tb.Col(pair[1])
		for i := range tb.NumRows() {
			if a.Str(i) != b.Str(i) {
				t.Fatalf("%s row %d: segment %q, server %q", pair[0], i, a.Str(i), b.Str(i))
			}
		}
	}
	// The real column and its text were drawn separately; compare the real
	// against its own text instead.
	check, err := db.Read(ctx, Source{Query: `SELECT r, r::text::float8 AS rt, n, n::float8 AS nf FROM (SELECT (random() * 10 ^ (random() * 60 - 30))::real AS r,
		round(((random() - 0.5) * 10 ^ (random() * 40 - 20))::numeric, (random() * 30)::int) AS n FROM generate_series(1, 5000)) x
		UNION ALL SELECT 'Infinity'::real, 'Infinity'::float8, 'NaN'::numeric, 'NaN'::float8 UNION ALL SELECT 0.1::real, 0.1, 123456789.123456789::numeric, 123456789.123456789::numeric::float8`})
	if err != nil {
		t.Fatal(err)
	}
	ct := check.Table
	for _, pair := range [][2]string{{"r", "rt"}, {"n", "nf"}} {
		a, b := ct.Col(pair[0]), ct.Col(pair[1])
		for i := range ct.NumRows() {
			if a.IsMissing(i) != b.IsMissing(i) || math.Float64bits(a.Floats[i]) != math.Float64bits(b.Floats[i]) && !(a.IsMissing(i)) {
				t.Fatalf("%s row %d: segment %v, server %v", pair[0], i, a.Floats[i], b.Floats[i])
			}
		}
	}
	if got := ct.Col("r").Floats[ct.NumRows()-1]; got != 0.1 {
		t.Errorf("real 0.1 read as %v, want 0.1", got)
	}
}
