package ingest

import "github.com/churnlab/segment/pipeline"

// progressBar is the part of *pipeline.Bar the reading progress uses.
type progressBar interface {
	Set(n int64)
	Finish()
}

// readProgress is a source's progress callback (pipeline.Progressor)
// drawing one bar per read of the input. A CSV source whose column types
// are inferred reads a file twice — the types, then the values — and its
// progress starts again from zero: one bar over both reads would show 100 %
// and an ETA of a second halfway through the stage (seen on 10M rows: "97
// % of the work, ETA 1s", then a minute more). A new read gets a bar of
// its own that says so. finish ends the last bar.
func readProgress(open func(total int64, desc string) progressBar, desc string) (fn func(done, total int64), finish func()) {
	var bar progressBar
	var last int64
	reads := 0
	fn = func(done, total int64) {
		if bar == nil || done < last {
			if bar != nil {
				bar.Finish()
			}
			reads++
			d := desc
			if reads == 2 {
				d = desc + " again (the values; the first read inferred the column types)"
			} else if reads > 2 {
				d = desc + " again"
			}
			bar = open(total, d)
		}
		last = done
		bar.Set(done)
	}
	finish = func() {
		if bar != nil {
			bar.Finish()
		}
	}
	return fn, finish
}

// sourceProgress installs readProgress on the input's source when it
// reports progress; the returned func ends the last bar (always callable).
func sourceProgress(env *pipeline.Env, src pipeline.Source, desc string) func() {
	p, ok := src.(pipeline.Progressor)
	if !ok {
		return func() {}
	}
	var bytes bool
	fn, finish := readProgress(func(total int64, d string) progressBar {
		if b := env.Progress.Bar(total, d, bytes); b != nil {
			return b
		}
		return noBar{}
	}, desc)
	bytes = p.SetProgress(fn)
	return finish
}

// noBar is a bar that draws nothing (progress off).
type noBar struct{}

func (noBar) Set(int64) {}
func (noBar) Finish()   {}
