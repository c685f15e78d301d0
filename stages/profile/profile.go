package profile

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
)

// Artifact file names (prefixed with "<stage name>-" when the stage's name
// differs from its type).
const (
	FileCSV  = "profile.csv"
	FileJSON = "profile.json"
)

// Factory describes the profile stage.
func Factory() pipeline.Factory {
	return pipeline.Factory{
		Type:      "profile",
		Summary:   "profile each segment in original units (size, share, mean/median/std/min/max, z-scores, categorical shares, outcome rate), word descriptions, check hypotheses and draw the segment plots",
		Needs:     []pipeline.Slot{pipeline.SlotTable, pipeline.SlotClusters},
		Provides:  []pipeline.Slot{pipeline.SlotProfile},
		NewConfig: NewConfig,
		New:       func(cfg any) (pipeline.Stage, error) { return &stage{cfg: cfg.(*Config)}, nil },
	}
}

type stage struct{ cfg *Config }

func (s *stage) Run(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	switch env.Mode() {
	case pipeline.ModeDatabase:
		return s.runDatabase(ctx, env, st)
	case pipeline.ModeStream:
		return s.runStream(ctx, env, st)
	}
	a, err := Analyze(ctx, st.Table, st.Clusters, s.cfg)
	if err != nil {
		return err
	}
	if s.cfg.SuggestNames && st.Drift != nil {
		s.carryNames(env, a, st.Drift)
	}
	a.dropValues = true
	figs, err := a.Figures(ctx, st.Table, st.Clusters, s.cfg, env.Seed)
	if err != nil {
		return err
	}
	return s.publish(ctx, env, st, a, figs)
}

// publish warns, writes the figures, profile.csv and profile.json, and
// leaves the result in the State.
func (s *stage) publish(ctx context.Context, env *pipeline.Env, st *pipeline.State, a *Analysis, figs []Figure) error {
	for _, w := range a.Warnings {
		env.Warn("%s", w)
	}
	res := a.Result
	res.Files = result.ProfileFiles{Plots: []result.ProfilePlot{}}
	images := renderAll(ctx, figs, s.cfg.Formats)
	for i, f := range figs {
		if err := ctx.Err(); err != nil {
			return err
		}
		pp := result.ProfilePlot{Kind: f.Kind, Name: env.FileName(f.Name), Title: f.Title, Caption: f.Caption}
		for j, format := range s.cfg.Formats {
			img := &images[i][j]
			art, err := env.WriteFile(f.Name+"."+format, "plot", f.Title, func(w io.Writer) error {
				if img.err != nil {
					return img.err
				}
				_, err := w.Write(img.buf.Bytes())
				return err
			})
			if err != nil {
				return fmt.Errorf("plot %s: %w", f.Name, err)
			}
			pp.Paths = append(pp.Paths, art.Path)
		}
		res.Files.Plots = append(res.Files.Plots, pp)
	}
	res.Files.CSV = env.FileName(FileCSV)
	res.Files.JSON = env.FileName(FileJSON)
	if _, err := env.WriteFile(FileCSV, "table", "Segment profiles (one row per segment, then All)", func(w io.Writer) error {
		return writeCSV(w, res)
	}); err != nil {
		return err
	}
	if _, err := env.WriteFile(FileJSON, "data", "Segment profiles, descriptions, categorical shares, outcome rates and hypothesis checks", func(w io.Writer) error {
		return writeJSON(w, res)
	}); err != nil {
		return err
	}
	env.Note("segments", res.K)
	env.Note("plot_points", res.Sample.Drawn)
	env.Log.Info("profile done", "segments", res.K, "columns", len(res.Columns), "plots", len(figs),
		"hypotheses", len(res.Hypotheses), "sampled", res.Sample.Sampled)
	st.Profile = res
	return nil
}

// carryNames gives the segments the cluster stage kept from the previous
// run the names suggested for them there (read from that run's
// profile.json), so a suggested name follows its segment from night to
// night. A previous run without a readable profile.json carries nothing.
func (s *stage) carryNames(env *pipeline.Env, a *Analysis, dr *result.Drift) {
	kept := map[int]bool{}
	for _, sd := range dr.Segments {
		if sd.Status == result.SegmentKept {
			kept[sd.ID] = true
		}
	}
	if len(kept) == 0 || dr.Previous.Model == "" {
		return
	}
	path := filepath.Join(filepath.Dir(dr.Previous.Model), env.FileName(FileJSON))
	b, err := os.ReadFile(path)
	if err != nil {
		env.Log.Info("suggested names: no previous profile to carry names from", "path", path, "error", err.Error())
		return
	}
	var prev struct {
		Segments []struct {
			ID         int    `json:"id"`
			Name       string `json:"name"`
			NameSource string `json:"name_source"`
		} `json:"segments"`
	}
	if err := json.Unmarshal(b, &prev); err != nil {
		env.Warn("suggested names: %s is not a readable profile (%v); names are suggested afresh", path, err)
		return
	}
	names := map[int]string{}
	for _, sp := range prev.Segments {
		if kept[sp.ID] && sp.NameSource == NameSuggested {
			names[sp.ID] = sp.Name
		}
	}
	if carried := a.CarryNames(names, s.cfg); len(carried) > 0 {
		env.Log.Info("suggested names carried from the previous run", "ids", carried, "path", path)
	}
}
