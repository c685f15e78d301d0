package csvio

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klauspost/compress/zstd"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
	"golang.org/x/text/transform"

	"github.com/churnlab/segment/internal/sniff"
)

// stream is an opened input made into UTF-8 text: the raw bytes are
// counted and hashed, then decompressed (gzip, zstd) and decoded
// (Options.Encoding, or UTF-16/UTF-32 with a byte order mark) as their
// magic bytes say, and lone CR line ends become LF.
type stream struct {
	file        string
	src         *source
	text        io.Reader
	closers     []func()
	compression string // "", "gzip" or "zstd"
	textTotal   int64  // bytes of decompressed text when known (plain or from the gzip trailer or zstd header), else 0
	textMod32   bool   // textTotal is a gzip trailer's size, modulo 4 GiB
	encoding    string // "utf-8", "latin1", "cp1252", "utf-16le", ...
	bom         bool   // a UTF-16/UTF-32 byte order mark was stripped
	cr          bool   // lines end in CR alone
}

// sniffBuffer is the read-ahead of each layer that is looked at.
const sniffBuffer = 64 << 10

func newStream(in *input, file string, cfg *config, keep bool) (_ *stream, err error) {
	s := &stream{file: file, encoding: cfg.encName}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	s.src = &source{r: in, h: sha256.New(), total: in.size, keep: keep}
	raw := bufio.NewReaderSize(s.src, sniffBuffer)
	sample, err := peek(raw, sniffMin)
	if err != nil {
		return nil, s.readErr(err)
	}
	var dec encoding.Encoding
	outer := sniff.Detect(sample)
	var rd io.Reader = raw
	inner := outer
	if in.regular {
		s.textTotal = in.size
	}
	compressed := outer.Format == sniff.Gzip || outer.Format == sniff.Zstd
	if compressed {
		s.compression = string(outer.Format)
		z, closeFn, err := newDecompressor(outer.Format, raw)
		if err != nil {
			return nil, s.decompressErr(string(outer.Format), err)
		}
		s.closers = append(s.closers, closeFn)
		s.textTotal = contentSize(in, outer.Format, sample)
		s.textMod32 = outer.Format == sniff.Gzip
		br := bufio.NewReaderSize(&decompressed{r: z, s: s}, sniffBuffer)
		sample, err = peek(br, sniffMin)
		if err != nil {
			return nil, err
		}
		inner = sniff.Detect(sample)
		rd = br
	}
	switch inner.Format {
	case sniff.Text:
		dec = cfg.decoder
	case sniff.UTF16LE, sniff.UTF16BE, sniff.UTF32LE, sniff.UTF32BE:
		if inner.BOM == 0 {
			return nil, &Error{File: file, Msg: fmt.Sprintf("is %s without a byte order mark; save it as UTF-8 (or with a byte order mark)", inner.Description)}
		}
		if cfg.decoder != nil {
			return nil, &Error{File: file, Msg: fmt.Sprintf("is %s (it starts with a byte order mark), but the encoding is set to %s; leave input.encoding unset to read it", inner.Description, cfg.encName)}
		}
		dec = bomDecoder(inner.Format)
		s.encoding, s.bom = string(inner.Format), true
	default:
		fe := &FormatError{File: file, Format: inner.Format, Description: inner.Description}
		if compressed {
			fe.Inside = outer.Format
		}
		return nil, fe
	}
	if dec != nil {
		rd = transform.NewReader(rd, dec.NewDecoder())
	}
	br := bufio.NewReaderSize(rd, sniffBuffer)
	sample, err = peek(br, 1)
	if err != nil {
		return nil, err
	}
	s.text = br
	if crOnly(sample) {
		s.cr = true
		s.text = &crReader{r: br}
	}
	return s, nil
}

// sniffMin is the number of bytes looked at to tell the format (fewer at
// the end of the input) unless the first read brings a line break: every
// magic number but tar's is shorter. Waiting for more could block on a
// stream whose writer sends a short header and pauses.
const sniffMin = 16

// peek returns the bytes buffered at the start of r without consuming
// them: what the first read brings, and at least n bytes unless the input
// ends first or a line break came.
func peek(r *bufio.Reader, n int) ([]byte, error) {
	_, err := r.Peek(1)
	if err == nil && r.Buffered() < n {
		if b, _ := r.Peek(r.Buffered()); bytes.IndexByte(b, '\n') < 0 {
			_, err = r.Peek(n)
		}
	}
	if err == io.EOF || err == bufio.ErrBufferFull {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	b, _ := r.Peek(r.Buffered())
	return b, nil
}

func (s *stream) close() {
	for _, c := range s.closers {
		c()
	}
	s.closers = nil
}

// readErr explains a read error of the raw input.
func (s *stream) readErr(err error) error {
	var ce *Error
	if errors.As(err, &ce) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return readError(s.file, err)
}

// decompressErr explains an error of the decompressor.
func (s *stream) decompressErr(format string, err error) error {
	n, rerr := s.src.status()
	if rerr != nil {
		return s.readErr(rerr)
	}
	var ce *Error
	if errors.As(err, &ce) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &Error{File: s.file, Msg: fmt.Sprintf("is truncated: the %s stream ends early after %s bytes", format, group(n)), Err: err}
	}
	return &Error{File: s.file, Msg: fmt.Sprintf("is not valid %s data (after %s bytes): %v", format, group(n), err), Err: err}
}

// decompressed explains the errors of a decompressor.
type decompressed struct {
	r io.Reader
	s *stream
}

func (d *decompressed) Read(p []byte) (int, error) {
	n, err := d.r.Read(p)
	if err != nil && err != io.EOF {
		err = d.s.decompressErr(d.s.compression, err)
	}
	return n, err
}

func bomDecoder(f sniff.Format) encoding.Encoding {
	switch f {
	case sniff.UTF16LE:
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
	case sniff.UTF16BE:
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	case sniff.UTF32LE:
		return utf32.UTF32(utf32.LittleEndian, utf32.ExpectBOM)
	}
	return utf32.UTF32(utf32.BigEndian, utf32.ExpectBOM)
}

// source counts and hashes the raw bytes, reports progress, and keeps or
// copies them for a spool. A decompressor may read it on a goroutine of
// its own (pgzip reads ahead from the start), so its state is guarded by
// mu and changed or read only through its methods.
type source struct {
	r     io.Reader
	total int64 // file size, 0 when unknown (set before any read)

	mu       sync.Mutex
	h        hash.Hash
	n        int64
	shared   atomic.Int64 // n, read without the lock
	progress func(int64, int64)
	last     time.Time
	err      error  // the last read error other than EOF
	keep     bool   // keep the bytes read in kept
	kept     []byte // raw bytes read while keep was set
	tee      io.Writer
}

func (s *source) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.mu.Lock()
	defer s.mu.Unlock()
	if n > 0 {
		s.h.Write(p[:n])
		s.n += int64(n)
		s.shared.Store(s.n)
		if s.keep {
			s.kept = append(s.kept, p[:n]...)
		}
		if s.tee != nil {
			if _, werr := s.tee.Write(p[:n]); werr != nil {
				s.err = werr
				return n, werr
			}
		}
		if s.progress != nil {
			if now := time.Now(); now.Sub(s.last) >= 50*time.Millisecond {
				s.last = now
				s.progress(s.n, s.total)
			}
		}
	}
	if err != nil && err != io.EOF {
		s.err = err
	}
	return n, err
}

// read starts the reading of the rows: stop keeping bytes, report
// progress to progress (may be nil).
func (s *source) read(progress func(int64, int64)) {
	s.mu.Lock()
	s.keep, s.kept, s.progress = false, nil, progress
	s.mu.Unlock()
}

// spool writes the bytes kept so far to w and copies every later byte to
// it.
func (s *source) spool(w io.Writer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := w.Write(s.kept); err != nil {
		return err
	}
	s.keep, s.kept, s.tee = false, nil, w
	return nil
}

// done reports the bytes read and their SHA-256, with a last progress call.
func (s *source) done() (int64, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.progress != nil {
		s.progress(s.n, s.total)
	}
	return s.n, hex.EncodeToString(s.h.Sum(nil))
}

// status returns the bytes read so far and the last read error.
func (s *source) status() (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n, s.err
}

// crOnly reports whether the first line break of sample is a CR that no LF
// follows (classic Mac OS line ends).
func crOnly(sample []byte) bool {
	i := bytes.IndexAny(sample, "\r\n")
	return i >= 0 && sample[i] == '\r' && i+1 < len(sample) && sample[i+1] != '\n'
}

// crReader turns every CR that no LF follows into LF. The length of the
// text does not change, so offsets and line counts stay those of the file.
type crReader struct {
	r *bufio.Reader
}

func (c *crReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	for i := 0; i < n; {
		k := bytes.IndexByte(p[i:n], '\r')
		if k < 0 {
			break
		}
		i += k
		lf := false
		if i+1 < n {
			lf = p[i+1] == '\n'
		} else if next, perr := c.r.Peek(1); perr == nil {
			lf = next[0] == '\n'
		}
		if !lf {
			p[i] = '\n'
		}
		i++
	}
	return n, err
}

// group formats n with thousands separators: 1234567 → "1,234,567".
func group(n int64) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + group(-n)
	}
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
}

// contentSize returns the decompressed size a compressed file declares: a
// zstd frame header's content size, or the gzip trailer's size modulo 4 GiB
// (of the last member only); 0 when unknown. It only sizes the columns
// ahead; a wrong value costs memory or copies, never correctness.
func contentSize(in *input, f sniff.Format, sample []byte) int64 {
	if f == sniff.Zstd {
		var h zstd.Header
		if h.Decode(sample) == nil && h.HasFCS {
			return int64(h.FrameContentSize)
		}
		return 0
	}
	if !in.regular || in.size < 18 {
		return 0
	}
	var tail [4]byte
	if _, err := in.f.ReadAt(tail[:], in.start+in.size-4); err != nil {
		return 0
	}
	return int64(binary.LittleEndian.Uint32(tail[:]))
}

// textSize is the size of the text: the declared size, a gzip trailer's
// size taken with the multiple of 4 GiB nearest the estimate from the
// compression ratio so far, or that estimate.
func (s *stream) textSize(estimate float64) float64 {
	switch {
	case s.textTotal == 0:
		return estimate
	case s.textMod32 && estimate > 0:
		k := math.Round((estimate - float64(s.textTotal)) / (1 << 32))
		return float64(s.textTotal) + max(0, k)*(1<<32)
	}
	return float64(s.textTotal)
}
