package sources_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources"
	"github.com/churnlab/segment/sources/csv"
)

// An input block built in code, as `segment predict` builds one for -i:
// the source is detected from the file, its own keys are set, and the
// opened source gives its schema without reading rows, then the rows of
// the columns asked for, and the lineage for the manifest.
func Example() {
	dir, _ := os.MkdirTemp("", "sources-example")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "customers.csv")
	os.WriteFile(path, []byte("id,spend,plan\nA,10,basic\nB,N/A,pro\nC,12.5,basic\n"), 0o644)

	ctx := context.Background()
	reg := sources.Registry()
	in := &pipeline.InputConfig{Path: confyaml.Path(path), ID: "id"}
	if err := reg.PrepareInput(in); err != nil {
		fmt.Println(err)
		return
	}
	in.Options.(*csv.Config).NAValues = []string{"N/A"}
	src, err := reg.OpenSource(ctx, in)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer src.Close()
	fields, _ := src.Schema(ctx)
	var names []string
	for _, f := range fields {
		names = append(names, f.Name)
	}
	fmt.Println(names)
	t, err := src.Read(ctx, []string{"id", "spend"})
	if err != nil {
		fmt.Println(err)
		return
	}
	lin := src.Lineage()
	fmt.Println(in.SourceFormat(), t.Names(), t.Col("spend").Kind, t.Col("spend").NumMissing(), "missing")
	fmt.Println(lin.Format, lin.Rows, "rows,", lin.Bytes, "bytes, delimiter", lin.Delimiter)
	// Output:
	// [id spend plan]
	// csv [id spend] float 1 missing
	// csv 3 rows, 48 bytes, delimiter ,
}
