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
