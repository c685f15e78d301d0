package cluster

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
)

// TestStreamJoinMatchesMemory: the transitions a streamed run joins on
// disk (hashJoin, over one partition and over several) are exactly those
// of the in-memory join (transitions) on the same two runs: the matrix,
// shared, left and arrived customers, stayed, the adjusted Rand index
// (bit for bit) and the notes, including which repeated id is named.
func TestStreamJoinMatchesMemory(t *testing.T) {
	// The previous run: ids p0..p599 (p7 without an id), segments 3, 1, 4.
	prevSegs := []int{3, 1, 4}
	var prevIDs []string
	var prevSeg []int64
	for i := range 600 {
		id := fmt.Sprintf("p%d", i)
		if i == 7 {
			id = ""
		}
		if i == 42 {
			id = `x,"y` // quoted in the file
		}
		prevIDs = append(prevIDs, id)
		prevSeg = append(prevSeg, int64(prevSegs[(i/7)%3]))
	}
	// This run: ids p300..p999 (a third arrived), IDs 1, 4, 6.
	res := &result.Clusters{K: 3, IDs: []int{4, 1, 6}}
	var curIDs []string
	for i := 300; i < 1000; i++ {
		id := fmt.Sprintf("p%d", i)
		if i == 301 {
			id = ""
		}
		if i == 350 {
			id = `x,"y`
		}
		curIDs = append(curIDs, id)
		res.Labels = append(res.Labels, int32((i/5)%3))
	}
	with := func(ids []string, at int, id string) []string {
		out := append([]string(nil), ids...)
		out[at] = id
		return out
	}
	for _, tc := range []struct {
		name       string
		prev, cur  []string
		wantNote   string
		wantShared int
	}{
		{"shared, left and arrived", prevIDs, curIDs, "", 299},
		{"repeated in the previous run", with(with(prevIDs, 500, "p20"), 100, "p90"), curIDs, `customer id "p90" appears twice in the previous assignments`, 0},
		{"repeated in this run", prevIDs, with(with(curIDs, 600, "p310"), 400, "p999"), `customer id "p310" appears twice in this run`, 0},
		{"no customer shared", prevIDs[:40], curIDs, "no customer id of this run appears in the previous run", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			prevPath := writeAssignmentsFile(t, filepath.Join(dir, "prev.csv"), tc.prev, prevSeg[:len(tc.prev)])
			cur := make([]int64, len(res.Labels))
			for i, l := range res.Labels {
				cur[i] = int64(res.IDs[l])
			}
			curPath := writeAssignmentsFile(t, filepath.Join(dir, "cur.csv"), tc.cur, cur)

			rows, err := readAssignments(context.Background(), prevPath)
			if err != nil {
				t.Fatal(err)
			}
			want, wantNote := transitions(rows, frame.NewString("id", tc.cur, nil), res)
			if (wantNote == "") != (tc.wantNote == "") || (want != nil && want.Shared != tc.wantShared) {
				t.Fatalf("in memory: %+v, note %q", want, wantNote)
			}
			for _, parts := range []int{1, 7} {
				j, err := newHashJoin(dir, parts)
				if err != nil {
					t.Fatal(err)
				}
				defer j.close()
				ctx := context.Background()
				if err := scanAssignments(ctx, prevPath, "previous assignments", func(id *frame.Column, seg []int64, first int64) error {
					return j.add(j.prev, id, seg, first, j.prevSegs)
				}); err != nil {
					t.Fatal(err)
				}
				if err := scanAssignments(ctx, curPath, "this run's assignments", func(id *frame.Column, seg []int64, first int64) error {
					return j.add(j.cur, id, seg, first, nil)
				}); err != nil {
					t.Fatal(err)
				}
				got, note, err := j.transitions(ctx, res.IDs)
				if err != nil {
					t.Fatal(err)
				}
				if note != wantNote {
					t.Errorf("%d partitions: note %q, in memory %q", parts, note, wantNote)
				}
				if !sameTransitions(got, want) {
					t.Errorf("%d partitions:\n got %+v\nwant %+v", parts, got, want)
				}
			}
		})
	}
}

// sameTransitions compares two transition matrices exactly (NaN ARIs
// equal).
func sameTransitions(a, b *result.Transitions) bool {
	if a == nil || b == nil {
		return a == b
	}
	x, y := *a, *b
	if math.IsNaN(x.ARI) && math.IsNaN(y.ARI) {
		x.ARI, y.ARI = 0, 0
	}
	return reflect.DeepEqual(x, y)
}

// writeAssignmentsFile writes an assignments file (id, segment) as a run does.
func writeAssignmentsFile(t *testing.T, path string, ids []string, seg []int64) string {
	t.Helper()
	b, err := csvBytes(frame.NewString("Customer ID", ids, nil), frame.NewInt("segment", seg, nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestJoinParts: one partition per 64 MiB of assignments, at least one,
// at most joinMaxParts.
func TestJoinParts(t *testing.T) {
	for _, tc := range []struct {
		sizes []int64
		want  int
	}{
		{[]int64{0, 0}, 1},
		{[]int64{1, 1}, 1},
		{[]int64{joinPartBytes, 1}, 2},
		{[]int64{2 << 30, 2 << 30}, 64},
		{[]int64{1 << 50}, joinMaxParts},
	} {
		if got := joinParts(tc.sizes...); got != tc.want {
			t.Errorf("joinParts(%v) = %d, want %d", tc.sizes, got, tc.want)
		}
	}
}

// BenchmarkStreamJoin is a streamed night's previous-run work: reading the
// previous run's assignments (counted per segment) and this run's into the
// join's partitions and joining them, for 1,000,000 customers on each side
// (90% shared), 64 partitions (what two 100M-row files get). On the
// shared 2-core machine (noisy): 0.95 s/op and 1.2 GB allocated per op
// (not held: one partition's maps at a time), about a quarter of it
// csvio's string dictionary and a third the join's maps — so roughly
// 100 s for a 100M-customer night.
//
//	go test ./stages/cluster -run '^$' -bench StreamJoin -benchmem
func BenchmarkStreamJoin(b *testing.B) {
	const n = 1_000_000
	dir := b.TempDir()
	write := func(name string, offset int) string {
		ids := make([]string, n)
		seg := make([]int64, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("%04d-ABCDE", i+offset)
			seg[i] = int64(1 + (i*7)%5)
		}
		c, err := csvBytes(frame.NewString("Customer ID", ids, nil), frame.NewInt("segment", seg, nil))
		if err != nil {
			b.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, c, 0o644); err != nil {
			b.Fatal(err)
		}
		return path
	}
	prev, cur := write("prev.csv", 0), write("cur.csv", n/10)
	ctx := context.Background()
	for b.Loop() {
		j, err := newHashJoin(dir, 64)
		if err != nil {
			b.Fatal(err)
		}
		sizes := map[int]int{}
		if err := scanAssignments(ctx, prev, "previous assignments", func(id *frame.Column, seg []int64, first int64) error {
			for _, v := range seg {
				sizes[int(v)]++
			}
			return j.add(j.prev, id, seg, first, j.prevSegs)
		}); err != nil {
			b.Fatal(err)
		}
		if err := scanAssignments(ctx, cur, "this run's assignments", func(id *frame.Column, seg []int64, first int64) error {
			return j.add(j.cur, id, seg, first, nil)
		}); err != nil {
			b.Fatal(err)
		}
		tr, note, err := j.transitions(ctx, []int{1, 2, 3, 4, 5})
		if err != nil || tr == nil || tr.Shared != n-n/10 {
			b.Fatalf("%+v %q %v", tr, note, err)
		}
		j.close()
	}
}
