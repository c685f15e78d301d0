package stability

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/churnlab/segment/internal/kproto"
)

// TestJaccardByHand: rows 0..9, original clusters A = {0,1,2,3,4},
// B = {5,6,7,8,9}; the resample's distinct rows are {0,1,2,5,6,7,8}
// (rows 3, 4 and 9 not drawn), clustered as D0 = {0,1}, D1 = {2,5,6,7,8}.
// Restricted to the drawn rows A = {0,1,2}, B = {5,6,7,8}:
// J(A,D0) = 2/3, J(A,D1) = 1/7, J(B,D0) = 0, J(B,D1) = 4/5; so A scores
// 2/3 and B 4/5. With weight 3 on row 2: J(A,D0) = 2/5, J(A,D1) = 3/9,
// J(B,D1) = 4/7, so A scores 2/5 and B 4/7.
func TestJaccardByHand(t *testing.T) {
	labels := []int32{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}
	rows := []int32{0, 1, 2, 5, 6, 7, 8}
	boot := []int32{0, 0, 1, 1, 1, 1, 1}
	got, err := bestJaccard(labels, 2, rows, boot, nil)
	if err != nil || math.Abs(got[0]-2.0/3) > 1e-15 || math.Abs(got[1]-4.0/5) > 1e-15 {
		t.Errorf("got %v %v, want [2/3 4/5]", got, err)
	}
	w := []float64{1, 1, 3, 1, 1, 1, 1, 1, 1, 1}
	got, _ = bestJaccard(labels, 2, rows, boot, w)
	if math.Abs(got[0]-2.0/5) > 1e-15 || math.Abs(got[1]-4.0/7) > 1e-15 {
		t.Errorf("weighted: got %v, want [2/5 4/7]", got)
	}
	// A cluster with no drawn row scores 0 (clusterboot's zerobyzero = 0).
	got, _ = bestJaccard([]int32{0, 1, 1}, 2, []int32{1, 2}, []int32{0, 0}, nil)
	if got[0] != 0 || got[1] != 1 {
		t.Errorf("absent cluster: got %v, want [0 1]", got)
	}
}

func kmeansLabels(t *testing.T, X []float64, n, d, k int) []int32 {
	labels, _, err := lloyd(10)(t.Context(), X, n, d, k, nil, 1)
	if err != nil {
		t.Fatal(err)
	}
	return labels
}

// TestBootstrapSeparated: three well-separated blobs with k = 3 → every
// cluster's mean Jaccard is 1 (to 1e-3), none dissolved, ARI 1.
func TestBootstrapSeparated(t *testing.T) {
	X, _ := blobs(1, 300, [][]float64{{0, 0}, {10, 0}, {0, 10}}, 1)
	labels := kmeansLabels(t, X, 300, 2, 3)
	res, err := Bootstrap(t.Context(), labels, 3, KMeans(X, 300, 2, 3, nil, lloyd(3)), BootOptions{B: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Clusters {
		if c.MeanJaccard < 0.999 || c.Dissolved != 0 || c.Recovered != 20 || c.Unstable {
			t.Errorf("cluster %d: mean Jaccard %.4f, dissolved %d, recovered %d", c.Cluster, c.MeanJaccard, c.Dissolved, c.Recovered)
		}
	}
	if res.MeanARI < 0.999 {
		t.Errorf("mean ARI %.4f, want 1", res.MeanARI)
	}
}

// cube is one cluster without structure that k-means could find: the 64
// corners of the cube {±1}^6, 6 slightly jittered copies of each. Every
// axis-aligned halving is an equally good 2-means split, so which one a
// fit returns is arbitrary and changes from resample to resample.
func cube(seed uint64) ([]float64, int) {
	const d = 6
	rng := rand.New(rand.NewPCG(seed, 6))
	var X []float64
	for copyNo := 0; copyNo < 6; copyNo++ {
		for v := 0; v < 1<<d; v++ {
			for f := 0; f < d; f++ {
				X = append(X, float64(2*(v>>f&1)-1)+0.05*rng.NormFloat64())
			}
		}
	}
	return X, len(X) / d
}

// TestBootstrapSplitCluster: the cube (one real cluster) cut into k = 2
// arbitrary halves gives both halves a mean Jaccard below 0.6 (flagged
// unstable, several bootstraps dissolved: two different axis splits
// overlap with Jaccard 1/3); with a far, real cluster added (k = 3), that
// cluster scores ≈ 1 while the halves of the cube stay low.
func TestBootstrapSplitCluster(t *testing.T) {
	X, n := cube(1)
	labels := kmeansLabels(t, X, n, 6, 2)
	res, err := Bootstrap(t.Context(), labels, 2, KMeans(X, n, 6, 2, nil, lloyd(5)), BootOptions{B: 30, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Clusters {
		t.Logf("cube half %d: mean Jaccard %.3f, dissolved %d of 30", c.Cluster, c.MeanJaccard, c.Dissolved)
		if !c.Unstable || c.MeanJaccard >= 0.6 || c.Dissolved == 0 {
			t.Errorf("cube half %d: mean Jaccard %.3f, dissolved %d; want < 0.6, flagged, some dissolved", c.Cluster, c.MeanJaccard, c.Dissolved)
		}
	}
	far, _ := blobs(4, 128, [][]float64{{12, 12, 12, 12, 12, 12}}, 0.5)
	X = append(X, far...)
	labels = kmeansLabels(t, X, n+128, 6, 3)
	res, err = Bootstrap(t.Context(), labels, 3, KMeans(X, n+128, 6, 3, nil, lloyd(5)), BootOptions{B: 30, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	real := int(labels[n])
	for _, c := range res.Clusters {
		t.Logf("k = 3, cluster %d (real: %v): mean Jaccard %.3f", c.Cluster, c.Cluster == real, c.MeanJaccard)
		switch {
		case c.Cluster == real && c.MeanJaccard < 0.99:
			t.Errorf("the real cluster: mean Jaccard %.3f, want ≈ 1", c.MeanJaccard)
		case c.Cluster != real && c.MeanJaccard >= 0.6:
			t.Errorf("a half of the cube: mean Jaccard %.3f, want < 0.6", c.MeanJaccard)
		}
	}
	if res.MeanARI > 0.9 || res.SDARI == 0 {
		t.Errorf("ARI %.3f ± %.3f: the arbitrary halvings should lower it and vary", res.MeanARI, res.SDARI)
	}
	t.Logf("k = 3: ARI %.3f ± %.3f", res.MeanARI, res.SDARI)
}

// TestBootstrapKPrototypes: two well-separated mixed segments (numeric
// blobs that also differ in their categories), k-prototypes with the
// original γ → Jaccard ≈ 1; the result is deterministic, and the
// subsample option draws SampleSize rows.
func TestBootstrapKPrototypes(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 8))
	const n = 400
	num := make([]float64, 2*n)
	cat := [][]int32{make([]int32, n), make([]int32, n)}
	for i := 0; i < n; i++ {
		g := i % 2
		num[2*i] = float64(6*g) + rng.NormFloat64()
		num[2*i+1] = rng.NormFloat64()
		cat[0][i] = int32(g)
		if rng.Float64() < 0.2 {
			cat[0][i] = int32(2)
		}
		cat[1][i] = int32(rng.IntN(3))
	}
	opt := kproto.Options{K: 2, NInit: 3, Init: kproto.InitHuang, Workers: 1}
	fit, err := kproto.Fit(t.Context(), num, n, 2, cat, opt)
	if err != nil {
		t.Fatal(err)
	}
	opt.Gamma = fit.Gamma
	bo := BootOptions{B: 15, Seed: 5, SampleSize: 300}
	res, err := Bootstrap(t.Context(), fit.Labels, 2, KPrototypes(num, n, 2, cat, opt), bo)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range res.Clusters {
		if c.MeanJaccard < 0.98 || c.Unstable {
			t.Errorf("cluster %d: mean Jaccard %.4f", c.Cluster, c.MeanJaccard)
		}
	}
	again, err := Bootstrap(t.Context(), fit.Labels, 2, KPrototypes(num, n, 2, cat, opt), bo)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.ARI, again.ARI) || !slices.Equal(res.Clusters[0].Jaccard, again.Clusters[0].Jaccard) {
		t.Errorf("two runs with the same seed differ")
	}
	if res.SampleSize != 300 {
		t.Errorf("sample size %d", res.SampleSize)
	}
}

// TestResample: m draws, distinct rows ascending, multiplicities summing
// to m (or ones), and the scratch counts left at zero.
func TestResample(t *testing.T) {
	count := make([]int32, 50)
	rows, mult := resample(count, 50, true, stream(1, saltResample, 0))
	var s float64
	for i, r := range rows {
		s += mult[i]
		if i > 0 && rows[i-1] >= r {
			t.Fatalf("rows not increasing: %v", rows)
		}
	}
	if s != 50 || slices.ContainsFunc(count, func(c int32) bool { return c != 0 }) {
		t.Errorf("multiplicities sum to %v; counts %v", s, count)
	}
	// About 1 − 1/e of the rows are drawn at least once.
	if len(rows) < 25 || len(rows) > 40 {
		t.Errorf("%d distinct rows of 50", len(rows))
	}
	_, ones := resample(count, 50, false, stream(1, saltResample, 0))
	if slices.ContainsFunc(ones, func(v float64) bool { return v != 1 }) {
		t.Errorf("multipleboot false: %v", ones)
	}
}

// TestBootstrapErrors: bad input is an error, not a panic.
func TestBootstrapErrors(t *testing.T) {
	fit := KMeans([]float64{0, 1, 2}, 3, 1, 2, nil, lloyd(1))
	if _, err := Bootstrap(t.Context(), []int32{0, 2, 1}, 2, fit, BootOptions{}); err == nil {
		t.Errorf("label outside 0..k-1 accepted")
	}
	if _, err := Bootstrap(t.Context(), nil, 2, fit, BootOptions{}); err == nil {
		t.Errorf("no rows accepted")
	}
	if _, err := Gap(t.Context(), []float64{0, 1, 2}, 3, 1, lloyd(1), GapOptions{KMin: 2, KMax: 2}); err == nil {
		t.Errorf("k range 2..2 accepted")
	}
	if _, err := Gap(t.Context(), []float64{0, math.NaN(), 2}, 3, 1, lloyd(1), GapOptions{KMin: 1, KMax: 2}); err == nil {
		t.Errorf("NaN accepted")
	}
}
