package csvio

import (
	"cmp"
	"slices"
	"strconv"
)

// Columns are typed while the file is read, so a column that holds numbers
// for a million rows and then "N/A" must turn into text after the numbers'
// text is gone. Rather than read the file again, the reader keeps the text
// of exactly those cells it could not write back from their values: a
// number or bool cell whose text is not the canonical formatting of its
// value (strconv.FormatInt, strconv.FormatFloat(v, 'f', -1, 64) of at most
// 15 significant digits, "true"/"false" in the column's letter case) is
// kept in a textList. Most cells are canonical, so the list is usually
// empty; it is dropped when the column's kind is final.

// textList holds the text of some rows, in the order they were added.
type textList struct {
	rows  []int32
	ends  []int // end offsets in arena
	arena []byte
}

func (l *textList) add(row int32, b []byte) {
	l.arena = append(l.arena, b...)
	l.rows = append(l.rows, row)
	l.ends = append(l.ends, len(l.arena))
}

func (l *textList) len() int { return len(l.rows) }

func (l *textList) text(i int) []byte {
	start := 0
	if i > 0 {
		start = l.ends[i-1]
	}
	return l.arena[start:l.ends[i]]
}

func (l *textList) reset() {
	l.rows, l.ends, l.arena = l.rows[:0], l.ends[:0], l.arena[:0]
}

// appendShifted adds the entries of m with their rows shifted by base.
func (l *textList) appendShifted(m *textList, base int) {
	for i := range m.rows {
		l.add(int32(base+int(m.rows[i])), m.text(i))
	}
}

// byRow returns the kept texts by row.
func (l *textList) byRow() map[int32][]byte {
	if l.len() == 0 {
		return nil
	}
	m := make(map[int32][]byte, l.len())
	for i, r := range l.rows {
		m[r] = l.text(i)
	}
	return m
}

// sortedRows lists the entry indexes in row order.
func (l *textList) sortedRows() []int {
	idx := make([]int, l.len())
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(l.rows[a], l.rows[b]) })
	return idx
}

// Bool letter cases: the canonical text of a bool column is "true"/"false"
// in the case of its first bool cell.
const (
	caseNone  uint8 = iota
	caseLower       // true
	caseTitle       // True
	caseUpper       // TRUE
)

func boolCase(b []byte) uint8 {
	switch {
	case b[0] >= 'a' && string(b[1:]) == lowerRest(b[0]):
		return caseLower
	case b[0] == 'T' && string(b) == "True" || b[0] == 'F' && string(b) == "False":
		return caseTitle
	case string(b) == "TRUE" || string(b) == "FALSE":
		return caseUpper
	}
	return caseNone
}

func lowerRest(c byte) string {
	if c == 't' {
		return "rue"
	}
	if c == 'f' {
		return "alse"
	}
	return "\x00"
}

func formatBool(v bool, style uint8) string {
	switch style {
	case caseTitle:
		if v {
			return "True"
		}
		return "False"
	case caseUpper:
		if v {
			return "TRUE"
		}
		return "FALSE"
	}
	return strconv.FormatBool(v)
}

// canonInt reports whether b is strconv.FormatInt of its value: no plus
// sign, no leading zeros, not "-0".
func canonInt(b []byte) bool {
	i := 0
	if b[0] == '-' {
		i = 1
	}
	return b[0] != '+' && (b[i] != '0' || i == 0 && len(b) == 1)
}

// exact53 is the largest magnitude up to which every integer is a float64.
const exact53 = 1 << 53
