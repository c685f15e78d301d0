package csvio

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// run reads the data after the header with one producer goroutine cutting
// chunks, parsing workers, and the calling goroutine handing the results
// to consume in file order. After the first error, from a chunk or from
// consume, the rest is drained without being consumed.
func run(ctx context.Context, rd io.Reader, h *header, p *plan, cfg *config, rawRead func() int64, consume func(*chunkResult) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	nw := cfg.workers
	if nw <= 0 {
		nw = runtime.GOMAXPROCS(0)
	}
	inflight := 2*nw + 2
	jobs := make(chan *chunk, inflight)
	results := make(chan *chunkResult, inflight)
	tokens := make(chan struct{}, inflight)
	bufs := make(chan []byte, inflight)
	spare := make(chan *chunkResult, inflight)

	var prodErr error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(jobs)
		cr := &countReader{r: rd, n: int64(len(h.rest))}
		prodErr = produce(ctx, p.file, cr, h, cfg.chunk, cfg.maxRecord, tokens, bufs, jobs, func(c *chunk) {
			c.textRead, c.rawRead = cr.n, rawRead()
		})
	}()
	var wwg sync.WaitGroup
	for range nw {
		wwg.Add(1)
		go func() {
			defer wwg.Done()
			w := &worker{p: p}
			for c := range jobs {
				var res *chunkResult
				select {
				case res = <-spare:
				default:
					res = new(chunkResult)
				}
				if err := ctx.Err(); err != nil {
					res.seq, res.err = c.seq, err
				} else {
					w.parse(c, res)
				}
				select {
				case bufs <- c.buf[:0]:
				default:
				}
				results <- res
			}
		}()
	}
	go func() {
		wwg.Wait()
		close(results)
	}()

	pending := make(map[int]*chunkResult)
	next := 0
	var firstErr error
	for res := range results {
		pending[res.seq] = res
		for {
			r, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if firstErr == nil {
				err := r.err
				if err == nil {
					err = consume(r)
				}
				if err != nil {
					firstErr = err
					cancel()
				}
			}
			<-tokens
			select {
			case spare <- r:
			default:
			}
		}
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if prodErr != nil {
		return prodErr
	}
	return nil
}

// produce cuts the input into chunks of whole records and sends them to
// the workers, at most cap(tokens) at a time.
func produce(ctx context.Context, file string, rd io.Reader, h *header, size, maxRecord int, tokens chan struct{}, bufs chan []byte, jobs chan<- *chunk, stamp func(*chunk)) error {
	carry := append([]byte(nil), h.rest...)
	eof := h.eof
	line := h.next
	for seq := 0; ; seq++ {
		select {
		case tokens <- struct{}{}:
		case <-ctx.Done():
			return ctx.Err()
		}
		var buf []byte
		select {
		case buf = <-bufs:
		default:
		}
		buf = append(buf[:0], carry...)
		cut := 0
		want := max(size, len(buf)+1)
		for {
			var err error
			if !eof {
				buf, eof, err = fill(rd, buf, want)
				if err != nil {
					<-tokens
					return readError(file, err)
				}
			}
			if eof {
				cut = len(buf)
				break
			}
			if cut = lastRecordEnd(buf, h.delim); cut > 0 {
				break
			}
			if len(buf) > maxRecord { // no complete record yet, and too long for one
				<-tokens
				return recordTooLong(file, line, maxRecord, buf)
			}
			want = min(2*len(buf), maxRecord+1)
		}
		if eof {
			if last := max(0, lastRecordEnd(buf, h.delim)); len(buf)-last > maxRecord {
				<-tokens
				return recordTooLong(file, line+bytes.Count(buf[:last], nl), maxRecord, buf[last:])
			}
		}
		carry = append(carry[:0], buf[cut:]...)
		data := buf[:cut]
		if len(data) == 0 {
			<-tokens
			return nil
		}
		c := &chunk{seq: seq, data: data, buf: buf, firstLine: line, lines: bytes.Count(data, nl)}
		stamp(c)
		line += c.lines
		select {
		case jobs <- c:
		case <-ctx.Done():
			<-tokens
			return ctx.Err()
		}
		if eof && len(carry) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
}

func readError(file string, err error) error {
	var ce *Error
	if errors.As(err, &ce) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return &Error{File: file, Msg: "cannot read: " + err.Error(), Err: err}
}

// recordTooLong reports a record that starts on line and has no end within
// the limit; buf starts with it.
func recordTooLong(file string, line, maxRecord int, buf []byte) error {
	for len(buf) > 0 && (buf[0] == '\n' || buf[0] == '\r') { // blank lines before it
		if buf[0] == '\n' {
			line++
		}
		buf = buf[1:]
	}
	return &Error{File: file, Line: line, Msg: fmt.Sprintf("a record longer than %s bytes (Options.MaxRecordBytes); "+
		"is this a CSV file, or does a quote open a field that is never closed?", group(int64(maxRecord)))}
}

// countReader counts the bytes read through it.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
