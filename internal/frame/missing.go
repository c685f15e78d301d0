package frame

import "strings"

// MissingStrings returns t with the string cells that segment's CSV reader
// (internal/csvio) reads as missing marked missing: cells that are empty or
// hold only spaces and tabs, and cells equal to one of naValues once
// surrounding spaces and tabs are trimmed from both. Columns without such
// cells are shared; t is not modified.
//
// It is for tables converted from a gota DataFrame that gota's ReadCSV
// filled: gota keeps blank cells as values (and already reads "NaN" as NA),
// so without it such a table would hold blank strings where a table read by
// segment holds missing cells.
func (t *Table) MissingStrings(naValues []string) *Table {
	na := make(map[string]bool, len(naValues))
	for _, v := range naValues {
		na[strings.Trim(v, " \t")] = true
	}
	cols := make([]*Column, len(t.cols))
	for j, c := range t.cols {
		cols[j] = c
		if c.Kind != String {
			continue
		}
		miss := make([]bool, len(c.Dict))
		any := false
		for code, s := range c.Dict {
			s = strings.Trim(s, " \t")
			if s == "" || na[s] {
				miss[code] = true
				any = true
			}
		}
		if !any {
			continue
		}
		codes := c.Codes32()
		for i, code := range codes {
			if code >= 0 && miss[code] {
				code = -1
			}
			codes[i] = code
		}
		cols[j] = NewStringCodes(c.Name, codes, c.Dict)
	}
	out, _ := New(cols...) // the same names and lengths
	out.rows = t.rows
	return out
}
