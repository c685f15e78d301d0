package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/stages/internal/stagetest"
)

// TestStreamStartsOver: in stream mode a CSV file whose number column
// turns textual past its first read block (4 MiB) makes the source start
// over after batches went out; the spill file, the row, missing and id
// counts hold each row once, and the column is text.
func TestStreamStartsOver(t *testing.T) {
	const rows = 400_000
	var b strings.Builder
	b.WriteString("cid,v,w\n")
	for i := range rows {
		cid := fmt.Sprintf("c%d", i)
		if i%1000 == 0 {
			cid = ""
		}
		v := fmt.Sprint(i)
		if i == rows-1 {
			v = "late text"
		} else if i%10 == 0 {
			v = ""
		}
		fmt.Fprintf(&b, "%s,%s,%d.5\n", cid, v, i%7)
	}
	if b.Len() < 5<<20 {
		t.Fatalf("the file is %d bytes, less than two read blocks", b.Len())
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "in.csv"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "job.yaml")
	src := "version: 1\nname: stream-test\ninput: {path: in.csv, id: cid}\nexecution: {mode: stream, batch_rows: 1024}\nstages:\n  - type: ingest\n"
	if err := os.WriteFile(cfg, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	res := stagetest.Run(t, cfg)
	st := res.State.Stream
	if st == nil {
		t.Fatal("no stream")
	}
	if got := st.StoredRows(); got != rows {
		t.Errorf("%d rows spilled, want %d", got, rows)
	}
	if got, want := st.Missing(), map[string]int64{"cid": rows / 1000, "v": rows / 10, "w": 0}; !reflect.DeepEqual(got, want) {
		t.Errorf("missing %v, want %v", got, want)
	}
	if d, ok := st.IDDistinct(); !ok || d != rows-rows/1000 {
		t.Errorf("%d distinct ids (%v), want %d", d, ok, rows-rows/1000)
	}
	schema, err := st.Schema(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]frame.Kind{}
	for _, f := range schema {
		kinds[f.Name] = f.Kind
	}
	if want := map[string]frame.Kind{"cid": frame.String, "v": frame.String, "w": frame.Float}; !reflect.DeepEqual(kinds, want) {
		t.Errorf("kinds %v, want %v", kinds, want)
	}
	if res.State.Input.Rows != rows {
		t.Errorf("input record: %d rows", res.State.Input.Rows)
	}
	for _, w := range warnings(res.Manifest) {
		if strings.Contains(w, "repeated") || strings.Contains(w, "missing") && !strings.Contains(w, fmt.Sprint(rows/1000)) {
			t.Errorf("warning %q", w)
		}
	}
}
