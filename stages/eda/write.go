package eda

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"

	"github.com/churnlab/segment/internal/result"
)

// summaryHeader is the header of summary.csv.
var summaryHeader = []string{"column", "type", "role", "count", "missing", "missing_share", "distinct",
	"mean", "std", "min", "25%", "50%", "75%", "max", "top", "freq"}

// writeSummaryCSV writes one row per column. Numbers are written in full
// precision (Python's repr); statistics that do not apply, or are
// undefined, are empty cells.
func writeSummaryCSV(w io.Writer, summary []result.ColumnSummary) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(summaryHeader); err != nil {
		return err
	}
	for _, s := range summary {
		rec := []string{s.Column, s.Type, s.Role, strconv.Itoa(s.Count), strconv.Itoa(s.Missing),
			pyRepr(s.MissingShare), strconv.Itoa(s.Distinct)}
		if s.IsNumeric() {
			for _, v := range []float64{s.Mean, s.Std, s.Min, s.Q25, s.Q50, s.Q75, s.Max} {
				rec = append(rec, pyRepr(v))
			}
		} else {
			rec = append(rec, "", "", "", "", "", "", "")
		}
		if s.Type == "string" && s.Role == "" && s.Count > 0 {
			rec = append(rec, s.Top, strconv.Itoa(s.Freq))
		} else {
			rec = append(rec, "", "")
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeMatrixCSV writes a square matrix as pandas' DataFrame.to_csv does:
// a header row whose first cell is empty, then one row per column, named
// in its first cell.
func writeMatrixCSV(w io.Writer, names []string, cell func(i, j int) string) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(append([]string{""}, names...)); err != nil {
		return err
	}
	rec := make([]string, len(names)+1)
	for i, name := range names {
		rec[0] = name
		for j := range names {
			rec[j+1] = cell(i, j)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeInsightsMD writes the insights and alerts as Markdown. Every text
// from the data or the config is escaped (mdText); total is the number of
// columns correlated, more than res.Correlation holds when max_columns
// capped it.
func writeInsightsMD(w io.Writer, res *result.EDA, title string, total int) error {
	b := bufio.NewWriter(w)
	c := res.Correlation
	fmt.Fprintf(b, "# Exploratory data analysis\n\n")
	of := fmt.Sprintf("%d numeric columns", len(c.Columns))
	if total > len(c.Columns) {
		of = fmt.Sprintf("the first %d of %d numeric columns (max\\_columns; %s holds all)", len(c.Columns), total, mdCode(res.Files.Correlation))
	}
	fmt.Fprintf(b, "%s rows × %s columns. %s correlation of %s over pairwise-complete rows (%s; rows behind each value in %s; column statistics in %s).\n\n",
		thousands(res.Rows), thousands(res.Columns), capitalize(c.Method), of,
		mdCode(res.Files.Correlation), mdCode(res.Files.CorrelationN), mdCode(res.Files.Summary))
	if len(res.Files.Heatmaps) > 0 {
		fmt.Fprintf(b, "![%s](%s)\n\n", mdText(title), mdLink(res.Files.Heatmaps[0]))
	}
	fmt.Fprintf(b, "## Insights\n\n")
	if len(res.Insights) == 0 {
		fmt.Fprintf(b, "No correlations to report.\n")
	}
	for _, in := range res.Insights {
		fmt.Fprintf(b, "- %s\n", mdText(in.Text))
	}
	fmt.Fprintf(b, "\n## Data-quality alerts\n\n")
	if len(res.Alerts) == 0 {
		fmt.Fprintf(b, "None.\n")
	}
	for _, a := range res.Alerts {
		fmt.Fprintf(b, "- %s\n", mdText(a.Text))
	}
	if len(c.Excluded) > 0 {
		fmt.Fprintf(b, "\n## Left out of the correlation\n\n")
		for _, e := range c.Excluded {
			fmt.Fprintf(b, "- %s: %s\n", mdText(e.Column), mdText(e.Reason))
		}
	}
	if len(res.LabelLegend) > 0 {
		fmt.Fprintf(b, "\n## Heatmap labels\n\n| Label | Column |\n|---|---|\n")
		shown := make([]string, 0, len(res.LabelLegend))
		for s := range res.LabelLegend {
			shown = append(shown, s)
		}
		// In matrix order.
		pos := map[string]int{}
		for i, col := range c.Columns {
			pos[col] = i
		}
		sort.Slice(shown, func(i, j int) bool { return pos[res.LabelLegend[shown[i]]] < pos[res.LabelLegend[shown[j]]] })
		for _, s := range shown {
			fmt.Fprintf(b, "| %s | %s |\n", mdText(s), mdText(res.LabelLegend[s]))
		}
	}
	return b.Flush()
}

// writeJSON writes res as indented JSON.
func writeJSON(w io.Writer, res *result.EDA) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
