package metrics

import (
	"math"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// 1-D hand example: clusters {0, 1}, {4, 6}, the singleton {20}; label 3 is
// unused (k = 4).
var (
	handX      = []float64{0, 1, 4, 6, 20}
	handLabels = []int32{0, 0, 1, 1, 2}
	// s = 0.8, 0.75, 3/7, 7/11 and 0 (singleton): row 0 has a = 1 and
	// b = min((4+6)/2, 20) = 5; row 1 a = 1, b = (3+5)/2; row 2 a = 2,
	// b = (4+3)/2; row 3 a = 2, b = (6+5)/2.
	handSilhouette = (0.8 + 0.75 + 3.0/7 + 7.0/11 + 0) / 5
)

func TestSilhouetteHand(t *testing.T) {
	const tol = 1e-15
	got, err := Silhouette(handX, 5, 1, handLabels, 4)
	if err != nil {
		t.Fatal(err)
	}
	if !near(got, handSilhouette, tol) {
		t.Errorf("Silhouette = %.17g, want %.17g", got, handSilhouette)
	}
	// Relabelling (and a different k) does not change the value.
	got2, err := Silhouette(handX, 5, 1, []int32{5, 5, 0, 0, 2}, 6)
	if err != nil || got2 != got {
		t.Errorf("relabelled: %v, %v; want %v", got2, err, got)
	}
	// Row order does not matter either (up to rounding of the mean).
	got3, _ := Silhouette([]float64{20, 6, 4, 1, 0}, 5, 1, []int32{2, 1, 1, 0, 0}, 3)
	if !near(got3, got, tol) {
		t.Errorf("reversed rows: %v, want %v", got3, got)
	}
}

func TestSilhouetteErrors(t *testing.T) {
	tests := []struct {
		name   string
		X      []float64
		n, d   int
		labels []int32
		k      int
		want   string
	}{
		{"k < 2", handX, 5, 1, make([]int32, 5), 1, "need k ≥ 2 clusters, got k = 1"},
		{"one cluster", handX, 5, 1, make([]int32, 5), 3, "1 non-empty clusters among 5 rows; need between 2 and 4"},
		{"all singletons", handX, 5, 1, []int32{0, 1, 2, 3, 4}, 5, "5 non-empty clusters among 5 rows; need between 2 and 4"},
		{"label range", handX, 5, 1, []int32{0, 0, 1, 1, 4}, 4, "label 4 of row 4 is outside [0, 4)"},
		{"negative label", handX, 5, 1, []int32{0, -1, 1, 1, 2}, 4, "label -1 of row 1 is outside [0, 4)"},
		{"labels length", handX, 5, 1, handLabels[:4], 4, "4 labels for 5 rows"},
		{"shape", handX, 3, 2, handLabels[:3], 4, "data has 5 values, want 3 rows × 2 columns = 6"},
		{"empty", nil, 0, 1, nil, 2, "need at least one row and one column, got 0×1"},
		{"NaN", []float64{0, 1, math.NaN(), 6}, 2, 2, []int32{0, 1}, 2, "value NaN at row 1, column 0 is not finite"},
	}
	for _, tc := range tests {
		s, err := Silhouette(tc.X, tc.n, tc.d, tc.labels, tc.k)
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
		if !math.IsNaN(s) {
			t.Errorf("%s: value %v with an error", tc.name, s)
		}
		if _, err := SilhouetteSample(tc.X, tc.n, tc.d, tc.labels, tc.k, 3, 1); err == nil {
			t.Errorf("%s: SilhouetteSample accepted it", tc.name)
		}
		if v := CalinskiHarabasz(tc.X, tc.n, tc.d, tc.labels, tc.k); !math.IsNaN(v) {
			t.Errorf("%s: CalinskiHarabasz = %v, want NaN", tc.name, v)
		}
		if v := DaviesBouldin(tc.X, tc.n, tc.d, tc.labels, tc.k); !math.IsNaN(v) {
			t.Errorf("%s: DaviesBouldin = %v, want NaN", tc.name, v)
		}
	}
	if _, err := SilhouetteSample(handX, 5, 1, handLabels, 4, 1, 1); err == nil || !strings.Contains(err.Error(), "sample size 1") {
		t.Errorf("sample size 1: %v", err)
	}
}

func TestSilhouetteNotMutated(t *testing.T) {
	X, labels := blobs(300, 3, 4, 9)
	Xc, lc := slices.Clone(X), slices.Clone(labels)
	Silhouette(X, 300, 3, labels, 4)
	SilhouetteSample(X, 300, 3, labels, 4, 100, 1)
	CalinskiHarabasz(X, 300, 3, labels, 4)
	DaviesBouldin(X, 300, 3, labels, 4)
	if !slices.Equal(X, Xc) || !slices.Equal(labels, lc) {
		t.Error("inputs mutated")
	}
}

// TestSilhouetteDeterministicBlocks runs a case with many blocks and rounds
// (2001 rows: 32 blocks, the last one short) under several GOMAXPROCS.
func TestSilhouetteDeterministicBlocks(t *testing.T) {
	const n, d, k = 2001, 3, 4
	X, labels := blobs(n, d, k, 5)
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	want, err := Silhouette(X, n, d, labels, k)
	if err != nil {
		t.Fatal(err)
	}
	wantS, _ := SilhouetteSample(X, n, d, labels, k, 700, 42)
	for _, p := range []int{2, 3, 7} {
		runtime.GOMAXPROCS(p)
		if got, _ := Silhouette(X, n, d, labels, k); got != want {
			t.Errorf("GOMAXPROCS=%d: %.17g, GOMAXPROCS=1: %.17g", p, got, want)
		}
		if got, _ := SilhouetteSample(X, n, d, labels, k, 700, 42); got != wantS {
			t.Errorf("sampled, GOMAXPROCS=%d: %.17g, GOMAXPROCS=1: %.17g", p, got, wantS)
		}
	}
	// Against a direct O(n²) evaluation of the definition.
	const tol = 1e-13
	if ref := naiveSilhouette(X, n, d, labels, k); !near(want, ref, tol) {
		t.Errorf("Silhouette = %.17g, naive %.17g", want, ref)
	}
}

// naiveSilhouette evaluates the definition directly, one row at a time.
func naiveSilhouette(X []float64, n, d int, labels []int32, k int) float64 {
	sizes := make([]int, k)
	for _, l := range labels {
		sizes[l]++
	}
	var total float64
	sums := make([]float64, k)
	for i := 0; i < n; i++ {
		clear(sums)
		for j := 0; j < n; j++ {
			sums[labels[j]] += euclid(X[i*d:i*d+d], X[j*d:j*d+d])
		}
		total += silhouetteOf(sums, sizes, int(labels[i]))
	}
	return total / float64(n)
}

func TestSampleIndices(t *testing.T) {
	for _, tc := range []struct{ n, m int }{{10, 10}, {10, 3}, {1000, 1}, {1000, 999}, {100000, 5000}} {
		idx := sampleIndices(tc.n, tc.m, 7)
		if len(idx) != tc.m {
			t.Fatalf("n=%d m=%d: %d indices", tc.n, tc.m, len(idx))
		}
		for i := range idx {
			if idx[i] < 0 || idx[i] >= tc.n || (i > 0 && idx[i] <= idx[i-1]) {
				t.Fatalf("n=%d m=%d: indices not increasing in range: %v", tc.n, tc.m, idx[max(0, i-1):i+1])
			}
		}
		if !slices.Equal(idx, sampleIndices(tc.n, tc.m, 7)) {
			t.Errorf("n=%d m=%d: not reproducible", tc.n, tc.m)
		}
	}
	if slices.Equal(sampleIndices(1000, 10, 1), sampleIndices(1000, 10, 2)) {
		t.Error("seeds 1 and 2 give the same sample")
	}
}

// TestSilhouetteSampleWithinSample checks that the sampled value is the exact
// silhouette of the sampled rows, and close to the exact value of all rows.
func TestSilhouetteSampleWithinSample(t *testing.T) {
	const n, d, k, m = 3000, 4, 5, 400
	X, labels := blobs(n, d, k, 11)
	// Blur the clusters so that the silhouette is far from 1.
	for i := range X {
		X[i] *= 1 + 0.5*float64(i%7)
	}
	got, err := SilhouetteSample(X, n, d, labels, k, m, 99)
	if err != nil {
		t.Fatal(err)
	}
	idx := sampleIndices(n, m, 99)
	var xs []float64
	var ls []int32
	for _, i := range idx {
		xs = append(xs, X[i*d:i*d+d]...)
		ls = append(ls, labels[i])
	}
	want, err := Silhouette(xs, m, d, ls, k)
	if err != nil || got != want {
		t.Errorf("SilhouetteSample = %v, %v; exact on the sample %v", got, err, want)
	}
	exact, _ := Silhouette(X, n, d, labels, k)
	// The standard deviation of a mean of 400 values in [-1, 1] is at most
	// 0.05; the observed spread is much smaller. Allow 0.05.
	if math.Abs(got-exact) > 0.05 {
		t.Errorf("sampled %v, exact %v", got, exact)
	}
	t.Logf("sampled %.4f, exact %.4f", got, exact)
}

func TestSilhouetteSampleLosesClusters(t *testing.T) {
	// 999 rows in cluster 0 and one in cluster 1: most samples of 2 rows
	// hold one cluster only, which is an error, never a panic.
	const n = 1000
	X := make([]float64, n)
	labels := make([]int32, n)
	for i := range X {
		X[i] = float64(i)
	}
	labels[n-1] = 1
	errs := 0
	for seed := uint64(0); seed < 20; seed++ {
		if _, err := SilhouetteSample(X, n, 1, labels, 2, 2, seed); err != nil {
			if !strings.Contains(err.Error(), "fewer than 2 clusters") {
				t.Fatal(err)
			}
			errs++
		}
	}
	if errs == 0 {
		t.Error("no sample lost a cluster")
	}
}

// TestSilhouetteMemory checks that n = 50,000 rows run without an n×n
// allocation (which would be 20 GB): the whole call must allocate less than
// 100 bytes per row.
func TestSilhouetteMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("O(n²) work: skipped in -short and -race runs")
	}
	const n, d, k = 50000, 2, 3
	X, labels := blobs(n, d, k, 4)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	s, err := Silhouette(X, n, d, labels, k)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("n = %d: silhouette %.6f, %d bytes allocated (%.1f per row)", n, s, alloc, float64(alloc)/n)
	if alloc > 100*n {
		t.Errorf("allocated %d bytes for n = %d, want < %d", alloc, n, 100*n)
	}
}
