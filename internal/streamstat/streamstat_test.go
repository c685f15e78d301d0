package streamstat

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"

	"github.com/churnlab/segment/internal/stats"
)

// relTol is the agreement asked of streamed moments and correlations with
// the in-memory (pandas-exact) values: they differ only in rounding.
const relTol = 1e-12

func close(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= relTol*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// columns returns k columns of n values of different shapes: prices with
// two decimals, large offsets (a hard case for naive variance), small
// integers with many ties, with NaN holes in some.
func columns(k, n int, seed uint64) [][]float64 {
	r := rand.New(rand.NewPCG(seed, 7))
	out := make([][]float64, k)
	base := make([]float64, n)
	for i := range base {
		base[i] = r.NormFloat64()
	}
	for j := range out {
		x := make([]float64, n)
		for i := range x {
			switch j % 4 {
			case 0:
				x[i] = math.Round((50+20*base[i]+5*r.NormFloat64())*100) / 100
			case 1:
				x[i] = 1e8 + base[i]*3 + r.Float64()
			case 2:
				x[i] = float64(r.IntN(12))
			default:
				x[i] = -base[i]*base[i] + r.ExpFloat64()
			}
			if j%3 == 1 && r.IntN(10) == 0 {
				x[i] = math.NaN()
			}
		}
		out[j] = x
	}
	return out
}

// batches splits n rows into batches of uneven sizes.
func batches(n int) [][2]int {
	var out [][2]int
	for at, size := 0, 1; at < n; size = size*3 + 7 {
		end := min(n, at+size)
		out = append(out, [2]int{at, end})
		at = end
	}
	return out
}

// TestMomentsMatchDescribe: mean and std (ddof 1 and 0) of batches merged
// agree with stats.Describe and the two-pass population std to 1e-12.
func TestMomentsMatchDescribe(t *testing.T) {
	for j, x := range columns(8, 20011, 1) {
		var m Moments
		for _, b := range batches(len(x)) {
			m.Add(x[b[0]:b[1]])
		}
		d := stats.Describe(x)
		lo, hi := m.Extremes()
		if int(m.N) != d.Count || !close(m.Mean(), d.Mean) || !close(m.Std(1), d.Std) || lo != d.Min || hi != d.Max {
			t.Errorf("column %d: n %d mean %v std %v min %v max %v; want %d %v %v %v %v", j, m.N, m.Mean(), m.Std(1), lo, hi, d.Count, d.Mean, d.Std, d.Min, d.Max)
		}
		var single Moments
		for _, v := range x {
			single.AddValue(v)
		}
		if !close(single.Mean(), m.Mean()) || !close(single.Std(0), m.Std(0)) {
			t.Errorf("column %d: value by value %v %v, batches %v %v", j, single.Mean(), single.Std(0), m.Mean(), m.Std(0))
		}
	}
	var empty Moments
	empty.Add([]float64{math.NaN()})
	if empty.N != 0 || !math.IsNaN(empty.Mean()) || !math.IsNaN(empty.Std(1)) {
		t.Errorf("empty moments: %+v", empty)
	}
}

// TestPearsonMatchesCorr: pairwise-complete correlations and counts agree
// with stats.Corr (pandas' DataFrame.corr()) to 1e-12, also with a
// constant column and one without finite values.
func TestPearsonMatchesCorr(t *testing.T) {
	cols := columns(6, 30011, 2)
	n := len(cols[0])
	constant := make([]float64, n)
	for i := range constant {
		constant[i] = 3.25
	}
	cols = append(cols, constant)
	inf := make([]float64, n)
	for i := range inf {
		inf[i] = math.Inf(1)
	}
	cols = append(cols, inf)
	want, wantN, err := stats.Corr(cols, "pearson")
	if err != nil {
		t.Fatal(err)
	}
	p := NewPearson(len(cols))
	q := NewPearson(len(cols))
	for bi, b := range batches(n) {
		part := make([][]float64, len(cols))
		for j := range cols {
			part[j] = cols[j][b[0]:b[1]]
		}
		if bi%2 == 0 {
			p.Add(part)
		} else {
			q.Add(part)
		}
	}
	p.Merge(q)
	for i := range cols {
		for j := range cols {
			if i == j {
				continue
			}
			r, m := p.R(i, j)
			if !close(r, want[i][j]) || int(m) != wantN[i][j] {
				t.Errorf("r(%d,%d) = %v (n %d), want %v (n %d)", i, j, r, m, want[i][j], wantN[i][j])
			}
		}
	}
}

// TestSketchExactQuantiles: quantiles are bit-identical to stats.Quantile
// on the sorted values, for ties, negatives, zeros of both signs,
// infinities and tiny or huge magnitudes, with the second pass split over
// two sketches merged.
func TestSketchExactQuantiles(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	cases := map[string][]float64{}
	ties := make([]float64, 5000)
	for i := range ties {
		ties[i] = float64(r.IntN(4))
	}
	cases["ties"] = ties
	mixed := make([]float64, 7777)
	for i := range mixed {
		switch i % 9 {
		case 0:
			mixed[i] = math.Copysign(0, -1)
		case 1:
			mixed[i] = 0
		case 2:
			mixed[i] = -r.ExpFloat64() * 1e-300
		case 3:
			mixed[i] = r.NormFloat64() * 1e300
		case 4:
			mixed[i] = math.Inf(-1 + 2*(i%2))
		default:
			mixed[i] = r.NormFloat64()
		}
	}
	cases["mixed"] = mixed
	dense := make([]float64, 50000)
	for i := range dense {
		dense[i] = 1000 + r.Float64()*1e-9 // many distinct values in few bins
	}
	cases["dense"] = dense
	// many whole numbers, most planned bins holding one of them many times
	// and the bin look-up's memo seeing colliding bins
	ints := make([]float64, 200000)
	for i := range ints {
		ints[i] = float64(r.IntN(5000) - 100)
	}
	cases["ints"] = ints
	cases["one"] = []float64{42}
	qs := []float64{0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.975, 1}
	for name, x := range cases {
		var s Sketch
		s.AddAll(x)
		s.PlanQuantiles(qs...)
		s.StartCollect()
		var s2 Sketch
		s2.Plan(&s)
		s.CollectAll(x[:len(x)/2])
		s2.CollectAll(x[len(x)/2:])
		s.Merge(&s2)
		if err := s.Finish(); err != nil {
			t.Fatal(err)
		}
		sorted := slices.Clone(x)
		sort.Float64s(sorted)
		for _, q := range qs {
			got, ok := s.Quantile(q)
			want := stats.Quantile(sorted, q)
			if !ok || math.Float64bits(got) != math.Float64bits(want) && !(got == 0 && want == 0) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Errorf("%s q %v: %v (ok %v), want %v", name, q, got, ok, want)
			}
		}
		if s.Planned() > int64(len(x)) {
			t.Errorf("%s: planned %d values of %d", name, s.Planned(), len(x))
		}
	}
}

// TestSketchCeilFloorCount: Ceil, Floor and CountLE agree with a scan of
// the values when planned, and say so when not.
func TestSketchCeilFloorCount(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	x := make([]float64, 20000)
	for i := range x {
		x[i] = math.Round(r.NormFloat64()*1000) / 10
	}
	var s Sketch
	s.AddAll(x)
	s.PlanCeil(-150, -140)
	s.PlanFloor(140, 150)
	s.PlanValue(3.3)
	s.StartCollect()
	s.CollectAll(x)
	if err := s.Finish(); err != nil {
		t.Fatal(err)
	}
	for _, f := range []float64{-150, -145.55, -140} {
		got, ok := s.Ceil(f)
		want := math.Inf(1)
		for _, v := range x {
			if v >= f && v < want {
				want = v
			}
		}
		if !ok || got != want {
			t.Errorf("Ceil(%v) = %v %v, want %v", f, got, ok, want)
		}
	}
	for _, f := range []float64{140, 144.44, 150} {
		got, ok := s.Floor(f)
		want := math.Inf(-1)
		for _, v := range x {
			if v <= f && v > want {
				want = v
			}
		}
		if !ok || got != want {
			t.Errorf("Floor(%v) = %v %v, want %v", f, got, ok, want)
		}
	}
	n, ok := s.CountLE(3.3)
	want := 0
	for _, v := range x {
		if v <= 3.3 {
			want++
		}
	}
	if !ok || n != int64(want) {
		t.Errorf("CountLE(3.3) = %d %v, want %d", n, ok, want)
	}
	if _, ok := s.Ceil(0.05); ok {
		t.Error("Ceil of an unplanned value claims to be exact")
	}
	if _, ok := s.Value(int64(len(x) / 2)); ok {
		t.Error("Value of an unplanned rank claims to be exact")
	}
}

// TestSketchChangedInput: a second pass over other values is an error.
func TestSketchChangedInput(t *testing.T) {
	var s Sketch
	s.AddAll([]float64{1, 2, 3})
	s.PlanRanks(1)
	s.StartCollect()
	s.CollectAll([]float64{1, 3})
	if err := s.Finish(); err == nil {
		t.Error("a bin that lost a value passed")
	}
}

// TestDistinctSpills: counts are exact in memory and after moving to
// temporary partitions, for numbers and text, and do not depend on order.
func TestDistinctSpills(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	vals := make([]float64, 30000)
	for i := range vals {
		vals[i] = float64(r.IntN(9000)) / 4
	}
	vals[0], vals[1] = 0, math.Copysign(0, -1)
	want := map[float64]bool{}
	for _, v := range vals {
		want[v] = true
	}
	for _, limit := range []int{0, 100} {
		d := Distinct{Limit: limit, Dir: t.TempDir()}
		var ks KeySet
		for _, b := range batches(len(vals)) {
			d.AddKeys(ks.Floats(vals[b[0]:b[1]]))
		}
		got, err := d.Count()
		if err != nil || got != int64(len(want)) || d.Spilled() != (limit > 0) {
			t.Errorf("limit %d: %d distinct (%v, spilled %v), want %d", limit, got, err, d.Spilled(), len(want))
		}
		d.Close()
		texts := Distinct{Limit: limit, Dir: t.TempDir()}
		for i := len(vals) - 1; i >= 0; i-- {
			texts.AddString(string(rune('a'+i%7)) + string(rune(int(vals[i]*4))))
		}
		tw := map[string]bool{}
		for i := range vals {
			tw[string(rune('a'+i%7))+string(rune(int(vals[i]*4)))] = true
		}
		if got, err := texts.Count(); err != nil || got != int64(len(tw)) {
			t.Errorf("limit %d text: %d (%v), want %d", limit, got, err, len(tw))
		}
		texts.Close()
	}
	var ints Distinct
	var ks KeySet
	ints.AddKeys(ks.Ints([]int64{1, 2, 2, 0, 5}, []bool{false, false, false, true, false}))
	if got, _ := ints.Count(); got != 3 {
		t.Errorf("ints with a missing row: %d distinct, want 3", got)
	}
}

// TestReservoirOrderFree: the kept rows depend only on the keys, not on
// the order rows were offered in.
func TestReservoirOrderFree(t *testing.T) {
	const n, m = 10000, 300
	pick := func(order []int) []int64 {
		r := NewReservoir(m)
		for _, i := range order {
			if key, _ := r.Worst(); r.Full() && SampleKey(9, int64(i)) > key {
				continue
			}
			r.Offer(SampleKey(9, int64(i)), int64(i))
		}
		rows, _ := r.Rows()
		return rows
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	a := pick(order)
	rand.New(rand.NewPCG(1, 2)).Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	b := pick(order)
	if !slices.Equal(a, b) || len(a) != m || !slices.IsSorted(a) {
		t.Fatalf("samples differ: %d vs %d rows", len(a), len(b))
	}
	// uniform: the mean row is near n/2 (±4 standard errors)
	var sum float64
	for _, r := range a {
		sum += float64(r)
	}
	if mean, se := sum/m, n/math.Sqrt(12*m); math.Abs(mean-n/2) > 4*se {
		t.Errorf("mean sampled row %v, want %v ± %v", mean, n/2, 4*se)
	}
}

// TestDistinctCountAll: the union's count over several Distincts, some in
// memory and some spilled, equals one Distinct's.
func TestDistinctCountAll(t *testing.T) {
	dir := t.TempDir()
	a := &Distinct{Limit: 50, Dir: dir}
	b := &Distinct{Limit: 5000, Dir: dir}
	want := map[int64]bool{}
	for i := range int64(3000) {
		v := (i * 7919) % 1000
		if i%2 == 0 {
			a.AddInt(v)
		} else {
			b.AddInt(v)
		}
		want[v] = true
	}
	got, err := CountAll([]*Distinct{a, b})
	if err != nil || got != int64(len(want)) || !a.Spilled() {
		t.Errorf("CountAll = %d (%v, spilled %v), want %d", got, err, a.Spilled(), len(want))
	}
	a.Close()
	b.Close()
}
