package profile

import (
	"bytes"
	"context"
	"runtime"
	"sync"

	"github.com/churnlab/segment/internal/plotkit"
)

// rendered is one figure drawn in one format, in memory.
type rendered struct {
	buf bytes.Buffer
	err error
}

// renderAll draws every figure in every format into memory, up to
// GOMAXPROCS at a time: the figures are independent, and drawing them one
// after the other was the stage's longest serial step on large tables
// (each scatter draws its whole sample). out[i][j] is figure i in
// formats[j]; the bytes are those plotkit.Write gives alone, and the
// caller writes the files in order.
func renderAll(ctx context.Context, figs []Figure, formats []string) [][]rendered {
	out := make([][]rendered, len(figs))
	type job struct{ i, j int }
	jobs := make(chan job)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(figs)*len(formats)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for jb := range jobs {
				r := &out[jb.i][jb.j]
				if r.err = ctx.Err(); r.err != nil {
					continue
				}
				f := &figs[jb.i]
				r.err = plotkit.Write(&r.buf, f.Drawer, formats[jb.j], f.WidthPx, f.HeightPx)
			}
		}()
	}
	for i := range figs {
		out[i] = make([]rendered, len(formats))
		for j := range formats {
			jobs <- job{i, j}
		}
	}
	close(jobs)
	wg.Wait()
	return out
}
