// Command sources-bench prepares the inputs of bench/sources/run.sh:
//
//	sources-bench parquet -csv IN.csv -o OUT.parquet    stream a CSV file into Parquet (bounded memory)
//	sources-bench createtable -csv IN.csv -table NAME    print CREATE TABLE with the column types csvio infers
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/parquetio"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: sources-bench parquet|createtable ...")
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	in := fs.String("csv", "", "input CSV file")
	out := fs.String("o", "", "parquet: output file")
	table := fs.String("table", "churn", "createtable: table name")
	fs.Parse(os.Args[2:])
	ctx := context.Background()
	rd, err := csvio.Open(ctx, *in, csvio.Options{})
	if err != nil {
		fail(err.Error())
	}
	defer rd.Close()
	switch os.Args[1] {
	case "parquet":
		fields, err := rd.Infer(ctx)
		if err != nil {
			fail(err.Error())
		}
		fw, err := parquetio.CreateFile(*out, fields, parquetio.WriteOptions{})
		if err != nil {
			fail(err.Error())
		}
		rows := 0
		if _, err := rd.Scan(ctx, 1<<20, func(b *frame.Table) error { rows += b.NumRows(); return fw.Write(b) }); err != nil {
			fw.Abort()
			fail(err.Error())
		}
		if err := fw.Commit(); err != nil {
			fail(err.Error())
		}
		fmt.Printf("wrote %d rows to %s\n", rows, *out)
	case "createtable":
		fields, err := rd.Infer(ctx)
		if err != nil {
			fail(err.Error())
		}
		defs := make([]string, len(fields))
		for i, f := range fields {
			typ := "text"
			switch f.Kind {
			case frame.Int:
				typ = "bigint"
			case frame.Float:
				typ = "double precision"
			case frame.Bool:
				typ = "boolean"
			}
			defs[i] = `"` + strings.ReplaceAll(f.Name, `"`, `""`) + `" ` + typ
		}
		fmt.Printf("CREATE TABLE %q (%s);\n", *table, strings.Join(defs, ", "))
	default:
		fail("unknown command " + os.Args[1])
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "sources-bench:", msg)
	os.Exit(1)
}
