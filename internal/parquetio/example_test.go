package parquetio_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/parquetio"
)

func Example() {
	dir, _ := os.MkdirTemp("", "parquetio")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "customers.parquet")

	t, _ := frame.New(
		frame.NewString("Customer ID", []string{"0001-A", "0002-B", "0003-C"}, nil),
		frame.NewInt("Age", []int64{30, 0, 45}, []bool{false, true, false}),
		frame.NewFloat("Total Revenue", []float64{974.81, 610.28, 415.45}, nil),
	)
	if err := parquetio.WriteFile(path, t, parquetio.WriteOptions{Compression: "zstd"}); err != nil {
		fmt.Println(err)
		return
	}

	d, err := parquetio.Open(path)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range d.Schema() {
		fmt.Printf("%s: %v (%s)\n", f.Name, f.Kind, f.Type)
	}
	got, err := d.Read(context.Background(), []string{"Age", "Total Revenue"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.NumRows(), got.Names(), got.Col("Age").NumMissing())

	_, err = d.Read(context.Background(), []string{"age"})
	fmt.Println(err != nil)
	// Output:
	// Customer ID: string (BYTE_ARRAY STRING)
	// Age: int (INT64 INT(64,true))
	// Total Revenue: float (DOUBLE)
	// 3 [Age Total Revenue] 1
	// true
}

func ExampleDataset_Scan() {
	dir, _ := os.MkdirTemp("", "parquetio")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "big.parquet")
	ids := make([]int64, 10)
	for i := range ids {
		ids[i] = int64(i)
	}
	t, _ := frame.New(frame.NewInt("id", ids, nil))
	if err := parquetio.WriteFile(path, t, parquetio.WriteOptions{RowGroupRows: 4}); err != nil {
		fmt.Println(err)
		return
	}
	d, _ := parquetio.Open(path)
	sum := int64(0)
	err := d.Scan(context.Background(), []string{"id"}, 3, func(b *frame.Table) error {
		for _, v := range b.Col("id").Int64s() {
			sum += v
		}
		fmt.Print(b.NumRows(), " ")
		return nil
	})
	fmt.Println(sum, err)
	// Output:
	// 3 3 3 1 45 <nil>
}
