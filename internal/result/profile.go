package result

import "encoding/json"

// Profile is what the profile stage leaves in the State for the
// report. The same value, as JSON, is the stage's profile.json. Floats are
// NaN where a statistic is undefined (written as null in JSON).
//
// Segments are in the cluster stage's canonical order (index s = 0..K-1,
// largest first); every per-segment slice follows it.
type Profile struct {
	Rows  int    `json:"rows"`  // table rows profiled (every row has a segment)
	Noun  string `json:"noun"`  // what a row is, e.g. "customers"
	K     int    `json:"k"`     // number of segments
	Scale string `json:"scale"` // the cluster stage's scaling method

	// Columns are the numeric columns profiled, in order: the clustering
	// features first (RoleFeature, in model order), then the extra columns
	// (RoleExtra).
	Columns []ProfileColumn `json:"columns"`
	// Overall holds each column's statistics over the whole table (Z is 0),
	// aligned with Columns.
	Overall []FeatureStats `json:"overall"`

	Segments []SegmentProfile `json:"segments"`

	// Categorical holds, per configured categorical column, its levels and
	// their share in each segment.
	Categorical []CategoricalProfile `json:"categorical"`
	// Outcome is the configured outcome and its rate per segment (nil when
	// none is configured).
	Outcome *OutcomeProfile `json:"outcome,omitempty"`

	// Hypotheses are the configured hypothesis checks, in config order.
	Hypotheses []HypothesisResult `json:"hypotheses"`

	// Sample describes the rows drawn in the point plots.
	Sample PlotSample `json:"sample"`
	// PCA is the 2-D projection of the scaled features (nil when it was not
	// drawn).
	PCA *PCAResult `json:"pca,omitempty"`

	// Files names the stage's artifacts, relative to the run directory.
	Files ProfileFiles `json:"files"`
}

// Roles of profiled columns.
const (
	RoleFeature = "feature" // a clustering feature
	RoleExtra   = "extra"   // a numeric column profiled but not clustered on
)

// ProfileColumn is one profiled numeric column.
type ProfileColumn struct {
	Name string `json:"name"`
	Role string `json:"role"` // RoleFeature or RoleExtra
}

// FeatureStats are the statistics of one column over one segment (or the
// whole table), in the column's original units. Missing values are
// skipped, as pandas does; Std has ddof 1.
type FeatureStats struct {
	Column string  `json:"column"`
	Count  int     `json:"count"` // non-missing values
	Mean   float64 `json:"-"`
	Median float64 `json:"-"`
	Std    float64 `json:"-"`
	Min    float64 `json:"-"`
	Max    float64 `json:"-"`
	// Q25 and Q75 are the quartiles (linear interpolation, numpy's
	// default), behind the box plots.
	Q25 float64 `json:"-"`
	Q75 float64 `json:"-"`
	// Z is how distinctive the segment is on this column: (segment mean −
	// overall mean) / overall std. NaN when the overall std is 0 or
	// undefined.
	Z float64 `json:"-"`
}

// MarshalJSON writes the statistics with null for NaN.
func (f FeatureStats) MarshalJSON() ([]byte, error) {
	type plain FeatureStats
	return json.Marshal(struct {
		plain
		Mean   *float64 `json:"mean"`
		Median *float64 `json:"median"`
		Std    *float64 `json:"std"`
		Min    *float64 `json:"min"`
		Max    *float64 `json:"max"`
		Q25    *float64 `json:"q25"`
		Q75    *float64 `json:"q75"`
		Z      *float64 `json:"z"`
	}{plain(f), jsonFloat(f.Mean), jsonFloat(f.Median), jsonFloat(f.Std), jsonFloat(f.Min),
		jsonFloat(f.Max), jsonFloat(f.Q25), jsonFloat(f.Q75), jsonFloat(f.Z)})
}

// SegmentProfile is one segment.
type SegmentProfile struct {
	Index int    `json:"index"` // 0..K-1, the cluster stage's order
	ID    int    `json:"id"`    // the number users see
	Name  string `json:"name"`  // pinned or suggested name ("" when none)
	Label string `json:"label"` // Name, or "Segment <ID>"
	// NameSource is "pinned" (names: of the profile or cluster stage, or
	// carried with the previous model), "suggested" (built from the
	// description's words; marked as such in the report) or "" (no name).
	NameSource string `json:"name_source,omitempty"`
	// Color is "#rrggbb", the segment's colour in every plot and table,
	// keyed to its ID (segment 1 is always the first colour).
	Color string `json:"color"`

	Size  int     `json:"size"`
	Share float64 `json:"share"` // Size / Rows

	// Stats holds one entry per profiled column, aligned with
	// Profile.Columns.
	Stats []FeatureStats `json:"stats"`

	// Distinctive are the columns the description names: the largest
	// |z| first (ties in column order), at most the configured number and
	// only those at or above the configured minimum |z|.
	Distinctive []Distinctive `json:"distinctive"`
	// Phrase is the tail of the description chosen by the documented rules,
	// e.g. "long-standing, high-value customers".
	Phrase string `json:"phrase"`
	// Traits is the description without the segment's name and share:
	// "Tenure +1.3σ, Total Revenue +1.5σ — long-standing, high-value
	// customers".
	Traits string `json:"traits"`
	// Description is the worded profile: "<label> (<share> of <noun>):
	// <traits>", e.g. "Segment 2 (21% of customers): Tenure +1.3σ, Total
	// Revenue +1.5σ — long-standing, high-value customers".
	Description string `json:"description"`
}

// Distinctive is a column that sets a segment apart.
type Distinctive struct {
	Column string  `json:"column"`
	Z      float64 `json:"z"`
}

// CategoricalProfile is a categorical column's level shares per segment.
type CategoricalProfile struct {
	Column string `json:"column"`
	// Levels in order of overall frequency (ties by name); when the column
	// has more levels than configured, the rarest are pooled under
	// OtherLevel. Missing values count as the level MissingLevel.
	Levels []string `json:"levels"`
	// Overall[l] is level l's share of all rows.
	Overall []float64 `json:"overall"`
	// Shares[s][l] is level l's share of segment s's rows.
	Shares [][]float64 `json:"shares"`
	// Counts[s][l] is the number of rows behind Shares[s][l].
	Counts [][]int `json:"counts"`
	// MissingLevel names the level of the missing values (MissingLevel, or
	// the label the config gave them, e.g. "No internet service"); "" when
	// the column has none.
	MissingLevel string `json:"missing_level,omitempty"`
}

// MarshalJSON writes undefined shares (a segment without rows) as null.
func (c CategoricalProfile) MarshalJSON() ([]byte, error) {
	type plain CategoricalProfile
	shares := make([][]*float64, len(c.Shares))
	for s, row := range c.Shares {
		shares[s] = jsonFloats(row)
	}
	return json.Marshal(struct {
		plain
		Overall []*float64   `json:"overall"`
		Shares  [][]*float64 `json:"shares"`
	}{plain(c), jsonFloats(c.Overall), shares})
}

// Pseudo-levels of categorical profiles.
const (
	OtherLevel   = "(other)"
	MissingLevel = "(missing)"
)

// OutcomeProfile is the rate of an outcome value per segment.
type OutcomeProfile struct {
	Column string `json:"column"`
	Value  string `json:"value"`
	Label  string `json:"label"` // e.g. "churn rate" or "Customer Status = Churned"
	// Overall is the rate over all rows with a value (NaN when none).
	Overall float64 `json:"-"`
	// Rates[s] is the share of segment s's rows with a value that equal
	// Value (NaN when the segment has no value); Counts[s] and Known[s]
	// are its numerator and denominator.
	Rates  []float64 `json:"-"`
	Counts []int     `json:"counts"`
	Known  []int     `json:"known"`
}

// MarshalJSON writes the rates with null for NaN.
func (o OutcomeProfile) MarshalJSON() ([]byte, error) {
	type plain OutcomeProfile
	return json.Marshal(struct {
		plain
		Overall *float64   `json:"overall"`
		Rates   []*float64 `json:"rates"`
	}{plain(o), jsonFloat(o.Overall), jsonFloats(o.Rates)})
}

// HypothesisResult is one hypothesis check: the correlation of X and Y
// over the whole table and the segment means behind it.
type HypothesisResult struct {
	Name      string `json:"name"`
	Statement string `json:"statement"`
	X         string `json:"x"`
	Y         string `json:"y"`
	Expect    string `json:"expect"` // "positive" or "negative"
	Method    string `json:"method"` // "pearson" or "spearman"
	// MinR is the |r| a correlation must reach to support the hypothesis.
	MinR float64 `json:"min_r"`

	// R is the correlation over the rows where both X and Y are present
	// (N of them); NaN when undefined.
	R float64 `json:"-"`
	N int     `json:"n"`
	// Supported: R has the expected sign and |R| ≥ MinR.
	Supported bool `json:"supported"`
	// Verdict is "supported" or "not supported"; Text says why, with the
	// numbers.
	Verdict string `json:"verdict"`
	Text    string `json:"text"`

	// Segments holds, per segment, the means of X and Y and their
	// correlation within the segment.
	Segments []HypothesisSegment `json:"segments"`
}

// MarshalJSON writes R with null for NaN.
func (h HypothesisResult) MarshalJSON() ([]byte, error) {
	type plain HypothesisResult
	return json.Marshal(struct {
		plain
		R *float64 `json:"r"`
	}{plain(h), jsonFloat(h.R)})
}

// HypothesisSegment is a hypothesis' numbers within one segment.
type HypothesisSegment struct {
	Index int     `json:"index"`
	Label string  `json:"label"`
	N     int     `json:"n"` // rows with both values
	MeanX float64 `json:"-"`
	MeanY float64 `json:"-"`
	R     float64 `json:"-"`
}

// MarshalJSON writes the means and r with null for NaN.
func (h HypothesisSegment) MarshalJSON() ([]byte, error) {
	type plain HypothesisSegment
	return json.Marshal(struct {
		plain
		MeanX *float64 `json:"mean_x"`
		MeanY *float64 `json:"mean_y"`
		R     *float64 `json:"r"`
	}{plain(h), jsonFloat(h.MeanX), jsonFloat(h.MeanY), jsonFloat(h.R)})
}

// PlotSample describes the rows drawn in the point plots (scatter and
// PCA). When the table has more rows than the limit, a stratified sample is
// drawn: each segment contributes in proportion to its size (largest
// remainders, every segment at least one row), chosen with the stage's seed.
type PlotSample struct {
	Rows       int    `json:"rows"`        // rows in the table
	Drawn      int    `json:"drawn"`       // rows drawn
	Sampled    bool   `json:"sampled"`     // Drawn < Rows
	Seed       uint64 `json:"seed"`        // seed of the sample
	PerSegment []int  `json:"per_segment"` // rows drawn per segment
}

// PCAResult is the principal-component projection of the scaled features.
type PCAResult struct {
	// Explained is the share of the total variance along each component
	// (first two components).
	Explained [2]float64 `json:"explained"`
	// Loadings[c][j] is feature j's weight in component c (unit vectors;
	// the sign makes each component's largest |weight| positive).
	Loadings [2][]float64 `json:"loadings"`
}

// ProfileFiles names the profile stage's artifacts, relative to the run
// directory.
type ProfileFiles struct {
	CSV   string        `json:"csv"`  // profile.csv
	JSON  string        `json:"json"` // profile.json
	Plots []ProfilePlot `json:"plots"`
}

// Plot kinds of ProfilePlot.
const (
	PlotSizes   = "sizes"
	PlotHeatmap = "heatmap"
	PlotScatter = "scatter"
	PlotPCA     = "pca"
	PlotBoxes   = "boxes"
)

// ProfilePlot is one figure, in one or more formats.
type ProfilePlot struct {
	Kind  string   `json:"kind"`  // PlotSizes, PlotHeatmap, ...
	Name  string   `json:"name"`  // file name without extension
	Title string   `json:"title"` // what it shows
	Paths []string `json:"paths"` // one per format, relative to the run directory
	// Caption is a note printed under the figure (e.g. the sample size);
	// "" when none.
	Caption string `json:"caption,omitempty"`
}

// Segment returns the profile of segment index s, or nil.
func (p *Profile) Segment(s int) *SegmentProfile {
	if s < 0 || s >= len(p.Segments) {
		return nil
	}
	return &p.Segments[s]
}

// ColumnIndex returns the index of a profiled column in Columns, or -1.
func (p *Profile) ColumnIndex(name string) int {
	for i, c := range p.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}
