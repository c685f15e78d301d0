package frame

import (
	"math"
	"slices"
	"testing"
)

// TestIntWidths checks that an int column takes the narrowest storage that
// holds its values, and that every reader gives the exact values back.
func TestIntWidths(t *testing.T) {
	cases := []struct {
		name  string
		vals  []int64
		bytes int
	}{
		{"empty", []int64{}, 1},
		{"int8 bounds", []int64{math.MinInt8, 0, math.MaxInt8}, 1},
		{"int8+1", []int64{math.MaxInt8 + 1}, 2},
		{"int8-1", []int64{math.MinInt8 - 1}, 2},
		{"int16 bounds", []int64{math.MinInt16, math.MaxInt16}, 2},
		{"int16+1", []int64{0, math.MaxInt16 + 1}, 4},
		{"int32 bounds", []int64{math.MinInt32, math.MaxInt32}, 4},
		{"int32-1", []int64{math.MinInt32 - 1}, 8},
		{"int64 bounds", []int64{math.MinInt64, math.MaxInt64, 7}, 8},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := NewInt("n", tc.vals, nil)
			if c.Len() != len(tc.vals) || c.IntBytes() != tc.bytes {
				t.Fatalf("len %d bytes %d, want %d %d", c.Len(), c.IntBytes(), len(tc.vals), tc.bytes)
			}
			if got := c.Int64s(); !slices.Equal(got, tc.vals) {
				t.Fatalf("Int64s %v, want %v", got, tc.vals)
			}
			f, _ := c.Float64s()
			for i, v := range tc.vals {
				if c.Int(i) != v || f[i] != float64(v) || c.Format(i) != Format64(v) {
					t.Fatalf("row %d: Int %d Float64s %v Format %q, want %d", i, c.Int(i), f[i], c.Format(i), v)
				}
				if x, ok := c.Value(i); !ok || x != float64(v) {
					t.Fatalf("row %d: Value %v %v", i, x, ok)
				}
			}
			// The same values from every storage type give the same column.
			for _, d := range []*Column{NewIntOwned("n", slices.Clone(tc.vals), nil), builderColumn(tc.vals)} {
				if d.IntBytes() != tc.bytes || !slices.Equal(d.Int64s(), tc.vals) {
					t.Fatalf("other constructor: bytes %d values %v", d.IntBytes(), d.Int64s())
				}
			}
			if len(tc.vals) > 1 {
				rows := []int{len(tc.vals) - 1, 0}
				tk := c.Take(rows)
				if tk.Int(0) != tc.vals[len(tc.vals)-1] || tk.Int(1) != tc.vals[0] || tk.IntBytes() != tc.bytes {
					t.Fatalf("take: %v", tk.Int64s())
				}
			}
		})
	}
}

func Format64(v int64) string {
	c := Column{Kind: Int, ints: intStore{w64: []int64{v}}}
	return c.Format(0)
}

// builderColumn appends vals one at a time, so the builder widens as it goes.
func builderColumn(vals []int64) *Column {
	b := NewIntBuilder(2)
	for _, v := range vals {
		b.Append(v)
	}
	return b.Column("n", nil)
}

func TestIntBuilder(t *testing.T) {
	b := NewIntBuilder(0)
	b.Append(1, -2)
	b.AppendZeros(2)
	if b.Len() != 4 {
		t.Fatalf("len %d", b.Len())
	}
	b.Append(300) // int16
	b.Set(2, -70000)
	b.Append(5)
	c := b.Column("n", nil)
	want := []int64{1, -2, -70000, 0, 300, 5}
	if !slices.Equal(c.Int64s(), want) || c.IntBytes() != 4 {
		t.Fatalf("built %v (%d bytes), want %v in 4", c.Int64s(), c.IntBytes(), want)
	}
	if c.Distinct() != 6 {
		t.Errorf("distinct %d", c.Distinct())
	}
}

func TestIntSliceAndDistinct(t *testing.T) {
	c := NewInt("age", []int64{30, 0, 45, 30, 45}, []bool{false, true, false, false, false})
	if s := IntSlice[int8](c); !slices.Equal(s, []int8{30, 0, 45, 30, 45}) {
		t.Errorf("int8 view %v", s)
	}
	if IntSlice[int64](c) != nil || IntSlice[int16](c) != nil {
		t.Error("a view of another width must be nil")
	}
	if c.Distinct() != 2 {
		t.Errorf("distinct %d, want 2 (the missing row's 0 is not a value)", c.Distinct())
	}
	wide := NewInt("w", []int64{1 << 40, 1 << 40, -1}, nil)
	if wide.Distinct() != 2 || IntSlice[int64](wide) == nil {
		t.Errorf("wide: distinct %d", wide.Distinct())
	}
	mid := NewInt("m", []int64{-300, 300, -300}, nil)
	if mid.Distinct() != 2 || mid.IntBytes() != 2 {
		t.Errorf("int16: distinct %d bytes %d", mid.Distinct(), mid.IntBytes())
	}
	a, _ := New(NewInt("n", []int64{1, 2, 3}, nil))
	b, _ := New(NewIntOwned("n", []int32{1, 2, 3}, nil))
	if err := Equal(a, b); err != nil {
		t.Errorf("equal across storage: %v", err)
	}
}

// TestCodeWidths: string codes take the narrowest storage for the size of
// the dictionary, and every reader gives the same codes and text.
func TestCodeWidths(t *testing.T) {
	for _, distinct := range []int{1, 128, 129, 32768, 32769, 70000} {
		n := distinct + 3
		vals := make([]string, n)
		missing := make([]bool, n)
		for i := range vals {
			vals[i] = Format64(int64(i % distinct))
		}
		missing[n-1] = true
		c := NewString("s", vals, missing)
		want := 1
		switch {
		case distinct > 32768:
			want = 4
		case distinct > 128:
			want = 2
		}
		if got := len(CodeSlice[int8](c)) + 2*len(CodeSlice[int16](c)) + 4*len(CodeSlice[int32](c)); got != want*n {
			t.Fatalf("%d distinct: %d bytes of codes for %d rows, want %d per row", distinct, got, n, want)
		}
		codes := c.Codes32()
		for i := range n {
			if codes[i] != c.Code(i) || (i < n-1) != (c.Code(i) >= 0) {
				t.Fatalf("%d distinct, row %d: code %d / %d", distinct, i, codes[i], c.Code(i))
			}
			if i < n-1 && c.Str(i) != vals[i] {
				t.Fatalf("row %d: %q, want %q", i, c.Str(i), vals[i])
			}
		}
		if c.Distinct() != distinct || c.Take([]int{n - 1, 0}).Str(1) != vals[0] {
			t.Fatalf("%d distinct: Distinct %d", distinct, c.Distinct())
		}
		b := NewIntBuilder(0)
		AppendInts(b, codes)
		if err := equalColumns(b.StringColumn("s", c.Dict, c.Missing), c); err != nil {
			t.Fatal(err)
		}
	}
}
