package pgio

import (
	"context"
	"testing"

	"github.com/churnlab/segment/internal/pgtest"
)

// BenchmarkRead compares the two ways rows can travel — the binary COPY
// protocol (Read's) and an ordinary query with binary results — on 200,000
// rows of 12 columns (ints, doubles, numerics, text of low and high
// cardinality, booleans, dates). bench/postgres times the 1M-row churn table.
//
//	go test -run '^$' -bench Read -benchmem ./internal/pgio
func BenchmarkRead(b *testing.B) {
	dsn, _ := pgtest.Schema(b, pgtest.DSN(b))
	pgtest.Exec(b, dsn, `CREATE TABLE t AS SELECT g AS id, g % 97 AS age, (g * 0.37)::float8 AS revenue, (g % 1000) / 7.0 AS charge,
		(g % 13)::numeric(8,2) AS fee, 'city ' || (g % 1500) AS city, md5(g::text) AS uid, CASE g % 3 WHEN 0 THEN 'Yes' ELSE 'No' END AS married,
		g % 2 = 0 AS flag, DATE '2020-01-01' + g % 1000 AS since, (g % 50)::int2 AS refs, g * 1.5::float8 AS total FROM generate_series(1, 200000) g`,
		`VACUUM ANALYZE t`)
	ctx := context.Background()
	for _, m := range []struct {
		name string
		m    readMethod
	}{{"copy", viaCopy}, {"query", viaQuery}} {
		b.Run(m.name, func(b *testing.B) {
			db, err := Connect(ctx, dsn, Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close(ctx)
			b.ReportAllocs()
			for b.Loop() {
				res, err := db.read(ctx, Source{Table: "t"}, m.m)
				if err != nil {
					b.Fatal(err)
				}
				if res.Table.NumRows() != 200000 {
					b.Fatal(res.Table.NumRows())
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/200000, "ns/row")
		})
	}
}
