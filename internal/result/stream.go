package result

import "github.com/churnlab/segment/internal/frame"

// StreamClusters is what a cluster stage in execution mode stream leaves
// instead of the per-row slices (Labels, Scaled, Original), which it never
// holds: the number of rows labelled and how to label a batch of the
// streamed table exactly as assignments.csv labels it.
type StreamClusters struct {
	// Rows is the number of rows labelled.
	Rows int64
	// Label returns the segment index of each row of a batch (of the table
	// the cluster stage ran on), and the batch's n×d feature matrices
	// after and before scaling (row-major).
	Label func(t *frame.Table) (labels []int32, scaled, original []float64, err error)
	// SampleRows is the number of rows of the sample the model was fitted
	// (and k chosen) on; RefinePasses the full-data Lloyd iterations that
	// refined it.
	SampleRows   int
	RefinePasses int
}

// NumRows is the number of rows labelled: len(Labels), or the streamed
// count.
func (c *Clusters) NumRows() int {
	if c.Stream != nil {
		return int(c.Stream.Rows)
	}
	return len(c.Labels)
}
