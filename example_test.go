package segment_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/churnlab/segment"
)

// jobYAML is a small job written for the library: its input block names
// only the id column (the DataFrame is the input).
const jobYAML = `version: 1
name: segments
input: {id: customer}
stages:
  - type: ingest
  - type: clean
    config:
      steps:
        - filter: 'tenure > 0'
  - type: cluster
    config: {features: [tenure, spend], scale: standard, k: 2}
`

// customers is a service's customers, already in a gota DataFrame.
func customers() dataframe.DataFrame {
	return dataframe.New(
		series.New([]string{"c01", "c02", "c03", "c04", "c05", "c06", "c07", "c08"}, series.String, "customer"),
		series.New([]int{2, 3, 0, 40, 45, 1, 50, 38}, series.Int, "tenure"),
		series.New([]float64{20, 85.5, 10, 95, 30.25, 18, 120, 40}, series.Float, "spend"),
	)
}

// Run a job on a DataFrame and read the cleaned table and each customer's
// segment back as DataFrames; the run folder holds the usual artifacts.
func Example() {
	job, err := segment.LoadBytes("jobs/segments.yaml", []byte(jobYAML), segment.LoadOptions{Set: []string{"seed=7"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := os.MkdirTemp("", "segment-example")
	defer os.RemoveAll(out)

	res, err := job.Run(context.Background(), customers(), segment.RunOptions{OutDir: out})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("cleaned:", res.Table.Nrow(), "of", customers().Nrow(), "customers,", res.Table.Names(), res.Table.Types())
	a := res.Assignments
	fmt.Println(a.Names(), a.Types())
	for i := range a.Nrow() {
		seg, _ := a.Elem(i, 1).Int()
		fmt.Printf("%s %d %q %.3f\n", a.Elem(i, 0), seg, a.Elem(i, 2), a.Elem(i, 3).Float())
	}
	in := res.Manifest.Input
	fmt.Println(in.Format, "|", in.Description, "|", in.Rows, "rows |", len(in.SHA256), "hex digits")
	_, err = os.Stat(res.Dir + "/assignments.csv")
	fmt.Println("assignments.csv written:", err == nil, "| warnings:", res.Warnings)
	// Output:
	// cleaned: 7 of 8 customers, [customer tenure spend] [string int float]
	// [customer segment segment_name distance] [string int string float]
	// c01 2 "Segment 2" 0.557
	// c02 2 "Segment 2" 1.168
	// c04 1 "Segment 1" 0.643
	// c05 1 "Segment 1" 1.084
	// c06 2 "Segment 2" 0.612
	// c07 1 "Segment 1" 1.322
	// c08 1 "Segment 1" 0.862
	// gota | in-memory gota DataFrame | 8 rows | 64 hex digits
	// assignments.csv written: true | warnings: []
}

// Config mistakes are reported all at once, each at its file:line:col (or
// --set value) and YAML key, as by `segment run`; ExitCode gives the
// command's exit code.
func ExampleLoadBytes_configErrors() {
	bad := strings.Replace(jobYAML, "k: 2", "k: 2, n_inits: 5", 1)
	_, err := segment.LoadBytes("jobs/segments.yaml", []byte(bad), segment.LoadOptions{Set: []string{"seed=-1"}})
	var errs segment.ConfigErrors
	if errors.As(err, &errs) {
		for _, e := range errs {
			fmt.Println(e)
		}
	}
	fmt.Println("exit code", segment.ExitCode(err))
	// Output:
	// jobs/segments.yaml:11:64: stage "cluster" (cluster): n_inits: unknown key "n_inits" (did you mean "n_init"?)
	// --set seed=-1: seed: expected a non-negative integer, got -1
	// exit code 2
}

// A column the config names that the DataFrame lacks is a config error at
// the config's line, found from the DataFrame's schema before any row is
// converted.
func ExampleJob_Run_unknownColumn() {
	job, _ := segment.LoadBytes("jobs/segments.yaml", []byte(jobYAML), segment.LoadOptions{})
	df := customers().Rename("spend_eur", "spend")
	out, _ := os.MkdirTemp("", "segment-example")
	defer os.RemoveAll(out)
	_, err := job.Run(context.Background(), df, segment.RunOptions{OutDir: out})
	fmt.Println(err)
	fmt.Println("exit code", segment.ExitCode(err))
	// Output:
	// jobs/segments.yaml:11:33: stage "cluster" (cluster): features[1]: unknown column "spend"
	// exit code 2
}

// gota's ReadCSV keeps an empty cell of a text column as the string "";
// CSVMissing reads it as missing, as segment reads CSV files, and NAValues
// adds texts that mean missing. Missing cells then come back as gota NA.
func ExampleRunOptions_csvMissing() {
	csv := "customer,tenure,spend,plan\nc01,2,20,basic\nc02,3,25.5,\nc03,40,95,N/A\nc04,45,110.25,pro\nc05,1,18,basic\nc06,50,120,pro\n"
	df := dataframe.ReadCSV(strings.NewReader(csv))
	fmt.Println("gota read:", df.Col("plan").Records(), "NA:", df.Col("plan").IsNaN())

	job, _ := segment.LoadBytes("jobs/segments.yaml", []byte(jobYAML), segment.LoadOptions{})
	out, _ := os.MkdirTemp("", "segment-example")
	defer os.RemoveAll(out)
	res, err := job.Run(context.Background(), df, segment.RunOptions{OutDir: out, CSVMissing: true, NAValues: []string{"N/A"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("cleaned:", res.Table.Col("plan").Records(), "NA:", res.Table.Col("plan").IsNaN())
	fmt.Println("manifest na_values:", res.Manifest.Input.NAValues)
	// Output:
	// gota read: [basic  N/A pro basic pro] NA: [false false false false false false]
	// cleaned: [basic NaN NaN pro basic pro] NA: [false true true false false false]
	// manifest na_values: [N/A]
}
