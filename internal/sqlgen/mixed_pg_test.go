package sqlgen

import (
	"context"
	"math"
	"os"
	"testing"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/pgtest"
)

const telcoCSV = "../../../shared/datasets/WA_Fn-UseC_-Telco-Customer-Churn.csv"

// TestMixedPostgres runs the golden k-prototypes SQL of telco_category (an
// int column as a category, missing categories as a category, a null
// mode) on PostgreSQL over IBM's telco table and compares every row with
// model.ScoreMixed on the same rows: same segment and second segment,
// distances bit-identical. The model's one clean step (fillna TotalCharges
// 0) is applied by hand on the Go side; cmd/segment's
// TestExportPostgresMixed compares real runs with predict.
func TestMixedPostgres(t *testing.T) {
	if _, err := os.Stat(telcoCSV); err != nil {
		t.Skipf("IBM telco table not found at %s", telcoCSV)
	}
	sdsn, schema := pgtest.Schema(t, pgtest.DSN(t))
	res, err := csvio.ReadFile(context.Background(), telcoCSV, csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tbl := res.Table
	// Some rows with a missing PaymentMethod (a category of its own, the
	// null mode of segment 4) and an unseen contract.
	pay := tbl.Col("PaymentMethod")
	vals := make([]string, pay.Len())
	miss := make([]bool, pay.Len())
	for i := range vals {
		vals[i] = pay.Str(i)
		miss[i] = i%97 == 0
	}
	con := tbl.Col("Contract")
	cvals := make([]string, con.Len())
	for i := range cvals {
		cvals[i] = con.Str(i)
		if i%89 == 0 {
			cvals[i] = "Three year"
		}
	}
	if tbl, err = tbl.With(frame.NewString("PaymentMethod", vals, miss)); err != nil {
		t.Fatal(err)
	}
	if tbl, err = tbl.With(frame.NewString("Contract", cvals, nil)); err != nil {
		t.Fatal(err)
	}
	pgtest.LoadTable(t, sdsn, "telco", tbl)

	m := loadModel(t, "telco_category")
	ex, err := ExportModel(MustLookup("postgres"), m, ExportOptions{Table: schema + ".telco", ID: "customerID", IDOut: "customerID"})
	if err != nil {
		t.Fatal(err)
	}
	// The Go side: fillna TotalCharges 0, then the model.
	tc := tbl.Col("TotalCharges")
	x, _ := tc.Float64s()
	for i, v := range x {
		if math.IsNaN(v) {
			x[i] = 0
		}
	}
	filled, err := tbl.With(frame.NewFloat("TotalCharges", x, nil))
	if err != nil {
		t.Fatal(err)
	}
	X, probs, err := m.Matrix(filled)
	if err != nil || len(probs) > 0 {
		t.Fatalf("matrix: %v %v", err, probs)
	}
	cat, _, cprobs, err := m.Codes(filled, false)
	if err != nil || len(cprobs) > 0 {
		t.Fatalf("codes: %v %v", err, cprobs)
	}
	n := filled.NumRows()
	sc, err := m.ScoreMixed(X, cat, n, false)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{}
	ids := filled.Col("customerID")
	for i := range n {
		want[ids.Str(i)] = i
	}

	conn := pgtest.Connect(t, sdsn)
	rows, err := conn.Query(context.Background(), ex.SQL)
	if err != nil {
		t.Fatalf("%v\n%s", err, ex.SQL)
	}
	defer rows.Close()
	got, exact, nullMode := 0, 0, 0
	for rows.Next() {
		var id, name string
		var seg, second *int64
		var dist, sdist, margin *float64
		var outlier *bool
		var reason *string
		if err := rows.Scan(&id, &seg, &name, &dist, &second, &sdist, &margin, &outlier, &reason); err != nil {
			t.Fatal(err)
		}
		got++
		i, ok := want[id]
		if !ok || reason != nil || seg == nil {
			t.Fatalf("row %q: unknown id or unscored (reason %v)", id, reason)
		}
		l := sc.Labels[i]
		if *seg != int64(m.IDs[l]) || *second != int64(m.IDs[sc.Second[i]]) {
			t.Errorf("%s: SQL segment %d second %d, ScoreMixed %d %d", id, *seg, *second, m.IDs[l], m.IDs[sc.Second[i]])
		}
		if *dist == sc.Distance[i] && *sdist == sc.SecondDistance[i] {
			exact++
		} else if math.Abs(*dist-sc.Distance[i]) > 1e-12*sc.Distance[i] {
			t.Errorf("%s: distance %v, ScoreMixed %v", id, *dist, sc.Distance[i])
		}
		if miss[i] && l == 3 {
			nullMode++
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if got != n {
		t.Errorf("%d rows, want %d", got, n)
	}
	t.Logf("%d rows, %d with bit-identical distances; %d rows with a missing payment method in the segment whose mode is missing", got, exact, nullMode)
	if exact != n {
		t.Errorf("%d of %d distances differ from ScoreMixed's", n-exact, n)
	}
}
