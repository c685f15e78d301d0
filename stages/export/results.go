package export

import (
	"fmt"
	"math"
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
	dist, err := distances(cl)
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

// distances is each row's Euclidean distance to its segment's centroid in
// the scaled space the model works in: the distance `segment predict`
// reports for the same customer (summed in the same order, as
// internal/model's Assign does).
func distances(cl *result.Clusters) ([]float64, error) {
	d := len(cl.Features)
	n := len(cl.Labels)
	if len(cl.Scaled) != n*d {
		return nil, fmt.Errorf("the cluster stage left %d scaled values for %d rows × %d features", len(cl.Scaled), n, d)
	}
	dist := make([]float64, n)
	for i, l := range cl.Labels {
		if int(l) < 0 || int(l) >= len(cl.CentersScaled) || len(cl.CentersScaled[l]) != d {
			return nil, fmt.Errorf("row %d: segment index %d has no centroid of %d features", i+1, l, d)
		}
		c, z := cl.CentersScaled[l], cl.Scaled[i*d:i*d+d]
		var ss float64
		for t, v := range z {
			e := v - c[t]
			ss += float64(e * e)
		}
		dist[i] = math.Sqrt(ss)
	}
	return dist, nil
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
