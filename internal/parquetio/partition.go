package parquetio

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/churnlab/segment/internal/frame"
)

// hiveNull is the value Hive and Spark write for a missing partition value.
const hiveNull = "__HIVE_DEFAULT_PARTITION__"

// partKey is a Hive-style partition column: its values come from the
// key=value directory names of each file's relative path.
type partKey struct {
	name string
	kind frame.Kind
	// per file: the value (by kind) and whether it is missing
	ints    []int64
	floats  []float64
	bools   []bool
	strs    []string
	missing []bool
}

// splitParts returns the key=value directory components of a relative path.
func splitParts(rel string) (keys, vals []string, err error) {
	dirs := strings.Split(rel, "/")
	for _, comp := range dirs[:len(dirs)-1] {
		k, v, ok := strings.Cut(comp, "=")
		if !ok || k == "" {
			continue
		}
		if k, err = url.PathUnescape(k); err != nil {
			return nil, nil, fmt.Errorf("directory %q: %w", comp, err)
		}
		if v, err = url.PathUnescape(v); err != nil {
			return nil, nil, fmt.Errorf("directory %q: %w", comp, err)
		}
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return nil, nil, fmt.Errorf("directory %q: the name is not valid UTF-8", comp)
		}
		keys = append(keys, k)
		vals = append(vals, v)
	}
	return keys, vals, nil
}

// partitions reads the key=value directory names of every file into
// partition columns. Every file must have the same keys in the same order.
func (d *Dataset) partitions(fileCols []string) error {
	var keys []string
	for i, f := range d.files {
		k, v, err := splitParts(f.rel)
		if err != nil {
			return &Error{File: f.path, Msg: "partition directory: " + err.Error(), Err: err}
		}
		if i == 0 {
			keys = k
		} else if strings.Join(k, "/") != strings.Join(keys, "/") || len(k) != len(keys) {
			return &Error{File: f.path, Msg: fmt.Sprintf("partition directories differ: this file is under keys [%s], %s under [%s]",
				strings.Join(k, ", "), d.files[0].path, strings.Join(keys, ", "))}
		}
		f.parts = v
	}
	seen := make(map[string]bool)
	for j, k := range keys {
		if contains(fileCols, k) {
			return &Error{File: d.files[0].path, Column: k, Msg: "the partition key is also a column of the files; rename one or open with NoPartitions"}
		}
		if seen[k] {
			return &Error{File: d.files[0].path, Column: k, Msg: "the partition key appears twice in the directory path"}
		}
		seen[k] = true
		p := &partKey{name: k}
		vals := make([]string, len(d.files))
		for i, f := range d.files {
			vals[i] = f.parts[j]
		}
		p.infer(vals)
		d.keys = append(d.keys, p)
		d.fields = append(d.fields, Field{Name: k, Kind: p.kind, Type: "partition key", Nullable: p.missing != nil, Partition: true})
	}
	return nil
}

// infer gives the key the narrowest kind holding every value, with the same
// rules as the CSV reader: bool, int, float, otherwise string; an empty value
// or __HIVE_DEFAULT_PARTITION__ is missing, and a key missing everywhere is a
// float column of missing values.
func (p *partKey) infer(vals []string) {
	n := len(vals)
	miss := make([]bool, n)
	anyMiss, allBool, allInt, allFloat, any := false, true, true, true, false
	for i, v := range vals {
		if v == "" || v == hiveNull {
			miss[i], anyMiss = true, true
			continue
		}
		any = true
		if _, ok := parseBool(v); !ok {
			allBool = false
		}
		if _, err := strconv.ParseInt(v, 10, 64); err != nil {
			allInt = false
		}
		if !isDecimal(v) {
			allFloat = false
		}
	}
	if anyMiss {
		p.missing = miss
	}
	switch {
	case !any || (allFloat && !allInt):
		p.kind = frame.Float
		p.floats = make([]float64, n)
		for i, v := range vals {
			if !miss[i] {
				p.floats[i], _ = strconv.ParseFloat(v, 64)
			}
		}
	case allBool:
		p.kind = frame.Bool
		p.bools = make([]bool, n)
		for i, v := range vals {
			p.bools[i], _ = parseBool(v)
		}
	case allInt:
		p.kind = frame.Int
		p.ints = make([]int64, n)
		for i, v := range vals {
			if !miss[i] {
				p.ints[i], _ = strconv.ParseInt(v, 10, 64)
			}
		}
	default:
		p.kind = frame.String
		p.strs = vals
	}
}

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// isDecimal accepts [+-]digits[.digits][e[+-]digits] (at least one digit
// before the exponent), as the CSV reader does: no NaN, Inf, hex or '_'.
func isDecimal(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, exp = i+1, exp+1
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}

// fill writes the value of file fi into rows [lo, hi) of a column buffer.
func (p *partKey) fill(b *colBuf, fi, lo, hi int) {
	if p.missing != nil && p.missing[fi] {
		for i := lo; i < hi; i++ {
			b.setMissing(i)
		}
		return
	}
	switch p.kind {
	case frame.Int:
		for i := lo; i < hi; i++ {
			b.ints[i] = p.ints[fi]
		}
	case frame.Float:
		for i := lo; i < hi; i++ {
			b.floats[i] = p.floats[fi]
		}
	case frame.Bool:
		for i := lo; i < hi; i++ {
			b.bools[i] = p.bools[fi]
		}
	default:
		code := b.internString(p.strs[fi])
		for i := lo; i < hi; i++ {
			b.codes[i] = code
		}
	}
}
