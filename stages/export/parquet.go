package export

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/parquetio"
	"github.com/churnlab/segment/pipeline"
)

// Footer metadata keys of customers.parquet.
const (
	MetaRunID       = "segment.run_id"
	MetaModelSHA256 = "segment.model_sha256"
)

// parquetSink is the manifest's record of customers.parquet (under the
// stage's notes.sinks).
type parquetSink struct {
	Kind        string `json:"kind"` // "parquet"
	Path        string `json:"path"` // in the run folder
	Rows        int    `json:"rows"`
	Bytes       int64  `json:"bytes"`
	SHA256      string `json:"sha256"` // of the file
	RunID       string `json:"run_id"`
	ModelSHA256 string `json:"model_sha256"`
}

// writeParquet writes the customer results as <file>.parquet in the run
// folder: streamed into a temporary file beside it, synced and renamed
// into place only when complete (parquetio.CreateFile), so a failed or
// interrupted write leaves no partial file.
func writeParquet(ctx context.Context, env *pipeline.Env, file string, t *frame.Table, runID, modelSHA string) (*parquetSink, error) {
	name := file + ".parquet"
	// customers.file is a plain file name (Validate), so this stays in the
	// run folder.
	path := filepath.Join(env.Dir, env.FileName(name))
	opt := parquetio.WriteOptions{Metadata: map[string]string{MetaRunID: runID, MetaModelSHA256: modelSHA}}
	fw, err := parquetio.CreateFile(path, t.Schema(), opt)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := fw.Write(t); err != nil {
		fw.Abort()
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := ctx.Err(); err != nil {
		fw.Abort()
		return nil, err
	}
	if err := fw.Commit(); err != nil {
		return nil, err
	}
	art := env.AddArtifact("table", name, "Customer results for other programs (Parquet): id, segment, segment_name, distance, run_id, model_sha256 and the chosen columns")
	rec := &parquetSink{Kind: "parquet", Path: art.Path, Rows: t.NumRows(), RunID: runID, ModelSHA256: modelSHA}
	if rec.Bytes, rec.SHA256, err = hashFile(path); err != nil {
		return nil, err
	}
	return rec, nil
}

// hashFile returns a file's size and SHA-256.
func hashFile(path string) (int64, string, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return 0, "", err
	}
	return n, hex.EncodeToString(h.Sum(nil)), nil
}
