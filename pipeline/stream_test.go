package pipeline

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/spill"
)

// signalWriter signals every write (a progress line printed).
type signalWriter struct {
	mu    sync.Mutex
	lines []string
	wrote chan struct{}
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.lines = append(w.lines, strings.TrimSpace(string(p)))
	w.mu.Unlock()
	w.wrote <- struct{}{}
	return len(p), nil
}

// TestStreamPassProgress: without a terminal, a pass over a streamed
// table prints a line every 10 s with the rows done, the rows per second
// and an ETA, from the rows of the stored table; the pass is recorded in
// the execution record; Reduce sees every batch in order.
func TestStreamPassProgress(t *testing.T) {
	const batches, per = 10, 1000
	f, err := spill.Create(t.TempDir(), []frame.Field{{Name: "x", Kind: frame.Float}})
	if err != nil {
		t.Fatal(err)
	}
	for b := range batches {
		xs := make([]float64, per)
		for i := range xs {
			xs[i] = float64(b*per + i)
		}
		tb, _ := frame.New(frame.NewFloat("x", xs, nil))
		if err := f.Append(tb); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Finish(); err != nil {
		t.Fatal(err)
	}
	ex := &Execution{Mode: ModeStream, SampleRows: 100, BatchRows: per}
	str := NewStream(f, ex, 1)
	defer str.Close()

	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := t0
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	ft := &fakeTicker{c: make(chan time.Time)}
	w := &signalWriter{wrote: make(chan struct{})}
	p := NewProgressLines(w, 0).withClock(clock, func(d time.Duration) (<-chan time.Time, func()) {
		ft.every = d
		return ft.c, func() { ft.stopped = true }
	}).forStage("eda", nil)
	env := &Env{Name: "eda", Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Progress: p}

	var sum float64
	next := 0
	err = str.Run(context.Background(), env, Pass{Name: "sums", Columns: []string{"x"},
		Map: func(b *Batch) (any, error) {
			var s float64
			for _, v := range b.Table.Col("x").Floats {
				s += v
			}
			return s, nil
		},
		Reduce: func(v any, b *Batch) error {
			if b.Index != next {
				t.Errorf("batch %d reduced after %d", b.Index, next-1)
			}
			next++
			sum += v.(float64)
			// each batch takes 2 s; a tick after 5 batches (10 s)
			mu.Lock()
			now = now.Add(2 * time.Second)
			mu.Unlock()
			if b.Index == 5 {
				ft.c <- clock() // at 12 s: the 5 batches done at 10 s, 10 s of work left then
				<-w.wrote
			}
			return nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if want := float64(batches*per) * float64(batches*per-1) / 2; sum != want {
		t.Errorf("sum %g, want %g", sum, want)
	}
	if ft.every != DefaultProgressInterval || DefaultProgressInterval != 10*time.Second || !ft.stopped {
		t.Errorf("ticker every %v, stopped %v", ft.every, ft.stopped)
	}
	want := "[eda] pass: sums: 5,000 of 10,000 rows (500 rows/s), 50% of the work, elapsed 12s, ETA 8s"
	if len(w.lines) != 1 || w.lines[0] != want {
		t.Errorf("progress lines %q, want %q", w.lines, want)
	}
	if len(ex.Passes) != 1 || ex.Passes[0].Name != "sums" || ex.Passes[0].Stage != "eda" || ex.Passes[0].Rows != batches*per || ex.Passes[0].Seconds != 20 {
		t.Errorf("pass record %+v", ex.Passes)
	}
}
