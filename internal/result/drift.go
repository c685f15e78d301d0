package result

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Drift is what a comparison with the previous run leaves in the State
// for the report, and what drift.json holds. The cluster stage fills it when
// its `previous:` names an existing model; it stays nil otherwise (first
// night, no previous).
//
// Segments are addressed by their stable ID throughout. Undefined numbers
// (a share of an empty run, the shift of an unmatched segment, a PSI that
// could not be computed) are NaN and written as null in JSON.
type Drift struct {
	// Previous describes what the run was compared with.
	Previous DriftPrevious `json:"previous"`
	// Mode is the cluster stage's mode: "refit" or "assign".
	Mode string `json:"mode"`
	// Features are the model's features, in model order; the per-feature
	// slices below follow it.
	Features []string `json:"features"`

	// MatchSpace says how centroids were compared (see docs/nightly.md).
	MatchSpace string `json:"match_space"`
	// MaxShift is the largest centroid distance (in MatchSpace) still
	// called the same segment.
	MaxShift float64 `json:"max_shift"`
	// SplitShare is the share of a segment's customers a new segment must
	// receive to count in a split (or merge).
	SplitShare float64 `json:"split_share"`

	// Segments lists every ID of the previous or the new model, by ID.
	Segments []SegmentDrift `json:"segments"`
	// Transitions is the customer transition matrix; nil when it could not
	// be computed (no id column, no previous assignments; see Notes).
	Transitions *Transitions `json:"transitions"`
	// Splits and Merges are detected from Transitions.
	Splits []SegmentSplit `json:"splits"`
	Merges []SegmentMerge `json:"merges"`
	// PSI is the population stability index of each feature of this run's
	// rows against the previous model's training distribution; nil when
	// the previous model does not store that distribution.
	PSI []FeaturePSI `json:"psi"`

	// Notes explain the parts that could not be computed.
	Notes []string `json:"notes"`
	// Failed lists the drift_fail thresholds crossed; the cluster stage
	// gives them as a drift verdict, which makes the run exit 3 after
	// publishing.
	Failed []string `json:"failed"`
}

// DriftPrevious names the previous run and model.
type DriftPrevious struct {
	// Run is the previous run's id ("" when previous: named a model file
	// outside a run folder).
	Run string `json:"run,omitempty"`
	// Model is the path of the previous model.json.
	Model string `json:"model"`
	// Assignments is the path of the previous assignments.csv ("" when
	// there is none).
	Assignments string `json:"assignments,omitempty"`
	// K is the previous model's number of segments.
	K int `json:"k"`
}

// Segment statuses in SegmentDrift.Status.
const (
	SegmentKept    = "kept"    // matched: the ID carried over
	SegmentNew     = "new"     // in the new model only: a fresh ID
	SegmentRetired = "retired" // in the previous model only
	SegmentEmpty   = "empty"   // mode: assign: a segment of the model with no customers in this run
)

// SegmentDrift is one segment ID's change between the runs.
type SegmentDrift struct {
	ID     int    `json:"id"`
	Name   string `json:"name"`   // the new name, else the previous one
	Status string `json:"status"` // kept, new, retired or empty
	// Index is the segment's index in this run's Clusters (-1 for a
	// retired or empty segment).
	Index int `json:"-"`

	// PrevSize and PrevShare are the previous run's customers in this
	// segment (from its assignments.csv, else the previous model's sizes);
	// Size and Share this run's. Absent sides are 0 (share NaN when that
	// run had no rows).
	PrevSize    int     `json:"previous_size"`
	PrevShare   float64 `json:"previous_share"`
	Size        int     `json:"size"`
	Share       float64 `json:"share"`
	ShareChange float64 `json:"share_change"` // Share − PrevShare

	// Shift is the distance between the previous and the new centroid in
	// the matching space (NaN unless the segment was kept).
	Shift float64 `json:"shift"`
	// For a new or retired segment, Nearest is the closest centroid's ID on
	// the other side and NearestShift its distance (0 and NaN when the
	// other side has no centroid).
	Nearest      int     `json:"nearest,omitempty"`
	NearestShift float64 `json:"nearest_shift"`
	// CentroidChange is new − previous centroid in original units, per
	// feature (nil unless both exist).
	CentroidChange []float64 `json:"centroid_change"`
	// PrevCentroid and Centroid are the centroids in original units (nil
	// for an absent side).
	PrevCentroid []float64 `json:"previous_centroid"`
	Centroid     []float64 `json:"centroid"`
}

// Transitions counts customers by previous and new segment, for the ids
// present in both runs.
type Transitions struct {
	// PrevIDs label the rows, IDs the columns (both ascending).
	PrevIDs []int   `json:"previous_ids"`
	IDs     []int   `json:"ids"`
	Counts  [][]int `json:"counts"`
	// Shared is the number of customer ids in both runs; PrevOnly left,
	// NewOnly arrived.
	Shared   int `json:"shared"`
	PrevOnly int `json:"previous_only"`
	NewOnly  int `json:"new_only"`
	// Stayed is the number of shared customers whose segment ID did not
	// change (the diagonal).
	Stayed int `json:"stayed"`
	// ARI is the adjusted Rand index of the two labellings of the shared
	// customers (NaN when fewer than two are shared).
	ARI float64 `json:"ari"`
}

// SegmentSplit is a previous segment whose customers went to two or more
// new segments, each receiving at least SplitShare of them.
type SegmentSplit struct {
	ID     int       `json:"id"`
	Into   []int     `json:"into"`   // receiving segments, largest share first
	Shares []float64 `json:"shares"` // share of ID's shared customers each received
}

// SegmentMerge is a new segment that drew at least SplitShare of its shared
// customers from each of two or more previous segments.
type SegmentMerge struct {
	ID     int       `json:"id"`
	From   []int     `json:"from"`   // contributing segments, largest share first
	Shares []float64 `json:"shares"` // share of ID's shared customers from each
}

// FeaturePSI is one feature's population stability index.
type FeaturePSI struct {
	Feature string  `json:"feature"`
	PSI     float64 `json:"psi"`
}

// Segment returns the drift entry of a segment ID, or nil.
func (d *Drift) Segment(id int) *SegmentDrift {
	for i := range d.Segments {
		if d.Segments[i].ID == id {
			return &d.Segments[i]
		}
	}
	return nil
}

// Label is how a segment ID is called in drift messages: its name, else
// "Segment <ID>".
func (d *Drift) Label(id int) string {
	if s := d.Segment(id); s != nil && s.Name != "" {
		return s.Name
	}
	return "Segment " + strconv.Itoa(id)
}

// SplitText says what a split is in words: "Segment 2 split into 2 and 5"
// (with the segment's name in parentheses when it has one).
func (d *Drift) SplitText(s SegmentSplit) string {
	return fmt.Sprintf("Segment %d%s split into %s", s.ID, d.nameNote(s.ID), andList(s.Into))
}

// MergeText says what a merge is in words: "Segments 1 and 3 merged into 1".
func (d *Drift) MergeText(m SegmentMerge) string {
	return fmt.Sprintf("Segments %s merged into %d%s", andList(m.From), m.ID, d.nameNote(m.ID))
}

func (d *Drift) nameNote(id int) string {
	if s := d.Segment(id); s != nil && s.Name != "" {
		return " (" + s.Name + ")"
	}
	return ""
}

// andList writes 1, 2 and 3.
func andList(ids []int) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.Itoa(id)
	}
	if len(parts) < 2 {
		return strings.Join(parts, "")
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// MarshalJSON writes NaN as null.
func (s SegmentDrift) MarshalJSON() ([]byte, error) {
	type plain SegmentDrift
	return json.Marshal(struct {
		plain
		PrevShare    *float64 `json:"previous_share"`
		Share        *float64 `json:"share"`
		ShareChange  *float64 `json:"share_change"`
		Shift        *float64 `json:"shift"`
		NearestShift *float64 `json:"nearest_shift"`
	}{plain(s), jsonFloat(s.PrevShare), jsonFloat(s.Share), jsonFloat(s.ShareChange), jsonFloat(s.Shift), jsonFloat(s.NearestShift)})
}

// MarshalJSON writes NaN as null.
func (t Transitions) MarshalJSON() ([]byte, error) {
	type plain Transitions
	return json.Marshal(struct {
		plain
		ARI *float64 `json:"ari"`
	}{plain(t), jsonFloat(t.ARI)})
}

// MarshalJSON writes NaN as null.
func (f FeaturePSI) MarshalJSON() ([]byte, error) {
	type plain FeaturePSI
	return json.Marshal(struct {
		plain
		PSI *float64 `json:"psi"`
	}{plain(f), jsonFloat(f.PSI)})
}
