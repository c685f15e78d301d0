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
	SelectMethod string   `json:"select_method,omitempty"` // elbow, silhouette, ... ("" for a fixed k; a note in mode: assign)

	ModelFile    string `json:"model_file"` // artifact path of model.json in the run folder
	Reproducible bool   `json:"reproducible"`
}

// KScore is the evidence for one k.
type KScore struct {
	K                int     `json:"k"`
	Inertia          float64 `json:"inertia"`
	Silhouette       float64 `json:"silhouette"`        // NaN when not computed (k = 1)
	SilhouetteSample int     `json:"silhouette_sample"` // rows it was computed on
	CalinskiHarabasz float64 `json:"calinski_harabasz"`
	DaviesBouldin    float64 `json:"davies_bouldin"`
	Chosen           bool    `json:"chosen"`
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
	}{plain: plain(s), Silhouette: jsonFloat(s.Silhouette), CalinskiHarabasz: jsonFloat(s.CalinskiHarabasz), DaviesBouldin: jsonFloat(s.DaviesBouldin)}
	return json.Marshal(out)
}
