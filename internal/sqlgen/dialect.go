package sqlgen

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/churnlab/segment/internal/frame"
)

// Dialect writes SQL for one database engine: quoting, literals, types and
// the functions whose names or semantics differ. Every method returns a
// complete, parenthesised expression where precedence could matter, so
// callers may nest the results freely.
//
// The arithmetic helpers (Div, Ln, Sqrt, Exp, Pow, Log1p, RoundHalfEven)
// give Go's IEEE-754 results (±Inf, NaN) where an engine would raise an
// error (PostgreSQL on a division by zero, ln(0), sqrt(-1), exp(1000)), so a
// query never fails on a value that predict handles.
type Dialect struct {
	name string
}

// The supported dialects, by name.
var dialects = []string{"postgres", "duckdb", "bigquery", "clickhouse", "ansi"}

// Dialects lists the names Lookup accepts, in documentation order.
func Dialects() []string { return append([]string(nil), dialects...) }

// Lookup returns the dialect called name (see Dialects; "postgresql" and
// "pg" are taken for postgres).
func Lookup(name string) (*Dialect, error) {
	switch n := strings.ToLower(strings.TrimSpace(name)); n {
	case "postgresql", "pg":
		return &Dialect{name: "postgres"}, nil
	case "postgres", "duckdb", "bigquery", "clickhouse", "ansi":
		return &Dialect{name: n}, nil
	}
	return nil, fmt.Errorf("unsupported SQL dialect %q (supported: %s)", name, strings.Join(dialects, ", "))
}

// MustLookup is Lookup for names known to be valid (tests, examples).
func MustLookup(name string) *Dialect {
	d, err := Lookup(name)
	if err != nil {
		panic(err)
	}
	return d
}

// Name is the dialect's name as Lookup accepts it.
func (d *Dialect) Name() string { return d.name }

// CaseInsensitiveNames reports whether the engine matches column names
// without regard to letter case (DuckDB, BigQuery): two columns that differ
// only in case cannot live in one relation there.
func (d *Dialect) CaseInsensitiveNames() bool { return d.name == "duckdb" || d.name == "bigquery" }

// ErrNotExpressible marks an error for something the dialect cannot say
// exactly; errors.Is finds it in the errors of this package.
var ErrNotExpressible = errors.New("no exact SQL equivalent")

// notExpressible is an error wrapping ErrNotExpressible.
func notExpressible(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrNotExpressible}, args...)...)
}

// checkText refuses text no SQL literal can hold.
func checkText(what, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s %q is not valid UTF-8", what, s)
	}
	if strings.IndexByte(s, 0) >= 0 {
		return fmt.Errorf("%s %q holds a NUL character, which SQL text cannot hold", what, s)
	}
	return nil
}

// fence is what ends each layer of a Query so that the engine evaluates
// the layers one after the other instead of merging them. PostgreSQL
// inlines a CTE used once and then pulls the subquery up, substituting each
// column by its expression: with columns used several times per layer (a
// distance reads each scaled feature twice per centroid) the merged
// expressions grow exponentially and planning never ends. OFFSET 0 keeps
// each layer a subquery scan (rows still stream; nothing is materialised).
// The other engines keep a subquery's projection as its own step.
func (d *Dialect) fence() string {
	if d.name == "postgres" {
		return "OFFSET 0"
	}
	return ""
}

// qualifies reports whether column references carry their relation's name
// (ClickHouse: see Query.Ref).
func (d *Dialect) qualifies() bool { return d.name == "clickhouse" }

// Ident quotes a column, table or alias name: "a""b" (postgres, duckdb,
// ansi), `a\`b` (bigquery, clickhouse). Any name is safe, spaces, quotes,
// parentheses and backslashes included; it fails only on invalid UTF-8 or
// a NUL character.
func (d *Dialect) Ident(name string) (string, error) {
	if name == "" {
		return "", errors.New("an empty name cannot be an SQL identifier")
	}
	if err := checkText("the name", name); err != nil {
		return "", err
	}
	switch d.name {
	case "bigquery", "clickhouse":
		return "`" + backslashEscape(name, '`') + "`", nil
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`, nil
}

// mustIdent quotes a name this package made (always valid).
func (d *Dialect) mustIdent(name string) string {
	q, err := d.Ident(name)
	if err != nil {
		panic(err)
	}
	return q
}

// Table quotes a possibly qualified table name, written as in a config
// (as internal/pgio.ParseTableName reads it): parts separated by dots
// (schema.table, project.dataset.table), each either taken verbatim (case
// and spaces included) or written in double quotes, where "" stands for
// one quote — needed only for a part that holds a dot or starts with a
// quote. Surrounding spaces of a part are ignored.
func (d *Dialect) Table(name string) (string, error) {
	parts, err := splitTableName(name)
	if err != nil {
		return "", err
	}
	for i, p := range parts {
		q, err := d.Ident(p)
		if err != nil {
			return "", fmt.Errorf("table %q: part %d: %w", name, i+1, err)
		}
		parts[i] = q
	}
	return strings.Join(parts, "."), nil
}

// splitTableName splits a table name into its parts (see Table).
func splitTableName(name string) ([]string, error) {
	var parts []string
	s := name
	for {
		s = strings.TrimLeft(s, " ")
		var part string
		if strings.HasPrefix(s, `"`) {
			var b strings.Builder
			i := 1
			for {
				j := strings.IndexByte(s[i:], '"')
				if j < 0 {
					return nil, fmt.Errorf("table %q: a quoted part has no closing \"", name)
				}
				b.WriteString(s[i : i+j])
				i += j + 1
				if i < len(s) && s[i] == '"' {
					b.WriteByte('"')
					i++
					continue
				}
				break
			}
			part, s = b.String(), strings.TrimLeft(s[i:], " ")
			if s != "" && s[0] != '.' {
				return nil, fmt.Errorf("table %q: text after a quoted part; separate parts with a dot", name)
			}
		} else {
			j := strings.IndexByte(s, '.')
			if j < 0 {
				j = len(s)
			}
			part, s = strings.TrimRight(s[:j], " "), s[j:]
		}
		if part == "" {
			return nil, fmt.Errorf("table %q: an empty name part", name)
		}
		parts = append(parts, part)
		if s == "" {
			break
		}
		s = s[1:] // the dot
	}
	if len(parts) > 3 {
		return nil, fmt.Errorf("table %q: %d parts; at most 3 (project.dataset.table)", name, len(parts))
	}
	return parts, nil
}

// backslashEscape escapes quote, backslash and control characters with
// backslashes (BigQuery and ClickHouse strings and quoted identifiers).
func backslashEscape(s string, quote byte) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b.WriteString(`\\`)
		case quote:
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\f':
			b.WriteString(`\f`)
		case '\v':
			b.WriteString(`\v`)
		default:
			if c < 0x20 || c == 0x7f {
				fmt.Fprintf(&b, `\x%02x`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	return b.String()
}

// String writes a text literal. PostgreSQL gets E'…' when the text holds a
// backslash or a control character, so the literal means the same whatever
// standard_conforming_strings is; DuckDB and ANSI double the quote only;
// BigQuery and ClickHouse escape with backslashes.
func (d *Dialect) String(s string) (string, error) {
	if err := checkText("the text", s); err != nil {
		return "", err
	}
	switch d.name {
	case "bigquery", "clickhouse":
		return "'" + backslashEscape(s, '\'') + "'", nil
	case "postgres":
		if strings.ContainsFunc(s, func(r rune) bool { return r == '\\' || r < 0x20 || r == 0x7f }) {
			var b strings.Builder
			b.WriteString("E'")
			for i := 0; i < len(s); i++ {
				switch c := s[i]; {
				case c == '\\':
					b.WriteString(`\\`)
				case c == '\'':
					b.WriteString(`''`)
				case c < 0x20 || c == 0x7f:
					fmt.Fprintf(&b, `\x%02x`, c)
				default:
					b.WriteByte(c)
				}
			}
			b.WriteByte('\'')
			return b.String(), nil
		}
	}
	return "'" + strings.ReplaceAll(s, "'", "''") + "'", nil
}

// mustString quotes text this package made (always valid).
func (d *Dialect) mustString(s string) string {
	q, err := d.String(s)
	if err != nil {
		panic(err)
	}
	return q
}

// FormatFloat is the text of a float literal: Go's shortest round-trip
// form ('g', -1), which every engine reads back as the same double.
func FormatFloat(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// Float writes a DOUBLE literal that the engine reads as exactly v (±Inf
// and NaN included). PostgreSQL and ANSI cast the numeric literal
// (PostgreSQL converts it with strtod: correctly rounded); DuckDB casts the
// text, because its decimal literals convert through an integer division
// that can be off by one unit in the last place; BigQuery and ClickHouse
// read a literal with a decimal point or exponent as a double.
func (d *Dialect) Float(v float64) string {
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return d.special(v)
	}
	s := FormatFloat(v)
	switch d.name {
	case "duckdb":
		return "CAST('" + s + "' AS DOUBLE)"
	case "bigquery", "clickhouse":
		if !strings.ContainsAny(s, ".e") {
			s += ".0"
		}
		if v < 0 || (v == 0 && math.Signbit(v)) {
			return "(" + s + ")"
		}
		return s
	}
	return "CAST(" + s + " AS DOUBLE PRECISION)"
}

// special writes +Inf, -Inf or NaN.
func (d *Dialect) special(v float64) string {
	switch d.name {
	case "clickhouse":
		switch {
		case math.IsNaN(v):
			return "nan"
		case v > 0:
			return "inf"
		}
		return "(-inf)"
	case "bigquery":
		switch {
		case math.IsNaN(v):
			return "CAST('nan' AS FLOAT64)"
		case v > 0:
			return "CAST('inf' AS FLOAT64)"
		}
		return "CAST('-inf' AS FLOAT64)"
	}
	t := d.Type(frame.Float)
	switch {
	case math.IsNaN(v):
		return "CAST('NaN' AS " + t + ")"
	case v > 0:
		return "CAST('Infinity' AS " + t + ")"
	}
	return "CAST('-Infinity' AS " + t + ")"
}

// Int writes a BIGINT literal.
func (d *Dialect) Int(v int64) string {
	s := strconv.FormatInt(v, 10)
	if v < 0 {
		s = "(" + s + ")"
	}
	if v > math.MaxInt32 || v < math.MinInt32 {
		return "CAST(" + s + " AS " + d.Type(frame.Int) + ")"
	}
	return s
}

// Bool writes TRUE or FALSE.
func (d *Dialect) Bool(v bool) string {
	if v {
		return "TRUE"
	}
	return "FALSE"
}

// Null writes a typed NULL of kind k.
func (d *Dialect) Null(k frame.Kind) string { return "CAST(NULL AS " + d.Type(k) + ")" }

// Type is the SQL type a column of kind k is held in: 64-bit integers,
// doubles, booleans and text. ClickHouse types are Nullable, since any
// cell may be missing.
func (d *Dialect) Type(k frame.Kind) string {
	var t [4]string // int, float, bool, string
	switch d.name {
	case "postgres":
		t = [4]string{"BIGINT", "DOUBLE PRECISION", "BOOLEAN", "TEXT"}
	case "duckdb":
		t = [4]string{"BIGINT", "DOUBLE", "BOOLEAN", "VARCHAR"}
	case "bigquery":
		t = [4]string{"INT64", "FLOAT64", "BOOL", "STRING"}
	case "clickhouse":
		t = [4]string{"Nullable(Int64)", "Nullable(Float64)", "Nullable(Bool)", "Nullable(String)"}
	default:
		t = [4]string{"BIGINT", "DOUBLE PRECISION", "BOOLEAN", "VARCHAR"}
	}
	switch k {
	case frame.Int:
		return t[0]
	case frame.Float:
		return t[1]
	case frame.Bool:
		return t[2]
	}
	return t[3]
}

// Cast converts x to the SQL type of kind k with the engine's CAST (NULL
// stays NULL). It is only exact where the conversion is: a number to
// DOUBLE, an integer or whole double to BIGINT, text to text.
func (d *Dialect) Cast(x string, k frame.Kind) string {
	return "CAST(" + x + " AS " + d.Type(k) + ")"
}

// Trunc rounds toward zero.
func (d *Dialect) Trunc(x string) string {
	switch d.name {
	case "ansi":
		return "(CASE WHEN " + x + " < 0 THEN CEILING(" + x + ") ELSE FLOOR(" + x + ") END)"
	case "clickhouse":
		return "trunc(" + x + ")"
	}
	return "TRUNC(" + x + ")"
}

// Floor rounds down.
func (d *Dialect) Floor(x string) string {
	if d.name == "clickhouse" {
		return "floor(" + x + ")"
	}
	return "FLOOR(" + x + ")"
}

// Ceil rounds up.
func (d *Dialect) Ceil(x string) string {
	switch d.name {
	case "clickhouse":
		return "ceil(" + x + ")"
	case "ansi":
		return "CEILING(" + x + ")"
	}
	return "CEIL(" + x + ")"
}

// Abs is the absolute value.
func (d *Dialect) Abs(x string) string {
	if d.name == "clickhouse" {
		return "abs(" + x + ")"
	}
	return "ABS(" + x + ")"
}

// Sqrt is the square root (correctly rounded in every engine), NaN for a
// negative x.
func (d *Dialect) Sqrt(x string) string {
	if d.name == "clickhouse" {
		return "sqrt(" + x + ")"
	}
	return "(CASE WHEN " + x + " < 0 THEN " + d.Float(math.NaN()) + " ELSE SQRT(" + x + ") END)"
}

// sqrtNonNeg is Sqrt for an x known to be ≥ 0 (a sum of squares).
func (d *Dialect) sqrtNonNeg(x string) string {
	if d.name == "clickhouse" {
		return "sqrt(" + x + ")"
	}
	return "SQRT(" + x + ")"
}

// Ln is the natural logarithm with Go's math.Log at 0 (-Inf) and below
// (NaN).
func (d *Dialect) Ln(x string) string {
	if d.name == "clickhouse" {
		return "log(" + x + ")"
	}
	return "(CASE WHEN " + x + " > 0 THEN LN(" + x + ") WHEN " + x + " = 0 THEN " + d.Float(math.Inf(-1)) + " ELSE " + d.Float(math.NaN()) + " END)"
}

// Log10 is the base-10 logarithm, with Ln's special values.
func (d *Dialect) Log10(x string) string {
	if d.name == "clickhouse" {
		return "log10(" + x + ")"
	}
	return "(CASE WHEN " + x + " > 0 THEN LOG10(" + x + ") WHEN " + x + " = 0 THEN " + d.Float(math.Inf(-1)) + " ELSE " + d.Float(math.NaN()) + " END)"
}

// The arguments beyond which Go's math.Exp overflows to +Inf or underflows
// to 0 (PostgreSQL and BigQuery raise errors there).
const (
	expOverflow  = 7.09782712893383973096e+02
	expUnderflow = -7.45133219101941108420e+02
)

// Exp is e^x, +Inf on overflow and 0 on underflow.
func (d *Dialect) Exp(x string) string {
	if d.name == "clickhouse" {
		return "exp(" + x + ")"
	}
	return "(CASE WHEN " + x + " > " + d.Float(expOverflow) + " THEN " + d.Float(math.Inf(1)) +
		" WHEN " + x + " < " + d.Float(expUnderflow) + " THEN " + d.Float(0) + " ELSE EXP(" + x + ") END)"
}

// Pow is x^y with Go's math.Pow at 0^negative (+Inf) and negative^fraction
// (NaN), where engines raise errors.
func (d *Dialect) Pow(x, y string) string {
	if d.name == "clickhouse" {
		return "pow(" + x + ", " + y + ")"
	}
	return "(CASE WHEN " + x + " = 0 AND " + y + " < 0 THEN " + d.Float(math.Inf(1)) +
		" WHEN " + x + " < 0 AND " + y + " <> " + d.Floor(y) + " THEN " + d.Float(math.NaN()) +
		" ELSE POWER(" + x + ", " + y + ") END)"
}

// Div is the IEEE-754 quotient of two doubles: ±Inf or NaN for a zero
// divisor, as Go's a / b (a negative zero divisor is taken as +0).
func (d *Dialect) Div(a, b string) string {
	switch d.name {
	case "clickhouse":
		return "(" + a + " / " + b + ")"
	case "bigquery":
		return "IEEE_DIVIDE(" + a + ", " + b + ")"
	}
	return "(CASE WHEN " + b + " = 0 THEN " + a + " * " + d.Float(math.Inf(1)) + " ELSE " + a + " / " + b + " END)"
}

// Mod is the remainder of two integers with the sign of a (Go's %); b
// must not be zero.
func (d *Dialect) Mod(a, b string) string {
	switch d.name {
	case "clickhouse", "duckdb":
		return "(" + a + " % " + b + ")"
	}
	return "MOD(" + a + ", " + b + ")"
}

// Log1p is ln(1 + x), accurate for small x (Kahan's formula
// ln(u)·x/(u − 1), u = 1 + x, where the engine has no log1p), -Inf at -1
// and NaN below, as Go's math.Log1p.
func (d *Dialect) Log1p(x string) string {
	if d.name == "clickhouse" {
		return "log1p(" + x + ")"
	}
	one := d.Float(1)
	u := "(" + one + " + " + x + ")"
	return "(CASE WHEN " + x + " = -1 THEN " + d.Float(math.Inf(-1)) + " WHEN " + x + " < -1 THEN " + d.Float(math.NaN()) +
		" WHEN " + u + " = " + one + " THEN " + x + " ELSE LN(" + u + ") * " + x + " / (" + u + " - " + one + ") END)"
}

// RoundHalfEven rounds a double to the nearest whole number, ties to even
// (numpy's and rowexpr's round). PostgreSQL's round(double precision) and
// ClickHouse's roundBankers do that; elsewhere it is computed from FLOOR
// exactly (x − FLOOR(x) is exact for every double).
func (d *Dialect) RoundHalfEven(x string) string {
	switch d.name {
	case "postgres":
		return "ROUND(" + x + ")"
	case "clickhouse":
		return "roundBankers(" + x + ")"
	}
	f := d.Floor(x)
	half, one, two := d.Float(0.5), d.Float(1), d.Float(2)
	return "(CASE WHEN " + x + " - " + f + " > " + half + " THEN " + f + " + " + one +
		" WHEN " + x + " - " + f + " < " + half + " THEN " + f +
		" WHEN " + f + " - " + two + " * " + d.Floor(f+" / "+two) + " = 0 THEN " + f +
		" ELSE " + f + " + " + one + " END)"
}

// IsFinite is a condition true when the double x is neither ±Inf nor NaN
// (NULL when x is NULL).
func (d *Dialect) IsFinite(x string) string {
	switch d.name {
	case "clickhouse":
		return "isFinite(" + x + ")"
	case "duckdb":
		return "isfinite(" + x + ")"
	case "bigquery":
		return "(NOT IS_INF(" + x + ") AND NOT IS_NAN(" + x + "))"
	}
	// Inf − Inf and NaN − NaN are NaN, which is not equal to 0.
	return "(" + x + " - " + x + " = 0)"
}

// Lower is the text in lower case (used on ASCII words only).
func (d *Dialect) Lower(x string) string {
	if d.name == "clickhouse" {
		return "lower(" + x + ")"
	}
	return "LOWER(" + x + ")"
}

// Coalesce is x, or missing where x is NULL. PostgreSQL gets the CASE
// form: postgres_fdw 15 does not deparse COALESCE, so a filter or an
// aggregate that holds one would stay on the coordinator of a sharded
// setup instead of running on the shards. x is a column reference or
// another short expression (it is written twice).
func (d *Dialect) Coalesce(x, missing string) string {
	if d.name == "postgres" {
		return "CASE WHEN " + x + " IS NULL THEN " + missing + " ELSE " + x + " END"
	}
	return "COALESCE(" + x + ", " + missing + ")"
}

// Concat joins two texts.
func (d *Dialect) Concat(a, b string) string { return "(" + a + " || " + b + ")" }

// Contains is true when b occurs in a.
func (d *Dialect) Contains(a, b string) string {
	switch d.name {
	case "clickhouse":
		return "(position(" + a + ", " + b + ") > 0)"
	case "bigquery":
		return "(STRPOS(" + a + ", " + b + ") > 0)"
	}
	return "(POSITION(" + b + " IN " + a + ") > 0)"
}

// StartsWith is true when a begins with b.
func (d *Dialect) StartsWith(a, b string) string {
	switch d.name {
	case "clickhouse":
		return "startsWith(" + a + ", " + b + ")"
	case "bigquery":
		return "STARTS_WITH(" + a + ", " + b + ")"
	case "postgres", "duckdb":
		return "starts_with(" + a + ", " + b + ")"
	}
	return "(SUBSTRING(" + a + " FROM 1 FOR CHAR_LENGTH(" + b + ")) = " + b + ")"
}

// EndsWith is true when a ends with b.
func (d *Dialect) EndsWith(a, b string) string {
	switch d.name {
	case "clickhouse":
		return "endsWith(" + a + ", " + b + ")"
	case "bigquery":
		return "ENDS_WITH(" + a + ", " + b + ")"
	case "duckdb":
		return "ends_with(" + a + ", " + b + ")"
	case "postgres":
		return "(RIGHT(" + a + ", LENGTH(" + b + ")) = " + b + ")"
	}
	return "(CHAR_LENGTH(" + a + ") >= CHAR_LENGTH(" + b + ") AND SUBSTRING(" + a + " FROM CHAR_LENGTH(" + a + ") - CHAR_LENGTH(" + b + ") + 1) = " + b + ")"
}

// CompareText compares two texts byte by byte (Go's string order; UTF-8
// byte order is code point order) with op (<, <=, >, >=). PostgreSQL
// compares under COLLATE "C"; DuckDB, BigQuery and ClickHouse compare
// binary strings by default; ANSI has no portable binary collation.
func (d *Dialect) CompareText(a, op, b string) (string, error) {
	switch d.name {
	case "postgres":
		return "(" + a + " " + op + " " + b + ` COLLATE "C")`, nil
	case "ansi":
		return "", notExpressible("ordering texts byte by byte (%s) has no portable collation in ANSI SQL; use the dialect of your engine", op)
	}
	return "(" + a + " " + op + " " + b + ")", nil
}

// spaceChars are the characters Go's strings.TrimSpace removes (the ASCII
// ones).
const spaceChars = " \t\n\v\f\r"

// TrimSpace removes leading and trailing ASCII white space.
func (d *Dialect) TrimSpace(x string) string {
	chars := d.mustString(spaceChars)
	switch d.name {
	case "bigquery":
		return "TRIM(" + x + ", " + chars + ")"
	case "duckdb":
		return "trim(" + x + ", " + chars + ")"
	case "clickhouse":
		return "trim(BOTH " + chars + " FROM " + x + ")"
	}
	return "TRIM(BOTH " + chars + " FROM " + x + ")"
}

// FullMatch is true when the whole text x matches the regular expression
// pattern (written in the common subset of RE2 and PostgreSQL's
// advanced regular expressions). ANSI SQL has none.
func (d *Dialect) FullMatch(x, pattern string) (string, error) {
	switch d.name {
	case "postgres":
		return "(" + x + " ~ " + d.mustString("^(?:"+pattern+")$") + ")", nil
	case "duckdb":
		return "regexp_full_match(" + x + ", " + d.mustString(pattern) + ")", nil
	case "bigquery":
		return "REGEXP_CONTAINS(" + x + ", " + d.mustString("^(?:"+pattern+")$") + ")", nil
	case "clickhouse":
		return "match(" + x + ", " + d.mustString("^(?:"+pattern+")$") + ")", nil
	}
	return "", notExpressible("ANSI SQL has no regular expressions")
}

// ParseDouble converts text to a double where it parses, else NULL. The
// text must already have passed FullMatch with numberPattern.
func (d *Dialect) parseDouble(x string) string {
	switch d.name {
	case "bigquery":
		return "SAFE_CAST(" + d.TrimSpace(x) + " AS FLOAT64)"
	case "clickhouse":
		return "toFloat64OrNull(" + d.TrimSpace(x) + ")"
	case "duckdb":
		return "TRY_CAST(" + d.TrimSpace(x) + " AS DOUBLE)"
	}
	return "CAST(" + d.TrimSpace(x) + " AS " + d.Type(frame.Float) + ")"
}
