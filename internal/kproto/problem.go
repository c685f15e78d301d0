package kproto

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sort"
)

// ErrTooFewDistinct is returned (wrapped) when the data have fewer than K
// distinct rows, so K non-empty clusters with distinct prototypes cannot
// exist.
var ErrTooFewDistinct = errors.New("fewer distinct rows than clusters")

// problem is the validated input in the layout the algorithm uses.
type problem struct {
	n, p, q, k int
	x          []float64 // n×p, the caller's slice (never written)
	// codes is n×q row-major, shifted by one: 0 = missing, c+1 = category c.
	codes  []int32
	card   []int // per categorical feature: shifted codes are < card[c]
	off    []int // start of feature c in the flattened category space
	tot    int   // Σ card
	w      []float64
	cumw   []float64 // cumulative weights (nil when w is nil)
	wtotal float64
	gamma  float64
	// useTab: match counts come from per-category bit tables (q ≤ 255).
	useTab  bool
	words   int // 64-bit words per table entry: ceil(k/8)
	workers int
}

func (pr *problem) weight(i int) float64 {
	if pr.w == nil {
		return 1
	}
	return pr.w[i]
}

func resolveWorkers(w int) int {
	if w <= 0 {
		w = runtime.GOMAXPROCS(0)
	}
	return max(w, 1)
}

// newProblem validates the input and packs the categorical codes.
func newProblem(num []float64, n, p int, cat [][]int32, opt *Options) (*problem, error) {
	k := opt.K
	q := len(cat)
	switch {
	case n <= 0:
		return nil, fmt.Errorf("k-prototypes: no rows to cluster")
	case p < 0:
		return nil, fmt.Errorf("k-prototypes: negative number of numeric features %d", p)
	case p+q == 0:
		return nil, fmt.Errorf("k-prototypes: no features to cluster on")
	case len(num) != n*p:
		return nil, fmt.Errorf("k-prototypes: numeric matrix has %d values, want rows × features = %d × %d", len(num), n, p)
	case k < 1:
		return nil, fmt.Errorf("k-prototypes: k = %d, want at least 1", k)
	case k > n:
		return nil, fmt.Errorf("k-prototypes: k = %d is more than the %d rows", k, n)
	case opt.NInit < 0:
		return nil, fmt.Errorf("k-prototypes: n_init = %d, want at least 1", opt.NInit)
	case opt.MaxIter < 0:
		return nil, fmt.Errorf("k-prototypes: max_iter = %d, want at least 1", opt.MaxIter)
	case !(opt.Tol >= 0) || math.IsInf(opt.Tol, 0):
		return nil, fmt.Errorf("k-prototypes: tol = %v, want a number ≥ 0", opt.Tol)
	case opt.Gamma < 0 || math.IsNaN(opt.Gamma) || math.IsInf(opt.Gamma, 0):
		return nil, fmt.Errorf("k-prototypes: gamma = %v, want a positive number (or 0 for the default rule)", opt.Gamma)
	case opt.Init > InitHuang:
		return nil, fmt.Errorf("k-prototypes: unknown init %v", opt.Init)
	case opt.Missing > MissingCategory:
		return nil, fmt.Errorf("k-prototypes: unknown missing policy %v", opt.Missing)
	case opt.Init == InitCao && q == 0 && opt.Start == nil:
		return nil, fmt.Errorf("k-prototypes: Cao's initialisation needs categorical features; use init huang")
	}
	pr := &problem{n: n, p: p, q: q, k: k, x: num, workers: resolveWorkers(opt.Workers)}
	for i, v := range num {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("k-prototypes: row %d, %s is %v; impute or drop such rows first", i/p, opt.numName(i%p), v)
		}
	}
	if err := pr.setWeights(opt.Weights); err != nil {
		return nil, err
	}
	if err := pr.packCodes(cat, opt); err != nil {
		return nil, err
	}
	if err := pr.setGamma(opt.Gamma); err != nil {
		return nil, err
	}
	pr.words = (k + 7) / 8
	pr.useTab = q > 0 && q <= 255
	if opt.Start != nil {
		if err := pr.checkStart(opt.Start, opt); err != nil {
			return nil, err
		}
	}
	return pr, nil
}

func (pr *problem) setWeights(w []float64) error {
	if w == nil {
		pr.wtotal = float64(pr.n)
		return nil
	}
	if len(w) != pr.n {
		return fmt.Errorf("k-prototypes: %d weights for %d rows", len(w), pr.n)
	}
	pr.cumw = make([]float64, pr.n)
	var s float64
	for i, v := range w {
		if !(v > 0) || math.IsInf(v, 0) {
			return fmt.Errorf("k-prototypes: row %d has weight %v; weights must be finite and > 0 (drop rows with weight 0)", i, v)
		}
		s += v
		pr.cumw[i] = s
	}
	pr.w = w
	pr.wtotal = s
	return nil
}

func (pr *problem) packCodes(cat [][]int32, opt *Options) error {
	n, q := pr.n, pr.q
	pr.card = make([]int, q)
	pr.off = make([]int, q)
	for c, col := range cat {
		if len(col) != n {
			return fmt.Errorf("k-prototypes: %s has %d rows, want %d", opt.catName(c), len(col), n)
		}
		hi := int32(-1)
		for i, v := range col {
			switch {
			case v < -1:
				return fmt.Errorf("k-prototypes: row %d, %s has code %d; codes are ≥ 0, or -1 for missing", i, opt.catName(c), v)
			case v == -1 && opt.Missing == MissingError:
				return fmt.Errorf("k-prototypes: row %d, %s is missing; drop or fill such rows, or treat missing as a category of its own", i, opt.catName(c))
			}
			hi = max(hi, v)
		}
		if hi >= math.MaxInt32-1 {
			return fmt.Errorf("k-prototypes: %s has code %d, too large", opt.catName(c), hi)
		}
		pr.card[c] = int(hi) + 2
		pr.off[c] = pr.tot
		pr.tot += pr.card[c]
	}
	pr.codes = make([]int32, n*q)
	forChunks(n, pr.workers, func(_, lo, hi int) {
		for c, col := range cat {
			for i := lo; i < hi; i++ {
				pr.codes[i*q+c] = col[i] + 1
			}
		}
	})
	return nil
}

// setGamma applies the kmodes rule 0.5 × mean of the numeric features'
// (weighted, population) standard deviations when gamma is 0.
func (pr *problem) setGamma(gamma float64) error {
	if gamma > 0 {
		pr.gamma = gamma
		return nil
	}
	if pr.p == 0 {
		pr.gamma = 1
		return nil
	}
	sd := pr.numericSD()
	var s float64
	for _, v := range sd {
		s += v
	}
	pr.gamma = 0.5 * s / float64(pr.p)
	if pr.gamma == 0 && pr.q > 0 {
		return fmt.Errorf("k-prototypes: every numeric feature is constant, so the default gamma is 0; set gamma to a positive value")
	}
	return nil
}

// numericSD returns each numeric feature's weighted population standard
// deviation (numpy's std with ddof=0; with weights, Σw(x−m)²/Σw), in two
// chunked passes.
func (pr *problem) numericSD() []float64 {
	n, p := pr.n, pr.p
	nc := numChunks(n)
	part := make([]float64, nc*p)
	forChunks(n, pr.workers, func(c, lo, hi int) {
		s := part[c*p : c*p+p]
		for i := lo; i < hi; i++ {
			w := pr.weight(i)
			for f, v := range pr.x[i*p : i*p+p] {
				s[f] += float64(w * v)
			}
		}
	})
	mean := reduce(part, nc, p)
	for f := range mean {
		mean[f] /= pr.wtotal
	}
	clear(part)
	forChunks(n, pr.workers, func(c, lo, hi int) {
		s := part[c*p : c*p+p]
		for i := lo; i < hi; i++ {
			w := pr.weight(i)
			for f, v := range pr.x[i*p : i*p+p] {
				t := v - mean[f]
				s[f] += float64(w * float64(t*t))
			}
		}
	})
	sd := reduce(part, nc, p)
	for f := range sd {
		sd[f] = math.Sqrt(sd[f] / pr.wtotal)
	}
	return sd
}

// reduce sums nc consecutive blocks of width w in block order.
func reduce(part []float64, nc, w int) []float64 {
	out := make([]float64, w)
	for c := 0; c < nc; c++ {
		for j, v := range part[c*w : c*w+w] {
			out[j] += v
		}
	}
	return out
}

func (pr *problem) checkStart(s *Prototypes, opt *Options) error {
	k, p, q := pr.k, pr.p, pr.q
	if len(s.Centroids) != k*p || len(s.Modes) != k*q {
		return fmt.Errorf("k-prototypes: start prototypes have %d numeric and %d categorical values, want %d×%d and %d×%d",
			len(s.Centroids), len(s.Modes), k, p, k, q)
	}
	for i, v := range s.Centroids {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("k-prototypes: start prototype %d, %s is %v", i/p, opt.numName(i%p), v)
		}
	}
	for i, v := range s.Modes {
		if v < -1 {
			return fmt.Errorf("k-prototypes: start prototype %d, %s has code %d", i/q, opt.catName(i%q), v)
		}
	}
	return nil
}

// drawRow returns a row drawn with probability ∝ weight (uniform without
// weights), consuming exactly one Float64 from rng.
func (pr *problem) drawRow(u float64) int {
	if pr.cumw == nil {
		return min(int(u*float64(pr.n)), pr.n-1)
	}
	t := u * pr.wtotal
	i := sort.Search(pr.n, func(i int) bool { return pr.cumw[i] > t })
	return min(i, pr.n-1)
}
