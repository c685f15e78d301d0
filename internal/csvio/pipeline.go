package csvio

import (
	"bytes"
	"context"
	"hash"
	"io"
	"runtime"
	"sync"
	"time"
)

// source counts and hashes the raw bytes and reports progress.
type source struct {
	r        io.Reader
	h        hash.Hash
	n, total int64
	progress func(int64, int64)
	last     time.Time
}

func (s *source) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if n > 0 {
		s.h.Write(p[:n])
		s.n += int64(n)
		if s.progress != nil {
			if now := time.Now(); now.Sub(s.last) >= 50*time.Millisecond {
				s.last = now
				s.progress(s.n, s.total)
			}
		}
	}
	return n, err
}

// run reads the data after the header with one producer goroutine cutting
// chunks, parsing workers, and the calling goroutine merging the results in
// file order.
func run(ctx context.Context, rd io.Reader, h *header, p *plan, cfg *config, total int64, out *passResult) error {
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
		prodErr = produce(ctx, p.file, rd, h, cfg.chunk, tokens, bufs, jobs)
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

	out.cols = make([]*outCol, len(p.proj))
	for k, j := range p.proj {
		out.cols[k] = &outCol{name: p.names[j]}
	}
	pending := make(map[int]*chunkResult)
	next, est := 0, 0
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
				if r.err != nil {
					firstErr = r.err
					cancel()
				} else {
					if est == 0 && r.rows > 0 && total > 0 {
						est = int(float64(total)/float64(r.bytes)*float64(r.rows)*1.05) + 16
					}
					for k, o := range out.cols {
						o.merge(&r.cols[k], r.rows, est)
					}
					out.rows += r.rows
					out.blankLines += r.blank
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
func produce(ctx context.Context, file string, rd io.Reader, h *header, size int, tokens chan struct{}, bufs chan []byte, jobs chan<- *chunk) error {
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
			want = 2 * len(buf) // no complete record yet
		}
		carry = append(carry[:0], buf[cut:]...)
		data := buf[:cut]
		if len(data) == 0 {
			<-tokens
			return nil
		}
		c := &chunk{seq: seq, data: data, buf: buf, firstLine: line, lines: bytes.Count(data, nl)}
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
	return &Error{File: file, Msg: "cannot read: " + err.Error(), Err: err}
}
