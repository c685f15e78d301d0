package profile

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/internal/result"
)

// Figure is one figure of the stage, resolved and ready to write.
type Figure struct {
	Kind    string // result.PlotSizes, ...
	Name    string // file name without extension
	Title   string
	Caption string
	Drawer  plotkit.Drawer // *plotkit.Scatter, *plotkit.Bars, ...
	WidthPx int
	// HeightPx is the figure height in pixels.
	HeightPx int
}

// Fixed figure file names (without extension).
const (
	FileSizes   = "segment_sizes"
	FileHeatmap = "segment_profiles"
	FilePCA     = "segment_pca"
	FileBoxes   = "segment_boxes"
)

var reservedNames = []string{FileSizes, FileHeatmap, FilePCA, FileBoxes, "profile"}

// Figures resolves the configured figures, in report order: sizes,
// z-score heatmap, scatter plots, PCA, box plots. The point plots share
// one sample (see result.PlotSample) drawn with seed. It records the
// sample and the PCA in a.Result.
func (a *Analysis) Figures(ctx context.Context, t *frame.Table, cl *result.Clusters, cfg *Config, seed uint64) ([]Figure, error) {
	sample, sampleNote := a.drawSample(cfg, seed)
	var figs []Figure
	add := func(fig *Figure, err error) error {
		if fig != nil {
			figs = append(figs, *fig)
		}
		return err
	}
	if cfg.wantPlot(result.PlotSizes) {
		if err := add(a.sizesFigure(cfg)); err != nil {
			return nil, err
		}
	}
	if cfg.wantPlot(result.PlotHeatmap) {
		if err := add(a.zHeatmapFigure(cfg)); err != nil {
			return nil, err
		}
	}
	for i, pair := range cfg.Scatter {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		sc, dropped, err := a.scatter(t, cl, cfg, pair, sample, sampleNote, a.legend)
		if err != nil {
			return nil, fmt.Errorf("scatter[%d]: %w", i, err)
		}
		if dropped > 0 {
			a.Warnings = append(a.Warnings, fmt.Sprintf("scatter[%d]: %s drawn rows lack %s or %s and are left out of %s",
				i, plotkit.Thousands(int64(dropped)), pair.X, pair.Y, pair.FileName()))
		}
		add(newFigure(result.PlotScatter, pair.FileName(), sc.Title, sc.Caption, sc, sc.WidthPx, sc.HeightPx), nil)
	}
	if a.dropValues {
		a.values = nil // the scatters hold what they draw
	}
	if cfg.wantPlot(result.PlotPCA) {
		if err := add(a.pcaFigure(cl, cfg, sample, sampleNote)); err != nil {
			return nil, err
		}
	}
	if cfg.wantPlot(result.PlotBoxes) {
		if err := add(a.boxesFigure()); err != nil {
			return nil, err
		}
	}
	return figs, nil
}

func newFigure(kind, name, title, caption string, d plotkit.Drawer, w, h int) *Figure {
	return &Figure{Kind: kind, Name: name, Title: title, Caption: caption, Drawer: d, WidthPx: w, HeightPx: h}
}

// legend is segment s's entry in figure legends: "Segment 2 (21%)", or
// with a name "2 · New, low-value (21%)".
func (a *Analysis) legend(s int) string {
	sp := a.Result.Segments[s]
	if sp.Name != "" {
		return fmt.Sprintf("%d · %s (%s)", sp.ID, sp.Name, shareText(sp.Share))
	}
	return fmt.Sprintf("%s (%s)", sp.Label, shareText(sp.Share))
}

// key is segment s's colour key (see colorKey).
func (a *Analysis) key(s int) int { return colorKey(a.Result.Segments[s].ID) }

// drawSample draws the rows of the point plots (every row up to
// max_points, else a sample stratified by segment), records it in the
// result and returns it with the caption note saying so.
func (a *Analysis) drawSample(cfg *Config, seed uint64) (sample [][]int, note string) {
	res := a.Result
	n := res.Rows
	sizes := make([]int, len(a.members))
	for s, m := range a.members {
		sizes[s] = len(m)
	}
	take := allocate(sizes, cfg.MaxPoints)
	if a.sizes != nil {
		// a streamed run: the members are a uniform sample of each
		// segment; allocate by the segments' sizes.
		take = allocate(a.sizes, cfg.MaxPoints)
		for s := range take {
			take[s] = min(take[s], sizes[s])
		}
	}
	sample = sampleRows(a.members, take, seed)
	res.Sample = result.PlotSample{Rows: n, Seed: seed, PerSegment: take}
	for _, v := range take {
		res.Sample.Drawn += v
	}
	res.Sample.Sampled = res.Sample.Drawn < n
	if res.Sample.Sampled {
		note = fmt.Sprintf("sample of %s of %s %s, stratified by segment",
			plotkit.Thousands(int64(res.Sample.Drawn)), plotkit.Thousands(int64(n)), cfg.Noun)
	}
	if a.plotOf > 0 {
		// execution.mode: database: the rows drawn are a seeded sample of
		// the table, which stays in the database.
		res.Sample.Rows = a.plotOf
		if res.Sample.Sampled = res.Sample.Drawn < a.plotOf; res.Sample.Sampled {
			note = fmt.Sprintf("seeded sample of %s of %s %s",
				plotkit.Thousands(int64(res.Sample.Drawn)), plotkit.Thousands(int64(a.plotOf)), cfg.Noun)
		}
	}
	return sample, note
}

// sizesFigure is the bar chart of segment sizes.
func (a *Analysis) sizesFigure(cfg *Config) (*Figure, error) {
	spec := plotkit.BarsSpec{Title: "Segment sizes", XLabel: cfg.Noun}
	for s, sp := range a.Result.Segments {
		spec.Bars = append(spec.Bars, plotkit.BarSpec{Segment: a.key(s), Label: sp.Label, Count: sp.Size})
	}
	b, err := plotkit.NewBars(spec)
	if err != nil {
		return nil, err
	}
	return newFigure(result.PlotSizes, FileSizes, "Segment sizes", "", b, b.WidthPx, b.HeightPx), nil
}

// zHeatmapFigure is the heatmap of each segment's z-scores.
func (a *Analysis) zHeatmapFigure(cfg *Config) (*Figure, error) {
	res := a.Result
	spec := plotkit.ZHeatmapSpec{
		Title:   "Segment profiles: how far each segment's mean is from the overall mean",
		Caption: "z = (segment mean − overall mean) / overall standard deviation",
		Palette: cfg.Palette.Spec(), Limit: cfg.ZLimit,
	}
	var extras []string
	for _, c := range res.Columns {
		spec.Columns = append(spec.Columns, c.Name)
		if c.Role == result.RoleExtra {
			extras = append(extras, c.Name)
		}
	}
	if len(extras) > 0 {
		spec.Caption += "; not clustered on: " + strings.Join(extras, ", ")
	}
	for s, sp := range res.Segments {
		row := plotkit.ZRow{Segment: a.key(s), Label: a.legend(s)}
		for _, st := range sp.Stats {
			row.Values = append(row.Values, st.Z)
		}
		spec.Rows = append(spec.Rows, row)
	}
	z, err := plotkit.NewZHeatmap(spec)
	if err != nil {
		return nil, err
	}
	return newFigure(result.PlotHeatmap, FileHeatmap, "Segment profiles (z-scores of segment means)", spec.Caption, z, z.WidthPx, z.HeightPx), nil
}

// pcaFigure projects the sampled rows and the centroids on the first two
// principal components of the scaled features, and records the projection
// in the result. It returns no figure, with a warning, when there is no
// projection to draw.
func (a *Analysis) pcaFigure(cl *result.Clusters, cfg *Config, sample [][]int, sampleNote string) (*Figure, error) {
	res := a.Result
	n, d := len(cl.Labels), len(cl.Features)
	switch {
	case d < 2:
		a.Warnings = append(a.Warnings, "pca: a 2-D projection needs at least 2 features; the plot is left out")
		return nil, nil
	case len(cl.Scaled) != n*d:
		a.Warnings = append(a.Warnings, "pca: the cluster stage left no scaled feature matrix; the plot is left out")
		return nil, nil
	}
	pca := a.pca
	if pca == nil {
		pca = func() (*result.PCAResult, []float64, []float64, error) { return pca2(cl.Scaled, n, d) }
	}
	pr, scores, means, err := pca()
	if err != nil {
		a.Warnings = append(a.Warnings, "pca: "+err.Error()+"; the plot is left out")
		return nil, nil
	}
	res.PCA = pr
	spec := plotkit.ScatterSpec{
		Title:   "Segments in the first two principal components",
		Caption: joinNotes(fmt.Sprintf("principal components of the %d %s features", d, scaleWord(cl.Scale, "clustering")), sampleNote),
		XLabel:  fmt.Sprintf("PC1 (%.1f%% of variance)", 100*pr.Explained[0]),
		YLabel:  fmt.Sprintf("PC2 (%.1f%% of variance)", 100*pr.Explained[1]),
		WidthPx: cfg.Size.W, HeightPx: cfg.Size.H,
	}
	for s, rows := range sample {
		sr := plotkit.ScatterSeries{Segment: a.key(s), Label: a.legend(s), X: make([]float64, len(rows)), Y: make([]float64, len(rows)), Order: rows}
		for k, r := range rows {
			sr.X[k], sr.Y[k] = scores[r*2], scores[r*2+1]
		}
		spec.Series = append(spec.Series, sr)
		if s < len(cl.CentersScaled) && len(cl.CentersScaled[s]) == d {
			x, y := project(pr, means, cl.CentersScaled[s])
			spec.Centroids = append(spec.Centroids, plotkit.Centroid{Segment: a.key(s), X: x, Y: y})
		}
	}
	sc, err := plotkit.NewScatter(spec)
	if err != nil {
		return nil, fmt.Errorf("pca: %w", err)
	}
	return newFigure(result.PlotPCA, FilePCA, "Segments in the first two principal components", sc.Caption, sc, sc.WidthPx, sc.HeightPx), nil
}

// boxesFigure is the box plots of every profiled column by segment.
func (a *Analysis) boxesFigure() (*Figure, error) {
	res := a.Result
	spec := plotkit.BoxesSpec{
		Title:   "Features by segment",
		Caption: "box: quartiles · line: median · ○: mean · whiskers: 1.5 × IQR (outliers not drawn) · all rows",
	}
	for s, sp := range res.Segments {
		spec.Segments = append(spec.Segments, plotkit.BoxSegment{Segment: a.key(s), Tick: strconv.Itoa(sp.ID), Label: a.legend(s)})
	}
	for j, c := range res.Columns {
		spec.Panels = append(spec.Panels, plotkit.BoxPanel{Title: c.Name, Boxes: a.boxes[j]})
	}
	b, err := plotkit.NewBoxes(spec)
	if err != nil {
		return nil, err
	}
	return newFigure(result.PlotBoxes, FileBoxes, "Features by segment (box plots)", spec.Caption, b, b.WidthPx, b.HeightPx), nil
}

// scatter builds one scatter plot from the sampled rows. dropped counts
// sampled rows without both values.
func (a *Analysis) scatter(t *frame.Table, cl *result.Clusters, cfg *Config, pair ScatterPair,
	sample [][]int, sampleNote string, legend func(int) string) (*plotkit.Scatter, int, error) {
	units := cfg.units(pair)
	n := len(cl.Labels)
	spec := plotkit.ScatterSpec{WidthPx: cfg.Size.W, HeightPx: cfg.Size.H, Caption: sampleNote}
	var xs, ys []float64
	var cx, cy func(s int) float64
	if units == UnitsScaled {
		d := len(cl.Features)
		jx, jy := indexOf(cl.Features, pair.X), indexOf(cl.Features, pair.Y)
		for _, c := range []struct {
			name string
			j    int
		}{{pair.X, jx}, {pair.Y, jy}} {
			if c.j < 0 {
				return nil, 0, fmt.Errorf("%q is not a clustering feature (features: %s); scaled units need features, or set units: original", c.name, quoteList(cl.Features))
			}
		}
		if len(cl.Scaled) != n*d {
			return nil, 0, fmt.Errorf("the cluster stage left no scaled feature matrix; use units: original")
		}
		xs, ys = make([]float64, n), make([]float64, n)
		for i := range n {
			xs[i], ys[i] = cl.Scaled[i*d+jx], cl.Scaled[i*d+jy]
		}
		cx = func(s int) float64 { return centre(cl.CentersScaled, s, jx) }
		cy = func(s int) float64 { return centre(cl.CentersScaled, s, jy) }
		word := scaleWord(cl.Scale, "")
		spec.XLabel, spec.YLabel = withUnit(pair.X, word), withUnit(pair.Y, word)
		spec.Title = pair.X + " vs " + pair.Y
		if word != "" {
			spec.Title += " (" + word + ")"
		}
	} else {
		var err error
		if xs, err = a.column(t, pair.X, "x"); err != nil {
			return nil, 0, err
		}
		if ys, err = a.column(t, pair.Y, "y"); err != nil {
			return nil, 0, err
		}
		cx = func(s int) float64 { return segMean(xs, ys, a.members[s], true) }
		cy = func(s int) float64 { return segMean(xs, ys, a.members[s], false) }
		if m, ok := a.pairMeans[pair.X+"\x00"+pair.Y]; ok {
			cx = func(s int) float64 { return m[s][0] }
			cy = func(s int) float64 { return m[s][1] }
		}
		spec.XLabel, spec.YLabel = pair.X, pair.Y
		spec.Title = pair.X + " vs " + pair.Y
	}
	if pair.Title != "" {
		spec.Title = pair.Title
	}
	dropped := 0
	for s, rows := range sample {
		sr := plotkit.ScatterSeries{Segment: a.key(s), Label: legend(s), Order: []int{}}
		for _, r := range rows {
			if !finite(xs[r]) || !finite(ys[r]) {
				dropped++
				continue
			}
			sr.X = append(sr.X, xs[r])
			sr.Y = append(sr.Y, ys[r])
			sr.Order = append(sr.Order, r)
		}
		spec.Series = append(spec.Series, sr)
		if x, y := cx(s), cy(s); finite(x) && finite(y) {
			spec.Centroids = append(spec.Centroids, plotkit.Centroid{Segment: a.key(s), X: x, Y: y})
		}
	}
	sc, err := plotkit.NewScatter(spec)
	return sc, dropped, err
}

// column returns a numeric column's values: the profiled copy when there is
// one, else the table's.
func (a *Analysis) column(t *frame.Table, name, key string) ([]float64, error) {
	if j := a.Result.ColumnIndex(name); j >= 0 {
		return a.values[j], nil
	}
	return numericColumn(t, name, key)
}

// segMean is the mean of x (or y) over a segment's rows where both are
// present: the centroid of the points drawn for it.
func segMean(xs, ys []float64, rows []int, wantX bool) float64 {
	sum, cnt := 0.0, 0
	for _, r := range rows {
		if finite(xs[r]) && finite(ys[r]) {
			if wantX {
				sum += xs[r]
			} else {
				sum += ys[r]
			}
			cnt++
		}
	}
	if cnt == 0 {
		return math.NaN()
	}
	return sum / float64(cnt)
}

func centre(c [][]float64, s, j int) float64 {
	if s < len(c) && j < len(c[s]) {
		return c[s][j]
	}
	return math.NaN()
}

func indexOf(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

// scaleWord names a scaling method as an adjective ("standardised"); for
// "none" or an unknown method it returns fallback.
func scaleWord(method, fallback string) string {
	switch method {
	case "standard":
		return "standardised"
	case "minmax":
		return "min-max scaled"
	case "robust":
		return "robust-scaled"
	case "normalize":
		return "normalised"
	case "log1p-standard":
		return "log1p-standardised"
	}
	return fallback
}

func withUnit(col, word string) string {
	if word == "" {
		return col
	}
	return col + " (" + word + ")"
}

func joinNotes(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}
