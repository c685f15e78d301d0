package clean

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// distinctByKey is the reference for keepDistinct: each row's values as
// exact bytes in a map, the way the step worked before it hashed rows.
func distinctByKey(cols []*frame.Column, rows []int, n int, last bool) []bool {
	if rows == nil {
		rows = make([]int, n)
		for i := range rows {
			rows[i] = i
		}
	}
	keep := make([]bool, len(rows))
	seen := map[string]bool{}
	order := make([]int, len(rows))
	for p := range order {
		order[p] = p
		if last {
			order[p] = len(rows) - 1 - p
		}
	}
	for _, p := range order {
		i := rows[p]
		var key []byte
		for _, c := range cols {
			if c.IsMissing(i) {
				key = append(key, 0)
				continue
			}
			key = append(key, 1)
			switch c.Kind {
			case frame.Float:
				f := c.Floats[i]
				if f == 0 {
					f = 0
				}
				key = binary.LittleEndian.AppendUint64(key, math.Float64bits(f))
			case frame.Int:
				key = binary.LittleEndian.AppendUint64(key, uint64(c.Int(i)))
			case frame.Bool:
				key = append(key, map[bool]byte{false: 0, true: 1}[c.Bools[i]])
			default:
				key = binary.LittleEndian.AppendUint32(key, uint32(c.Code(i)))
			}
		}
		if !seen[string(key)] {
			seen[string(key)] = true
			keep[p] = true
		}
	}
	return keep
}

// repetitive builds n rows drawn from few distinct values per column, with
// missing cells, -0 and 0, and wide ints, so that many rows repeat.
func repetitive(n int, seed uint64) []*frame.Column {
	r := rand.New(rand.NewPCG(seed, 7))
	f := make([]float64, n)
	ints := make([]int64, n)
	wide := make([]int64, n)
	b := make([]bool, n)
	s := make([]string, n)
	fm, im, sm := make([]bool, n), make([]bool, n), make([]bool, n)
	for i := range n {
		switch r.IntN(4) {
		case 0:
			f[i] = math.Copysign(0, -1)
		case 1:
			f[i] = 0
		case 2:
			f[i] = 1.5
		default:
			fm[i] = true
		}
		ints[i] = int64(r.IntN(3)) - 1
		im[i] = r.IntN(5) == 0
		wide[i] = int64(r.IntN(2)) << 40
		b[i] = r.IntN(2) == 0
		s[i] = fmt.Sprint("v", r.IntN(3))
		sm[i] = r.IntN(6) == 0
	}
	return []*frame.Column{
		frame.NewFloat("f", f, fm), frame.NewInt("i", ints, im), frame.NewInt("w", wide, nil),
		frame.NewBool("b", b, nil), frame.NewString("s", s, sm),
	}
}

// TestKeepDistinct compares the hash-based dedupe with the exact-key
// reference: whole rows and key subsets, keep first and last, on a
// selection of rows, with several hash partitions (100,000 rows), and on
// 1 and 2 cores.
func TestKeepDistinct(t *testing.T) {
	ctx := context.Background()
	for _, n := range []int{0, 1, 17, 5000, 100000} {
		cols := repetitive(n, uint64(n))
		var sel []int
		for i := 0; i < n; i += 3 {
			sel = append(sel, i)
		}
		for _, keyCols := range [][]*frame.Column{cols, cols[:1], cols[3:], {cols[2], cols[0]}} {
			for _, rows := range [][]int{nil, sel} {
				for _, last := range []bool{false, true} {
					want := distinctByKey(keyCols, rows, n, last)
					for _, procs := range []int{1, 2} {
						prev := runtime.GOMAXPROCS(procs)
						got, err := keepDistinct(ctx, keyCols, rows, n, last)
						runtime.GOMAXPROCS(prev)
						if err != nil {
							t.Fatal(err)
						}
						if !slices.Equal(got, want) {
							t.Fatalf("n %d, %d key columns, selection %v, last %v, GOMAXPROCS %d: differs from the reference", n, len(keyCols), rows != nil, last, procs)
						}
					}
				}
			}
		}
	}
}

// TestKeepDistinctExact: later repeats of earlier rows are dropped, over
// more rows than one hash partition holds; a cancelled context stops.
func TestKeepDistinctExact(t *testing.T) {
	n := 70000 // more rows than one partition
	v := make([]int64, n)
	for i := range v {
		v[i] = int64(i % 50000) // 20,000 repeats, in later rows
	}
	c := frame.NewInt("x", v, nil)
	keep, err := keepDistinct(context.Background(), []*frame.Column{c}, nil, n, false)
	if err != nil {
		t.Fatal(err)
	}
	kept := 0
	for i, k := range keep {
		if k != (i < 50000) {
			t.Fatalf("row %d kept %v", i, k)
		}
		if k {
			kept++
		}
	}
	if kept != 50000 {
		t.Fatalf("kept %d", kept)
	}
	if _, err := keepDistinct(cancelled(), []*frame.Column{c}, nil, n, false); err == nil {
		t.Error("a cancelled context must stop the dedupe")
	}
}

func cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
