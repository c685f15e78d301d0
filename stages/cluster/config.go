package cluster

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/kselect"
	"github.com/churnlab/segment/internal/scale"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages/internal/plotcfg"
)

// Config is the cluster stage's config block.
type Config struct {
	// Features are the numeric columns to cluster on (int, float or bool
	// as 0/1), in this order. Categorical columns must be one-hot encoded
	// by a clean step first. Required.
	Features []string `yaml:"features,required" json:"features"`
	// CategoricalFeatures are categorical columns (text, or int/bool read
	// by their text) clustered with the numeric features by k-prototypes:
	// listing any selects engine: kprototypes. Numeric features are scaled
	// as usual; a categorical mismatch costs gamma. Optional.
	CategoricalFeatures []string `yaml:"categorical_features" json:"categorical_features,omitempty"`
	// Gamma is k-prototypes' weight of one categorical mismatch against
	// the squared scaled numeric distance. Default: the kmodes package's
	// rule, half the mean (weighted, population) standard deviation of the
	// scaled numeric features (0.5 with scale: standard). Optional.
	Gamma *float64 `yaml:"gamma" json:"gamma,omitempty"`
	// Init is k-prototypes' initialisation: cao (Cao et al. 2009, the
	// kmodes default) or huang. Default cao.
	Init string `yaml:"init" json:"init"`
	// CategoricalMissing is what a missing categorical cell means for
	// k-prototypes: error (the run fails, naming the column and count) or
	// category (a category of its own). Default error.
	CategoricalMissing string `yaml:"categorical_missing" json:"categorical_missing"`
	// Scale is how features are scaled before k-means: standard, minmax,
	// robust, normalize (each row to unit length, as the churn notebook
	// did), log1p-standard or none. Default standard.
	Scale string `yaml:"scale" json:"scale"`
	// Weights multiply scaled features (feature → weight > 0); features
	// not listed weigh 1. Optional.
	Weights map[string]float64 `yaml:"weights" json:"weights,omitempty"`

	// K is the number of segments, or auto to choose it in KRange by
	// Select. Default auto.
	K K `yaml:"k" json:"k"`
	// KRange is the [lowest, highest] k tried with k: auto. Default [2, 10].
	KRange Range `yaml:"k_range" json:"k_range"`
	// Select is how k: auto chooses: auto (the largest k whose segments
	// are all clearly apart, else a vote of the elbow, silhouette,
	// Calinski–Harabasz and Davies–Bouldin; see internal/kselect), elbow
	// (Kneedle on inertia; best silhouette when there is no knee),
	// silhouette (highest), calinski_harabasz (highest) or davies_bouldin
	// (lowest). Default auto.
	Select string `yaml:"select" json:"select"`
	// MinSeparation is the separation every pair of segments needs for
	// select: auto to call a k distinct groups (two normal clusters 4σ
	// apart score 2; one cluster cut in two about 1.3). Default 2.
	MinSeparation float64 `yaml:"min_separation" json:"min_separation"`
	// Elbow, with a fixed k, also fits every k in [lowest, highest] and
	// writes elbow.csv and elbow.png, e.g. [1, 10]. Optional.
	Elbow *Range `yaml:"elbow" json:"elbow,omitempty"`

	// Engine is the clustering implementation: native (seeded k-means++
	// with restarts, reproducible), muesli (github.com/muesli/kmeans, for
	// comparison; not reproducible) or kprototypes (Huang's k-prototypes
	// for numeric + categorical features, internal/kproto; chosen
	// automatically when categorical_features are listed). Default native.
	Engine string `yaml:"engine" json:"engine"`
	// NInit is the number of k-means++ restarts per k; the lowest inertia
	// wins. Default 10.
	NInit int `yaml:"n_init" json:"n_init"`
	// MaxIter bounds the Lloyd iterations of a restart. Default 300.
	MaxIter int `yaml:"max_iter" json:"max_iter"`
	// Tol stops a restart when the squared centre shift is at most Tol
	// times the mean feature variance (scikit-learn's rule); for
	// kprototypes, when a sweep lowers the cost by at most Tol × the cost
	// (0: kmodes' rule, only when nothing moves or the cost rises, which on
	// structureless data runs all max_iter sweeps). Default 1e-4.
	Tol float64 `yaml:"tol" json:"tol"`
	// Seed pins the k-means seed. By default the stage's own seed is used,
	// derived from the run's `seed:` and the stage name, so adding or
	// renaming other stages does not change it. Optional.
	Seed *uint64 `yaml:"seed" json:"seed,omitempty"`
	// SilhouetteSample: the silhouette is exact up to this many rows, else
	// computed on a seeded uniform sample of this many rows. Default 10000.
	SilhouetteSample int `yaml:"silhouette_sample" json:"silhouette_sample"`

	// Names pins segment names by segment ID, e.g. {1: Loyal high value}.
	// Optional.
	Names map[int]string `yaml:"names" json:"names,omitempty"`
	// Formats of elbow plots: png and/or svg. Default [png].
	Formats plotcfg.Formats `yaml:"formats" json:"formats"`

	// Previous is the earlier model this run is numbered after and
	// compared with: the word latest (the run the output folder's latest
	// link pointed at when this run began — it follows --out), a run folder
	// (e.g. ../runs/latest) or a model.json file. Matched segments keep
	// their IDs and names, and drift.json / drift.md describe the change.
	// When the path does not exist (the first night) the run says so and
	// numbers the segments 1..K; a path that exists but holds no readable
	// model is an error. Optional.
	Previous Previous `yaml:"previous" json:"previous,omitempty"`
	// Mode is refit (fit a new model; the default) or assign (score the
	// rows with the previous model, frozen: no fit, same IDs, and
	// model.json is a copy of it). assign needs previous.
	Mode string `yaml:"mode" json:"mode"`
	// WarmStart seeds k-means restart 0 with the previous centroids (for
	// the k equal to the previous model's); the other restarts still run
	// k-means++ and the lowest inertia wins. Needs previous. Default false.
	WarmStart bool `yaml:"warm_start" json:"warm_start"`
	// MaxShift is the largest distance between a previous and a new
	// centroid, in the matching space (both models' original-unit
	// centroids scaled with this run's scaler), still called the same
	// segment. Default: the root-mean-square per-feature standard deviation
	// of this run's scaled rows (1 for scale: standard without weights).
	MaxShift *float64 `yaml:"max_shift" json:"max_shift,omitempty"`
	// SplitShare is the share of a previous segment's customers that each
	// of two or more new segments must receive for the segment to be
	// reported as split (and, the other way, a merge). Default 0.2.
	SplitShare float64 `yaml:"split_share" json:"split_share"`
	// DriftFail makes a run that crosses one of these thresholds exit with
	// code 3 after publishing. Optional.
	DriftFail DriftFail `yaml:"drift_fail" json:"drift_fail"`

	// Stability, when set, refits the chosen k on bootstrap resamples
	// (clusterboot) and reports each segment's mean Jaccard similarity,
	// dissolved and recovered counts and the ARI between runs. Optional.
	Stability *Stability `yaml:"stability" json:"stability,omitempty"`
	// StabilityFail makes a run whose segments are unstable exit with code
	// 6 after publishing. Needs stability. Optional.
	StabilityFail StabilityFail `yaml:"stability_fail" json:"stability_fail"`
	// Gap configures the gap statistic of select: gap. Optional.
	Gap GapConfig `yaml:"gap" json:"gap"`
	// Database configures the stage in execution.mode: database: the
	// fit's sample, full-table Lloyd passes in SQL and the table the
	// assignments are written to.
	Database Database `yaml:"database" json:"database,omitzero"`
}

// Stability is the stability: block.
type Stability struct {
	// Bootstraps is the number of bootstrap resamples. Default 50.
	Bootstraps int `yaml:"bootstraps" json:"bootstraps"`
	// Sample is the number of rows drawn (with replacement) per bootstrap:
	// 0 = all rows up to 50,000, so a 1M-row table refits 50,000-row
	// bootstraps (an m-out-of-n bootstrap). Default 0.
	Sample int `yaml:"sample" json:"sample"`
	// Threshold is the mean Jaccard below which a segment is flagged as
	// unstable ("dissolved"). Default 0.6 (clusterboot's guidance).
	Threshold float64 `yaml:"threshold" json:"threshold"`
	// NInit is the restarts per bootstrap refit. Default: n_init.
	NInit int `yaml:"n_init" json:"n_init"`
}

// StabilityFail holds the stability thresholds that fail a run (exit code
// 6, after publishing). Each is off unless set.
type StabilityFail struct {
	// JaccardBelow fails when a segment's mean bootstrap Jaccard is below
	// this value, e.g. 0.6.
	JaccardBelow *float64 `yaml:"jaccard_below" json:"jaccard_below,omitempty"`
	// ARIBelow fails when the mean ARI between the fit and the bootstrap
	// refits is below this value, e.g. 0.7.
	ARIBelow *float64 `yaml:"ari_below" json:"ari_below,omitempty"`
}

func (f StabilityFail) any() bool { return f.JaccardBelow != nil || f.ARIBelow != nil }

// GapConfig is the gap: block (select: gap).
type GapConfig struct {
	// References is the number of uniform reference data sets B. Default 20.
	References int `yaml:"references" json:"references"`
	// Reference is box (uniform in the data's bounding box) or pca (in the
	// box aligned with its principal components). Default box.
	Reference string `yaml:"reference" json:"reference"`
	// Sample computes the gap statistic on a seeded sample of this many
	// rows (0: all rows). Default 10000.
	Sample int `yaml:"sample" json:"sample"`
}

var (
	_ pipeline.Validator     = (*Config)(nil)
	_ pipeline.ColumnChecker = (*Config)(nil)
)

// Previous is the value of previous:: the keyword latest, or a path
// (resolved like every path of the config).
type Previous string

// PreviousLatest is the keyword for "the latest run of this output folder".
const PreviousLatest Previous = "latest"

// DecodeYAML implements confyaml.NodeDecoder: "latest" stays a keyword,
// anything else is a path.
func (p *Previous) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	s, ok := d.Scalar(n, key)
	if !ok {
		return
	}
	if Previous(s) == PreviousLatest {
		*p = PreviousLatest
		return
	}
	*p = Previous(d.ResolvePath(n, s))
}

// DriftFail holds the drift thresholds that fail a run (exit code 3, after
// publishing). Each is off unless set.
type DriftFail struct {
	// ARIBelow fails when the adjusted Rand index of the customers in both
	// runs is below this value, e.g. 0.8.
	ARIBelow *float64 `yaml:"ari_below" json:"ari_below,omitempty"`
	// PSIAbove fails when a feature's population stability index against
	// the previous model's training data is above this value, e.g. 0.25.
	PSIAbove *float64 `yaml:"psi_above" json:"psi_above,omitempty"`
	// ShareShiftAbove fails when a segment's share of customers moved by
	// more than this fraction, e.g. 0.05 (5 percentage points).
	ShareShiftAbove *float64 `yaml:"share_shift_above" json:"share_shift_above,omitempty"`
	// RetiredSegments fails when a previous segment has no match.
	RetiredSegments bool `yaml:"retired_segments" json:"retired_segments,omitempty"`
	// NewSegments fails when a new segment has no match.
	NewSegments bool `yaml:"new_segments" json:"new_segments,omitempty"`
	// Splits fails when a segment split (see split_share).
	Splits bool `yaml:"splits" json:"splits,omitempty"`
}

// any reports whether a threshold is set.
func (f DriftFail) any() bool {
	return f.ARIBelow != nil || f.PSIAbove != nil || f.ShareShiftAbove != nil || f.RetiredSegments || f.NewSegments || f.Splits
}

// Defaults.
const (
	DefaultScale            = scale.Standard
	DefaultSelect           = SelectAuto
	DefaultEngine           = EngineNative
	DefaultNInit            = 10
	DefaultMaxIter          = 300
	DefaultTol              = 1e-4
	DefaultSilhouetteSample = 10000
	DefaultMode             = ModeRefit
	DefaultSplitShare       = 0.2
	DefaultInit             = "cao"
	DefaultCatMissing       = "error"
	DefaultBootstraps       = 50
	DefaultStableJaccard    = 0.6
	DefaultGapReferences    = 20
	DefaultGapReference     = "box"
	DefaultGapSample        = 10000
)

// Modes.
const (
	ModeRefit  = "refit"
	ModeAssign = "assign"
)

// Engines and selection methods.
const (
	EngineNative = "native"
	EngineMuesli = "muesli"
	EngineKProto = "kprototypes"

	SelectAuto             = kselect.Auto
	SelectElbow            = kselect.Elbow
	SelectSilhouette       = kselect.Silhouette
	SelectCalinskiHarabasz = kselect.CalinskiHarabasz
	SelectDaviesBouldin    = kselect.DaviesBouldin
	SelectGap              = kselect.Gap
)

var selects = kselect.Methods()

// NewConfig returns the defaults.
func NewConfig() any {
	return &Config{
		Scale:            DefaultScale,
		K:                K{Auto: true},
		KRange:           Range{2, 10},
		Select:           DefaultSelect,
		MinSeparation:    kselect.DefaultMinSeparation,
		Engine:           DefaultEngine,
		NInit:            DefaultNInit,
		MaxIter:          DefaultMaxIter,
		Tol:              DefaultTol,
		SilhouetteSample: DefaultSilhouetteSample,
		Formats:          plotcfg.PNG(),
		Mode:             DefaultMode,
		SplitShare:       DefaultSplitShare,
		Init:             DefaultInit,

		CategoricalMissing: DefaultCatMissing,
		Gap:                GapConfig{References: DefaultGapReferences, Reference: DefaultGapReference, Sample: DefaultGapSample},
		Database:           defaultDatabase(),
	}
}

// K is a number of segments or "auto".
type K struct {
	Auto  bool
	Value int
}

// DecodeYAML implements confyaml.NodeDecoder: an integer or the word auto.
func (k *K) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	const want = "k is a number of segments (e.g. 4) or auto"
	switch n.(type) {
	case *ast.IntegerNode:
		var v int
		d.Decode(n, &v, key)
		*k = K{Value: v}
		return
	case *ast.StringNode:
		if s, ok := d.Scalar(n, key); ok {
			if strings.TrimSpace(s) == "auto" {
				*k = K{Auto: true}
				return
			}
			d.Errorf(n, key, "%s, got %q", want, s)
		}
		return
	}
	d.Errorf(n, key, "%s", want)
}

// MarshalJSON writes the number or "auto".
func (k K) MarshalJSON() ([]byte, error) {
	if k.Auto {
		return []byte(`"auto"`), nil
	}
	return json.Marshal(k.Value)
}

// String is "auto" or the number.
func (k K) String() string {
	if k.Auto {
		return "auto"
	}
	return fmt.Sprint(k.Value)
}

// Range is an inclusive range of k, written [lowest, highest].
type Range [2]int

// DecodeYAML implements confyaml.NodeDecoder.
func (r *Range) DecodeYAML(d *confyaml.Decoder, n ast.Node, key string) {
	const want = "a range of k is [lowest, highest], e.g. [2, 10]"
	s, ok := n.(*ast.SequenceNode)
	if !ok {
		d.Errorf(n, key, "%s", want)
		return
	}
	var v []int
	d.Decode(s, &v, key)
	if len(s.Values) != 2 {
		d.Errorf(n, key, "%s; got %d values", want, len(s.Values))
		return
	}
	if len(v) == 2 {
		*r = Range{v[0], v[1]}
	}
}

// Ks lists the k values of the range.
func (r Range) Ks() []int {
	var ks []int
	for k := r[0]; k <= r[1]; k++ {
		ks = append(ks, k)
	}
	return ks
}

// MaxK bounds k (and the highest value of a range): beyond it the elbow
// table stops being readable and each fit grows with k.
const MaxK = 100

// Validate implements pipeline.Validator.
func (c *Config) Validate() error {
	var fe confyaml.FieldErrors
	c.validateFeatures(&fe)
	c.validateK(&fe)
	if !slices.Contains(selects, c.Select) {
		fe.Add("select", "unknown select %q (want %s)", c.Select, strings.Join(selects, ", "))
	}
	if c.Engine != EngineNative && c.Engine != EngineMuesli && c.Engine != EngineKProto {
		fe.Add("engine", "unknown engine %q (want native, muesli or kprototypes)", c.Engine)
	}
	c.validateMixed(&fe)
	if c.Stability != nil {
		c.Stability.defaults()
	}
	c.validateStability(&fe)
	if c.NInit < 1 {
		fe.Add("n_init", "must be at least 1, got %d", c.NInit)
	}
	if c.MaxIter < 1 {
		fe.Add("max_iter", "must be at least 1, got %d", c.MaxIter)
	}
	if !(c.Tol >= 0) || math.IsInf(c.Tol, 0) {
		fe.Add("tol", "must be a finite number ≥ 0, got %g", c.Tol)
	}
	if !(c.MinSeparation > 0) || math.IsInf(c.MinSeparation, 0) {
		fe.Add("min_separation", "must be a finite number above 0, got %g", c.MinSeparation)
	}
	if c.SilhouetteSample < 2 {
		fe.Add("silhouette_sample", "must be at least 2, got %d", c.SilhouetteSample)
	}
	names := map[string]int{}
	for _, id := range slices.Sorted(maps.Keys(c.Names)) {
		key := fmt.Sprintf("names.%d", id)
		name := strings.TrimSpace(c.Names[id])
		switch {
		case id < 1:
			fe.Add(key, "segment ids start at 1, got %d", id)
		case !c.K.Auto && id > c.K.Value && c.Previous == "":
			// with previous: IDs carry over and may exceed k
			fe.Add(key, "there is no segment %d with k = %d (ids are 1..%d)", id, c.K.Value, c.K.Value)
		}
		if name == "" {
			fe.Add(key, "the name is empty")
		} else if other, dup := names[name]; dup {
			fe.Add(key, "segments %d and %d are both named %q", other, id, name)
		}
		names[name] = id
	}
	c.Formats.Check(&fe, "formats")
	c.validateNightly(&fe)
	c.Database.validate(&fe)
	return fe.Err()
}

// engine returns the engine in use: kprototypes when categorical features
// are listed, else engine:.
func (c *Config) engine() string {
	if len(c.CategoricalFeatures) > 0 && c.Engine == EngineNative {
		return EngineKProto
	}
	return c.Engine
}

// mixed reports whether the stage runs k-prototypes.
func (c *Config) mixed() bool { return c.engine() == EngineKProto }

// validateMixed checks the k-prototypes keys.
func (c *Config) validateMixed(fe *confyaml.FieldErrors) {
	seen := map[string]bool{}
	for _, f := range c.Features {
		seen[f] = true
	}
	for i, f := range c.CategoricalFeatures {
		key := fmt.Sprintf("categorical_features[%d]", i)
		if seen[f] {
			fe.Add(key, "column %q is listed twice (features and categorical_features list distinct columns)", f)
		}
		seen[f] = true
	}
	switch {
	case c.Engine == EngineMuesli && len(c.CategoricalFeatures) > 0:
		fe.Add("engine", "engine: muesli is k-means on numeric features; categorical_features need engine: kprototypes (or leave engine: out)")
	case c.Engine == EngineKProto && len(c.CategoricalFeatures) == 0:
		fe.Add("engine", "engine: kprototypes clusters numeric and categorical features; list the categorical columns in categorical_features")
	}
	if c.Gamma != nil {
		if v := *c.Gamma; !(v > 0) || math.IsInf(v, 0) {
			fe.Add("gamma", "must be a finite number above 0, got %g (to ignore the categorical features, remove them)", v)
		}
	}
	if c.Init != "cao" && c.Init != "huang" {
		fe.Add("init", "unknown init %q (want cao or huang)", c.Init)
	}
	if c.CategoricalMissing != "error" && c.CategoricalMissing != "category" {
		fe.Add("categorical_missing", "unknown value %q (want error or category)", c.CategoricalMissing)
	}
	if c.mixed() {
		if c.WarmStart {
			fe.Add("warm_start", "warm_start starts k-means from the previous centroids; k-prototypes cannot be warm-started")
		}
		if c.Select == SelectGap {
			fe.Add("select", "select: gap compares k-means within-cluster sums of squares with uniform reference data, which has no categorical counterpart; with categorical_features use auto, elbow or silhouette")
		}
		if c.Select == SelectCalinskiHarabasz || c.Select == SelectDaviesBouldin {
			fe.Add("select", "select: %s uses Euclidean cluster means, which categorical features do not have; with categorical_features use auto, elbow or silhouette (on the mixed dissimilarity)", c.Select)
		}
	}
}

// validateStability checks stability:, stability_fail: and gap:.
func (c *Config) validateStability(fe *confyaml.FieldErrors) {
	if st := c.Stability; st != nil {
		if st.Bootstraps < 2 {
			fe.Add("stability.bootstraps", "must be at least 2, got %d", st.Bootstraps)
		}
		if st.Sample < 0 || st.Sample == 1 {
			fe.Add("stability.sample", "is 0 (all rows up to 50000) or at least 2 rows, got %d", st.Sample)
		}
		if !(st.Threshold > 0 && st.Threshold <= 1) {
			fe.Add("stability.threshold", "is a Jaccard similarity in (0, 1], e.g. 0.6, got %g", st.Threshold)
		}
		if st.NInit < 0 {
			fe.Add("stability.n_init", "must be at least 1 (0: n_init), got %d", st.NInit)
		}
	}
	f := c.StabilityFail
	if f.any() && c.Stability == nil {
		fe.Add("stability_fail", "stability thresholds need the bootstrap; set stability: {bootstraps: 50} too")
	}
	if f.JaccardBelow != nil {
		if v := *f.JaccardBelow; !(v > 0 && v <= 1) {
			fe.Add("stability_fail.jaccard_below", "is a Jaccard similarity in (0, 1], e.g. 0.6, got %g", v)
		}
	}
	if f.ARIBelow != nil {
		if v := *f.ARIBelow; !(v > -1 && v <= 1) {
			fe.Add("stability_fail.ari_below", "the adjusted Rand index is at most 1; give a value in (-1, 1], e.g. 0.7, got %g", v)
		}
	}
	g := c.Gap
	if g.References < 1 {
		fe.Add("gap.references", "must be at least 1, got %d", g.References)
	}
	if g.Reference != "box" && g.Reference != "pca" {
		fe.Add("gap.reference", "unknown reference %q (want box or pca)", g.Reference)
	}
	if g.Sample < 0 || g.Sample == 1 {
		fe.Add("gap.sample", "is 0 (all rows) or at least 2 rows, got %d", g.Sample)
	}
	if c.Select == SelectGap && c.Engine == EngineMuesli {
		fe.Add("select", "select: gap refits k-means on reference data with the native engine; use engine: native")
	}
	if c.Select == SelectGap && !c.K.Auto {
		fe.Add("select", "select: gap chooses k with k: auto")
	}
}

// defaults fills the stability defaults left at zero.
func (s *Stability) defaults() {
	if s.Bootstraps == 0 {
		s.Bootstraps = DefaultBootstraps
	}
	if s.Threshold == 0 {
		s.Threshold = DefaultStableJaccard
	}
}

// validateFeatures checks the features, their scaling and weights.
func (c *Config) validateFeatures(fe *confyaml.FieldErrors) {
	if c.Features != nil && len(c.Features) == 0 {
		fe.Add("features", "list at least one numeric column")
	}
	seen := map[string]bool{}
	for i, f := range c.Features {
		if seen[f] {
			fe.Add(fmt.Sprintf("features[%d]", i), "column %q is listed twice", f)
		}
		seen[f] = true
	}
	if !slices.Contains(scale.Methods(), c.Scale) {
		fe.Add("scale", "unknown scale %q (want %s)", c.Scale, strings.Join(scale.Methods(), ", "))
	}
	for _, f := range slices.Sorted(maps.Keys(c.Weights)) {
		w := c.Weights[f]
		key := confyaml.MapKey("weights", f)
		if !seen[f] {
			msg := fmt.Sprintf("%q is not one of the features", f)
			if s := frame.Suggest(f, c.Features); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			fe.Add(key, "%s", msg)
		}
		if !(w > 0) || math.IsInf(w, 0) {
			fe.Add(key, "a weight is a finite number above 0, got %g (to leave a feature out, remove it from features)", w)
		}
	}
}

// validateK checks k, or k_range with k: auto, and the elbow range.
func (c *Config) validateK(fe *confyaml.FieldErrors) {
	if c.K.Auto {
		validateRange(fe, "k_range", c.KRange, c.Select == SelectElbow)
		if c.Elbow != nil {
			fe.Add("elbow", "elbow is for a fixed k (e.g. k: 4, elbow: [1, 10]); with k: auto the k_range is already evaluated")
		}
		return
	}
	switch {
	case c.K.Value < 1:
		fe.Add("k", "k must be at least 1, got %d", c.K.Value)
	case c.K.Value > MaxK:
		fe.Add("k", "k = %d is above the limit of %d segments", c.K.Value, MaxK)
	}
	if c.Elbow != nil {
		validateRange(fe, "elbow", *c.Elbow, false)
	}
}

// validateNightly checks the keys about the previous model.
func (c *Config) validateNightly(fe *confyaml.FieldErrors) {
	switch c.Mode {
	case ModeRefit:
	case ModeAssign:
		if c.Previous == "" {
			fe.Add("mode", "mode: assign scores the rows with the previous model; set previous: to its run folder (e.g. ../runs/latest) or model.json")
		}
	default:
		fe.Add("mode", "unknown mode %q (want refit or assign)", c.Mode)
	}
	if c.WarmStart {
		switch {
		case c.Previous == "":
			fe.Add("warm_start", "warm_start starts k-means from the previous centroids; set previous: too")
		case c.Engine == EngineMuesli && c.Mode != ModeAssign:
			fe.Add("warm_start", "engine: muesli cannot be warm-started; use engine: native")
		}
	}
	if c.MaxShift != nil {
		if v := *c.MaxShift; !(v > 0) || math.IsInf(v, 0) {
			fe.Add("max_shift", "must be a finite distance above 0, got %g", v)
		}
	}
	if !(c.SplitShare > 0 && c.SplitShare <= 0.5) {
		fe.Add("split_share", "must be above 0 and at most 0.5 (two segments each receiving it), got %g", c.SplitShare)
	}
	f := c.DriftFail
	if f.any() && c.Previous == "" {
		fe.Add("drift_fail", "drift thresholds compare with the previous model; set previous: too")
	}
	if f.ARIBelow != nil {
		if v := *f.ARIBelow; !(v > -1 && v <= 1) {
			fe.Add("drift_fail.ari_below", "the adjusted Rand index is at most 1; give a value in (-1, 1], e.g. 0.8, got %g", v)
		}
	}
	if f.PSIAbove != nil {
		if v := *f.PSIAbove; !(v > 0) || math.IsInf(v, 0) {
			fe.Add("drift_fail.psi_above", "must be a finite number above 0, e.g. 0.25, got %g", v)
		}
	}
	if f.ShareShiftAbove != nil {
		if v := *f.ShareShiftAbove; !(v > 0 && v < 1) {
			fe.Add("drift_fail.share_shift_above", "is a fraction of customers in (0, 1), e.g. 0.05 for 5 points, got %g", v)
		}
	}
}

func validateRange(fe *confyaml.FieldErrors, key string, r Range, elbow bool) {
	lo, hi := r[0], r[1]
	switch {
	case lo < 1:
		fe.Add(key, "the lowest k is at least 1, got [%d, %d]", lo, hi)
	case hi > MaxK:
		fe.Add(key, "the highest k is at most %d, got [%d, %d]", MaxK, lo, hi)
	case hi <= lo:
		fe.Add(key, "the highest k must be above the lowest, got [%d, %d]", lo, hi)
	case elbow && hi-lo < 2:
		fe.Add(key, "the elbow needs at least 3 values of k, got [%d, %d]", lo, hi)
	}
}

// CheckColumns implements pipeline.ColumnChecker: every feature must exist
// at this point of the pipeline and must not be the id column (under its
// current name, after earlier renames).
func (c *Config) CheckColumns(s *pipeline.Schema) {
	id, wcol := s.ID(), s.Weight()
	for i, f := range c.Features {
		key := fmt.Sprintf("features[%d]", i)
		ok := s.Require(key, f)
		if ok && f == id && f != "" {
			s.Errorf(key, "%q is the id column (input.id); it identifies customers and cannot be a feature", f)
		} else if ok && f == wcol && f != "" {
			s.Errorf(key, "%q is the weight column (input.weight_column); it weighs rows and cannot be a feature", f)
		} else if t, typed := s.Type(f); ok && typed && t.Kind == frame.String {
			s.Errorf(key, "feature %q is a text column, not numeric; list it under categorical_features (k-prototypes), turn categories into 0/1 columns with a clean onehot step (and list those), or cast it", f)
		}
	}
	for i, f := range c.CategoricalFeatures {
		key := fmt.Sprintf("categorical_features[%d]", i)
		ok := s.Require(key, f)
		if ok && f == id && f != "" {
			s.Errorf(key, "%q is the id column (input.id); it identifies customers and cannot be a feature", f)
		} else if ok && f == wcol && f != "" {
			s.Errorf(key, "%q is the weight column (input.weight_column); it weighs rows and cannot be a feature", f)
		}
	}
}

// seed returns the k-means seed: the pinned one, else the stage's.
func (c *Config) seed(stageSeed uint64) uint64 {
	if c.Seed != nil {
		return *c.Seed
	}
	return stageSeed
}

var _ pipeline.FeatureConfig = (*Config)(nil)

// ClusterFeatures implements pipeline.FeatureConfig.
func (c *Config) ClusterFeatures() ([]string, string, map[string]float64) {
	return c.Features, c.Scale, c.Weights
}
