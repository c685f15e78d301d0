package synth

import (
	"regexp"
	"testing"
)

var idRE = regexp.MustCompile(`^[0-9]{4}-[A-Z]{5}$`)

func TestIDGenStrata(t *testing.T) {
	for _, n := range []uint64{1, 2, 7043, 1_000_000, idSpace} {
		g := idGen{n: n}
		if got := g.stratumStart(0); got != 0 {
			t.Errorf("n=%d: stratumStart(0) = %d, want 0", n, got)
		}
		if got := g.stratumStart(n); got != idSpace {
			t.Errorf("n=%d: stratumStart(n) = %d, want %d", n, got, uint64(idSpace))
		}
	}
}

func TestIDGenSortedUniqueFormat(t *testing.T) {
	r := newRand(1, 2)
	g := idGen{n: 20000}
	prev := ""
	for i := 0; i < 20000; i++ {
		id := string(g.next(nil, r))
		if !idRE.MatchString(id) {
			t.Fatalf("id %d = %q, want NNNN-LLLLL", i, id)
		}
		if id <= prev {
			t.Fatalf("id %d = %q not after %q", i, id, prev)
		}
		prev = id
	}
}

func TestIDGenFullSpace(t *testing.T) {
	// With one ID per slot of the space the IDs are the space in order.
	r := newRand(1, 2)
	g := idGen{n: idSpace}
	for _, want := range []string{"0000-AAAAA", "0000-AAAAB", "0000-AAAAC"} {
		if got := string(g.next(nil, r)); got != want {
			t.Fatalf("got %q, want %q", got, want)
		}
	}
	g.i = idSpace - 1
	if got, want := string(g.next(nil, r)), "9999-ZZZZZ"; got != want {
		t.Fatalf("last id = %q, want %q", got, want)
	}
}
