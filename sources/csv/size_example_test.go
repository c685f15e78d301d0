package csv_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources/csv"
)

// The size execution mode auto compares with memory_limit: a file under a
// MiB has its records counted; a larger one is estimated from its first
// MiB.
func Example_size() {
	dir, _ := os.MkdirTemp("", "size")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "customers.csv")
	os.WriteFile(path, []byte("id,age,plan\n1,34,basic\n2,51,pro\n3,27,basic\n"), 0o644)
	src, err := csv.Open(context.Background(), input(path, nil))
	if err != nil {
		fmt.Println(err)
		return
	}
	defer src.Close()
	size, _ := src.(pipeline.Sizer).Size(context.Background(), []string{"age", "plan"})
	fmt.Println(size.Rows, "rows,", size.Columns, "columns,", size.Bytes, "bytes")
	fmt.Println(size.How)
	// Output:
	// 3 rows, 2 columns, 43 bytes
	// counted: the file holds less than 1 MiB of text
}
