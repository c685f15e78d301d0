package pgio

import (
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

// TestHashReference compares the digests of sample() with an independent
// implementation of the definition in Python's standard library:
// testdata/hash_reference.py, run as
//
//	/usr/bin/python3 testdata/hash_reference.py
func TestHashReference(t *testing.T) {
	const (
		wantOrdered = "427587f5f48eaad7783a3b8769f923c216e695c3277b1ac8c2b5bc59ba1c9b68"
		wantSet     = "48d5cd3f75a875f26654b78ae09eda7a4f489e40daad4b85548e9953ecb4cd5f"
	)
	tb := sample(t)
	o, s := HashTable(tb)
	if o != wantOrdered || s != wantSet {
		t.Errorf("digests\n%s\n%s\nwant\n%s\n%s", o, s, wantOrdered, wantSet)
	}
	// Reversed rows: the ordered digest changes, the set digest does not.
	rev := tb.Take([]int{3, 2, 1, 0})
	if o2, s2 := HashTable(rev); o2 == o || s2 != s {
		t.Errorf("reversed: ordered same %v, set same %v", o2 == o, s2 == s)
	}
	// A renamed column changes both (the header names the columns).
	ren, _ := tb.Rename(map[string]string{"s": "t"})
	if o3, s3 := HashTable(ren); o3 == o || s3 == s {
		t.Error("renaming a column left a digest unchanged")
	}
	// The same values as another kind change both (the header has kinds).
	asFloat, _ := tb.With(frame.NewFloat("id", []float64{1, -9223372036854775808, 9223372036854775807, 0}, []bool{false, false, false, true}))
	if o4, _ := HashTable(asFloat); o4 == o {
		t.Error("changing a column's kind left the digest unchanged")
	}
	// Duplicated rows count: the set digest is of a multiset.
	dup := tb.Take([]int{0, 0, 1, 2, 3})
	if _, s5 := HashTable(dup); s5 == s {
		t.Error("a duplicated row left the set digest unchanged")
	}
}
