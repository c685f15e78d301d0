package csvio

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// NearNumeric describes a column read as text although nearly all its cells
// are numbers: a few stray cells such as "N/A", "$12", "1,234" or "abc"
// make the whole column text (as in pandas), and it drops out of every
// numeric step. The reader keeps it as text and reports it, so that the
// stages can say which cells broke the numbers.
//
// A column is near-numeric when it is inferred as text (not fixed by
// Options.Types or TextColumns), at least one of its non-missing cells is
// not a number, and at least 90 % are: ints or floats by the rules of the
// package, after trimming spaces; a number beyond the float64 range does
// not count as one.
type NearNumeric struct {
	Column  string
	Numbers int              // non-missing cells that are numbers
	Others  int              // non-missing cells that are not
	First   []NonNumericCell // the first few of the latter, in file order
}

// NonNumericCell is a cell of a near-numeric column that is not a number.
type NonNumericCell struct {
	Row   int // data row, 1 for the first row after the header
	Line  int // physical line of the file
	Value string
}

// nearShare is the least share of number cells of a near-numeric column.
const nearShare = 0.9

func (o *colFacts) nearNumeric() *NearNumeric {
	if o.kind != kString || o.fixed || o.nn.non == 0 || o.nn.num == 0 {
		return nil
	}
	if float64(o.nn.num) < nearShare*float64(o.nn.num+o.nn.non) {
		return nil
	}
	return &NearNumeric{Column: o.name, Numbers: o.nn.num, Others: o.nn.non, First: slices.Clone(o.nn.samples)}
}

// String says what happened and what to do, e.g.
//
//	column "Total Charges" is text because 3 of its 7,043 values are not numbers: row 1,234: "N/A"; row 2,001: "$12"; row 5,120: "N/A"; treat them as missing with input.na_values: ["N/A", "$12"], or fix them in the file
//
// Rows count data rows from 1 (NonNumericCell has the file's line too).
func (n *NearNumeric) String() string {
	var b strings.Builder
	verb := "are not numbers"
	if n.Others == 1 {
		verb = "is not a number"
	}
	fmt.Fprintf(&b, "column %q is text because %s of its %s values %s: ", n.Column, group(int64(n.Others)), group(int64(n.Numbers+n.Others)), verb)
	var distinct []string
	for i, c := range n.First {
		if i > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "row %s: %s", group(int64(c.Row)), strconv.Quote(c.Value))
		if q := strconv.Quote(strings.Trim(c.Value, " \t")); !slices.Contains(distinct, q) {
			distinct = append(distinct, q)
		}
	}
	if more := n.Others - len(n.First); more > 0 {
		fmt.Fprintf(&b, " and %s more", group(int64(more)))
	}
	pron := "them"
	if n.Others == 1 {
		pron = "it"
	}
	fmt.Fprintf(&b, "; treat %s as missing with input.na_values: [%s], or fix %s in the file", pron, strings.Join(distinct, ", "), pron)
	return b.String()
}
