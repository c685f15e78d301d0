package model

import (
	"fmt"
	"math"

	"github.com/churnlab/segment/internal/stats"
)

// Scores are each row's nearest and second-nearest segments, as Score
// computes them.
type Scores struct {
	// Labels holds each row's segment index (0..K-1), exactly as Assign
	// (and the fit) labels it: ties go to the lowest index.
	Labels []int32
	// Distance is the Euclidean distance to that segment's centroid in
	// scaled units.
	Distance []float64
	// Second is the second-nearest segment index (ties to the lowest
	// index), -1 when K = 1; SecondDistance its distance (NaN when K = 1).
	// SecondDistance − Distance is the margin, ≥ 0.
	Second         []int32
	SecondDistance []float64
	// All holds every centroid's distance, n×K row-major in segment index
	// order, when Score was asked for it (else nil).
	All []float64
	// Outlier reports rows farther from their centroid than their
	// segment's OutlierDistance; nil when the model stores no thresholds
	// (a version-1 model).
	Outlier []bool
}

// Score scales the n×d matrix X (original units, no NaN) with the model's
// scaler and scores each row: its nearest centroid (the same labels as
// Assign), the distance to it, the second-nearest centroid and its
// distance, the outlier flag and, when all is true, the distance to every
// centroid. X is not modified.
func (m *Model) Score(X []float64, n int, all bool) (*Scores, error) {
	if m.Mixed() {
		return nil, fmt.Errorf("model: a model with categorical features is scored with ScoreMixed")
	}
	a, err := m.Assign(X, n)
	if err != nil {
		return nil, err
	}
	k, d := m.K, m.Dim()
	centers := m.CentersFlat()
	sc := &Scores{Labels: a.Labels, Distance: a.Distance, Second: make([]int32, n), SecondDistance: make([]float64, n)}
	if all {
		sc.All = make([]float64, n*k)
	}
	sq := make([]float64, k)
	for i := range n {
		z := a.Scaled[i*d : i*d+d]
		for s := range k {
			sq[s] = sqDist(z, centers[s*d:s*d+d])
		}
		sc.setRow(i, sq, all)
	}
	sc.flagOutliers(m.OutlierDistance, k)
	return sc, nil
}

// setRow fills row i's second-nearest segment (ties to the lowest index;
// -1 and NaN when K = 1) and, with all, every segment's distance, from the
// row's squared distances (or dissimilarities) sq to the K segments;
// Labels[i] must be set.
func (sc *Scores) setRow(i int, sq []float64, all bool) {
	own := int(sc.Labels[i])
	second, best := -1, math.Inf(1)
	for s, v := range sq {
		if s != own && v < best {
			second, best = s, v
		}
	}
	sc.Second[i] = int32(second)
	sc.SecondDistance[i] = math.NaN()
	if second >= 0 {
		sc.SecondDistance[i] = math.Sqrt(best)
	}
	if all {
		k := len(sq)
		for s, v := range sq {
			sc.All[i*k+s] = math.Sqrt(v)
		}
	}
}

// flagOutliers sets Outlier from the K segments' thresholds; a model
// without them (version 1) leaves Outlier nil.
func (sc *Scores) flagOutliers(thresholds []float64, k int) {
	if len(thresholds) != k {
		return
	}
	sc.Outlier = make([]bool, len(sc.Labels))
	for i, l := range sc.Labels {
		sc.Outlier[i] = sc.Distance[i] > thresholds[l]
	}
}

// sqDist is the squared Euclidean distance, summed in feature order as
// internal/kmeans sums it, so that the nearest centroid by these distances
// is the one kmeans.Assign chose (the conversion keeps the compiler from
// fusing the multiply and add, as there).
func sqDist(a, b []float64) float64 {
	var s float64
	for t, v := range a {
		e := v - b[t]
		s += float64(e * e)
	}
	return s
}

// OutlierThresholds returns, per segment, the quantile q (linear
// interpolation, numpy's default) of the distances of its rows to its
// centroid: Z is the n×d scaled matrix, centers the K centroids in scaled
// units and labels each row's segment index. A segment without rows gets
// 0. Z is not modified.
func OutlierThresholds(Z []float64, n, d int, centers [][]float64, labels []int32, q float64) ([]float64, error) {
	if len(Z) != n*d || len(labels) != n {
		return nil, fmt.Errorf("model: %d values and %d labels for %d rows × %d features", len(Z), len(labels), n, d)
	}
	if !(q > 0 && q <= 1) {
		return nil, fmt.Errorf("model: outlier quantile %v is not in (0, 1]", q)
	}
	k := len(centers)
	dist := make([][]float64, k)
	for i, l := range labels {
		if int(l) < 0 || int(l) >= k {
			return nil, fmt.Errorf("model: row %d has segment index %d, k is %d", i, l, k)
		}
		dist[l] = append(dist[l], math.Sqrt(sqDist(Z[i*d:i*d+d], centers[l])))
	}
	out := make([]float64, k)
	for s, ds := range dist {
		if len(ds) == 0 {
			continue
		}
		stats.SortFloat64s(ds)
		out[s] = stats.Quantile(ds, q)
	}
	return out, nil
}
