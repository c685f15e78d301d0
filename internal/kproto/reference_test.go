package kproto

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// This file holds the plain references the optimised code is checked
// against: the k-prototypes cost written out directly, and a line-by-line
// reimplementation of the documented procedure (kmodes' k_prototypes with
// the fixes listed in doc.go) without any of the optimisations — no
// incremental sums or counts, no match tables, no chunking, no
// goroutines: every prototype is recomputed from its members whenever a
// row moves.

// refCost is Σ_i w_i (Σ_f (x_if − c_{l_i f})² + γ Σ_c [a_ic ≠ m_{l_i c}]).
func refCost(t table, labels []int32, cent []float64, modes []int32, gamma float64) float64 {
	q := len(t.cat)
	var total float64
	for i := 0; i < t.n; i++ {
		j := int(labels[i])
		var num float64
		for f := 0; f < t.p; f++ {
			d := t.num[i*t.p+f] - cent[j*t.p+f]
			num += d * d
		}
		mis := 0
		for c := 0; c < q; c++ {
			if t.cat[c][i] != modes[j*q+c] {
				mis++
			}
		}
		total += t.wt(i) * (num + gamma*float64(mis))
	}
	return total
}

// plain is the reference implementation's state.
type plain struct {
	t      table
	k, q   int
	gamma  float64
	labels []int32
	cent   []float64
	modes  []int32
	cumw   []float64
	wtotal float64
}

func (pl *plain) dist(i, j int) float64 {
	x := pl.t.num[i*pl.t.p : i*pl.t.p+pl.t.p]
	a := make([]int32, pl.q)
	for c := range a {
		a[c] = pl.t.cat[c][i]
	}
	return protoDist(x, pl.cent[j*pl.t.p:j*pl.t.p+pl.t.p], a, pl.modes[j*pl.q:j*pl.q+pl.q], pl.gamma)
}

func (pl *plain) nearest(i int) (int, float64) {
	best, bestD := 0, pl.dist(i, 0)
	for j := 1; j < pl.k; j++ {
		if d := pl.dist(i, j); d < bestD {
			best, bestD = j, d
		}
	}
	return best, bestD
}

// update recomputes every prototype from its members: weighted means, and
// modes = highest weighted count, lowest code (-1 lowest) among ties.
func (pl *plain) update() {
	p := pl.t.p
	for j := 0; j < pl.k; j++ {
		var w float64
		sum := make([]float64, p)
		counts := map[int32]float64{}
		count := 0
		for i := 0; i < pl.t.n; i++ {
			if int(pl.labels[i]) != j {
				continue
			}
			count++
			w += pl.t.wt(i)
			for f := 0; f < p; f++ {
				sum[f] += pl.t.wt(i) * pl.t.num[i*p+f]
			}
		}
		for f := 0; f < p; f++ {
			if count > 0 {
				pl.cent[j*p+f] = sum[f] / w
			} else {
				pl.cent[j*p+f] = 0
			}
		}
		for c := 0; c < pl.q; c++ {
			clear(counts)
			for i := 0; i < pl.t.n; i++ {
				if int(pl.labels[i]) == j {
					counts[pl.t.cat[c][i]] += pl.t.wt(i)
				}
			}
			best, bestW := int32(-1), -1.0
			for code, cw := range counts {
				if cw > bestW || (cw == bestW && code < best) {
					best, bestW = code, cw
				}
			}
			pl.modes[j*pl.q+c] = best
		}
	}
}

func (pl *plain) cost() float64 {
	var total float64
	for i := 0; i < pl.t.n; i++ {
		_, d := pl.nearest(i)
		total += pl.t.wt(i) * d
	}
	return total
}

func (pl *plain) draw(u float64) int {
	if pl.t.weights == nil {
		return min(int(u*float64(pl.t.n)), pl.t.n-1)
	}
	x := u * pl.wtotal
	for i, c := range pl.cumw {
		if c > x {
			return i
		}
	}
	return pl.t.n - 1
}

func (pl *plain) setRow(j, r int) {
	for f := 0; f < pl.t.p; f++ {
		pl.cent[j*pl.t.p+f] = pl.t.num[r*pl.t.p+f]
	}
	for c := 0; c < pl.q; c++ {
		pl.modes[j*pl.q+c] = pl.t.cat[c][r]
	}
}

func (pl *plain) distinct(r, j int) bool {
	for s := 0; s < j; s++ {
		if pl.dist(r, s) == 0 {
			return false
		}
	}
	return true
}

func (pl *plain) protoEqual(a, b int) bool {
	p := pl.t.p
	return protoDist(pl.cent[a*p:a*p+p], pl.cent[b*p:b*p+p], pl.modes[a*pl.q:a*pl.q+pl.q], pl.modes[b*pl.q:b*pl.q+pl.q], pl.gamma) == 0
}

type plainRestart struct {
	cost        float64
	iters       int
	converged   bool
	relocations int
	cent        []float64
	modes       []int32
}

func (pl *plain) refill(j int, rng interface{ Float64() float64 }) {
	counts := make([]int, pl.k)
	wsum := make([]float64, pl.k)
	for i, l := range pl.labels {
		counts[l]++
		wsum[l] += pl.t.wt(i)
	}
	src := 0
	for c := 1; c < pl.k; c++ {
		if counts[c] > counts[src] {
			src = c
		}
	}
	u := rng.Float64() * wsum[src]
	pick := -1
	var acc float64
	for i, l := range pl.labels {
		if int(l) != src {
			continue
		}
		pick = i
		acc += pl.t.wt(i)
		if u < acc {
			break
		}
	}
	pl.labels[pick] = int32(j)
	pl.update()
}

func (pl *plain) empty(j int) bool {
	return !slices.Contains(pl.labels, int32(j))
}

// plainFit is the reference Fit.
func plainFit(t table, opt Options) (labels []int32, cost float64, best int, runs []plainRestart) {
	q := len(t.cat)
	pl := &plain{t: t, k: opt.K, q: q}
	// γ: half the mean weighted population standard deviation.
	if opt.Gamma > 0 {
		pl.gamma = opt.Gamma
	} else if t.p == 0 {
		pl.gamma = 1
	} else {
		var sdSum float64
		for f := 0; f < t.p; f++ {
			var m, w float64
			for i := 0; i < t.n; i++ {
				m += t.wt(i) * t.num[i*t.p+f]
				w += t.wt(i)
			}
			m /= w
			var v float64
			for i := 0; i < t.n; i++ {
				d := t.num[i*t.p+f] - m
				v += t.wt(i) * d * d
			}
			sdSum += math.Sqrt(v / w)
		}
		pl.gamma = 0.5 * sdSum / float64(t.p)
	}
	for i := 0; i < t.n; i++ {
		pl.wtotal += t.wt(i)
		pl.cumw = append(pl.cumw, pl.wtotal)
	}
	// Cao's seed rows, from the data alone.
	var caoRows []int
	var caoW []float64
	if opt.Init == InitCao {
		dens := make([]float64, t.n)
		for c := 0; c < q; c++ {
			freq := map[int32]float64{}
			for i := 0; i < t.n; i++ {
				freq[t.cat[c][i]] += t.wt(i)
			}
			for i := 0; i < t.n; i++ {
				dens[i] += freq[t.cat[c][i]] / (pl.wtotal * float64(q))
			}
		}
		mis := func(a, b int) int {
			m := 0
			for c := 0; c < q; c++ {
				if t.cat[c][a] != t.cat[c][b] {
					m++
				}
			}
			return m
		}
		for s := 0; s < opt.K; s++ {
			bestI, bestS := -1, math.Inf(-1)
			for i := 0; i < t.n; i++ {
				score := dens[i]
				if s > 0 {
					m := math.MaxInt
					for _, r := range caoRows {
						m = min(m, mis(i, r))
					}
					score = float64(m) * dens[i]
				}
				if score > bestS {
					bestI, bestS = i, score
				}
			}
			caoRows = append(caoRows, bestI)
		}
		for _, r := range caoRows {
			var w float64
			for i := 0; i < t.n; i++ {
				if mis(i, r) == 0 {
					w += t.wt(i)
				}
			}
			caoW = append(caoW, w)
		}
	}
	for run := 0; run < opt.NInit; run++ {
		rng := restartRand(opt.Seed, run)
		pl.cent = make([]float64, opt.K*t.p)
		pl.modes = make([]int32, opt.K*q)
		pl.labels = make([]int32, t.n)
		switch {
		case opt.Start != nil:
			copy(pl.cent, opt.Start.Centroids)
			copy(pl.modes, opt.Start.Modes)
		case opt.Init == InitHuang:
			for j := 0; j < opt.K; j++ {
				for f := 0; f < t.p; f++ {
					pl.cent[j*t.p+f] = t.num[pl.draw(rng.Float64())*t.p+f]
				}
				for c := 0; c < q; c++ {
					pl.modes[j*q+c] = t.cat[c][pl.draw(rng.Float64())]
				}
			}
			sampled := plain{t: t, k: opt.K, q: q, gamma: pl.gamma, cent: slices.Clone(pl.cent), modes: slices.Clone(pl.modes)}
			for j := 0; j < opt.K; j++ {
				bestI, bestD := -1, 0.0
				for i := 0; i < t.n; i++ {
					if d := sampled.dist(i, j); (bestI < 0 || d < bestD) && pl.distinct(i, j) {
						bestI, bestD = i, d
					}
				}
				pl.setRow(j, bestI)
			}
		default:
			for j, r := range caoRows {
				u := rng.Float64() * caoW[j]
				pick := r
				var acc float64
				for i := 0; i < t.n; i++ {
					if !sameCat(t, i, r) {
						continue
					}
					pick = i
					acc += t.wt(i)
					if u < acc {
						break
					}
				}
				pl.setRow(j, pick)
			}
			for j := 1; j < opt.K; j++ {
				dup := false
				for s := 0; s < j; s++ {
					dup = dup || pl.protoEqual(j, s)
				}
				if !dup {
					continue
				}
				pick, r := -1, 0
				for try := 0; try < 32 && pick < 0; try++ {
					r = pl.draw(rng.Float64())
					if pl.distinct(r, j) {
						pick = r
					}
				}
				for o := 0; o < t.n && pick < 0; o++ {
					if pl.distinct((r+o)%t.n, j) {
						pick = (r + o) % t.n
					}
				}
				pl.setRow(j, pick)
			}
		}
		for i := 0; i < t.n; i++ {
			j, _ := pl.nearest(i)
			pl.labels[i] = int32(j)
		}
		pl.update()
		rel := 0
		for j := 0; j < opt.K; j++ {
			if pl.empty(j) {
				pl.refill(j, rng)
				rel++
			}
		}
		cost := pl.cost()
		r := plainRestart{}
		stationary := false
		for r.iters < opt.MaxIter && !r.converged {
			r.iters++
			moves := 0
			for i := 0; i < t.n; i++ {
				j, _ := pl.nearest(i)
				old := int(pl.labels[i])
				if j == old {
					continue
				}
				moves++
				pl.labels[i] = int32(j)
				pl.update()
				if pl.empty(old) {
					pl.refill(old, rng)
					rel++
				}
			}
			ncost := pl.cost()
			stationary = moves == 0
			r.converged = moves == 0 || ncost >= cost || cost-ncost <= opt.Tol*cost
			cost = ncost
		}
		_ = stationary
		r.cost, r.relocations = cost, rel
		r.cent, r.modes = slices.Clone(pl.cent), slices.Clone(pl.modes)
		runs = append(runs, r)
	}
	best = 0
	for i, r := range runs {
		if r.cost < runs[best].cost {
			best = i
		}
	}
	pl.cent, pl.modes = runs[best].cent, runs[best].modes
	labels = make([]int32, t.n)
	for i := 0; i < t.n; i++ {
		j, _ := pl.nearest(i)
		labels[i] = int32(j)
	}
	return labels, pl.cost(), best, runs
}

func sameCat(t table, i, r int) bool {
	for c := range t.cat {
		if t.cat[c][i] != t.cat[c][r] {
			return false
		}
	}
	return true
}

// TestFitMatchesPlainReimplementation runs the optimised Fit and the plain
// reference on random small mixed tables (both inits, with and without
// weights and missing categories, k from 2 to 6, several seeds) and
// requires identical labels, iterations, convergence flags and refill
// counts per restart and equal costs and prototypes up to rounding.
func TestFitMatchesPlainReimplementation(t *testing.T) {
	const tol = 1e-9
	cases, relocated, sweepRefills := 0, 0, 0
	for seed := uint64(1); seed <= 90; seed++ {
		for _, init := range []InitMethod{InitCao, InitHuang} {
			weights := []string{"", "int", "float"}[seed%3]
			missing := 0.0
			if seed%4 == 0 {
				missing = 0.1
			}
			n := 12 + int(seed*7)%50
			if seed > 24 && seed <= 60 { // small tables, many clusters
				n = 8 + int(seed)%8
			}
			p := 1 + int(seed%3)
			cards := []int{2, 3, 5}[:1+seed%3]
			if seed > 60 {
				p, cards = 2, []int{2, 3}
			}
			tb := randomTable(seed, n, p, cards, missing, weights)
			if seed > 60 { // few distinct values: duplicate rows and exact ties
				for i := range tb.num {
					tb.num[i] = math.Round(tb.num[i] / 2)
				}
			}
			k := 2 + int(seed)%5
			opt := Options{K: k, NInit: 4, MaxIter: 50, Init: init, Seed: seed * 31, Weights: tb.weights, Missing: MissingCategory, Workers: 1}
			if seed%7 == 3 {
				opt.Tol = 1e-3
			}
			if seed > 24 {
				k = 4 + int(seed)%4
				opt.K = k
			}
			if seed%5 == 0 { // fixed start with a prototype far from every row
				st := &Prototypes{Centroids: make([]float64, k*p), Modes: make([]int32, k*len(cards))}
				for j := 0; j < k; j++ {
					for f := 0; f < p; f++ {
						st.Centroids[j*p+f] = tb.num[j*p+f]
					}
					for c := range cards {
						st.Modes[j*len(cards)+c] = tb.cat[c][j]
					}
				}
				st.Centroids[(k-1)*p] = 1000
				opt.Start = st
			}
			res, err := Fit(t.Context(), tb.num, n, p, tb.cat, opt)
			if err != nil {
				t.Fatalf("seed %d %v: %v", seed, init, err)
			}
			labels, cost, best, runs := plainFit(tb, opt)
			cases++
			name := func() string { return fmt.Sprintf("%v seed %d", init, seed) }
			if !slices.Equal(res.Labels, labels) {
				t.Errorf("%s (n=%d p=%d q=%d k=%d w=%q): labels differ\n fit   %v\n plain %v", name(), n, p, len(cards), k, weights, res.Labels, labels)
				continue
			}
			if relDiff(res.Cost, cost) > tol || res.BestRestart != best {
				t.Errorf("%s: cost %v (best %d) vs plain %v (best %d)", name(), res.Cost, res.BestRestart, cost, best)
			}
			if c := refCost(tb, res.Labels, res.Centroids, res.Modes, res.Gamma); relDiff(c, res.Cost) > tol {
				t.Errorf("%s: Result.Cost %v, reference cost of its labels and prototypes %v", name(), res.Cost, c)
			}
			for r, pr := range runs {
				if res.RestartIterations[r] != pr.iters || res.RestartConverged[r] != pr.converged ||
					res.RestartRelocations[r] != pr.relocations || relDiff(res.RestartCosts[r], pr.cost) > tol {
					t.Errorf("%s restart %d: (iters %d conv %v reloc %d cost %v) vs plain (%d %v %d %v)", name(), r,
						res.RestartIterations[r], res.RestartConverged[r], res.RestartRelocations[r], res.RestartCosts[r],
						pr.iters, pr.converged, pr.relocations, pr.cost)
				}
				relocated += pr.relocations
				if opt.Start == nil {
					sweepRefills += pr.relocations
				}
			}
			for i, v := range runs[best].cent {
				if math.Abs(v-res.Centroids[i]) > tol*(1+math.Abs(v)) {
					t.Errorf("%s: centroid value %d: %v vs plain %v", name(), i, res.Centroids[i], v)
				}
			}
			if !slices.Equal(res.Modes, runs[best].modes) {
				t.Errorf("%s: modes %v vs plain %v", name(), res.Modes, runs[best].modes)
			}
		}
	}
	// Sweep refills need a singleton cluster whose row has an exact twin
	// prototype at a lower index: three rows repeated, in shuffled order,
	// and a start whose second prototype nearly equals the first (its
	// cluster starts empty, takes a copy of row A, and that copy goes back
	// to cluster 0 in the sweep on the tie).
	for v := uint64(0); v < 6; v++ {
		rng := rand.New(rand.NewPCG(v, 1))
		base := [][2]float64{{0, 0}, {3, 1}, {-2, 4}}
		var tb table
		tb.p = 2
		tb.cat = [][]int32{nil}
		for _, i := range rng.Perm(18) {
			b := i % 3
			tb.num = append(tb.num, base[b][0], base[b][1])
			tb.cat[0] = append(tb.cat[0], int32(b))
		}
		tb.n = 18
		switch v % 3 {
		case 1:
			tb.weights = make([]float64, 18)
			for i := range tb.weights {
				tb.weights[i] = float64(1 + rng.IntN(3))
			}
		case 2:
			tb.weights = make([]float64, 18)
			for i := range tb.weights {
				tb.weights[i] = 0.5 + rng.Float64()
			}
		}
		st := &Prototypes{Centroids: []float64{0, 0, 1e-3, 0, 3, 1, -2, 4}, Modes: []int32{0, 0, 1, 2}}
		opt := Options{K: 4, NInit: 3, MaxIter: 20, Start: st, Seed: v, Gamma: 1, Weights: tb.weights, Workers: 1}
		res, err := Fit(t.Context(), tb.num, tb.n, tb.p, tb.cat, opt)
		if err != nil {
			t.Fatal(err)
		}
		labels, cost, best, runs := plainFit(tb, opt)
		cases++
		if !slices.Equal(res.Labels, labels) || relDiff(res.Cost, cost) > tol || res.BestRestart != best {
			t.Errorf("duplicates %d: labels %v cost %v, plain %v %v", v, res.Labels, res.Cost, labels, cost)
		}
		for r, pr := range runs {
			if res.RestartIterations[r] != pr.iters || res.RestartRelocations[r] != pr.relocations || relDiff(res.RestartCosts[r], pr.cost) > tol {
				t.Errorf("duplicates %d restart %d: iters %d reloc %d cost %v, plain %d %d %v", v, r,
					res.RestartIterations[r], res.RestartRelocations[r], res.RestartCosts[r], pr.iters, pr.relocations, pr.cost)
			}
			relocated += pr.relocations
			sweepRefills += pr.relocations - 1 // one refill before the sweeps
		}
	}
	if sweepRefills == 0 {
		t.Errorf("no sweep refilled an empty cluster; the comparison does not cover refills")
	}
	t.Logf("%d cases, %d empty-cluster refills compared (%d inside sweeps)", cases, relocated, sweepRefills)
}
