package pipeline

import (
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Progress reports the progress of long stages. On a terminal (text logs)
// it draws live bars; without one it prints a line at least every
// Interval (10 s) — "[cluster] k-means k=2..10: 37/90 restarts (k = 6),
// 41% of the work, elapsed 18s, ETA 26s" — so that cron mail and CI logs
// show the run is alive; with JSON logs the same as an info record. The
// ETA is the work left over the rate measured so far, in the units the
// stage reports (see Bar.SetWork): the cluster stage counts a restart of
// k-means with k centroids as k units, so cheap small-k restarts do not
// make the large-k ones look quick.
type Progress struct {
	mode     progressMode
	w        io.Writer
	log      *slog.Logger
	stage    string // the stage whose bars these are: lines start with "[stage] "
	interval time.Duration
	now      func() time.Time
	tick     func(time.Duration) (<-chan time.Time, func())
}

type progressMode int

const (
	progressOff   progressMode = iota
	progressBars               // live bars on a terminal
	progressLines              // a text line every interval
	progressLog                // an info log record every interval
)

// DefaultProgressInterval is how often a progress line is printed when
// stderr is not a terminal.
const DefaultProgressInterval = 10 * time.Second

// NewProgress returns a Progress drawing bars on w when enabled (a
// terminal), else nothing.
func NewProgress(w io.Writer, enabled bool) *Progress {
	p := &Progress{w: w}
	if enabled {
		p.mode = progressBars
	}
	return p
}

// NewProgressLines returns a Progress that prints a line to w every
// interval (≤ 0: DefaultProgressInterval) while a bar is open: for text
// logs when stderr is not a terminal.
func NewProgressLines(w io.Writer, interval time.Duration) *Progress {
	return &Progress{mode: progressLines, w: w, interval: interval}
}

// NewProgressLog returns a Progress that logs an info record "progress"
// every interval (≤ 0: DefaultProgressInterval) while a bar is open: for
// JSON logs.
func NewProgressLog(log *slog.Logger, interval time.Duration) *Progress {
	return &Progress{mode: progressLog, log: log, interval: interval}
}

// forStage returns the Progress a stage gets: its lines start with the
// stage's name and its log records go through the stage's logger (with the
// run id and the stage).
func (p *Progress) forStage(name string, log *slog.Logger) *Progress {
	if p == nil {
		return nil
	}
	q := *p
	q.stage = name
	if q.mode == progressLog {
		q.log = log
	}
	return &q
}

// withClock replaces the clock and the ticker (tests).
func (p *Progress) withClock(now func() time.Time, tick func(time.Duration) (<-chan time.Time, func())) *Progress {
	p.now, p.tick = now, tick
	return p
}

func (p *Progress) clock() func() time.Time {
	if p.now != nil {
		return p.now
	}
	return time.Now
}

func (p *Progress) ticker(d time.Duration) (<-chan time.Time, func()) {
	if p.tick != nil {
		return p.tick(d)
	}
	t := time.NewTicker(d)
	return t.C, t.Stop
}

// Bar is one progress report. A nil *Bar is valid and does nothing.
type Bar struct {
	pb *progressbar.ProgressBar

	p     *Progress
	desc  string
	bytes bool
	stop  func()
	done  chan struct{}
	wg    sync.WaitGroup

	mu     sync.Mutex
	eta    ETA
	detail string
}

// Bar starts a report of total units (bytes when bytes is true).
func (p *Progress) Bar(total int64, desc string, bytes bool) *Bar {
	if p == nil || p.mode == progressOff || total <= 0 {
		return nil
	}
	if p.mode == progressBars {
		opts := []progressbar.Option{
			progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription(desc),
			progressbar.OptionThrottle(100 * time.Millisecond),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionSetWidth(30),
			progressbar.OptionShowCount(),
		}
		if bytes {
			opts = append(opts, progressbar.OptionShowBytes(true))
		}
		return &Bar{pb: progressbar.NewOptions64(total, opts...)}
	}
	interval := p.interval
	if interval <= 0 {
		interval = DefaultProgressInterval
	}
	b := &Bar{p: p, desc: desc, bytes: bytes, done: make(chan struct{}), eta: NewETA(p.clock()(), float64(total))}
	c, stop := p.ticker(interval)
	b.stop = stop
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		for {
			select {
			case <-b.done:
				return
			case <-c:
				b.report()
			}
		}
	}()
	return b
}

// Set moves the bar to n units.
func (b *Bar) Set(n int64) { b.SetWork(float64(n), "") }

// SetWork moves the report to done units of work, with a detail for the
// progress line ("37/90 restarts (k = 6)"; "" for none).
func (b *Bar) SetWork(done float64, detail string) {
	switch {
	case b == nil:
	case b.pb != nil:
		_ = b.pb.Set64(int64(done))
	default:
		b.mu.Lock()
		b.eta.Update(b.p.clock()(), done)
		b.detail = detail
		b.mu.Unlock()
	}
}

// report prints (or logs) the current state.
func (b *Bar) report() {
	b.mu.Lock()
	now := b.p.clock()()
	eta, detail := b.eta, b.detail
	b.mu.Unlock()
	left, known := eta.Left(now)
	if b.p.mode == progressLog {
		attrs := []any{"task", b.desc, "done", eta.Done, "total", eta.Total, "elapsed_seconds", now.Sub(eta.Start).Seconds()}
		if known {
			attrs = append(attrs, "eta_seconds", left.Seconds())
		}
		if detail != "" {
			attrs = append(attrs, "detail", detail)
		}
		b.p.log.Info("progress", attrs...)
		return
	}
	line := ProgressLine(b.desc, detail, eta, now, b.bytes)
	if b.p.stage != "" {
		line = "[" + b.p.stage + "] " + line
	}
	fmt.Fprintln(b.p.w, line)
}

// Finish ends the report (clears the bar; stops the lines).
func (b *Bar) Finish() {
	switch {
	case b == nil:
	case b.pb != nil:
		_ = b.pb.Finish()
	default:
		close(b.done)
		b.stop()
		b.wg.Wait()
	}
}

// ProgressLine is one progress line: "<desc>: <detail>, 41% of the work,
// elapsed 18s, ETA 26s" (bytes: "1.2 GB of 2.6 GB, 310 MB/s").
func ProgressLine(desc, detail string, e ETA, now time.Time, bytes bool) string {
	s := desc + ": "
	if detail != "" {
		s += detail + ", "
	}
	if bytes {
		s += fmt.Sprintf("%s of %s", byteSize(e.Done), byteSize(e.Total))
		if el := now.Sub(e.Start).Seconds(); el > 0 {
			s += fmt.Sprintf(" (%s/s)", byteSize(e.Done/el))
		}
		s += ", "
	}
	s += fmt.Sprintf("%.0f%% of the work, elapsed %s", 100*e.Fraction(), roundDuration(now.Sub(e.Start)))
	if left, ok := e.Left(now); ok {
		s += ", ETA " + roundDuration(left)
	} else {
		s += ", ETA unknown yet"
	}
	return s
}

// ETA estimates the time left from the work done so far: the work left
// over the average rate since the start. It is honest when the units are
// proportional to the cost of the work (the cluster stage weighs each
// k-means restart by k, the number of distances per row and iteration).
type ETA struct {
	Start       time.Time
	Total, Done float64
	last        time.Time // when Done was last updated
}

// NewETA starts an estimate of total units at start.
func NewETA(start time.Time, total float64) ETA { return ETA{Start: start, Total: total, last: start} }

// Update records done units at now.
func (e *ETA) Update(now time.Time, done float64) {
	e.Done, e.last = done, now
}

// Fraction is the share of the work done.
func (e ETA) Fraction() float64 {
	if e.Total <= 0 {
		return 0
	}
	return min(1, e.Done/e.Total)
}

// Left estimates the time left at now; ok is false before any work is done.
// Between updates the estimate counts down from the last one.
func (e ETA) Left(now time.Time) (time.Duration, bool) {
	el := e.last.Sub(e.Start).Seconds()
	if e.Done <= 0 || el <= 0 {
		return 0, false
	}
	rate := e.Done / el
	left := (e.Total-e.Done)/rate - now.Sub(e.last).Seconds()
	return time.Duration(max(0, left) * float64(time.Second)), true
}

// roundDuration is "45s", "3m05s" or "1h02m".
func roundDuration(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	switch {
	case s < 60:
		return fmt.Sprintf("%ds", s)
	case s < 3600:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%dh%02dm", s/3600, (s%3600)/60)
}

// byteSize is "512 B", "3.4 MB", "1.2 GB".
func byteSize(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%.1f GB", v/1e9)
	case v >= 1e6:
		return fmt.Sprintf("%.1f MB", v/1e6)
	case v >= 1e3:
		return fmt.Sprintf("%.1f kB", v/1e3)
	}
	return fmt.Sprintf("%.0f B", v)
}
