package export

import (
	"fmt"
	"path/filepath"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
)

// The columns the customer results (parquet, database) add after id,
// segment and segment_name.
const (
	ColDistance    = "distance"
	ColRunID       = "run_id"
	ColModelSHA256 = "model_sha256"
)

// resultColumns are the names the customer results add besides segment
// and segment_name.
var resultColumns = []string{ColDistance, ColRunID, ColModelSHA256}

// resultTable is the customer results: the customers table (id, segment,
// segment_name, attribute columns) with distance, run_id and model_sha256
// inserted after segment_name. Values are as the table holds them, not
// neutralised for spreadsheets.
func resultTable(customers *frame.Table, cl *result.Clusters, runID, modelSHA string) (*frame.Table, error) {
	dist, err := cl.Distances()
	if err != nil {
		return nil, err
	}
	n := customers.NumRows()
	if len(dist) != n {
		return nil, fmt.Errorf("%d distances for %d customers", len(dist), n)
	}
	cols := customers.Columns()
	out := make([]*frame.Column, 0, len(cols)+3)
	out = append(out, cols[:3]...)
	out = append(out,
		frame.NewFloat(ColDistance, dist, nil),
		constant(ColRunID, runID, n),
		constant(ColModelSHA256, modelSHA, n),
	)
	out = append(out, cols[3:]...)
	return frame.New(out...)
}

// constant is a text column holding v in each of n rows (one dictionary
// entry).
func constant(name, v string, n int) *frame.Column {
	return frame.NewStringCodes(name, make([]int32, n), []string{v})
}

// modelSHA256 is the SHA-256 of the model.json the cluster stage wrote into
// the run folder dir: it names the model that assigned the segments.
func modelSHA256(dir string, cl *result.Clusters) (string, error) {
	if cl.ModelFile == "" {
		return "", fmt.Errorf("the cluster stage wrote no model.json, which the customer results name by its sha256")
	}
	_, sum, err := hashFile(filepath.Join(dir, cl.ModelFile))
	if err != nil {
		return "", fmt.Errorf("the model the customer results name: %w", err)
	}
	return sum, nil
}
