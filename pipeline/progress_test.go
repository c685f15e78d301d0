package pipeline

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"math"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestETAHonest: k-means over k = 2..10 with 10 restarts each, where a
// restart with k centroids takes k seconds (the cost of its distances).
// Counting each restart as k units, the ETA equals the time actually left
// at every restart; counting restarts alone — as the ETA did before — it
// claims under half the time left when k = 2..5 are done (issue 10 saw 3×
// on real data, where larger k also iterate longer).
func TestETAHonest(t *testing.T) {
	const tol = 1e-9
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var ks []int
	for k := 2; k <= 10; k++ {
		for range 10 {
			ks = append(ks, k)
		}
	}
	var total float64
	for _, k := range ks {
		total += float64(k)
	}
	weighted := NewETA(t0, total)
	plain := NewETA(t0, float64(len(ks)))
	now, work := t0, 0.0
	var worst float64 = 1
	for i, k := range ks[:len(ks)-1] {
		now = now.Add(time.Duration(k) * time.Second) // the restart's cost
		work += float64(k)
		weighted.Update(now, work)
		plain.Update(now, float64(i+1))
		var actual float64 // seconds really left
		for _, kk := range ks[i+1:] {
			actual += float64(kk)
		}
		got, ok := weighted.Left(now)
		if !ok || math.Abs(got.Seconds()-actual) > tol*actual {
			t.Fatalf("after restart %d (k = %d): ETA %v, %g s actually left", i+1, k, got, actual)
		}
		if p, _ := plain.Left(now); p.Seconds() > 0 {
			worst = max(worst, actual/p.Seconds())
		}
		if i == 39 { // k = 2..5 done
			if p, _ := plain.Left(now); actual/p.Seconds() < 2 {
				t.Errorf("restart counts: ETA %v for %g s left — the test no longer shows the underestimate", p, actual)
			}
		}
	}
	t.Logf("counting restarts underestimated the time left by up to %.1f×", worst)
	// Between updates the estimate counts down.
	left, _ := weighted.Left(now)
	if later, _ := weighted.Left(now.Add(3 * time.Second)); left-later != 3*time.Second {
		t.Errorf("count down: %v then %v", left, later)
	}
	if _, ok := NewETA(t0, 10).Left(t0.Add(time.Minute)); ok {
		t.Error("an ETA before any work")
	}
}

// fakeTicker is a ticker the test drives.
type fakeTicker struct {
	c       chan time.Time
	stopped bool
	every   time.Duration
}

func TestProgressLines(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := t0
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	set := func(d time.Duration) { mu.Lock(); now = t0.Add(d); mu.Unlock() }
	ft := &fakeTicker{c: make(chan time.Time)}
	tick := func(d time.Duration) (<-chan time.Time, func()) {
		ft.every = d
		return ft.c, func() { ft.stopped = true }
	}

	var out syncBuffer
	p := NewProgressLines(&out, 0).withClock(clock, tick).forStage("cluster", nil)
	b := p.Bar(540, "k-means k=2..10", false)
	if ft.every != 10*time.Second {
		t.Errorf("interval %v, want 10s", ft.every)
	}
	ft.c <- t0 // before any work
	set(140 * time.Second)
	b.SetWork(140, "40/90 restarts (k = 5)")
	set(150 * time.Second)
	ft.c <- now
	b.Finish()
	if !ft.stopped {
		t.Error("ticker not stopped")
	}
	want := "[cluster] k-means k=2..10: 0% of the work, elapsed 0s, ETA unknown yet\n" +
		"[cluster] k-means k=2..10: 40/90 restarts (k = 5), 26% of the work, elapsed 2m30s, ETA 6m30s\n"
	if got := out.String(); got != want {
		t.Errorf("lines\n%s\nwant\n%s", got, want)
	}

	// Bytes (the ingest stage), and JSON logs.
	e := NewETA(t0, 2.6e9)
	e.Update(t0.Add(4*time.Second), 1.2e9)
	if got := ProgressLine("reading big.csv", "", e, t0.Add(4*time.Second), true); got != "reading big.csv: 1.2 GB of 2.6 GB (300.0 MB/s), 46% of the work, elapsed 4s, ETA 5s" {
		t.Errorf("bytes line %q", got)
	}
	var logs bytes.Buffer
	ft2 := &fakeTicker{c: make(chan time.Time)}
	base := slog.New(slog.NewJSONHandler(&logs, nil))
	lp := NewProgressLog(base, 0).withClock(clock, func(time.Duration) (<-chan time.Time, func()) { return ft2.c, func() {} }).
		forStage("cluster", base.With("run", "r1", "stage", "cluster"))
	set(0)
	lb := lp.Bar(100, "k-means k=4", false)
	set(20 * time.Second)
	lb.SetWork(25, "5/20 restarts (k = 4)")
	ft2.c <- now
	lb.Finish()
	var rec map[string]any
	if err := json.Unmarshal(logs.Bytes(), &rec); err != nil {
		t.Fatalf("%v: %s", err, logs.String())
	}
	if rec["msg"] != "progress" || rec["run"] != "r1" || rec["stage"] != "cluster" || rec["done"] != 25.0 || rec["total"] != 100.0 || rec["eta_seconds"] != 60.0 || rec["detail"] != "5/20 restarts (k = 4)" {
		t.Errorf("log record %v", rec)
	}
	// Off, and nil bars, do nothing.
	var none *Progress
	none.Bar(10, "x", false).SetWork(1, "")
	NewProgress(&out, false).Bar(10, "x", false).Finish()
}

// syncBuffer is a bytes.Buffer safe for the bar's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
