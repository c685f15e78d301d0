package sqlgen

import (
	"context"
	"math"
	"testing"

	"github.com/churnlab/segment/internal/pgtest"
)

// TestLiteralsPostgres: PostgreSQL reads every Float literal back as the
// same double (bit for bit), every String literal as the same text and
// every Ident as the same name.
func TestLiteralsPostgres(t *testing.T) {
	dsn, _ := pgtest.Schema(t, pgtest.DSN(t))
	conn := pgtest.Connect(t, dsn)
	ctx := context.Background()
	d := MustLookup("postgres")
	for _, v := range []float64{0.1, 1.0 / 3, 5e-324, math.MaxFloat64, -2.5, 123456789.12345678, 0.21620252197655662,
		2.220446049250313e-15, 1e21, 1e-7, math.Inf(1), math.Inf(-1), math.Copysign(0, -1)} {
		var got float64
		if err := conn.QueryRow(ctx, "SELECT "+d.Float(v)).Scan(&got); err != nil {
			t.Fatalf("%v: %v", v, err)
		}
		if math.Float64bits(got) != math.Float64bits(v) && !(v == 0 && got == 0) {
			t.Errorf("%s reads back as %v, want %v", d.Float(v), got, v)
		}
	}
	var isNaN bool
	if err := conn.QueryRow(ctx, "SELECT "+d.Float(math.NaN())+" = 'NaN'::float8").Scan(&isNaN); err != nil || !isNaN {
		t.Errorf("NaN literal: %v %v", isNaN, err)
	}
	for _, s := range []string{"", "it's", `back\slash`, "tab\tnew\nline\r", "ünïcødé ✓", `a"b`, "\x01\x1f\x7f", "E'x'"} {
		lit, err := d.String(s)
		if err != nil {
			t.Fatal(err)
		}
		var got string
		if err := conn.QueryRow(ctx, "SELECT "+lit).Scan(&got); err != nil || got != s {
			t.Errorf("%s reads back as %q (%v), want %q", lit, got, err, s)
		}
		// As a column name too (PostgreSQL names hold anything but NUL).
		if s == "" {
			continue
		}
		id, err := d.Ident(s)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := conn.Query(ctx, "SELECT 1 AS "+id)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if name := rows.FieldDescriptions()[0].Name; name != s {
			t.Errorf("%s names a column %q, want %q", id, name, s)
		}
		rows.Close()
	}
	for _, bad := range []string{"nul\x00", "\xff"} {
		if _, err := d.String(bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
		if _, err := d.Ident(bad); err == nil {
			t.Errorf("ident %q: no error", bad)
		}
	}
}

// TestTableNames: the parts of a table name, quoted or not.
func TestTableNames(t *testing.T) {
	d := MustLookup("postgres")
	for in, want := range map[string]string{
		"customers":                   `"customers"`,
		"sales.customers":             `"sales"."customers"`,
		` My Schema . My Table `:      `"My Schema"."My Table"`,
		`"eu.west"."a""b"`:            `"eu.west"."a""b"`,
		"proj.dataset.table":          `"proj"."dataset"."table"`,
		`"telecom ""churn"" (Maven)"`: `"telecom ""churn"" (Maven)"`,
	} {
		got, err := d.Table(in)
		if err != nil || got != want {
			t.Errorf("Table(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "a..b", `"open`, `"a"b`, "a.b.c.d"} {
		if got, err := d.Table(bad); err == nil {
			t.Errorf("Table(%q) = %s, want an error", bad, got)
		}
	}
}
