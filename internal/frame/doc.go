// Package frame holds the typed, column-oriented table that flows between
// pipeline stages, and its conversion to and from a gota DataFrame.
//
// Why not gota's DataFrame as the working table: gota (v0.12.0) stores every
// cell as a boxed element with its own NA flag, copies the whole frame on
// Rename, Select and Mutate, treats blank strings as values rather than
// missing, and its numeric helpers (Describe's median, Mean with any NA,
// Filter with "!=") give wrong answers when values are missing. Measured on
// this project's 2-core machine, gota's ReadCSV was 4.4× slower than
// streaming into typed slices and took 3.8× the memory. A Table keeps each
// column as one typed slice plus an explicit missing mask, so numbers reach
// gonum without boxing and a missing value is never mistaken for a value.
//
// gota remains the interchange type, and the clean stage can run its steps
// on it (engine: gota). Table.DataFrame, Column.Series, FromDataFrame,
// FromDataFrameColumn and FromSeries convert both ways with every cell kept:
// kinds map one to one (int stays int with missing cells), missing cells are
// gota NA elements, floats never pass through text, and the string "NaN"
// stays a value (TextElement; gota's own Set reads it as NA). Equal compares
// two tables cell by cell; MissingStrings applies segment's CSV rule for
// missing text (blank cells, na_values) to a table whose gota DataFrame came
// from gota's ReadCSV, which keeps blank cells as values. gota_test.go pins the gota behaviours that differ
// from this package's rules.
//
// Int columns are stored in the narrowest of int8, int16, int32 and int64
// that holds every value (an age takes one byte per row, not eight):
// Column.Int, Int64s and Value read the exact values whatever the width,
// IntSlice gives the typed storage to loops that want no per-row switch,
// and NewInt, NewIntOwned and IntBuilder build them. IntBytes tells the
// width, which no result depends on. The dictionary codes of string
// columns are stored the same way (one byte per row for up to 128
// distinct values): Column.Code, Codes32 and CodeSlice read them,
// NewString, NewStringCodes, NewStringCodesOwned and
// IntBuilder.StringColumn build them.
//
// Missing values are explicit: Column.Missing is nil when the column has no
// missing cells, otherwise it is true at every missing row. Float columns also
// hold NaN at missing rows; string columns hold code -1; int and bool columns
// hold their zero value. Columns and tables are immutable once built: every
// operation returns a new Table that shares the unchanged columns.
package frame
