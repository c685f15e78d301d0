package result

import (
	"encoding/json"
	"math"
)

// EDA is what the eda stage leaves in the State for later stages and
// the report. The same value, as JSON, is the stage's eda.json. Floats are
// NaN where a statistic is undefined (written as null in JSON).
type EDA struct {
	Rows    int `json:"rows"`    // rows of the table described
	Columns int `json:"columns"` // columns of the table described (including the id)

	// Summary has one entry per column, in table order.
	Summary []ColumnSummary `json:"summary"`
	// Correlation is the correlation matrix over the selected numeric
	// columns.
	Correlation *Correlation `json:"correlation"`
	// Insights are worded findings about the correlations, strongest
	// first (see Insight).
	Insights []Insight `json:"insights"`
	// Alerts are data-quality problems, ordered by kind then column order.
	Alerts []Alert `json:"alerts"`
	// FeatureChecks are the warnings about the features of the cluster
	// stages after this one (internal/featcheck: dominant one-hot dummies,
	// near-duplicates), checked on this table; each is also an alert.
	FeatureChecks []FeatureCheck `json:"feature_checks"`
	// LabelLegend maps each heatmap label that was shortened to the full
	// column name (empty when no label was shortened).
	LabelLegend map[string]string `json:"label_legend,omitempty"`
	// Files names the stage's artifacts, relative to the run directory.
	Files EDAFiles `json:"files"`
}

// Column roles in ColumnSummary.Role.
const (
	RoleID = "id" // the configured customer id column
)

// ColumnSummary describes one column, like pandas' describe() plus the
// missing count and the number of distinct values.
type ColumnSummary struct {
	Column string `json:"column"`
	// Type is the column's storage type: "int", "float", "bool" or "string".
	Type string `json:"type"`
	// Role is RoleID for the id column (which gets only Count, Missing and
	// Distinct), else "".
	Role string `json:"role,omitempty"`

	Count        int     `json:"count"`         // non-missing values
	Missing      int     `json:"missing"`       // missing values
	MissingShare float64 `json:"missing_share"` // Missing / rows (0 for an empty table)
	Distinct     int     `json:"distinct"`      // distinct non-missing values

	// Numeric statistics, for int, float and bool (as 0/1) columns other
	// than the id; NaN when undefined (Std needs two values) and for other
	// columns. Std has ddof 1; the quantiles use linear interpolation
	// (numpy's default), as pandas' describe() does.
	Mean, Std, Min, Q25, Q50, Q75, Max float64 `json:"-"`

	// Top is the most frequent value of a string column (pandas' tie rule)
	// and Freq its count; "" and 0 for other columns.
	Top  string `json:"top,omitempty"`
	Freq int    `json:"freq,omitempty"`
}

// IsNumeric reports whether the summary holds numeric statistics.
func (c ColumnSummary) IsNumeric() bool {
	return c.Role != RoleID && (c.Type == "int" || c.Type == "float" || c.Type == "bool")
}

// MarshalJSON writes the numeric statistics (null when NaN) for numeric
// columns and leaves them out for the others.
func (c ColumnSummary) MarshalJSON() ([]byte, error) {
	type plain ColumnSummary
	type numeric struct {
		plain
		Mean *float64 `json:"mean"`
		Std  *float64 `json:"std"`
		Min  *float64 `json:"min"`
		Q25  *float64 `json:"q25"`
		Q50  *float64 `json:"q50"`
		Q75  *float64 `json:"q75"`
		Max  *float64 `json:"max"`
	}
	if !c.IsNumeric() {
		return json.Marshal(plain(c))
	}
	return json.Marshal(numeric{plain(c),
		jsonFloat(c.Mean), jsonFloat(c.Std), jsonFloat(c.Min), jsonFloat(c.Q25),
		jsonFloat(c.Q50), jsonFloat(c.Q75), jsonFloat(c.Max)})
}

// Correlation is a square correlation matrix with its column names.
type Correlation struct {
	// Method is "pearson" or "spearman".
	Method string `json:"method"`
	// Columns names the rows and columns of R and N, in order.
	Columns []string `json:"columns"`
	// R[i][j] is the correlation of Columns[i] and Columns[j] over the
	// rows where both are present (pairwise-complete, like pandas'
	// DataFrame.corr()); NaN when undefined.
	R [][]float64 `json:"-"`
	// N[i][j] is the number of rows behind R[i][j].
	N [][]int `json:"n"`
	// Excluded lists the requested columns left out, with the reason.
	Excluded []ExcludedColumn `json:"excluded"`
}

// MarshalJSON writes R with null for NaN.
func (c Correlation) MarshalJSON() ([]byte, error) {
	type plain Correlation
	r := make([][]*float64, len(c.R))
	for i, row := range c.R {
		r[i] = make([]*float64, len(row))
		for j, v := range row {
			r[i][j] = jsonFloat(v)
		}
	}
	return json.Marshal(struct {
		plain
		R [][]*float64 `json:"r"`
	}{plain(c), r})
}

// At returns the correlation and row count of columns a and b, and false
// when either is not in the matrix.
func (c *Correlation) At(a, b string) (r float64, n int, ok bool) {
	i, j := -1, -1
	for k, name := range c.Columns {
		if name == a {
			i = k
		}
		if name == b {
			j = k
		}
	}
	if i < 0 || j < 0 {
		return math.NaN(), 0, false
	}
	return c.R[i][j], c.N[i][j], true
}

// ExcludedColumn is a column left out of the correlation.
type ExcludedColumn struct {
	Column string `json:"column"`
	Reason string `json:"reason"` // e.g. "constant (every value is 0)"
}

// Insight kinds.
const (
	// InsightPair is a correlation between two columns: Pairs has one
	// entry.
	InsightPair = "pair"
	// InsightNegativeWithSeveral is a column negatively correlated with
	// several others: Column is the column and Pairs its partners (each
	// with A = Column), most negative first.
	InsightNegativeWithSeveral = "negative_with_several"
)

// Insight is one worded finding.
type Insight struct {
	Kind string `json:"kind"` // InsightPair or InsightNegativeWithSeveral
	// Text is the finding in one sentence, e.g. "Strong positive
	// correlation between A and B (r = 0.78, n = 5,000)."
	Text string `json:"text"`
	// Column is the column an InsightNegativeWithSeveral is about.
	Column string `json:"column,omitempty"`
	// Pairs are the correlations the insight states.
	Pairs []PairStat `json:"pairs"`
	// Strength is "strong", "moderate", "weak" or "very weak" by |r|
	// against the configured thresholds (of the pair, or of the weakest
	// partner for InsightNegativeWithSeveral).
	Strength string `json:"strength"`
	// Direction is "positive" or "negative".
	Direction string `json:"direction"`
	// Strongest marks the strongest pair of its direction.
	Strongest bool `json:"strongest,omitempty"`
}

// PairStat is the correlation of two columns.
type PairStat struct {
	A string  `json:"a"`
	B string  `json:"b"`
	R float64 `json:"r"`
	N int     `json:"n"`
}

// Alert kinds.
const (
	AlertConstant        = "constant"         // one distinct value, or none
	AlertMissing         = "missing"          // high share of missing values
	AlertNearDuplicate   = "near_duplicate"   // |r| at or above the threshold
	AlertHighCardinality = "high_cardinality" // string column with mostly distinct values
	AlertUndefinedPair   = "undefined_pair"   // a correlation that could not be computed
	AlertFeatures        = "features"         // a later cluster stage's features (see FeatureCheck)
)

// Alert is one data-quality problem.
type Alert struct {
	Kind    string   `json:"kind"`
	Text    string   `json:"text"`
	Columns []string `json:"columns"`
	// Value is the measure behind the alert: the missing share, r, or the
	// distinct share; NaN (null) when none applies.
	Value float64 `json:"-"`
	// Count is the number behind it: missing rows, pair rows or distinct
	// values.
	Count int `json:"count"`
}

// MarshalJSON writes Value (null when NaN).
func (a Alert) MarshalJSON() ([]byte, error) {
	type plain Alert
	return json.Marshal(struct {
		plain
		Value *float64 `json:"value"`
	}{plain(a), jsonFloat(a.Value)})
}

// EDAFiles names the eda stage's artifacts, relative to the run directory.
type EDAFiles struct {
	Summary      string   `json:"summary"`       // summary.csv
	Correlation  string   `json:"correlation"`   // correlation.csv
	CorrelationN string   `json:"correlation_n"` // correlation_n.csv
	Heatmaps     []string `json:"heatmaps"`      // correlation.png (and .svg)
	Insights     string   `json:"insights"`      // insights.md
	JSON         string   `json:"json"`          // eda.json
}
