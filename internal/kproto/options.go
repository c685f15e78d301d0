package kproto

import (
	"fmt"
	"strings"
)

// InitMethod selects how a restart chooses its first prototypes.
type InitMethod uint8

const (
	// InitCao is Cao, Liang & Bai (2009): categorical parts by density and
	// distance (deterministic), numeric parts drawn per restart. It is the
	// kmodes package's default.
	InitCao InitMethod = iota
	// InitHuang is Huang (1998): every feature of every prototype drawn
	// from the feature's (weighted) frequencies, then replaced by the
	// nearest distinct data row.
	InitHuang
)

var initNames = [...]string{InitCao: "cao", InitHuang: "huang"}

func (m InitMethod) String() string {
	if int(m) < len(initNames) {
		return initNames[m]
	}
	return fmt.Sprintf("InitMethod(%d)", uint8(m))
}

// ParseInit converts a config value ("cao" or "huang", any letter case) to
// an InitMethod.
func ParseInit(s string) (InitMethod, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "cao":
		return InitCao, nil
	case "huang":
		return InitHuang, nil
	}
	return 0, fmt.Errorf("unknown k-prototypes init %q (want cao or huang)", s)
}

// MissingPolicy says what a categorical code of -1 (missing) means.
type MissingPolicy uint8

const (
	// MissingError rejects missing categorical values, naming the first
	// row and feature that has one.
	MissingError MissingPolicy = iota
	// MissingCategory treats missing as one more category of its own. It
	// can be a prototype's mode (reported as -1) and matches only missing.
	MissingCategory
)

var missingNames = [...]string{MissingError: "error", MissingCategory: "category"}

func (m MissingPolicy) String() string {
	if int(m) < len(missingNames) {
		return missingNames[m]
	}
	return fmt.Sprintf("MissingPolicy(%d)", uint8(m))
}

// ParseMissing converts a config value ("error" or "category") to a
// MissingPolicy.
func ParseMissing(s string) (MissingPolicy, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return MissingError, nil
	case "category":
		return MissingCategory, nil
	}
	return 0, fmt.Errorf("unknown missing-category policy %q (want error or category)", s)
}

// Default values of Options fields left at zero.
const (
	DefaultNInit   = 10  // kmodes' n_init
	DefaultMaxIter = 100 // kmodes' max_iter
)

// Options controls Fit. The zero value with K set is kmodes'
// KPrototypes(n_clusters=K, init='Cao') with seed 0.
type Options struct {
	K       int // number of clusters, ≥ 1
	NInit   int // restarts, keeping the lowest cost; 0 = DefaultNInit
	MaxIter int // sweeps per restart; 0 = DefaultMaxIter
	// Tol stops a restart once a sweep lowers the cost by no more than
	// Tol × the previous cost. 0 (the default) is kmodes' rule: stop only
	// when a sweep moves nothing or the cost does not decrease, which on
	// data without clear clusters can take MaxIter sweeps of ever smaller
	// gains.
	Tol  float64
	Init InitMethod // InitCao (default) or InitHuang
	// Gamma weighs one categorical mismatch against squared numeric
	// distance. 0 = the kmodes rule: half the mean (weighted, population)
	// standard deviation of the numeric features; 1 when there are none.
	Gamma float64
	Seed  uint64
	// Weights are per-row sample weights (nil = every row counts once):
	// finite and > 0. They weigh the means, the modes' counts, the cost,
	// the default Gamma and the random draws of the initialisation.
	Weights []float64
	Missing MissingPolicy
	// Start, when not nil, gives every restart the same first prototypes
	// (K numeric rows of P values, K categorical rows of Q codes) instead
	// of Init; restarts then differ only in their empty-cluster draws.
	Start *Prototypes
	// Workers is the number of goroutines; 0 = GOMAXPROCS. Results do not
	// depend on it.
	Workers int
	// NumericNames and CategoricalNames, when given, name the features in
	// error messages.
	NumericNames     []string
	CategoricalNames []string
}

// DefaultOptions returns the kmodes defaults for k clusters.
func DefaultOptions(k int) Options {
	return Options{K: k, NInit: DefaultNInit, MaxIter: DefaultMaxIter, Init: InitCao}
}

// Prototypes are k cluster prototypes: numeric centroids (k×P, row-major)
// and categorical modes (k×Q, row-major, in the caller's codes; -1 is the
// missing category).
type Prototypes struct {
	Centroids []float64
	Modes     []int32
}

func (o *Options) numName(f int) string {
	if f < len(o.NumericNames) && o.NumericNames[f] != "" {
		return fmt.Sprintf("numeric feature %d (%q)", f, o.NumericNames[f])
	}
	return fmt.Sprintf("numeric feature %d", f)
}

func (o *Options) catName(c int) string {
	if c < len(o.CategoricalNames) && o.CategoricalNames[c] != "" {
		return fmt.Sprintf("categorical feature %d (%q)", c, o.CategoricalNames[c])
	}
	return fmt.Sprintf("categorical feature %d", c)
}
