package spill

import (
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// batchOf builds a batch of n rows with every kind and encoding: small
// ints, wide ints, 2-decimal prices, 6-decimal coordinates, raw floats
// (-0, ±Inf, 0.1+0.2), bools and strings, with missing cells in some.
func batchOf(t *testing.T, n int, seed uint64) *frame.Table {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	small := make([]int64, n)
	wide := make([]int64, n)
	price := make([]float64, n)
	coord := make([]float64, n)
	raw := make([]float64, n)
	flag := make([]bool, n)
	text := make([]string, n)
	miss := make([]bool, n)
	for i := range n {
		small[i] = int64(r.IntN(90))
		wide[i] = r.Int64() - math.MaxInt64/2
		price[i] = float64(r.IntN(1_000_000)-50_000) / 100
		coord[i] = float64(r.IntN(180_000_000)) / 1e6
		switch i % 5 {
		case 0:
			raw[i] = math.Copysign(0, -1)
		case 1:
			raw[i] = math.Inf(1)
		case 2:
			raw[i] = tenth + 0.2
		default:
			raw[i] = r.NormFloat64()
		}
		flag[i] = r.IntN(2) == 0
		text[i] = []string{"Yes", "No", "Maybe", "Ünïcode ✓", ""}[r.IntN(5)]
		miss[i] = r.IntN(7) == 0
	}
	tb, err := frame.New(
		frame.NewInt("small", small, nil),
		frame.NewInt("wide", wide, miss),
		frame.NewFloat("price", price, miss),
		frame.NewFloat("coord", coord, nil),
		frame.NewFloat("raw", raw, nil),
		frame.NewBool("flag", flag, miss),
		frame.NewString("text", text, miss),
		frame.NewInt("constant", make([]int64, n), nil),
	)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

// TestRoundTrip: every batch reads back equal, cell for cell (bits for
// floats), with all columns and with a projection; compact encodings are
// chosen (the file is smaller than 8 bytes per cell).
func TestRoundTrip(t *testing.T) {
	var batches []*frame.Table
	for i, n := range []int{1000, 1, 4096, 17} {
		batches = append(batches, batchOf(t, n, uint64(i)))
	}
	f, err := Create(t.TempDir(), batches[0].Schema())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, b := range batches {
		if err := f.Append(b); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Finish(); err != nil {
		t.Fatal(err)
	}
	if f.Batches() != len(batches) || f.Rows() != 1000+1+4096+17 {
		t.Fatalf("batches %d rows %d", f.Batches(), f.Rows())
	}
	for i, want := range batches {
		got, err := f.Read(i, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := frame.Equal(got, want); err != nil {
			t.Errorf("batch %d: %v", i, err)
		}
		assertFloatBits(t, got, want)
		proj, err := f.Read(i, []string{"text", "price", "absent"})
		if err != nil {
			t.Fatal(err)
		}
		if got := proj.Names(); len(got) != 2 || got[0] != "price" || got[1] != "text" || proj.NumRows() != want.NumRows() {
			t.Errorf("projection: %v, %d rows", got, proj.NumRows())
		}
		none, err := f.Read(i, []string{"absent"})
		if err != nil || none.NumRows() != want.NumRows() || none.NumCols() != 0 {
			t.Errorf("empty projection: %v %d×%d", err, none.NumRows(), none.NumCols())
		}
		if first := int64(0); i > 0 {
			for _, b := range batches[:i] {
				first += int64(b.NumRows())
			}
			if _, f0 := f.BatchRows(i); f0 != first {
				t.Errorf("batch %d first row %d, want %d", i, f0, first)
			}
		}
	}
	cells := int64(0)
	for _, b := range batches {
		cells += int64(b.NumRows() * b.NumCols())
	}
	if f.Bytes() >= 8*cells/2 {
		t.Errorf("spill of %d cells takes %d bytes; the compact encodings are not used", cells, f.Bytes())
	}
	if a, b := f.ColumnBytes([]string{"small"}), f.ColumnBytes(nil); !(a > 0 && a < b/10) {
		t.Errorf("small ints take %d of %d bytes", a, b)
	}
}

func assertFloatBits(t *testing.T, got, want *frame.Table) {
	t.Helper()
	for _, c := range want.Columns() {
		if c.Kind != frame.Float {
			continue
		}
		g := got.Col(c.Name)
		for i, v := range c.Floats {
			if c.IsMissing(i) {
				if !g.IsMissing(i) || !math.IsNaN(g.Floats[i]) {
					t.Fatalf("%s row %d: missing lost", c.Name, i)
				}
				continue
			}
			if math.Float64bits(g.Floats[i]) != math.Float64bits(v) {
				t.Fatalf("%s row %d: %v (%x), want %v (%x)", c.Name, i, g.Floats[i], math.Float64bits(g.Floats[i]), v, math.Float64bits(v))
			}
		}
	}
}

// tenth is a variable, so that tenth + 0.2 is the float64 sum
// 0.30000000000000004, not the exact constant 0.3.
var tenth = 0.1

// TestDecimalEncoding: the decimal encoding is exact for decimal text and
// refuses values it cannot give back.
func TestDecimalEncoding(t *testing.T) {
	for _, c := range []struct {
		name  string
		vals  []float64
		scale int
		ok    bool
	}{
		{"ints", []float64{1, -2, 3e15}, 0, true},
		{"cents", []float64{97.95, -3, 8126.08, 0.01}, 2, true},
		{"micro", []float64{34.432843, -118.730106}, 6, true},
		{"third", []float64{1.0 / 3}, 0, false},
		{"sum", []float64{tenth + 0.2}, 0, false},
		{"negzero", []float64{1, math.Copysign(0, -1)}, 0, false},
		{"huge", []float64{1e300}, 0, false},
	} {
		var e encoder
		s, ok := e.decimal(frame.NewFloat("x", c.vals, nil))
		if ok != c.ok || (ok && s != c.scale) {
			t.Errorf("%s: scale %d ok %v, want %d %v", c.name, s, ok, c.scale, c.ok)
		}
	}
}

// TestConcurrentReads: reads from several goroutines give the same tables.
func TestConcurrentReads(t *testing.T) {
	b := batchOf(t, 3000, 9)
	f, err := Create("", b.Schema())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for range 8 {
		if err := f.Append(b); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.Read(0, nil); err == nil {
		t.Fatal("read before Finish succeeded")
	}
	if err := f.Finish(); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range f.Batches() {
				got, err := f.Read((i+g)%f.Batches(), nil)
				if err == nil {
					err = frame.Equal(got, b)
				}
				if err != nil {
					t.Errorf("goroutine %d batch %d: %v", g, i, err)
				}
			}
		}()
	}
	wg.Wait()
}

// TestAppendChecks: a batch with other columns or kinds is refused.
func TestAppendChecks(t *testing.T) {
	b := batchOf(t, 10, 1)
	f, err := Create("", b.Schema())
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	other, _ := b.Drop("text")
	if err := f.Append(other); err == nil {
		t.Error("a batch without a column was appended")
	}
	re, _ := b.With(frame.NewFloat("small", make([]float64, 10), nil))
	if err := f.Append(re); err == nil {
		t.Error("a batch with another kind was appended")
	}
}
