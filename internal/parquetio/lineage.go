package parquetio

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
)

// Lineage identifies the bytes a dataset was read from, for the run
// manifest.
type Lineage struct {
	Path string `json:"path"` // as given to Open
	Dir  bool   `json:"dir"`
	// Bytes is the size of the file, or the total size of the directory's
	// Parquet files.
	Bytes int64 `json:"bytes"`
	// SHA256 is the hex SHA-256 of the file's raw bytes; for a directory it
	// is DirSHA256 of Files.
	SHA256 string `json:"sha256"`
	Rows   int64  `json:"rows"` // from the footers
	// Files lists a directory's Parquet files in reading order; nil for a
	// file.
	Files []FileLineage `json:"files,omitempty"`
}

// FileLineage is one file of a directory.
type FileLineage struct {
	Path   string `json:"path"` // relative to the directory, '/'-separated
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	Rows   int64  `json:"rows"`
}

// DirSHA256 is the digest of a directory of files: the hex SHA-256 of the
// text made of one line per file, in the given order (Open's order: sorted
// by relative path, byte-wise),
//
//	<hex sha256 of the file's bytes><two spaces><relative path with '/'>\n
//
// which is exactly what `sha256sum` prints, so from the directory
//
//	sha256sum $(find . -name '*.parquet' | sed 's|^\./||' | LC_ALL=C sort) | sha256sum
//
// gives the same digest (for the usual file names; Open refuses names
// holding a line break or backslash, which sha256sum would escape).
func DirSHA256(files []FileLineage) string {
	h := sha256.New()
	for _, f := range files {
		io.WriteString(h, f.SHA256)
		io.WriteString(h, "  ")
		io.WriteString(h, f.Path)
		io.WriteString(h, "\n")
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Lineage hashes every file of the dataset (reading all of its bytes once,
// the unread columns included) and returns the record. The result is
// computed once and cached; it fails if a file changed since Open.
func (d *Dataset) Lineage(ctx context.Context) (*Lineage, error) {
	d.lineageMu.Lock()
	defer d.lineageMu.Unlock()
	if d.lineage == nil {
		l, err := d.computeLineage(ctx)
		if err != nil {
			return nil, err // not cached: a later call tries again
		}
		d.lineage = l
	}
	cp := *d.lineage
	cp.Files = append([]FileLineage(nil), d.lineage.Files...)
	return &cp, nil
}

func (d *Dataset) computeLineage(ctx context.Context) (*Lineage, error) {
	l := &Lineage{Path: d.path, Dir: d.dir, Rows: d.rows}
	for _, f := range d.files {
		sum, err := hashFile(ctx, f)
		if err != nil {
			return nil, err
		}
		l.Bytes += f.size
		l.Files = append(l.Files, FileLineage{Path: f.rel, Bytes: f.size, SHA256: sum, Rows: f.rows})
	}
	if d.dir {
		l.SHA256 = DirSHA256(l.Files)
	} else {
		l.SHA256 = l.Files[0].SHA256
		l.Files = nil
	}
	return l, nil
}

func hashFile(ctx context.Context, f *pfile) (string, error) {
	h, err := f.openForRead()
	if err != nil {
		return "", err
	}
	defer h.Close()
	sum := sha256.New()
	buf := make([]byte, 1<<20)
	var n int64
	for {
		if err := ctx.Err(); err != nil {
			return "", err
		}
		k, err := h.Read(buf)
		sum.Write(buf[:k])
		n += int64(k)
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
	}
	if n != f.size {
		return "", &Error{File: f.path, Msg: "the file changed since it was opened; open it again"}
	}
	return hex.EncodeToString(sum.Sum(nil)), nil
}
