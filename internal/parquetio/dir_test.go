package parquetio

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// TestPartitioned reads a Hive-style partitioned export written by the other
// writer: files in sorted path order, key=value directories as typed
// columns, __HIVE_DEFAULT_PARTITION__ as missing, marker files skipped.
func TestPartitioned(t *testing.T) {
	var exp []struct {
		Path string  `json:"path"`
		IDs  []int64 `json:"ids"`
	}
	loadExpected(t, "testdata/xs_partitioned.expected.json", &exp)
	d, err := Open("testdata/xs_partitioned")
	if err != nil {
		t.Fatal(err)
	}
	var wantFiles []string
	var ids []int64
	var region []string
	var regionMiss []bool
	var year []int64
	// Sorted byte-wise: "region=__HIVE..." < "region=east" < "region=west".
	for _, i := range []int{3, 0, 1, 2} {
		e := exp[i]
		wantFiles = append(wantFiles, filepath.Join("testdata/xs_partitioned", filepath.FromSlash(e.Path)))
		for range e.IDs {
			r := strings.TrimPrefix(strings.Split(e.Path, "/")[0], "region=")
			region = append(region, r)
			regionMiss = append(regionMiss, r == hiveNull)
			var y int64
			fmt.Sscanf(strings.Split(e.Path, "/")[1], "year=%d", &y)
			year = append(year, y)
		}
		ids = append(ids, e.IDs...)
	}
	if got := strings.Join(d.Files(), " "); got != strings.Join(wantFiles, " ") {
		t.Fatalf("files %s\nwant %s", got, strings.Join(wantFiles, " "))
	}
	var schema []string
	for _, f := range d.Schema() {
		schema = append(schema, fmt.Sprintf("%s:%v:%v", f.Name, f.Kind, f.Partition))
	}
	if got := strings.Join(schema, " "); got != "id:int:false name:string:false amount:float:false region:string:true year:int:true" {
		t.Errorf("schema %s", got)
	}
	got, err := d.Read(context.Background(), []string{"year", "id", "region"})
	if err != nil {
		t.Fatal(err)
	}
	want := mustTable(t,
		frame.NewInt("year", year, nil),
		frame.NewInt("id", ids, nil),
		frame.NewString("region", region, regionMiss),
	)
	sameTable(t, want, got)

	// Names and amounts are null in the second row of every file.
	all, err := d.Read(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := all.Col("amount").NumMissing(); n != 4 || all.Col("name").NumMissing() != 4 {
		t.Errorf("%d missing amounts, want 4", n)
	}
	var parts []*frame.Table
	if err := d.Scan(context.Background(), nil, 4, func(b *frame.Table) error { parts = append(parts, b); return nil }); err != nil {
		t.Fatal(err)
	}
	sameValues(t, all, concat(t, parts))

	// Without partitions the key columns are absent.
	np, err := Open("testdata/xs_partitioned", Options{NoPartitions: true})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(np.Schema()); n != 3 {
		t.Errorf("NoPartitions: %d columns", n)
	}
}

func TestPartitionKeyInference(t *testing.T) {
	for _, tc := range []struct {
		vals []string
		kind frame.Kind
		miss int
	}{
		{[]string{"1", "2", "-3"}, frame.Int, 0},
		{[]string{"1", "2.5", ""}, frame.Float, 1},
		{[]string{"true", "False"}, frame.Bool, 0},
		{[]string{"2024-01", "2024-02"}, frame.String, 0},
		{[]string{"NaN", "1"}, frame.String, 0},
		{[]string{hiveNull, ""}, frame.Float, 2},
		{[]string{"1e3", "2"}, frame.Float, 0},
	} {
		p := &partKey{}
		p.infer(tc.vals)
		n := 0
		for _, m := range p.missing {
			if m {
				n++
			}
		}
		if p.kind != tc.kind || n != tc.miss {
			t.Errorf("%q: %v with %d missing, want %v with %d", tc.vals, p.kind, n, tc.kind, tc.miss)
		}
	}
}

func TestPartitionErrors(t *testing.T) {
	tb := mustTable(t, frame.NewInt("id", []int64{1}, nil), frame.NewString("region", []string{"x"}, nil))
	write := func(dir, rel string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := WriteFile(p, tb, WriteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	write(dir, "region=a/p.parquet")
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), `column "region": the partition key is also a column of the files`) {
		t.Errorf("key that is also a column: %v", err)
	}
	if _, err := Open(dir, Options{NoPartitions: true}); err != nil {
		t.Errorf("NoPartitions: %v", err)
	}
	dir = t.TempDir()
	write(dir, "k=1/p.parquet")
	write(dir, "j=1/p.parquet")
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "partition directories differ") {
		t.Errorf("different keys: %v", err)
	}
}

// TestLineage checks the lineage of a file and of a directory against
// hashes computed here, and the directory digest against sha256sum.
func TestLineage(t *testing.T) {
	d, err := Open("testdata/xs_types.parquet")
	if err != nil {
		t.Fatal(err)
	}
	l, err := d.Lineage(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := os.ReadFile("testdata/xs_types.parquet")
	sum := sha256.Sum256(raw)
	if l.Path != "testdata/xs_types.parquet" || l.Dir || l.Bytes != int64(len(raw)) || l.SHA256 != hex.EncodeToString(sum[:]) || l.Rows != 60 || l.Files != nil {
		t.Errorf("file lineage %+v", l)
	}

	d, err = Open("testdata/xs_partitioned")
	if err != nil {
		t.Fatal(err)
	}
	l, err = d.Lineage(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var listing strings.Builder
	var total int64
	for i, f := range l.Files {
		raw, err := os.ReadFile(filepath.Join("testdata/xs_partitioned", f.Path))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(raw)
		if f.SHA256 != hex.EncodeToString(sum[:]) || f.Bytes != int64(len(raw)) || f.Path != filepath.ToSlash(strings.TrimPrefix(d.Files()[i], "testdata/xs_partitioned/")) {
			t.Errorf("file %d: %+v", i, f)
		}
		total += f.Bytes
		fmt.Fprintf(&listing, "%s  %s\n", f.SHA256, f.Path)
	}
	want := sha256.Sum256([]byte(listing.String()))
	if !l.Dir || len(l.Files) != 4 || l.Bytes != total || l.Rows != 18 || l.SHA256 != hex.EncodeToString(want[:]) {
		t.Errorf("directory lineage %+v", l)
	}
	// The canonical form is sha256sum's output.
	if _, err := exec.LookPath("sha256sum"); err == nil {
		args := []string{}
		for _, f := range l.Files {
			args = append(args, f.Path)
		}
		cmd := exec.Command("sha256sum", args...)
		cmd.Dir = "testdata/xs_partitioned"
		out, err := cmd.Output()
		if err != nil {
			t.Fatal(err)
		}
		if got := sha256.Sum256(out); hex.EncodeToString(got[:]) != l.SHA256 {
			t.Errorf("sha256sum listing digest %x, lineage %s", got, l.SHA256)
		}
	}
}

// TestDirectoryColumnOrder: files whose columns come in another order are
// matched by name; the first file's order is the table's.
func TestDirectoryColumnOrder(t *testing.T) {
	dir := t.TempDir()
	a := mustTable(t, frame.NewInt("a", []int64{1, 2}, nil), frame.NewString("b", []string{"x", "y"}, nil))
	b := mustTable(t, frame.NewString("b", []string{"z"}, []bool{true}), frame.NewInt("a", []int64{3}, nil))
	if err := WriteFile(filepath.Join(dir, "part-0.parquet"), a, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(filepath.Join(dir, "part-1.parquet"), b, WriteOptions{}); err != nil {
		t.Fatal(err)
	}
	got := readAll(t, dir)
	want := mustTable(t, frame.NewInt("a", []int64{1, 2, 3}, nil), frame.NewString("b", []string{"x", "y", ""}, []bool{false, false, true}))
	sameTable(t, want, got)
}
