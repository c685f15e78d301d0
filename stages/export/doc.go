// Package export is the export stage: files for the people who act on the
// segments rather than for the analyst.
//
// customers: one row per customer — the id (exactly as in the input, or a
// 1-based row number when the input has none), the segment number, the
// segment name (the profile stage's when it ran before, else the cluster
// stage's: a pinned name or "Segment <ID>") and the chosen attribute
// columns as the table holds them at this point — written as
// customers.csv and, with formats: [xlsx], as customers.xlsx with two
// sheets: Customers (the same rows) and Segments (one row per segment:
// number, name, customers, share, the profile's worded traits when a
// profile stage ran before, and per attribute column the mean of a numeric
// one or the most frequent value of another, with its share).
//
// Spreadsheet formula injection: a text cell (header names included) that
// starts with =, +, -, @, a tab or a carriage return would be read as a
// formula by Excel, LibreOffice or Google Sheets; it is written with a
// leading apostrophe (OWASP's advice), in the CSV and the workbook alike.
// Numbers are written as numbers and are not changed.
//
// The workbook is reproducible: the same rows give the same bytes (fixed
// document dates, zip entries in a fixed order without times). An Excel
// sheet holds at most 1,048,576 rows; a larger table is an error for xlsx
// (csv has no limit).
package export
