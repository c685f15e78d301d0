package eda

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
)

// Artifact file names (prefixed with "<stage name>-" when the stage's name
// differs from its type).
const (
	FileSummary      = "summary.csv"
	FileCorrelation  = "correlation.csv"
	FileCorrelationN = "correlation_n.csv"
	FileHeatmapBase  = "correlation" // + ".png" / ".svg"
	FileInsights     = "insights.md"
	FileJSON         = "eda.json"
)

// Factory describes the eda stage.
func Factory() pipeline.Factory {
	return pipeline.Factory{
		Type:      "eda",
		Summary:   "describe every column, correlate the numeric ones (pearson or spearman, like pandas), draw the annotated heatmap and word insights and data-quality alerts",
		Needs:     []pipeline.Slot{pipeline.SlotTable},
		Provides:  []pipeline.Slot{pipeline.SlotEDA},
		NewConfig: NewConfig,
		New:       func(cfg any) (pipeline.Stage, error) { return &stage{cfg: cfg.(*Config)}, nil },
	}
}

type stage struct{ cfg *Config }

// Analysis is the result of Analyze: the EDA result without file names,
// the heatmap to draw and the warnings to report.
type Analysis struct {
	Result   *result.EDA
	Heatmap  *plotkit.Heatmap
	Warnings []string
	// Full is the whole correlation matrix when it has more columns than
	// max_columns (Result.Correlation then holds the first max_columns);
	// nil otherwise. correlation.csv and correlation_n.csv are written from
	// it.
	Full *result.Correlation
}

// maxUndefinedWarnings is how many undefined pairs are warned about one by
// one; the rest are counted in one more warning.
const maxUndefinedWarnings = 20

// Analyze computes everything the stage reports about t, without writing
// files: the summary, the correlation, insights, alerts and the resolved
// heatmap. id names the id column ("" for none). t is not modified.
func Analyze(ctx context.Context, t *frame.Table, id string, cfg *Config) (*Analysis, error) {
	return AnalyzeWeighted(ctx, t, id, "", nil, cfg)
}

// AnalyzeWeighted is Analyze with sample weights w (one per row, finite,
// ≥ 0; nil = Analyze) read from column weightCol: every numeric column's
// mean, std, quartiles, min and max are frequency-weighted
// (stats.DescribeWeighted: mean Σwx/Σw, std over Σw − 1 as pandas' ddof
// 1 of the repeated rows, quantiles of the repeated rows, min/max over
// positive weights; count and missing count the rows with a positive
// weight) and the Pearson correlation is weighted (stats.CorrWeighted; n
// counts rows). Text columns' count, top and freq stay row counts. The
// weight column itself is described unweighted and left out of the
// default correlation columns. Spearman cannot be weighted: an error.
func AnalyzeWeighted(ctx context.Context, t *frame.Table, id, weightCol string, w []float64, cfg *Config) (*Analysis, error) {
	if t == nil || t.NumCols() == 0 {
		return nil, fmt.Errorf("the table has no columns")
	}
	if id != "" && !t.Has(id) {
		id = ""
	}
	if w != nil && cfg.Method != "pearson" {
		return nil, fmt.Errorf("method: %s: a rank correlation cannot be weighted by input.weight_column %q; use method: pearson (weighted), or drop the weight column", cfg.Method, weightCol)
	}
	vals := make([][]float64, t.NumCols())
	summary, err := summarizeAll(ctx, t, id, weightCol, w, vals)
	if err != nil {
		return nil, err
	}
	names, err := CorrColumns(t, cfg.Columns, id)
	if err != nil {
		return nil, err
	}
	if cfg.Columns == nil && weightCol != "" {
		names = slices.DeleteFunc(names, func(n string) bool { return n == weightCol })
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	corr, err := correlate(t, names, cfg.Method, vals, w)
	if err != nil {
		return nil, err
	}
	return finishAnalysis(summary, corr, t.NumRows(), t.NumCols(), cfg)
}

// finishAnalysis completes an analysis from the summary and the
// correlation (in memory or streamed): the columns kept for the heatmap,
// warnings about excluded and undefined pairs, insights, alerts and the
// heatmap.
func finishAnalysis(summary []result.ColumnSummary, corr *result.Correlation, rows, cols int, cfg *Config) (*Analysis, error) {
	a := &Analysis{}
	if n := len(corr.Columns); n > cfg.MaxColumns {
		a.Full, corr = corr, firstColumns(corr, cfg.MaxColumns)
		a.Warnings = append(a.Warnings, fmt.Sprintf("%d columns to correlate: the heatmap, the insights, the alerts on pairs and eda.json cover the first %d (eda max_columns; raise it to see more); %s and %s hold all %d",
			n, cfg.MaxColumns, FileCorrelation, FileCorrelationN, n))
	}
	a.Result = &result.EDA{Rows: rows, Columns: cols, Summary: summary, Correlation: corr}
	for _, e := range corr.Excluded {
		a.Warnings = append(a.Warnings, fmt.Sprintf("column %q is %s; left out of the correlation", e.Column, e.Reason))
	}
	undefined := 0
	for i := range corr.Columns {
		for j := i + 1; j < len(corr.Columns); j++ {
			if !math.IsNaN(corr.R[i][j]) {
				continue
			}
			if undefined++; undefined <= maxUndefinedWarnings {
				a.Warnings = append(a.Warnings, fmt.Sprintf("correlation of %q and %q is undefined (n = %d); the heatmap shows %s",
					corr.Columns[i], corr.Columns[j], corr.N[i][j], plotkit.NaNText))
			}
		}
	}
	if undefined > maxUndefinedWarnings {
		a.Warnings = append(a.Warnings, fmt.Sprintf("%d more pairs have an undefined correlation (listed among the alerts)", undefined-maxUndefinedWarnings))
	}
	a.Result.Insights = Insights(corr, cfg)
	a.Result.Alerts = Alerts(summary, corr, rows, cfg)

	hm, err := plotkit.BuildHeatmap(plotkit.HeatmapSpec{
		Title:         cfg.title(),
		Labels:        corr.Columns,
		Values:        corr.R,
		Format:        cfg.Fmt,
		Palette:       cfg.Palette.Spec(),
		Mask:          cfg.Mask,
		MaxLabelChars: cfg.MaxLabelChars,
		WidthPx:       cfg.Size.W, HeightPx: cfg.Size.H,
	})
	if err != nil {
		return nil, fmt.Errorf("heatmap: %w", err)
	}
	a.Heatmap = hm
	legend := map[string]string{}
	for shown, full := range hm.FullLabels {
		if shown != full {
			legend[shown] = full
		}
	}
	if len(legend) > 0 {
		a.Result.LabelLegend = legend
	}
	return a, nil
}

func (s *stage) Run(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	switch env.Mode() {
	case pipeline.ModeDatabase:
		return s.runDatabase(ctx, env, st)
	case pipeline.ModeStream:
		return s.runStream(ctx, env, st)
	}
	t := st.Table
	for _, n := range s.cfg.Columns {
		if c := t.Col(n); c != nil && c.Kind == frame.String {
			if why := env.NearNumeric(n); why != "" {
				return fmt.Errorf("columns: column %q holds text, and correlation needs numbers: %s", n, why)
			}
		}
	}
	w, err := env.Weights(t)
	if err != nil {
		return err
	}
	a, err := AnalyzeWeighted(ctx, t, env.IDColumn, env.WeightColumn, w, s.cfg)
	if err != nil {
		return err
	}
	return s.publish(ctx, env, st, a, t)
}

// publish warns, adds the feature checks of the cluster stages after this
// one (on t: the table, or a streamed run's row sample), writes the files
// and leaves the result in the State.
func (s *stage) publish(ctx context.Context, env *pipeline.Env, st *pipeline.State, a *Analysis, t *frame.Table) error {
	for _, w := range a.Warnings {
		env.Warn("%s", w)
	}
	if s.cfg.Columns == nil {
		// Text columns are left out of the correlation silently, except
		// those the input source found nearly numeric: say which cells
		// made them text.
		for _, c := range t.Columns() {
			if c.Kind == frame.String && c.Name != env.IDColumn {
				if why := env.NearNumeric(c.Name); why != "" {
					env.Warn("left out of the correlation: %s", why)
				}
			}
		}
	}
	res := a.Result
	checks, notes := featureChecks(env.Config, env.Name, t)
	res.FeatureChecks = append([]result.FeatureCheck{}, checks...)
	for _, c := range checks {
		res.Alerts = append(res.Alerts, result.Alert{Kind: result.AlertFeatures, Text: fmt.Sprintf("Cluster stage %q: %s.", c.Stage, c.Text), Columns: c.Columns, Value: math.NaN()})
	}
	for _, note := range notes {
		env.Log.Info("feature checks: " + note)
	}
	return s.write(env, st, a)
}

// write writes the analysis's files and leaves its result in the State.
func (s *stage) write(env *pipeline.Env, st *pipeline.State, a *Analysis) error {
	var err error
	res := a.Result
	corr := res.Correlation
	env.Log.Info("correlation done", "method", corr.Method, "columns", len(corr.Columns),
		"excluded", len(corr.Excluded), "insights", len(res.Insights), "alerts", len(res.Alerts))

	res.Files = result.EDAFiles{Heatmaps: []string{}}
	write := func(file, kind, title string, f func(w io.Writer) error) (string, error) {
		art, err := env.WriteFile(file, kind, title, f)
		return art.Path, err
	}
	if res.Files.Summary, err = write(FileSummary, "table", "Summary statistics of every column", func(w io.Writer) error {
		return writeSummaryCSV(w, res.Summary)
	}); err != nil {
		return err
	}
	methodTitle := capitalize(corr.Method)
	full := corr // the CSV files hold every column
	if a.Full != nil {
		full = a.Full
		env.Note("correlation_columns", len(full.Columns))
		env.Note("correlation_columns_shown", len(corr.Columns))
	}
	if res.Files.Correlation, err = write(FileCorrelation, "table", methodTitle+" correlation matrix", func(w io.Writer) error {
		return writeMatrixCSV(w, full.Columns, func(i, j int) string { return pyRepr(full.R[i][j]) })
	}); err != nil {
		return err
	}
	if res.Files.CorrelationN, err = write(FileCorrelationN, "table", "Rows behind each correlation (pairwise-complete)", func(w io.Writer) error {
		return writeMatrixCSV(w, full.Columns, func(i, j int) string { return fmt.Sprint(full.N[i][j]) })
	}); err != nil {
		return err
	}
	for _, f := range s.cfg.Formats {
		art, err := env.WriteFile(FileHeatmapBase+"."+f, "plot", a.Heatmap.Title+" heatmap", func(w io.Writer) error {
			return plotkit.Write(w, a.Heatmap, f, a.Heatmap.WidthPx, a.Heatmap.HeightPx)
		})
		if err != nil {
			return err
		}
		res.Files.Heatmaps = append(res.Files.Heatmaps, art.Path)
	}
	res.Files.Insights = env.FileName(FileInsights)
	res.Files.JSON = env.FileName(FileJSON)
	if _, err = write(FileInsights, "report", "EDA insights and data-quality alerts", func(w io.Writer) error {
		return writeInsightsMD(w, res, a.Heatmap.Title, len(full.Columns))
	}); err != nil {
		return err
	}
	if _, err = write(FileJSON, "data", "EDA results (summary, correlation, insights, alerts)", func(w io.Writer) error {
		return writeJSON(w, res)
	}); err != nil {
		return err
	}
	st.EDA = res
	return nil
}

// firstColumns returns the correlation of the first k columns of c (a
// copy; c is not changed).
func firstColumns(c *result.Correlation, k int) *result.Correlation {
	out := &result.Correlation{Method: c.Method, Columns: append([]string(nil), c.Columns[:k]...), Excluded: c.Excluded,
		R: make([][]float64, k), N: make([][]int, k)}
	for i := range k {
		out.R[i] = append([]float64(nil), c.R[i][:k]...)
		out.N[i] = append([]int(nil), c.N[i][:k]...)
	}
	return out
}
