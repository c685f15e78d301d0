package pipeline

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// Progress hands out live progress bars. It is disabled (every bar is a
// no-op) unless stderr is a terminal and logs are plain text, so cron mail
// and JSON logs never see control characters.
type Progress struct {
	enabled bool
	w       io.Writer
}

// NewProgress returns a Progress writing to w when enabled.
func NewProgress(w io.Writer, enabled bool) *Progress { return &Progress{enabled: enabled, w: w} }

// Bar is one progress bar. A nil *Bar is valid and does nothing.
type Bar struct{ pb *progressbar.ProgressBar }

// Bar starts a bar for total units (bytes when bytes is true).
func (p *Progress) Bar(total int64, desc string, bytes bool) *Bar {
	if p == nil || !p.enabled || total <= 0 {
		return nil
	}
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

// Set moves the bar to n.
func (b *Bar) Set(n int64) {
	if b != nil {
		_ = b.pb.Set64(n)
	}
}

// Finish completes and clears the bar.
func (b *Bar) Finish() {
	if b != nil {
		_ = b.pb.Finish()
	}
}
