package profile

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages/internal/plotcfg"
)

// Config is the profile stage's config block. Every key is optional.
type Config struct {
	// Extra lists numeric columns to profile next to the clustering
	// features (e.g. [Monthly Charge, Age]); they are not clustered on.
	Extra []string `yaml:"extra" json:"extra,omitempty"`
	// Categorical lists columns whose level shares are reported per
	// segment (e.g. [Contract, Gender]). Any column type works; numbers and
	// booleans are levels by their text. An entry {column: Internet Type,
	// missing: No internet service} names the level of the missing values
	// instead of "(missing)".
	Categorical []CategoricalColumn `yaml:"categorical" json:"categorical,omitempty"`
	// MaxLevels is the number of levels of a categorical column reported;
	// the rarest ones beyond it are pooled as "(other)". Default 12.
	MaxLevels int `yaml:"max_levels" json:"max_levels"`
	// Outcome is a value whose rate per segment is reported, e.g.
	// {column: Customer Status, value: Churned}.
	Outcome *Outcome `yaml:"outcome" json:"outcome,omitempty"`

	// Names pins segment names by segment ID, e.g. {2: Loyal high value}.
	// They override names carried by the cluster stage.
	Names map[int]string `yaml:"names" json:"names,omitempty"`
	// SuggestNames gives each segment without a pinned name a short name
	// built from its description's words ("New, low-value"), unique within
	// the run and marked as suggested in the report; with the cluster
	// stage's previous:, a kept segment keeps the name suggested for it
	// before. Default true.
	SuggestNames bool `yaml:"suggest_names" json:"suggest_names"`
	// Noun is what a row is, used in descriptions ("21% of customers").
	// Default "customers".
	Noun string `yaml:"noun" json:"noun"`
	// Describe sets how segment descriptions are worded.
	Describe Describe `yaml:"describe" json:"describe"`

	// Hypotheses are checked in order; see Hypothesis.
	Hypotheses []Hypothesis `yaml:"hypotheses" json:"hypotheses,omitempty"`

	// Plots lists the figures drawn besides the scatter plots: sizes,
	// heatmap, pca, boxes. Default all four; [] draws none.
	Plots []string `yaml:"plots" json:"plots"`
	// Scatter lists feature pairs drawn as scatter plots coloured by
	// segment with the centroids marked.
	Scatter []ScatterPair `yaml:"scatter" json:"scatter,omitempty"`
	// Units of the scatter plots unless a pair says otherwise: "original"
	// (the analyst's units) or "scaled" (the space k-means worked in; both
	// columns must then be clustering features). Default "original".
	Units string `yaml:"units" json:"units"`
	// MaxPoints caps the points of the scatter and PCA plots; above it a
	// seeded sample stratified by segment is drawn and the plot says so.
	// Default 50000.
	MaxPoints int `yaml:"max_points" json:"max_points"`
	// Formats of the figures: png and/or svg. Default [png].
	Formats plotcfg.Formats `yaml:"formats" json:"formats"`
	// Size of the scatter and PCA plots in pixels, [width, height] or one
	// number for a square. Default [720, 520]. The other figures are
	// sized from their content.
	Size plotcfg.Size `yaml:"size" json:"size"`
	// Palette of the z-score heatmap: "blue-white-red" (above average
	// blue, below red), "red-white-blue" or a list of hex colours. Default
	// "blue-white-red", the EDA heatmap's default; set the same value as
	// the eda stage's palette if you changed it there.
	Palette plotcfg.Palette `yaml:"palette" json:"palette"`
	// ZLimit is the |z| at the ends of the heatmap's colour scale (larger
	// values saturate); 0 means automatic (the largest |z| rounded up to
	// 0.5, at least 1). Default 0.
	ZLimit float64 `yaml:"z_limit" json:"z_limit"`
}

var (
	_ pipeline.Validator     = (*Config)(nil)
	_ pipeline.ColumnChecker = (*Config)(nil)
)

// Outcome names a column value whose rate is reported per segment.
type Outcome struct {
	// Column holding the outcome. Required.
	Column string `yaml:"column,required" json:"column"`
	// Value counted as the outcome (compared with the cell's text, e.g.
	// "Churned", "1" or "true"). Required.
	Value string `yaml:"value,required" json:"value"`
	// Label of the rate, e.g. "churn rate". Default "<column> = <value>".
	Label string `yaml:"label" json:"label,omitempty"`
}

// Describe sets how descriptions are worded (see the package doc for the
// rules).
type Describe struct {
	// Top is the number of distinctive features named per segment.
	// Default 3.
	Top int `yaml:"top" json:"top"`
	// MinZ: a feature is named only when |z| ≥ MinZ. Default 0.3.
	MinZ float64 `yaml:"min_z" json:"min_z"`
	// Words give a feature the adjectives used for segments above and
	// below average, e.g. {Tenure: {high: long-standing, low: new}}.
	Words map[string]Words `yaml:"words" json:"words,omitempty"`
}

// Words are a feature's adjectives.
type Words struct {
	// High describes segments above the overall mean, e.g. "high-value".
	High string `yaml:"high" json:"high,omitempty"`
	// Low describes segments below it, e.g. "low-value".
	Low string `yaml:"low" json:"low,omitempty"`
}

// Hypothesis is a statement checked with a correlation, e.g. "customers
// who stayed longer yield more revenue" as {x: Tenure, y: Total Revenue,
// expect: positive}. It is supported when the correlation over the whole
// table has the expected sign and |r| ≥ MinR.
type Hypothesis struct {
	// Name identifies the check in files. Default "h<number>".
	Name string `yaml:"name" json:"name"`
	// Statement is the hypothesis in words. Required.
	Statement string `yaml:"statement,required" json:"statement"`
	// X and Y are numeric columns. Required.
	X string `yaml:"x,required" json:"x"`
	Y string `yaml:"y,required" json:"y"`
	// Expect is "positive" or "negative". Required.
	Expect string `yaml:"expect,required" json:"expect"`
	// MinR is the |r| needed to support it. Default 0.3.
	MinR float64 `yaml:"min_r" json:"min_r"`
	// Method is "pearson" or "spearman". Default "pearson".
	Method string `yaml:"method" json:"method"`
}

// CategoricalColumn is one entry of categorical: a column name, or
// {column, missing} to call the missing values by a level name.
type CategoricalColumn struct {
	// Column to break down. Required.
	Column string `yaml:"column,required" json:"column"`
	// Missing is the level shown for missing values, e.g. "No internet
	// service". Default "(missing)".
	Missing string `yaml:"missing" json:"missing,omitempty"`
}

// DecodeYAML accepts a column name as shorthand for {column: name}.
func (c *CategoricalColumn) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	if _, isMap := n.(*ast.MappingNode); !isMap {
		if s, ok := d.Scalar(n, key); ok {
			c.Column = s
		}
		return
	}
	type plain CategoricalColumn
	d.Decode(n, (*plain)(c), key)
}

// MarshalJSON writes a plain column as its name, as it is usually written.
func (c CategoricalColumn) MarshalJSON() ([]byte, error) {
	if c.Missing == "" {
		return json.Marshal(c.Column)
	}
	type plain CategoricalColumn
	return json.Marshal(plain(c))
}

// DecodeYAML implements confyaml.NodeDecoder: it fills the defaults
// before decoding.
func (h *Hypothesis) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	h.MinR, h.Method = DefaultMinR, "pearson"
	type plain Hypothesis
	d.Decode(n, (*plain)(h), key)
}

// ScatterPair is one scatter plot. In YAML it is {x, y, units, name} or
// the short form [x, y].
type ScatterPair struct {
	// X and Y are the columns on the horizontal and vertical axes.
	// Required.
	X string `yaml:"x,required" json:"x"`
	Y string `yaml:"y,required" json:"y"`
	// Units overrides the stage's units for this pair.
	Units string `yaml:"units" json:"units,omitempty"`
	// Name is the file name without extension. Default
	// "scatter_<x>_vs_<y>" in lower case with non-alphanumerics as "_".
	Name string `yaml:"name" json:"name,omitempty"`
	// Title of the plot. Default "<X> vs <Y>" (plus "(scaled)").
	Title string `yaml:"title" json:"title,omitempty"`
}

// DecodeYAML accepts [x, y] as shorthand for {x: ..., y: ...}.
func (p *ScatterPair) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	if seq, isList := n.(*ast.SequenceNode); isList {
		var xy []string
		d.Decode(n, &xy, key)
		if len(seq.Values) != 2 {
			d.Errorf(n, key, "a scatter pair is [x, y] or {x: ..., y: ...}; got %d values", len(seq.Values))
			return
		}
		if len(xy) == 2 {
			p.X, p.Y = xy[0], xy[1]
		}
		return
	}
	type plain ScatterPair
	d.Decode(n, (*plain)(p), key)
}

// FileName returns the pair's file name without extension.
func (p *ScatterPair) FileName() string {
	if p.Name != "" {
		return p.Name
	}
	return "scatter_" + slug(p.X) + "_vs_" + slug(p.Y)
}

// slug lower-cases s and turns every run of other characters than ASCII
// letters and digits into one "_": "Tenure(Months)" → "tenure_months".
func slug(s string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			under = false
		} else if !under && b.Len() > 0 {
			b.WriteByte('_')
			under = true
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

// Defaults.
const (
	DefaultMaxLevels = 12
	DefaultMaxPoints = 50000
	DefaultTop       = 3
	DefaultMinZ      = 0.3
	DefaultMinR      = 0.3
	DefaultNoun      = "customers"
	UnitsOriginal    = "original"
	UnitsScaled      = "scaled"
)

// Plot names accepted in `plots:`.
var plotNames = []string{result.PlotSizes, result.PlotHeatmap, result.PlotPCA, result.PlotBoxes}

// NewConfig returns the defaults.
func NewConfig() any {
	return &Config{
		MaxLevels:    DefaultMaxLevels,
		Noun:         DefaultNoun,
		SuggestNames: true,
		Describe:     Describe{Top: DefaultTop, MinZ: DefaultMinZ},
		Plots:        append([]string(nil), plotNames...),
		Units:        UnitsOriginal,
		MaxPoints:    DefaultMaxPoints,
		Formats:      plotcfg.PNG(),
		Size:         plotcfg.Size{W: plotkit.DefaultFigureWidthPx, H: plotkit.DefaultFigureHeightPx},
		Palette:      plotcfg.DefaultPalette(),
	}
}

// Size limits in pixels and other bounds.
const (
	MinSizePx    = 200
	MaxSizePx    = 8192
	MinMaxPoints = 100
	MaxNameChars = 60
)

// Validate implements pipeline.Validator.
func (c *Config) Validate() error {
	var fe confyaml.FieldErrors
	checkDupes(&fe, "extra", c.Extra)
	cats := make([]string, len(c.Categorical))
	for i, cc := range c.Categorical {
		cats[i] = cc.Column
		if cc.Missing != "" && strings.TrimSpace(cc.Missing) == "" {
			fe.Add(fmt.Sprintf("categorical[%d].missing", i), "the label of missing values is blank")
		}
	}
	checkDupes(&fe, "categorical", cats)
	if c.MaxLevels < 2 || c.MaxLevels > 100 {
		fe.Add("max_levels", "must be 2…100, got %d", c.MaxLevels)
	}
	if c.Outcome != nil {
		if c.Outcome.Column == "" {
			fe.Add("outcome.column", "name the outcome column")
		}
	}
	c.validateNames(&fe)
	if strings.TrimSpace(c.Noun) == "" {
		fe.Add("noun", "must not be empty")
	}
	c.validateDescribe(&fe)
	c.validateHypotheses(&fe)
	c.validatePlots(&fe)
	c.validateScatter(&fe)
	if c.MaxPoints < MinMaxPoints {
		fe.Add("max_points", "must be at least %d, got %d", MinMaxPoints, c.MaxPoints)
	}
	c.Formats.Check(&fe, "formats")
	c.Size.Check(&fe, "size", MinSizePx, MaxSizePx)
	c.Palette.Check(&fe, "palette")
	if !(c.ZLimit >= 0) || math.IsInf(c.ZLimit, 0) {
		fe.Add("z_limit", "must be 0 (automatic) or positive, got %g", c.ZLimit)
	}
	return fe.Err()
}

// checkDupes reports a column listed twice under key[i].
func checkDupes(fe *confyaml.FieldErrors, key string, cols []string) {
	seen := map[string]bool{}
	for i, col := range cols {
		if seen[col] {
			fe.Add(fmt.Sprintf("%s[%d]", key, i), "column %q is listed twice", col)
		}
		seen[col] = true
	}
}

// validateNames checks the pinned segment names: IDs from 0, non-empty,
// short and unique names.
func (c *Config) validateNames(fe *confyaml.FieldErrors) {
	used := map[string]int{}
	for _, id := range slices.Sorted(maps.Keys(c.Names)) {
		key := "names." + strconv.Itoa(id)
		name := strings.TrimSpace(c.Names[id])
		switch {
		case id < 0:
			fe.Add(key, "segment IDs are 0 or more, got %d", id)
		case name == "":
			fe.Add(key, "the name is empty")
		case len([]rune(name)) > MaxNameChars:
			fe.Add(key, "a name has at most %d characters, got %d", MaxNameChars, len([]rune(name)))
		}
		if prev, dup := used[name]; dup && name != "" {
			fe.Add(key, "segments %d and %d are both named %q", prev, id, name)
		}
		used[name] = id
	}
}

// validateDescribe checks how descriptions are worded.
func (c *Config) validateDescribe(fe *confyaml.FieldErrors) {
	if c.Describe.Top < 1 || c.Describe.Top > 10 {
		fe.Add("describe.top", "must be 1…10, got %d", c.Describe.Top)
	}
	if !(c.Describe.MinZ >= 0) || math.IsInf(c.Describe.MinZ, 0) {
		fe.Add("describe.min_z", "must be 0 or more, got %g", c.Describe.MinZ)
	}
	for _, col := range slices.Sorted(maps.Keys(c.Describe.Words)) {
		w := c.Describe.Words[col]
		if strings.TrimSpace(w.High) == "" && strings.TrimSpace(w.Low) == "" {
			fe.Add(confyaml.MapKey("describe.words", col), "give high and/or low")
		}
	}
}

// validateHypotheses checks each hypothesis and that their names (given or
// h<number>) are unique.
func (c *Config) validateHypotheses(fe *confyaml.FieldErrors) {
	names := map[string]int{}
	for i, h := range c.Hypotheses {
		key := fmt.Sprintf("hypotheses[%d]", i)
		if strings.TrimSpace(h.Statement) == "" {
			fe.Add(key+".statement", "the statement is empty")
		}
		if h.Expect != "positive" && h.Expect != "negative" {
			fe.Add(key+".expect", "must be \"positive\" or \"negative\", not %q", h.Expect)
		}
		if !(h.MinR >= 0 && h.MinR <= 1) {
			fe.Add(key+".min_r", "must be 0…1, got %g", h.MinR)
		}
		if h.Method != "pearson" && h.Method != "spearman" {
			fe.Add(key+".method", "must be \"pearson\" or \"spearman\", not %q", h.Method)
		}
		if h.X != "" && h.X == h.Y {
			fe.Add(key+".y", "x and y are the same column %q", h.X)
		}
		name := c.hypothesisName(i)
		if prev, dup := names[name]; dup {
			fe.Add(key+".name", "hypotheses[%d] has the same name %q", prev, name)
		}
		names[name] = i
	}
}

// validatePlots checks the plot names.
func (c *Config) validatePlots(fe *confyaml.FieldErrors) {
	seen := map[string]bool{}
	for i, p := range c.Plots {
		key := fmt.Sprintf("plots[%d]", i)
		switch {
		case !slices.Contains(plotNames, p):
			fe.Add(key, "unknown plot %q (want %s)", p, strings.Join(plotNames, ", "))
		case seen[p]:
			fe.Add(key, "plot %q is listed twice", p)
		}
		seen[p] = true
	}
}

// validateScatter checks the units and the scatter pairs, whose file
// names must be valid, not a reserved name and unique.
func (c *Config) validateScatter(fe *confyaml.FieldErrors) {
	checkUnits := func(key, u string) {
		if u != UnitsOriginal && u != UnitsScaled {
			fe.Add(key, "must be %q or %q, not %q", UnitsOriginal, UnitsScaled, u)
		}
	}
	checkUnits("units", c.Units)
	files := map[string]int{}
	for i, p := range c.Scatter {
		key := fmt.Sprintf("scatter[%d]", i)
		if p.Units != "" {
			checkUnits(key+".units", p.Units)
		}
		if p.X != "" && p.X == p.Y {
			fe.Add(key+".y", "x and y are the same column %q", p.X)
		}
		if p.Name != "" && slug(p.Name) != p.Name {
			fe.Add(key+".name", "a file name uses lower-case letters, digits and single \"_\" (e.g. %q), got %q", slug(p.Name), p.Name)
		}
		f := p.FileName()
		if slices.Contains(reservedNames, f) {
			fe.Add(key+".name", "%q is the name of another profile file; choose another name", f)
		}
		if prev, dup := files[f]; dup {
			fe.Add(key, "scatter[%d] already writes %s; give one of them a name", prev, f)
		}
		files[f] = i
	}
}

// CheckColumns implements pipeline.ColumnChecker: every column named must
// exist at this point of the pipeline. Whether a column is numeric, and
// whether scaled scatter columns are clustering features, is checked when
// the stage runs.
func (c *Config) CheckColumns(s *pipeline.Schema) {
	for i, col := range c.Extra {
		s.Require(fmt.Sprintf("extra[%d]", i), col)
	}
	for i, cc := range c.Categorical {
		key := fmt.Sprintf("categorical[%d]", i)
		if cc.Missing != "" {
			key += ".column"
		}
		s.Require(key, cc.Column)
	}
	if c.Outcome != nil && c.Outcome.Column != "" {
		s.Require("outcome.column", c.Outcome.Column)
	}
	for _, col := range slices.Sorted(maps.Keys(c.Describe.Words)) {
		s.Require(confyaml.MapKey("describe.words", col), col)
	}
	for i, h := range c.Hypotheses {
		key := fmt.Sprintf("hypotheses[%d]", i)
		s.Require(key+".x", h.X)
		s.Require(key+".y", h.Y)
	}
	for i, p := range c.Scatter {
		key := fmt.Sprintf("scatter[%d]", i)
		s.Require(key+".x", p.X)
		s.Require(key+".y", p.Y)
	}
}

// units returns the pair's units.
func (c *Config) units(p ScatterPair) string {
	if p.Units != "" {
		return p.Units
	}
	return c.Units
}

// hypothesisName returns hypothesis i's name.
func (c *Config) hypothesisName(i int) string {
	if c.Hypotheses[i].Name != "" {
		return c.Hypotheses[i].Name
	}
	return fmt.Sprintf("h%d", i+1)
}

func (c *Config) wantPlot(name string) bool {
	for _, p := range c.Plots {
		if p == name {
			return true
		}
	}
	return false
}
