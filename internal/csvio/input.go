package csvio

import (
	"context"
	"errors"
	"io"
	"os"
	"sync"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// input is the opened file, FIFO, pipe or standard input, with reads that
// stop when the context they watch is cancelled.
//
// Paths are opened with O_NONBLOCK, so opening a FIFO without a writer
// returns at once and Go's poller waits for its data instead of a blocked
// thread: cancelling sets a read deadline in the past, which wakes a
// waiting read with os.ErrDeadlineExceeded, reported as ctx.Err(). Regular
// files ignore O_NONBLOCK. Standard input ("-") that is a pipe or terminal
// is reopened through /proc/self/fd/0 the same way (a new open file
// description, so the flag does not leak to the shell); when that is not
// possible its reads run on a helper goroutine that a cancellation
// abandons.
type input struct {
	name     string
	f        *os.File
	r        io.Reader // what to read: f, or a helper around it
	regular  bool      // a regular file: seekable, size known
	fifo     bool      // a FIFO or pipe
	size     int64     // bytes of a regular file from start, else 0
	start    int64     // offset of a regular file where reading began
	started  bool      // a FIFO has seen its first read
	mu       sync.Mutex
	ctx      context.Context
	stopWake func() bool

	// dropBehind asks the kernel to drop a regular file's cached pages
	// behind the reader (dropBehindStep at a time): a streamed run reads a
	// file larger than memory once, and its pages would only push the
	// run's spill file, which every later pass reads, out of the cache.
	dropBehind   bool
	pos, dropped int64 // bytes read since start, and dropped so far
}

// dropBehindStep is how far the reader gets ahead of the pages it drops;
// files under dropBehindMin keep their pages (a rerun finds them cached).
const (
	dropBehindStep = 64 << 20
	dropBehindMin  = 1 << 30
)

// advise drops the pages read since the last call (dropBehind).
func (in *input) advise() {
	rc, err := in.f.SyscallConn()
	if err != nil {
		return
	}
	off, n := in.start+in.dropped, in.pos-in.dropped
	rc.Control(func(fd uintptr) {
		unix.Fadvise(int(fd), off, n, unix.FADV_DONTNEED) // advice: an error changes nothing
	})
	in.dropped = in.pos
}

// stdinPath is the path that means standard input.
const stdinPath = "-"

func openInput(ctx context.Context, path string) (*input, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	in := &input{name: path}
	var err error
	if path == stdinPath {
		err = in.openStdin()
	} else {
		in.f, err = os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	}
	if err != nil {
		return nil, err
	}
	st, err := in.f.Stat()
	if err != nil {
		in.f.Close()
		return nil, err
	}
	switch mode := st.Mode(); {
	case mode.IsDir():
		in.f.Close()
		return nil, &Error{File: path, Msg: "is a directory, not a CSV file"}
	case mode.IsRegular():
		in.regular = true
		in.start, _ = in.f.Seek(0, io.SeekCurrent)
		in.size = max(0, st.Size()-in.start)
	case mode&os.ModeNamedPipe != 0:
		in.fifo = true
	}
	if in.r == nil {
		in.r = in.f
	}
	in.watch(ctx)
	return in, nil
}

// openStdin opens standard input; see input.
func (in *input) openStdin() error {
	var st unix.Stat_t
	if err := unix.Fstat(0, &st); err == nil && st.Mode&unix.S_IFMT != unix.S_IFREG {
		if f, err := os.OpenFile("/proc/self/fd/0", os.O_RDONLY|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0); err == nil {
			in.f = f
			return nil
		}
		in.f = os.Stdin
		in.r = &asyncReader{in: in, r: os.Stdin}
		return nil
	}
	in.f = os.Stdin
	return nil
}

// watch makes reads stop when ctx is cancelled, replacing the context
// watched before.
func (in *input) watch(ctx context.Context) {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.stopWake != nil {
		in.stopWake()
	}
	in.ctx = ctx
	in.f.SetReadDeadline(time.Time{})
	in.stopWake = context.AfterFunc(ctx, func() {
		in.f.SetReadDeadline(time.Unix(1, 0)) // fails harmlessly for regular files
	})
}

func (in *input) Read(p []byte) (int, error) {
	if !in.started && in.fifo {
		in.started = true
		if n, err, done := in.firstFIFORead(p); done {
			return n, in.mapErr(err)
		}
	}
	n, err := in.r.Read(p)
	if in.dropBehind && in.regular {
		if in.pos += int64(n); in.pos-in.dropped >= dropBehindStep {
			in.advise()
		}
	}
	return n, in.mapErr(err)
}

// firstFIFORead waits for a FIFO's first data or end. A FIFO opened with
// O_NONBLOCK reads as empty (EOF) until a writer opens it; polling tells
// "no writer yet" (not ready) from "writer gone" (ready, hang-up).
func (in *input) firstFIFORead(p []byte) (n int, err error, done bool) {
	rc, err := in.f.SyscallConn()
	if err != nil {
		return 0, nil, false
	}
	var rerr error
	err = rc.Read(func(fd uintptr) bool {
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		k, perr := unix.Poll(pfd, 0)
		if perr == unix.EINTR || perr == nil && k == 0 {
			return false // wait in the poller (which honours the deadline)
		}
		n, rerr = syscall.Read(int(fd), p)
		if rerr == syscall.EAGAIN {
			n, rerr = 0, nil
			return false
		}
		return true
	})
	if err != nil {
		return 0, err, true
	}
	if rerr != nil {
		return 0, rerr, true
	}
	if n == 0 {
		return 0, io.EOF, true
	}
	return n, nil, true
}

// mapErr reports a read stopped by the cancellation as ctx.Err().
func (in *input) mapErr(err error) error {
	if err == nil || err == io.EOF {
		return err
	}
	in.mu.Lock()
	ctx := in.ctx
	in.mu.Unlock()
	if cerr := ctx.Err(); cerr != nil && (errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, errAbandoned)) {
		return cerr
	}
	return err
}

// rewind starts reading a regular file again from where it started.
func (in *input) rewind() error {
	if !in.regular {
		return errors.New("cannot rewind a stream")
	}
	in.pos, in.dropped = 0, 0
	_, err := in.f.Seek(in.start, io.SeekStart)
	return err
}

func (in *input) Close() error {
	in.mu.Lock()
	if in.stopWake != nil {
		in.stopWake()
		in.stopWake = nil
	}
	in.mu.Unlock()
	if in.f == os.Stdin {
		return nil
	}
	return in.f.Close()
}

var errAbandoned = errors.New("read abandoned")

// asyncReader reads on a helper goroutine, so that a read that blocks in
// the kernel (standard input that cannot be reopened) does not block a
// cancellation: the caller returns and the goroutine ends with the process
// or its next read.
type asyncReader struct {
	in      *input
	r       io.Reader
	pending chan readResult // a read still running after an abandoned call
}

type readResult struct {
	buf []byte
	err error
}

func (a *asyncReader) Read(p []byte) (int, error) {
	ch := a.pending
	a.pending = nil
	if ch == nil {
		ch = make(chan readResult, 1)
		buf := make([]byte, len(p))
		go func() {
			n, err := a.r.Read(buf)
			ch <- readResult{buf[:n], err}
		}()
	}
	a.in.mu.Lock()
	ctx := a.in.ctx
	a.in.mu.Unlock()
	select {
	case res := <-ch:
		n := copy(p, res.buf)
		if n < len(res.buf) { // p shrank since the abandoned call
			rest := make(chan readResult, 1)
			rest <- readResult{res.buf[n:], res.err}
			a.pending = rest
			return n, nil
		}
		return n, res.err
	case <-ctx.Done():
		a.pending = ch
		return 0, errAbandoned
	}
}
