package cluster

import (
	"encoding/json"
	"math"
	"slices"
	"testing"

	"github.com/churnlab/segment/internal/result"
)

func scores(ks []int, inertia, sil, ch, db []float64) []result.KScore {
	out := make([]result.KScore, len(ks))
	for i, k := range ks {
		out[i] = result.KScore{K: k, Inertia: inertia[i], Silhouette: sil[i], CalinskiHarabasz: ch[i], DaviesBouldin: db[i]}
	}
	return out
}

func TestChoose(t *testing.T) {
	nan := math.NaN()
	ks := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	// The Maven elbow: Kneedle's knee is k = 3 on k = 1..10 and k = 4 on
	// k = 2..10 (the maximum of the difference curve (1 − ŷ) − x̂).
	maven := []float64{1.075190, 0.610560, 0.318167, 0.216203, 0.151484, 0.122050, 0.100110, 0.082330, 0.073298, 0.064352}
	sil := []float64{nan, 0.90, 0.65, 0.65, 0.59, 0.60, 0.57, 0.57, 0.53, 0.54}
	ch := []float64{nan, 3936, 6152, 6847, 7880, 8072, 8387, 8900, 8824, 8985}
	db := []float64{nan, 0.487, 0.583, 0.564, 0.610, 0.629, 0.631, 0.618, 0.657, 0.733}
	linear := []float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}
	for _, tc := range []struct {
		name, method string
		from         int // first index of ks used
		inertia      []float64
		k            int
		used, warn   string
	}{
		{"elbow 1..10", SelectElbow, 0, maven, 3, SelectElbow, ""},
		{"elbow 2..10", SelectElbow, 1, maven, 4, SelectElbow, ""},
		{"silhouette", SelectSilhouette, 0, maven, 2, SelectSilhouette, ""},
		{"calinski_harabasz", SelectCalinskiHarabasz, 0, maven, 10, SelectCalinskiHarabasz, ""},
		{"davies_bouldin", SelectDaviesBouldin, 0, maven, 2, SelectDaviesBouldin, ""},
		{"no knee", SelectElbow, 0, linear, 2, SelectSilhouette,
			"select elbow: the inertia curve has no elbow (Kneedle found no knee) for k = 1..10; chose k = 2 by the best silhouette instead"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.from
			k, used, warn, err := choose(scores(ks[f:], tc.inertia[f:], sil[f:], ch[f:], db[f:]), tc.method)
			if err != nil || k != tc.k || used != tc.used || warn != tc.warn {
				t.Errorf("got k %d, %q, %q, %v; want k %d, %q, %q", k, used, warn, err, tc.k, tc.used, tc.warn)
			}
		})
	}
	// Ties go to the smallest k; NaN never wins.
	tied := []float64{nan, 0.5, 0.7, 0.7}
	if k, err := best(scores(ks[:4], linear[:4], tied, tied, tied), SelectSilhouette); err != nil || k != 3 {
		t.Errorf("tie: k %d, %v", k, err)
	}
	allNaN := []float64{nan, nan, nan}
	if _, _, _, err := choose(scores(ks[:3], linear[:3], allNaN, allNaN, allNaN), SelectElbow); err == nil ||
		err.Error() != "select elbow: kneedle: no knee found, and no k has a defined score for the silhouette fallback" {
		t.Errorf("got %v", err)
	}
}

func TestKJSON(t *testing.T) {
	for _, tc := range []struct {
		k          K
		json, text string
	}{{K{Auto: true}, `"auto"`, "auto"}, {K{Value: 4}, `4`, "4"}} {
		b, err := json.Marshal(tc.k)
		if err != nil || string(b) != tc.json || tc.k.String() != tc.text {
			t.Errorf("%#v: JSON %s (%v), String %q", tc.k, b, err, tc.k.String())
		}
	}
}

func TestKsAndWeights(t *testing.T) {
	c := NewConfig().(*Config)
	c.Features = []string{"a", "b", "c"}
	if got := c.ks(); !slices.Equal(got, []int{2, 3, 4, 5, 6, 7, 8, 9, 10}) {
		t.Errorf("auto ks %v", got)
	}
	c.K = K{Value: 12}
	c.Elbow = &Range{1, 4}
	if got := c.ks(); !slices.Equal(got, []int{1, 2, 3, 4, 12}) {
		t.Errorf("fixed ks with elbow %v", got)
	}
	c.K = K{Value: 3}
	if got := c.ks(); !slices.Equal(got, []int{1, 2, 3, 4}) {
		t.Errorf("fixed ks inside elbow %v", got)
	}
	if c.weights() != nil {
		t.Error("weights without a weights map")
	}
	c.Weights = map[string]float64{"c": 2}
	if got := c.weights(); !slices.Equal(got, []float64{1, 1, 2}) {
		t.Errorf("weights %v", got)
	}
	if err := c.Validate(); err != nil {
		t.Errorf("defaults with features do not validate: %v", err)
	}
	if s := uint64(3); c.seed(7) != 7 || func() uint64 { c.Seed = &s; return c.seed(7) }() != 3 {
		t.Error("seed precedence")
	}
}

// TestCheckConstant and featureMatrix on a hand-made matrix.
func TestCheckConstant(t *testing.T) {
	X := []float64{1, 5, 2, 5, 3, 5}
	if err := checkConstant(X, 3, 2, []string{"a", "b"}); err == nil ||
		err.Error() != `feature "b" has the same value (5) in all 3 rows (zero variance); it cannot separate segments: remove it from features` {
		t.Errorf("got %v", err)
	}
	if err := checkConstant(X[:2], 1, 2, []string{"a", "b"}); err != nil {
		t.Errorf("one row: %v", err)
	}
}
