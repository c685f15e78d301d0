package profile

import (
	"reflect"
	"sort"
	"testing"
)

func TestAllocate(t *testing.T) {
	for _, tc := range []struct {
		sizes []int
		m     int
		want  []int
	}{
		{[]int{10, 20, 30}, 100, []int{10, 20, 30}},     // everything fits
		{[]int{10, 20, 30}, 60, []int{10, 20, 30}},      // exactly
		{[]int{500, 300, 200}, 100, []int{50, 30, 20}},  // exact proportions
		{[]int{1, 1, 1}, 2, []int{1, 1, 0}},             // cannot give everyone one
		{[]int{334, 333, 333}, 100, []int{34, 33, 33}},  // remainders: largest first
		{[]int{333, 334, 333}, 100, []int{33, 34, 33}},  // ...
		{[]int{333, 333, 334}, 10, []int{3, 3, 4}},      // ...
		{[]int{999000, 999, 1}, 1000, []int{998, 1, 1}}, // tiny segments keep one row
		{[]int{600000, 250000, 150000}, 50000, []int{30000, 12500, 7500}},
		{[]int{5, 0, 5}, 4, []int{2, 0, 2}}, // empty segment stays empty
	} {
		got := allocate(tc.sizes, tc.m)
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("allocate(%v, %d) = %v, want %v", tc.sizes, tc.m, got, tc.want)
		}
		total, n := 0, 0
		for s := range got {
			total += got[s]
			n += tc.sizes[s]
		}
		if total != min(n, tc.m) {
			t.Errorf("allocate(%v, %d) draws %d rows", tc.sizes, tc.m, total)
		}
	}
}

func TestSampleRows(t *testing.T) {
	members := [][]int{{}, {}, {}}
	for i := range 1000 {
		s := i % 7 % 3
		members[s] = append(members[s], i)
	}
	keep := [][]int{append([]int(nil), members[0]...), append([]int(nil), members[1]...), append([]int(nil), members[2]...)}
	take := []int{50, 20, len(members[2]) + 5}
	a := sampleRows(members, take, 42)
	b := sampleRows(members, take, 42)
	c := sampleRows(members, take, 43)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed, different samples")
	}
	if reflect.DeepEqual(a[0], c[0]) {
		t.Error("different seeds, same sample")
	}
	if !reflect.DeepEqual(members, keep) {
		t.Error("members were modified")
	}
	for s, rows := range a {
		want := min(take[s], len(members[s]))
		if len(rows) != want {
			t.Errorf("segment %d: %d rows, want %d", s, len(rows), want)
		}
		if !sort.IntsAreSorted(rows) {
			t.Errorf("segment %d: rows not sorted", s)
		}
		in := map[int]bool{}
		for _, r := range members[s] {
			in[r] = true
		}
		seen := map[int]bool{}
		for _, r := range rows {
			if !in[r] || seen[r] {
				t.Errorf("segment %d: row %d not a member or repeated", s, r)
			}
			seen[r] = true
		}
	}
	// Every member is about equally likely: draw 50 of 334 many times.
	counts := make([]int, len(members[0]))
	for seed := range uint64(2000) {
		for _, r := range sampleRows(members[:1], []int{50}, seed)[0] {
			counts[indexInt(members[0], r)]++
		}
	}
	// Expected 2000·50/len ≈ 299; a binomial sd ≈ 16. Allow 6 sd.
	exp := 2000.0 * 50 / float64(len(members[0]))
	for i, c := range counts {
		if float64(c) < exp-100 || float64(c) > exp+100 {
			t.Errorf("member %d drawn %d times, expected about %.0f", i, c, exp)
		}
	}
}

func indexInt(v []int, x int) int {
	for i, y := range v {
		if y == x {
			return i
		}
	}
	return -1
}

// TestSampleStream pins the first draws so the sample does not change
// between releases (PCG-DXSM and Lemire's method are fixed algorithms).
func TestSampleStream(t *testing.T) {
	members := [][]int{make([]int, 100)}
	for i := range members[0] {
		members[0][i] = i
	}
	got := sampleRows(members, []int{5}, 42)[0]
	want := []int{11, 15, 21, 85, 96}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("sample %v, want %v", got, want)
	}
}
