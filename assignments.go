package segment

import (
	"errors"
	"fmt"
	"slices"

	"github.com/go-gota/gota/dataframe"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/pipeline"
)

// ErrNoSegments is Result.Assignments.Err when the job has no cluster
// stage.
var ErrNoSegments = errors.New("the job has no cluster stage: no customer has a segment")

// tableFrame is the run's table as a DataFrame.
func tableFrame(st *pipeline.State) dataframe.DataFrame {
	if st == nil || st.Table == nil {
		return dataframe.DataFrame{Err: errors.New("the run left no table")}
	}
	return st.Table.DataFrame()
}

// assignments is Result.Assignments: the id, segment, segment_name and
// distance of every row of the run's table.
func assignments(cfg *pipeline.Config, res *pipeline.RunResult) dataframe.DataFrame {
	t, err := assignmentTable(cfg, res)
	if err != nil {
		return dataframe.DataFrame{Err: err}
	}
	return t.DataFrame()
}

func assignmentTable(cfg *pipeline.Config, res *pipeline.RunResult) (*frame.Table, error) {
	st := res.State
	cl := st.Clusters
	if cl == nil {
		return nil, ErrNoSegments
	}
	n := len(cl.Labels)
	if st.Table == nil {
		return nil, errors.New("the run left no table")
	}
	if st.Table.NumRows() != n {
		return nil, fmt.Errorf("the run's table has %d rows but its segments %d: a stage after the cluster stage changed the rows; read the segments from the cluster stage's assignments.csv", st.Table.NumRows(), n)
	}
	dist, err := cl.Distances()
	if err != nil {
		return nil, err
	}
	var id *frame.Column
	if name := clusterIDColumn(cfg, res.Manifest); name != "" {
		id = st.Table.Col(name)
	}
	if id == nil {
		rows := make([]int64, n)
		for i := range rows {
			rows[i] = int64(i + 1)
		}
		id = frame.NewInt("row", rows, nil)
	}
	seg := make([]int64, n)
	codes := make([]int32, n)
	for i, l := range cl.Labels {
		seg[i] = int64(cl.IDs[l])
		codes[i] = l
	}
	name := func(want, instead string) string {
		if id.Name == want {
			return instead
		}
		return want
	}
	return frame.New(
		id,
		frame.NewInt(name("segment", "segment_id"), seg, nil),
		frame.NewStringCodes(name("segment_name", "segment_label"), codes, cl.SegmentLabels(st.Profile)),
		frame.NewFloat(name("distance", "segment_distance"), dist, nil),
	)
}

// clusterIDColumn is the id column's name as the last cluster stage saw
// it (after earlier renames): the manifest's resolved id_column of that
// stage.
func clusterIDColumn(cfg *pipeline.Config, m *pipeline.Manifest) string {
	stage := ""
	for _, spec := range cfg.Stages {
		if slices.Contains(spec.Factory.Provides, pipeline.SlotClusters) {
			stage = spec.Name
		}
	}
	for _, rec := range m.Stages {
		if rec.Name == stage && rec.Resolved != nil {
			return rec.Resolved.IDColumn
		}
	}
	return ""
}
