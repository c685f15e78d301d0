package frame

import (
	"math"
	"slices"
)

// Integer is a type int columns are stored in.
type Integer interface {
	~int8 | ~int16 | ~int32 | ~int64
}

// intStore holds an int column's values in the narrowest of int8, int16,
// int32 and int64 that holds every one of them: exactly one slice is in
// use (all nil for an empty column). Values are exact whatever the width.
type intStore struct {
	w8  []int8
	w16 []int16
	w32 []int32
	w64 []int64
}

// IntBytes returns the bytes per value of an int column's storage (1, 2, 4
// or 8), or 0 for other kinds. Readers never depend on it: Int, Int64s
// and IntSlice give the exact values at any width.
func (c *Column) IntBytes() int {
	if c.Kind != Int {
		return 0
	}
	switch {
	case c.ints.w64 != nil:
		return 8
	case c.ints.w32 != nil:
		return 4
	case c.ints.w16 != nil:
		return 2
	}
	return 1
}

func (s *intStore) len() int {
	return len(s.w8) + len(s.w16) + len(s.w32) + len(s.w64)
}

// Int returns row i of an int column (0 at a missing row).
func (c *Column) Int(i int) int64 { return c.ints.at(i) }

func (s *intStore) at(i int) int64 {
	switch {
	case s.w8 != nil:
		return int64(s.w8[i])
	case s.w16 != nil:
		return int64(s.w16[i])
	case s.w32 != nil:
		return int64(s.w32[i])
	}
	return s.w64[i]
}

// Int64s returns an int column's values as a new int64 slice (0 at
// missing rows); nil for other kinds.
func (c *Column) Int64s() []int64 {
	if c.Kind != Int {
		return nil
	}
	out := make([]int64, c.Len())
	c.ints.widen(out)
	return out
}

// widen writes the values into dst (len(dst) = s.len()).
func (s *intStore) widen(dst []int64) {
	switch {
	case s.w8 != nil:
		widenInto(dst, s.w8)
	case s.w16 != nil:
		widenInto(dst, s.w16)
	case s.w32 != nil:
		widenInto(dst, s.w32)
	default:
		copy(dst, s.w64)
	}
}

func widenInto[T Integer](dst []int64, src []T) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = int64(v)
	}
}

// intsAsFloat64 writes an int column's values into dst as float64
// (len(dst) ≥ c.Len()); missing rows get 0, like Int.
func (c *Column) intsAsFloat64(dst []float64) {
	s := &c.ints
	switch {
	case s.w8 != nil:
		toFloat(dst, s.w8)
	case s.w16 != nil:
		toFloat(dst, s.w16)
	case s.w32 != nil:
		toFloat(dst, s.w32)
	default:
		toFloat(dst, s.w64)
	}
}

func toFloat[T Integer](dst []float64, src []T) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = float64(v)
	}
}

// IntSlice returns the storage of an int column when it is held as T, and
// nil otherwise (see IntBytes; nil for other kinds). The slice is shared and must not be
// modified. Loops that want no per-row width switch read the column with
// IntSlice for each of int8, int16, int32 and int64.
func IntSlice[T Integer](c *Column) []T {
	if c.Kind != Int {
		return nil
	}
	var v any
	switch any(*new(T)).(type) {
	case int8:
		v = c.ints.w8
	case int16:
		v = c.ints.w16
	case int32:
		v = c.ints.w32
	case int64:
		v = c.ints.w64
	default:
		return nil
	}
	s, _ := v.([]T)
	return s
}

// NewIntOwned builds an int column from values, which it keeps when they
// already are the narrowest type and otherwise copies into it; values
// must not be modified afterwards. missing is used as given (nil when
// nothing is missing; missing rows should hold 0).
func NewIntOwned[T Integer](name string, values []T, missing []bool) *Column {
	c := &Column{Name: name, Kind: Int, Missing: missing}
	c.ints = narrowOwned(values)
	return c
}

// narrowOwned stores values in the narrowest type, keeping the slice
// itself when it already is.
func narrowOwned[T Integer](values []T) intStore {
	if len(values) == 0 {
		return intStore{w8: []int8{}}
	}
	lo, hi := int64(0), int64(0)
	for _, v := range values {
		lo, hi = min(lo, int64(v)), max(hi, int64(v))
	}
	w := widthFor(lo, hi)
	var have int
	switch any(values).(type) {
	case []int8:
		have = 1
	case []int16:
		have = 2
	case []int32:
		have = 4
	default:
		have = 8
	}
	if w == have {
		var s intStore
		switch v := any(values).(type) {
		case []int8:
			s.w8 = v
		case []int16:
			s.w16 = v
		case []int32:
			s.w32 = v
		case []int64:
			s.w64 = v
		}
		return s
	}
	s := storeOfWidth(w, len(values))
	s.fill(values)
	return s
}

// widthFor is the bytes per value that hold every value in [lo, hi].
func widthFor(lo, hi int64) int {
	switch {
	case lo >= math.MinInt8 && hi <= math.MaxInt8:
		return 1
	case lo >= math.MinInt16 && hi <= math.MaxInt16:
		return 2
	case lo >= math.MinInt32 && hi <= math.MaxInt32:
		return 4
	}
	return 8
}

// storeOfWidth allocates n zero values of width w.
func storeOfWidth(w, n int) intStore {
	switch w {
	case 1:
		return intStore{w8: make([]int8, n)}
	case 2:
		return intStore{w16: make([]int16, n)}
	case 4:
		return intStore{w32: make([]int32, n)}
	}
	return intStore{w64: make([]int64, n)}
}

// fill converts values into s (of the same length), which holds them.
func (s *intStore) fill(values any) {
	switch v := values.(type) {
	case []int8:
		fillFrom(s, v)
	case []int16:
		fillFrom(s, v)
	case []int32:
		fillFrom(s, v)
	case []int64:
		fillFrom(s, v)
	}
}

func fillFrom[T Integer](s *intStore, src []T) {
	switch {
	case s.w8 != nil:
		convert(s.w8, src)
	case s.w16 != nil:
		convert(s.w16, src)
	case s.w32 != nil:
		convert(s.w32, src)
	default:
		convert(s.w64, src)
	}
}

func convert[D, S Integer](dst []D, src []S) {
	dst = dst[:len(src)]
	for i, v := range src {
		dst[i] = D(v)
	}
}

// take returns the values at rows.
func (s *intStore) take(rows []int) intStore {
	switch {
	case s.w8 != nil:
		return intStore{w8: takeInts(s.w8, rows)}
	case s.w16 != nil:
		return intStore{w16: takeInts(s.w16, rows)}
	case s.w32 != nil:
		return intStore{w32: takeInts(s.w32, rows)}
	}
	return intStore{w64: takeInts(s.w64, rows)}
}

func takeInts[T Integer](src []T, rows []int) []T {
	out := make([]T, len(rows))
	for j, i := range rows {
		out[j] = src[i]
	}
	return out
}

// IntBuilder collects int64 values into the narrowest storage that holds
// them so far, widening (one copy) when a value does not fit: a column of
// ages takes one byte per row while it is being read, not eight.
type IntBuilder struct {
	s   intStore
	w   int // current width in bytes; 0 before the first Grow/Append
	cap int // capacity hint for new storage
	lo  int64
	hi  int64
}

// NewIntBuilder returns a builder expecting about capacity values.
func NewIntBuilder(capacity int) *IntBuilder {
	b := &IntBuilder{cap: capacity, w: 1}
	b.s = intStore{w8: make([]int8, 0, capacity)}
	return b
}

// Len returns the number of values appended.
func (b *IntBuilder) Len() int { return b.s.len() }

// Append adds values.
func (b *IntBuilder) Append(values ...int64) {
	lo, hi := b.lo, b.hi
	for _, v := range values {
		lo, hi = min(lo, v), max(hi, v)
	}
	b.ensure(lo, hi, len(values))
	switch {
	case b.s.w8 != nil:
		b.s.w8 = appendConv(b.s.w8, values)
	case b.s.w16 != nil:
		b.s.w16 = appendConv(b.s.w16, values)
	case b.s.w32 != nil:
		b.s.w32 = appendConv(b.s.w32, values)
	default:
		b.s.w64 = append(b.s.w64, values...)
	}
}

// AppendZeros adds n zeros.
func (b *IntBuilder) AppendZeros(n int) {
	switch {
	case b.s.w8 != nil:
		b.s.w8 = append(b.s.w8, make([]int8, n)...)
	case b.s.w16 != nil:
		b.s.w16 = append(b.s.w16, make([]int16, n)...)
	case b.s.w32 != nil:
		b.s.w32 = append(b.s.w32, make([]int32, n)...)
	default:
		b.s.w64 = append(b.s.w64, make([]int64, n)...)
	}
}

// At returns value i.
func (b *IntBuilder) At(i int) int64 { return b.s.at(i) }

// Set replaces value i.
func (b *IntBuilder) Set(i int, v int64) {
	b.ensure(min(b.lo, v), max(b.hi, v), 0)
	switch {
	case b.s.w8 != nil:
		b.s.w8[i] = int8(v)
	case b.s.w16 != nil:
		b.s.w16[i] = int16(v)
	case b.s.w32 != nil:
		b.s.w32[i] = int32(v)
	default:
		b.s.w64[i] = v
	}
}

// ensure widens the storage to hold [lo, hi], with room for more values.
func (b *IntBuilder) ensure(lo, hi int64, more int) {
	b.lo, b.hi = lo, hi
	w := widthFor(lo, hi)
	if w <= b.w {
		return
	}
	n := b.s.len()
	ns := storeOfWidth(w, n)
	switch {
	case b.s.w8 != nil:
		fillFrom(&ns, b.s.w8)
	case b.s.w16 != nil:
		fillFrom(&ns, b.s.w16)
	case b.s.w32 != nil:
		fillFrom(&ns, b.s.w32)
	}
	c := max(b.cap, n+more)
	switch w {
	case 2:
		ns.w16 = slices.Grow(ns.w16, c-n)
	case 4:
		ns.w32 = slices.Grow(ns.w32, c-n)
	case 8:
		ns.w64 = slices.Grow(ns.w64, c-n)
	}
	b.s, b.w = ns, w
}

// AppendInts adds values to b.
func AppendInts[T Integer](b *IntBuilder, values []T) {
	lo, hi := b.lo, b.hi
	for _, v := range values {
		lo, hi = min(lo, int64(v)), max(hi, int64(v))
	}
	b.ensure(lo, hi, len(values))
	switch {
	case b.s.w8 != nil:
		b.s.w8 = appendConvT(b.s.w8, values)
	case b.s.w16 != nil:
		b.s.w16 = appendConvT(b.s.w16, values)
	case b.s.w32 != nil:
		b.s.w32 = appendConvT(b.s.w32, values)
	default:
		b.s.w64 = appendConvT(b.s.w64, values)
	}
}

func appendConvT[D, S Integer](dst []D, src []S) []D {
	for _, v := range src {
		dst = append(dst, D(v))
	}
	return dst
}

// AppendConst adds n copies of v.
func (b *IntBuilder) AppendConst(v int64, n int) {
	b.ensure(min(b.lo, v), max(b.hi, v), n)
	switch {
	case b.s.w8 != nil:
		b.s.w8 = appendN(b.s.w8, int8(v), n)
	case b.s.w16 != nil:
		b.s.w16 = appendN(b.s.w16, int16(v), n)
	case b.s.w32 != nil:
		b.s.w32 = appendN(b.s.w32, int32(v), n)
	default:
		b.s.w64 = appendN(b.s.w64, v, n)
	}
}

func appendN[T Integer](dst []T, v T, n int) []T {
	for range n {
		dst = append(dst, v)
	}
	return dst
}

// StringColumn returns the values built so far as the codes of a string
// column into dict (the builder must not be used afterwards). missing is
// used as given.
func (b *IntBuilder) StringColumn(name string, dict []string, missing []bool) *Column {
	if dict == nil {
		dict = []string{}
	}
	c := &Column{Name: name, Kind: String, codes: b.s, Dict: dict, Missing: missing}
	if c.codes.len() == 0 {
		c.codes = intStore{w8: []int8{}}
	}
	b.s = intStore{}
	return c
}

func appendConv[D Integer](dst []D, src []int64) []D {
	for _, v := range src {
		dst = append(dst, D(v))
	}
	return dst
}

// Column returns the int column built so far (the builder must not be
// used afterwards). missing is used as given.
func (b *IntBuilder) Column(name string, missing []bool) *Column {
	c := &Column{Name: name, Kind: Int, ints: b.s, Missing: missing}
	if c.ints.len() == 0 {
		c.ints = intStore{w8: []int8{}}
	}
	b.s = intStore{}
	return c
}

// distinctInts counts the distinct non-missing values of an int column: a
// table of seen values for one- and two-byte storage, a map beyond.
func (c *Column) distinctInts() int {
	s := &c.ints
	switch {
	case s.w8 != nil:
		return distinctSmall(s.w8, c.Missing, 1<<8, 1<<7)
	case s.w16 != nil:
		return distinctSmall(s.w16, c.Missing, 1<<16, 1<<15)
	}
	seen := make(map[int64]struct{})
	for i := range s.len() {
		if !c.IsMissing(i) {
			seen[s.at(i)] = struct{}{}
		}
	}
	return len(seen)
}

func distinctSmall[T int8 | int16](vals []T, missing []bool, size, offset int) int {
	seen := make([]bool, size)
	n := 0
	for i, v := range vals {
		if missing != nil && missing[i] {
			continue
		}
		if k := int(v) + offset; !seen[k] {
			seen[k] = true
			n++
		}
	}
	return n
}

// Code returns row i's index into Dict of a string column (-1 at a missing
// row).
func (c *Column) Code(i int) int32 { return int32(c.codes.at(i)) }

// Codes32 returns a string column's codes as a new int32 slice (-1 at
// missing rows); nil for other kinds.
func (c *Column) Codes32() []int32 {
	if c.Kind != String {
		return nil
	}
	out := make([]int32, c.codes.len())
	s := &c.codes
	switch {
	case s.w8 != nil:
		convert(out, s.w8)
	case s.w16 != nil:
		convert(out, s.w16)
	case s.w32 != nil:
		copy(out, s.w32)
	default:
		convert(out, s.w64)
	}
	return out
}

// CodeSlice returns the codes of a string column when they are held as T,
// and nil otherwise (like IntSlice). The slice is shared and must not be
// modified.
func CodeSlice[T Integer](c *Column) []T {
	if c.Kind != String {
		return nil
	}
	d := Column{Kind: Int, ints: c.codes}
	return IntSlice[T](&d)
}
