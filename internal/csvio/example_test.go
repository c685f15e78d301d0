package csvio_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
)

func ExampleReadFile() {
	dir, err := os.MkdirTemp("", "csvio")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "customers.csv")
	data := "id, Plan ,charges,active,note\r\n" +
		"0001,Basic,29.85,true,\"says \"\"hi\"\"\"\r\n" +
		"0002,Pro, ,false,NA\r\n"
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		log.Fatal(err)
	}
	res, err := csvio.ReadFile(context.Background(), path, csvio.Options{
		Types: map[string]frame.Kind{"id": frame.String},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range res.Table.Schema() {
		fmt.Printf("%-8s %-6s missing %d\n", f.Name, f.Type, f.Missing)
	}
	fmt.Printf("rows %d, trimmed %q\n", res.Rows, res.Trimmed)
	fmt.Println(res.Warnings)
	note := res.Table.Col("note")
	fmt.Println(note.Str(0), note.Str(1))
	// Output:
	// id       string missing 0
	// Plan     string missing 0
	// charges  float  missing 1
	// active   bool   missing 0
	// note     string missing 0
	// rows 2, trimmed [" Plan "]
	// [column "charges": 1 cell holding only spaces read as missing]
	// says "hi" NA
}

func ExampleWriteCSV() {
	t, err := frame.New(
		frame.NewString("name", []string{"Smith, J", "Lee"}, nil),
		frame.NewFloat("score", []float64{1.5, 2}, []bool{false, true}),
	)
	if err != nil {
		log.Fatal(err)
	}
	if err := csvio.WriteCSV(os.Stdout, t); err != nil {
		log.Fatal(err)
	}
	// Output:
	// name,score
	// "Smith, J",1.5
	// Lee,
}

// Open reads the header first, so the columns can be checked before any
// row is read; ReadAll then reads the rows from the same stream (which
// may be standard input, "-"). The column "Total Charges" is text because
// of two stray cells, and NearNumeric says which.
func ExampleOpen() {
	r, err := csvio.Open(context.Background(), "testdata/near_numeric.csv", csvio.Options{TextColumns: []string{"customer"}})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	fmt.Println(r.Header())
	res, err := r.ReadAll(context.Background())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Rows, res.Table.Col("Total Charges").Kind)
	fmt.Println(res.NearNumeric["Total Charges"])
	// Output:
	// [customer Total Charges]
	// 20 string
	// column "Total Charges" is text because 2 of its 20 values are not numbers: row 4: "N/A"; row 11: "$12.00"; treat them as missing with input.na_values: ["N/A", "$12.00"], or fix them in the file
}

// Scan hands out the rows in batches with one schema, in bounded memory.
func ExampleReader_Scan() {
	r, err := csvio.Open(context.Background(), "testdata/near_numeric.csv", csvio.Options{NAValues: []string{"N/A", "$12.00"}})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	res, err := r.Scan(context.Background(), 8, func(b *frame.Table) error {
		c := b.Col("Total Charges")
		fmt.Println(b.NumRows(), c.Kind, c.NumMissing())
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Rows, res.Table == nil)
	// Output:
	// 8 float 1
	// 8 float 1
	// 4 float 0
	// 20 true
}
