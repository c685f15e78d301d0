package gota_test

import (
	"context"
	"fmt"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources/gota"
)

// A DataFrame as a source: the schema from the series' types without
// reading a cell, then only the columns asked for, with gota's blank
// string read as missing by csv_missing, and the lineage for the manifest.
func Example() {
	df := dataframe.New(
		series.New([]string{"A", "B", "C"}, series.String, "id"),
		series.New([]string{"basic", "", "pro"}, series.String, "plan"),
		series.New([]float64{10, 12.5, 9}, series.Float, "spend"),
	)
	ctx := context.Background()
	in := &pipeline.InputConfig{Format: gota.Format, ID: "id", Options: &gota.Config{CSVMissing: true}}
	src, err := gota.Open(ctx, df, in)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer src.Close()
	fields, _ := src.Schema(ctx)
	for i, f := range fields {
		if i > 0 {
			fmt.Print(", ")
		}
		fmt.Print(f.Name, " ", f.Kind)
	}
	fmt.Println()
	t, err := src.Read(ctx, []string{"plan", "spend"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(t.Names(), t.NumRows(), "rows,", t.Col("plan").NumMissing(), "missing plan")
	lin := src.Lineage()
	fmt.Println(lin.Format, "|", lin.Description, "|", lin.Rows, "rows |", lin.Columns, "columns read |", len(lin.SHA256), "hex digits")
	// Output:
	// id string, plan string, spend float
	// [plan spend] 3 rows, 1 missing plan
	// gota | in-memory gota DataFrame | 3 rows | 2 columns read | 64 hex digits
}
