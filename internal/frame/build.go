package frame

import "math"

// NewFloat builds a float column. NaN values are treated as missing. The
// slices are copied; missing may be nil.
func NewFloat(name string, values []float64, missing []bool) *Column {
	v := append([]float64(nil), values...)
	miss := make([]bool, len(v))
	any := false
	for i := range v {
		if (missing != nil && missing[i]) || math.IsNaN(v[i]) {
			miss[i] = true
			v[i] = math.NaN()
			any = true
		}
	}
	c := &Column{Name: name, Kind: Float, Floats: v}
	if any {
		c.Missing = miss
	}
	return c
}

// NewInt builds an int column, stored in the narrowest integer type that
// holds its values; missing may be nil. The slices are copied.
func NewInt(name string, values []int64, missing []bool) *Column {
	v := append([]int64(nil), values...)
	miss := normMissing(missing, func(i int) { v[i] = 0 })
	return NewIntOwned(name, v, miss)
}

// NewBool builds a bool column; missing may be nil. The slices are copied.
func NewBool(name string, values []bool, missing []bool) *Column {
	c := &Column{Name: name, Kind: Bool, Bools: append([]bool(nil), values...)}
	c.Missing = normMissing(missing, func(i int) { c.Bools[i] = false })
	return c
}

// NewString builds a dictionary-encoded string column; missing may be nil.
func NewString(name string, values []string, missing []bool) *Column {
	codes := make([]int32, len(values))
	var dict []string
	index := make(map[string]int32)
	for i, s := range values {
		if missing != nil && missing[i] {
			codes[i] = -1
			continue
		}
		code, ok := index[s]
		if !ok {
			code = int32(len(dict))
			index[s] = code
			dict = append(dict, s)
		}
		codes[i] = code
	}
	return NewStringCodesOwned(name, codes, dict, normMissing(missing, func(int) {}))
}

// NewStringCodes builds a string column from codes into dict (-1 = missing).
// The slices are used as given (codes are copied when a narrower type
// holds them) and must not be modified afterwards.
func NewStringCodes(name string, codes []int32, dict []string) *Column {
	var missing []bool
	for i, code := range codes {
		if code < 0 {
			if missing == nil {
				missing = make([]bool, len(codes))
			}
			missing[i] = true
		}
	}
	return NewStringCodesOwned(name, codes, dict, missing)
}

// NewStringCodesOwned builds a string column from codes into dict (-1 at
// the rows missing marks; missing nil when none), stored in the narrowest
// integer type that holds them. The slices are used as given (codes are
// copied when a narrower type holds them) and must not be modified
// afterwards.
func NewStringCodesOwned[T Integer](name string, codes []T, dict []string, missing []bool) *Column {
	if dict == nil {
		dict = []string{}
	}
	return &Column{Name: name, Kind: String, codes: narrowOwned(codes), Dict: dict, Missing: missing}
}

// normMissing copies missing, returning nil when nothing is missing, and
// calls zero for every missing row.
func normMissing(missing []bool, zero func(int)) []bool {
	var out []bool
	for i, m := range missing {
		if !m {
			continue
		}
		if out == nil {
			out = make([]bool, len(missing))
		}
		out[i] = true
		zero(i)
	}
	return out
}
