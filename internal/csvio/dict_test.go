package csvio

import (
	"fmt"
	"hash/maphash"
	"testing"
)

// TestMergeDict checks the merge dictionary against a map: codes in order
// of first appearance, the same word always the same code, across the
// table's growth (tags moved without rehashing) and with the table and word
// list reserved up front.
func TestMergeDict(t *testing.T) {
	for _, tc := range []struct {
		name     string
		distinct int
		reserve  int
	}{
		{"few words", 5, 0},
		{"grows many times", 100_000, 0},
		{"reserved for all", 100_000, 100_000},
		{"reserved too few", 100_000, 1_000},
		{"reserved too many", 1_000, 100_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var m mergeDict
			if tc.reserve > 0 {
				m.reserve(tc.reserve)
			}
			want := map[string]int32{}
			for i := range 3 * tc.distinct {
				w := fmt.Sprintf("w%07d", (i*7919)%tc.distinct) // each word three times, in a scrambled order
				code, ok := want[w]
				if !ok {
					code = int32(len(want))
					want[w] = code
				}
				if got := m.add(w, maphash.String(dictSeed, w)); got != code {
					t.Fatalf("word %d %q: code %d, want %d", i, w, got, code)
				}
			}
			if len(m.words) != tc.distinct {
				t.Fatalf("%d words, want %d", len(m.words), tc.distinct)
			}
			for w, code := range want {
				if m.words[code] != w {
					t.Fatalf("words[%d] = %q, want %q", code, m.words[code], w)
				}
			}
			if 4*len(m.words) > 3*len(m.slots) {
				t.Errorf("%d words in %d slots: fuller than 3/4", len(m.words), len(m.slots))
			}
		})
	}
}

// TestHeadOfShortWords checks that a short word inside a larger buffer (read
// with one 8-byte load) gets the head of the same word on its own.
func TestHeadOfShortWords(t *testing.T) {
	buf := []byte("Yes,No,,Fiber Optic,x")
	for _, w := range [][2]int{{0, 3}, {4, 6}, {7, 7}, {8, 19}, {8, 13}, {20, 21}} {
		inBuf := buf[w[0]:w[1]]
		alone := append([]byte(nil), inBuf...)[:len(inBuf):len(inBuf)]
		if got, want := headOf(inBuf), headOf(alone); got != want {
			t.Errorf("%q: head %+v in the buffer, %+v alone", inBuf, got, want)
		}
	}
}
