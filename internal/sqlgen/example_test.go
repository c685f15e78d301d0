package sqlgen_test

import (
	"fmt"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/sqlgen"
)

func ExampleCompileExpr() {
	d := sqlgen.MustLookup("postgres")
	cols := []sqlgen.ColumnRef{
		{Name: "Total Revenue", Kind: frame.Float, SQL: `"Total Revenue"`},
		{Name: "Tenure", Kind: frame.Int, SQL: `"Tenure"`},
		{Name: "Customer Status", Kind: frame.String, SQL: `"Customer Status"`},
	}
	// A derive: NULL when a column it reads is NULL; x / 0 is ±Inf as in Go
	// (Derive then makes a non-finite value NULL, as predict does).
	e, err := sqlgen.CompileExpr(d, "`Total Revenue` / max(Tenure, 1)", cols)
	if err != nil {
		panic(err)
	}
	fmt.Println(e.Kind)
	fmt.Println(e.DeriveValue(d))

	// A filter: a comparison that reads a missing cell is false.
	f, _ := sqlgen.CompileExpr(d, "`Customer Status` != \"Churned\"", cols)
	cond, _ := f.Filter(d)
	fmt.Println(cond)

	_, err = sqlgen.CompileExpr(d, "upper(`Customer Status`) == \"STAYED\"", cols)
	fmt.Println(err)
	// Output:
	// float
	// CASE WHEN "Total Revenue" IS NULL OR "Tenure" IS NULL THEN CAST(NULL AS DOUBLE PRECISION) ELSE (CASE WHEN CAST((CASE WHEN "Tenure" < 1 THEN 1 ELSE "Tenure" END) AS DOUBLE PRECISION) = 0 THEN "Total Revenue" * CAST('Infinity' AS DOUBLE PRECISION) ELSE "Total Revenue" / CAST((CASE WHEN "Tenure" < 1 THEN 1 ELSE "Tenure" END) AS DOUBLE PRECISION) END) END
	// ((CASE WHEN ("Customer Status" IS NULL) THEN FALSE ELSE (CASE WHEN "Customer Status" IS NULL THEN '' ELSE "Customer Status" END <> 'Churned') END))
	// no exact SQL equivalent: the function upper() (in "upper(`Customer Status`) == \"STAYED\"")
}

func ExampleDialect_Ident() {
	for _, name := range []string{"postgres", "bigquery", "clickhouse"} {
		d := sqlgen.MustLookup(name)
		id, _ := d.Ident(`Tenure(Months) a"b`)
		s, _ := d.String(`it's C:\x`)
		tbl, _ := d.Table(`sales."eu.west".customers`)
		fmt.Println(name, id, s, tbl, d.Float(0.1))
	}
	_, err := sqlgen.Lookup("oracle")
	fmt.Println(err)
	// Output:
	// postgres "Tenure(Months) a""b" E'it''s C:\\x' "sales"."eu.west"."customers" CAST(0.1 AS DOUBLE PRECISION)
	// bigquery `Tenure(Months) a"b` 'it\'s C:\\x' `sales`.`eu.west`.`customers` 0.1
	// clickhouse `Tenure(Months) a"b` 'it\'s C:\\x' `sales`.`eu.west`.`customers` 0.1
	// unsupported SQL dialect "oracle" (supported: postgres, duckdb, bigquery, clickhouse, ansi)
}
