package cluster

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/kselect"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/scale"
	"github.com/churnlab/segment/internal/version"
	"github.com/churnlab/segment/pipeline"
)

// write writes assignments.csv, model.json (through writeModel) and, when
// several k were fitted, elbow.csv and the elbow plot.
func (s *stage) write(env *pipeline.Env, res *result.Clusters, idCol *frame.Column, writeModel func(io.Writer) error) error {
	if _, err := env.WriteFile(FileAssignments, "table", "Segment of every customer", func(w io.Writer) error {
		return writeAssignments(w, idCol, res)
	}); err != nil {
		return err
	}
	return s.writeModelElbow(env, res, writeModel)
}

// writeModelElbow writes model.json and, when several k were fitted,
// elbow.csv and the elbow plot.
func (s *stage) writeModelElbow(env *pipeline.Env, res *result.Clusters, writeModel func(io.Writer) error) error {
	art, err := env.WriteFile(FileModel, "model", "Frozen segmentation model (for segment predict)", writeModel)
	if err != nil {
		return err
	}
	res.ModelFile = art.Path
	if len(res.Selection) < 2 {
		return nil
	}
	if _, err := env.WriteFile(FileElbowCSV, "table", "Inertia, silhouette, Calinski-Harabasz, Davies-Bouldin and separation for each k, and which index picks it", func(w io.Writer) error {
		return writeElbowCSV(w, res.Selection, res.Choice)
	}); err != nil {
		return err
	}
	plot, err := plotkit.BuildElbow(s.elbowSpec(res))
	if err != nil {
		return fmt.Errorf("elbow plot: %w", err)
	}
	for _, f := range s.cfg.Formats {
		if _, err := env.WriteFile(FileElbowPlot+"."+f, "plot", "Elbow: inertia and silhouette by k", func(w io.Writer) error {
			return plotkit.Write(w, plot, f, plotkit.DefaultElbowWidthPx, plotkit.DefaultElbowHeightPx)
		}); err != nil {
			return err
		}
	}
	return nil
}

// writeAssignments writes the id column (or a 1-based row number) and each
// row's segment ID.
func writeAssignments(w io.Writer, idCol *frame.Column, res *result.Clusters) error {
	n := len(res.Labels)
	seg := make([]int64, n)
	for i, l := range res.Labels {
		seg[i] = int64(res.IDs[l])
	}
	first := idCol
	if first == nil {
		rows := make([]int64, n)
		for i := range rows {
			rows[i] = int64(i + 1)
		}
		first = frame.NewInt("row", rows, nil)
	}
	name := "segment"
	if first.Name == name {
		name = "segment_id"
	}
	t, err := frame.New(first, frame.NewInt(name, seg, nil))
	if err != nil {
		return err
	}
	return csvio.WriteCSV(w, t)
}

// writeElbowCSV writes k, inertia, silhouette, ch, db, separation, chosen
// and picked_by (the indices that pick this k, separated by spaces: so
// the file shows each index's pick and whether they agree); undefined
// values are blank.
//
// With select: gap two more columns follow separation: gap and gap_s (the
// gap statistic and its s_k); they are absent otherwise, so the file of a
// run without the gap statistic is unchanged. For k-prototypes inertia is
// the k-prototypes cost and ch, db and separation are blank.
func writeElbowCSV(w io.Writer, scores []result.KScore, choice *result.KChoice) error {
	bw := bufio.NewWriter(w)
	gap := false
	for _, s := range scores {
		gap = gap || s.GapS > 0
	}
	if gap {
		fmt.Fprintln(bw, "k,inertia,silhouette,ch,db,separation,gap,gap_s,chosen,picked_by")
	} else {
		fmt.Fprintln(bw, "k,inertia,silhouette,ch,db,separation,chosen,picked_by")
	}
	for _, s := range scores {
		by := ""
		if choice != nil {
			by = strings.Join(choice.PickedBy(s.K), " ")
		}
		if gap {
			g, gs := num(s.Gap), num(s.GapS)
			if !(s.GapS > 0) {
				g, gs = "", ""
			}
			fmt.Fprintf(bw, "%d,%s,%s,%s,%s,%s,%s,%s,%t,%s\n", s.K, num(s.Inertia), num(s.Silhouette), num(s.CalinskiHarabasz), num(s.DaviesBouldin), num(s.Separation), g, gs, s.Chosen, by)
			continue
		}
		fmt.Fprintf(bw, "%d,%s,%s,%s,%s,%s,%t,%s\n", s.K, num(s.Inertia), num(s.Silhouette), num(s.CalinskiHarabasz), num(s.DaviesBouldin), num(s.Separation), s.Chosen, by)
	}
	return bw.Flush()
}

// num formats a value at full precision; NaN is blank, +Inf "inf".
func num(v float64) string {
	switch {
	case math.IsNaN(v):
		return ""
	case math.IsInf(v, 1):
		return "inf"
	}
	return frame.FormatFloat(v)
}

func (s *stage) elbowSpec(res *result.Clusters) plotkit.ElbowSpec {
	spec := plotkit.ElbowSpec{Chosen: res.K}
	for _, sc := range res.Selection {
		spec.K = append(spec.K, sc.K)
		spec.Inertia = append(spec.Inertia, sc.Inertia)
		spec.Silhouette = append(spec.Silhouette, sc.Silhouette)
	}
	how := "fixed"
	if s.cfg.K.Auto && res.Choice != nil {
		switch res.Choice.Rule {
		case result.IndexSeparation:
			how = "separation"
		case "vote", "tie":
			how = "vote"
		default:
			how = kselect.IndexTitle(res.Choice.Rule)
		}
	}
	spec.ChosenLabel = "k = " + strconv.Itoa(res.K) + " (" + how + ")"
	return spec
}

// buildModel assembles model.json.
func (s *stage) buildModel(env *pipeline.Env, st *pipeline.State, res *result.Clusters, r *fit, scaler *scale.Scaler, idCol *frame.Column, seed uint64) *model.Model {
	c := s.cfg
	in := env.Config.Input
	ver := version.Get()
	ver.Time = "" // no timestamps in the model
	sel := res.SelectMethod
	if sel == "" {
		sel = "fixed"
	}
	m := &model.Model{
		SchemaVersion:   model.NumericSchemaVersion,
		Segment:         ver,
		Features:        slices.Clone(c.Features),
		Scaler:          scaler,
		K:               res.K,
		IDs:             slices.Clone(res.IDs),
		Names:           slices.Clone(res.Names),
		Sizes:           slices.Clone(res.Sizes),
		CentersScaled:   res.CentersScaled,
		CentersOriginal: res.CentersOriginal,
		Inertia:         res.Inertia,
		Iterations:      r.Iterations,
		Converged:       r.Converged,
		Engine:          c.engine(),
		Seed:            seed,
		NInit:           c.NInit,
		MaxIter:         c.MaxIter,
		Tol:             c.Tol,
		BestRestart:     r.BestRestart,
		RestartInertia:  slices.Clone(r.Restarts),
		Reproducible:    r.Reproducible,
		Select:          sel,
		Input: model.Input{
			Rows: res.NumRows(),
		},
	}
	if len(in.Types) > 0 {
		m.Input.Types = maps.Clone(in.Types)
	}
	m.OutlierQuantile = model.DefaultOutlierQuantile
	// How the rows came from the input: the clean stages' frozen steps, or,
	// without a clean stage, the input's columns as read.
	switch {
	case st.Transform != nil:
		m.Transform = st.Transform.Clone()
	case st.Table != nil:
		m.Transform = model.TransformOf(st.Table, in.ID)
	} // a streamed run without a clean stage sets it from the stream's schema
	if st.Input != nil {
		// How the training input was read (a CSV source's delimiter,
		// encoding and na_values; empty for other sources), for predict.
		m.Input.SHA256 = st.Input.SHA256
		m.Input.Delimiter, m.Input.Encoding = st.Input.Delimiter, st.Input.Encoding
		m.Input.NAValues = slices.Clone(st.Input.NAValues)
	}
	if idCol != nil {
		m.Input.IDColumn = idCol.Name
	}
	m.WeightColumn = res.WeightColumn
	return m
}
