package result

import (
	"encoding/json"
	"strconv"
)

// Clusters is what the cluster stage leaves in the State for the
// profile, report and drift steps.
//
// Segments are addressed two ways: by index s = 0..K-1 into the slices
// below (canonical order: largest segment first, ties by centroid), and by
// their ID, the number users see ("Segment 2") and assignments.csv holds.
// IDs are 1..K for a fresh model; with `previous:` they are carried over
// from the previous model so matched segments keep their numbers.
type Clusters struct {
	Features []string `json:"features"` // feature columns, in model order
	Scale    string   `json:"scale"`    // scaler method
	Engine   string   `json:"engine"`   // native or muesli
	K        int      `json:"k"`

	// Labels holds each table row's segment index (0..K-1), aligned with
	// State.Table's rows.
	Labels []int32 `json:"-"`
	// IDs holds each segment index's ID.
	IDs []int `json:"ids"`
	// Names holds each segment index's name ("" when none is pinned).
	Names []string `json:"names"`
	Sizes []int    `json:"sizes"`

	// CentersScaled are the centroids in the scaled space the model works
	// in; CentersOriginal are the mean feature values of each segment's
	// members in original units.
	CentersScaled   [][]float64 `json:"centers_scaled"`
	CentersOriginal [][]float64 `json:"centers_original"`

	// Scaled and Original are the n×d feature matrices (row-major) of the
	// table's rows, after and before scaling.
	Scaled   []float64 `json:"-"`
	Original []float64 `json:"-"`

	Inertia    float64 `json:"inertia"`
	Iterations int     `json:"iterations"`

	// Selection has one entry per k tried (a single entry for a fixed k).
	Selection    []KScore `json:"selection"`
	SelectMethod string   `json:"select_method,omitempty"` // auto, elbow, silhouette, ... ("" for a fixed k; a note in mode: assign)
	// Choice is the evidence behind k: each index's pick, whether they
	// agree and the rule that decided, in words (nil for a fixed k fitted
	// alone and in mode: assign).
	Choice *KChoice `json:"choice,omitempty"`
	// KSetBy says where a fixed k came from: "config" (the config file) or
	// the --set flag that gave it ("--set stages.cluster.config.k=5"); ""
	// for k: auto and mode: assign.
	KSetBy string `json:"k_set_by,omitempty"`

	ModelFile    string `json:"model_file"` // artifact path of model.json in the run folder
	Reproducible bool   `json:"reproducible"`

	// Checks are the warnings about the features (internal/featcheck):
	// one-hot dummies that dominate the distance, near-duplicates.
	Checks []FeatureCheck `json:"checks,omitempty"`

	// Categorical are the categorical features of a k-prototypes fit
	// (engine kprototypes), in model order; nil for k-means. Categories
	// holds each one's categories (codes are indices), Codes each row's
	// code per feature (-1 missing), Modes each segment's prototype codes
	// and Gamma the weight of one mismatch.
	Categorical []string   `json:"categorical,omitempty"`
	Categories  [][]string `json:"categories,omitempty"`
	Codes       [][]int32  `json:"-"`
	Modes       [][]int32  `json:"modes,omitempty"`
	Gamma       float64    `json:"gamma,omitempty"`

	// Weights are the rows' sample weights (input.weight_column; nil when
	// rows are unweighted), WeightColumn its name and SegmentWeights each
	// segment's total weight.
	Weights        []float64 `json:"-"`
	WeightColumn   string    `json:"weight_column,omitempty"`
	SegmentWeights []float64 `json:"segment_weights,omitempty"`

	// Stability is the bootstrap evidence per segment (stability:), nil
	// when not asked for.
	Stability *Stability `json:"stability,omitempty"`

	// SampleOf is, in execution.mode: database, the number of rows of the
	// whole table: Labels, Scaled, Original (and Codes, Weights) then hold
	// the fit's sample of it, labelled by the final model, while Sizes,
	// the centroids and Inertia are the whole table's. 0 in memory mode.
	SampleOf int `json:"sample_of,omitempty"`

	// Stream is set instead of Labels, Scaled and Original in execution
	// mode stream (stream.go).
	Stream *StreamClusters `json:"-"`
}

// ModeText returns segment s's mode of categorical feature c as text
// (MissingLevel for the missing category).
func (c *Clusters) ModeText(s, f int) string {
	code := c.Modes[s][f]
	if code < 0 {
		return MissingLevel
	}
	return c.Categories[f][code]
}

// Stability is clusterboot's evidence for the kept segments.
type Stability struct {
	Bootstraps int `json:"bootstraps"`
	// Sample is the rows drawn (with replacement) per bootstrap.
	Sample int `json:"sample"`
	// Threshold is the mean Jaccard below which a segment is unstable.
	Threshold float64 `json:"threshold"`
	// Segments holds one entry per segment index, in canonical order.
	Segments []SegmentStability `json:"segments"`
	// MeanARI and SDARI summarise the adjusted Rand index between the fit
	// and each bootstrap refit (all rows, nearest prototype).
	MeanARI float64 `json:"mean_ari"`
	SDARI   float64 `json:"sd_ari"`
	// Seconds is how long the bootstraps took (not written to files that
	// must be byte-identical).
	Seconds float64 `json:"-"`
	// Failed lists the stability_fail thresholds crossed, in words.
	Failed []string `json:"failed,omitempty"`
}

// SegmentStability is one segment's bootstrap stability.
type SegmentStability struct {
	ID          int     `json:"id"`
	MeanJaccard float64 `json:"mean_jaccard"`
	Dissolved   int     `json:"dissolved"` // bootstraps with Jaccard ≤ 0.5
	Recovered   int     `json:"recovered"` // bootstraps with Jaccard > 0.75
	Unstable    bool    `json:"unstable"`  // MeanJaccard < Threshold
}

// Kinds of FeatureCheck.
const (
	CheckDominantDummies = "dominant_dummies" // 0/1 features hold too much of the scaled variance
	CheckNearDuplicate   = "near_duplicate"   // two features with |r| at or above the threshold
)

// FeatureCheck is a warning about the clustering features.
type FeatureCheck struct {
	Kind    string   `json:"kind"`
	Stage   string   `json:"stage,omitempty"` // the cluster stage whose features these are (in eda.json)
	Columns []string `json:"columns"`
	// Share is the 0/1 features' share of the total feature variance after
	// scaling (dominant_dummies).
	Share float64 `json:"share,omitempty"`
	// R is the Pearson correlation of the pair (near_duplicate).
	R float64 `json:"r,omitempty"`
	// Weights are suggested weights: for dominant dummies, the weight that
	// brings each group of dummies down to one feature's share.
	Weights map[string]float64 `json:"suggested_weights,omitempty"`
	Text    string             `json:"text"`
}

// KScore is the evidence for one k.
type KScore struct {
	K                int     `json:"k"`
	Inertia          float64 `json:"inertia"`
	Silhouette       float64 `json:"silhouette"`        // NaN when not computed (k = 1)
	SilhouetteSample int     `json:"silhouette_sample"` // rows it was computed on
	CalinskiHarabasz float64 `json:"calinski_harabasz"`
	DaviesBouldin    float64 `json:"davies_bouldin"`
	// Separation is how clearly the two closest segments are apart
	// (metrics.MinSeparation; NaN for k = 1), and SeparationPair their
	// indices in this fit's (not the canonical) order.
	Separation     float64 `json:"separation"`
	SeparationPair [2]int  `json:"-"`
	// Gap is the gap statistic (select: gap) and GapS its s_k; GapS is 0
	// when the gap was not computed.
	Gap    float64 `json:"gap,omitempty"`
	GapS   float64 `json:"gap_s,omitempty"`
	Chosen bool    `json:"chosen"`
}

// Index names of KChoice.Picks, in the order they vote and break ties.
const (
	IndexSeparation       = "separation"
	IndexElbow            = "elbow"
	IndexSilhouette       = "silhouette"
	IndexCalinskiHarabasz = "calinski_harabasz"
	IndexDaviesBouldin    = "davies_bouldin"
	IndexGap              = "gap"
)

// KChoice is how k was chosen among the k values tried.
type KChoice struct {
	// Method is the select: asked for ("auto", "elbow", ...; "fixed" for a
	// fixed k with an elbow range).
	Method string `json:"method"`
	// Rule is what decided: "separation", "vote", "tie" (auto without a
	// majority), "elbow", "silhouette" (also elbow's fallback), ...;
	// "fixed" for a fixed k.
	Rule string `json:"rule"`
	K    int    `json:"k"`
	// Picks holds each index's pick, by index name (IndexElbow, ...): the
	// k it would choose on its own; an index without a pick (elbow without
	// a knee, no k clearly separated) is absent.
	Picks map[string]int `json:"picks"`
	// Agree is true when every index with a pick picks K.
	Agree bool `json:"agree"`
	// Reason says in words why K was chosen, and Disagreement how the
	// indices disagree ("" when they agree).
	Reason       string `json:"reason"`
	Disagreement string `json:"disagreement,omitempty"`
	// MinSeparation is the separation the auto rule requires.
	MinSeparation float64 `json:"min_separation,omitempty"`
}

// PickedBy lists the indices that pick k, in index order.
func (c *KChoice) PickedBy(k int) []string {
	var out []string
	for _, name := range []string{IndexSeparation, IndexElbow, IndexSilhouette, IndexCalinskiHarabasz, IndexDaviesBouldin, IndexGap} {
		if p, ok := c.Picks[name]; ok && p == k {
			out = append(out, name)
		}
	}
	return out
}

// SegmentLabel is how a segment is called in files and plots: its name
// when pinned, else "Segment <ID>".
func (c *Clusters) SegmentLabel(s int) string {
	if s < len(c.Names) && c.Names[s] != "" {
		return c.Names[s]
	}
	return "Segment " + strconv.Itoa(c.IDs[s])
}

// MarshalJSON writes undefined scores (NaN: silhouette for k = 1) as null,
// which encoding/json cannot do for NaN itself.
func (s KScore) MarshalJSON() ([]byte, error) {
	type plain KScore
	out := struct {
		plain
		Silhouette       *float64 `json:"silhouette"`
		CalinskiHarabasz *float64 `json:"calinski_harabasz"`
		DaviesBouldin    *float64 `json:"davies_bouldin"`
		Separation       *float64 `json:"separation"`
	}{plain: plain(s), Silhouette: jsonFloat(s.Silhouette), CalinskiHarabasz: jsonFloat(s.CalinskiHarabasz), DaviesBouldin: jsonFloat(s.DaviesBouldin), Separation: jsonFloat(s.Separation)}
	return json.Marshal(out)
}
