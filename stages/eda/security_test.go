package eda_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/churnlab/segment/stages/eda"
	"github.com/churnlab/segment/stages/internal/stagetest"
)

// TestInsightsEscapeHostileNames: column names and a title crafted as
// Markdown and HTML reach insights.md as text (escaped as report.md
// escapes them): no heading, no remote image, no tag, no table break.
func TestInsightsEscapeHostileNames(t *testing.T) {
	dir := t.TempDir()
	evil := "x\n# OWNED\n![img](http://evil.invalid/p.png)"
	script := "<script>alert(1)</script>"
	pipe := "a|b"
	var b strings.Builder
	csvQuote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	fmt.Fprintf(&b, "id,%s,%s,%s,const\n", csvQuote(evil), csvQuote(script), csvQuote(pipe))
	for i := range 12 {
		// evil and script are near-duplicates (an alert naming both),
		// pipe goes against them, const is left out.
		fmt.Fprintf(&b, "c%d,%d,%d,%d,1\n", i, i, 2*i+i%2, -i*i)
	}
	csv := filepath.Join(dir, "hostile.csv")
	if err := os.WriteFile(csv, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := stagetest.WriteConfig(t, `version: 1
name: hostile
input: {path: "{{input}}", id: id}
stages:
  - type: ingest
  - type: eda
    config:
      title: "<img src=x onerror=alert(1)> ![t](http://evil.invalid/t.png)"
      max_label_chars: 6
`, csv)
	res := stagetest.Run(t, cfg)
	md, err := os.ReadFile(filepath.Join(res.Dir, eda.FileInsights))
	if err != nil {
		t.Fatal(err)
	}
	text := string(md)
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^#+ OWNED`),      // a heading from a column name
		regexp.MustCompile(`!\[(img|t)\]\(http`), // a remote image
		regexp.MustCompile(`<(script|img)`),      // a tag
		regexp.MustCompile(`(?m)^\| [^|]*a\|b`),  // a table cell split by a name
		regexp.MustCompile(`(^|[^\\])\]\(http`),  // an unescaped link to it
	} {
		if loc := bad.FindStringIndex(text); loc != nil {
			t.Errorf("insights.md has raw markup %q:\n%s", text[loc[0]:loc[1]], text)
		}
	}
	for _, want := range []string{
		`x \# OWNED !\[img\](http://evil.invalid/p.png)`,
		`&lt;script&gt;alert(1)&lt;/script&gt;`,
		`a\|b`,
		`&lt;img src=x onerror=alert(1)&gt; !\[t\](http://evil.invalid/t.png)`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("insights.md lacks the escaped %q:\n%s", want, text)
		}
	}
	// eda.json keeps the names as they are (JSON escapes them itself).
	js, _ := os.ReadFile(filepath.Join(res.Dir, eda.FileJSON))
	if !strings.Contains(string(js), `"x\n# OWNED\n![img](http://evil.invalid/p.png)"`) {
		t.Errorf("eda.json lost the column name")
	}
}

// TestMaxColumns: with more columns than max_columns the heatmap, the
// insights, the pair alerts and eda.json cover the first max_columns, with
// a warning, while correlation.csv and correlation_n.csv hold every column.
func TestMaxColumns(t *testing.T) {
	dir := t.TempDir()
	const cols, rows, maxCols = 40, 6, 10
	var b strings.Builder
	b.WriteString("id")
	for j := range cols {
		fmt.Fprintf(&b, ",c%02d", j)
	}
	b.WriteString("\n")
	for i := range rows {
		fmt.Fprintf(&b, "r%d", i)
		for j := range cols {
			fmt.Fprintf(&b, ",%d", (i*(j+3)+j*j*i*i)%17)
		}
		b.WriteString("\n")
	}
	csv := filepath.Join(dir, "wide.csv")
	if err := os.WriteFile(csv, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := stagetest.WriteConfig(t, fmt.Sprintf(`version: 1
name: wide
input: {path: "{{input}}", id: id}
stages:
  - type: ingest
  - type: eda
    config: {max_columns: %d, formats: [png, svg]}
`, maxCols), csv)
	res := stagetest.Run(t, cfg)
	e := res.State.EDA
	if len(e.Correlation.Columns) != maxCols || len(e.Correlation.R) != maxCols || len(e.Correlation.N[0]) != maxCols {
		t.Fatalf("eda result covers %d columns, want %d", len(e.Correlation.Columns), maxCols)
	}
	for _, in := range e.Insights {
		for _, p := range in.Pairs {
			if p.A >= fmt.Sprintf("c%02d", maxCols) || p.B >= fmt.Sprintf("c%02d", maxCols) {
				t.Errorf("insight beyond the cap: %s", in.Text)
			}
		}
	}
	warned := false
	for _, w := range res.Manifest.Warnings {
		warned = warned || strings.Contains(w.Message, fmt.Sprintf("%d columns to correlate: the heatmap, the insights, the alerts on pairs and eda.json cover the first %d (eda max_columns", cols, maxCols))
	}
	if !warned {
		t.Errorf("no warning about the cap: %+v", res.Manifest.Warnings)
	}
	for _, f := range []string{eda.FileCorrelation, eda.FileCorrelationN} {
		m := readMatrix(t, filepath.Join(res.Dir, f))
		if len(m.cols) != cols || len(m.rows) != cols {
			t.Errorf("%s has %d×%d, want all %d columns", f, len(m.rows), len(m.cols), cols)
		}
	}
	md, _ := os.ReadFile(filepath.Join(res.Dir, eda.FileInsights))
	if want := fmt.Sprintf("correlation of the first %d of %d numeric columns", maxCols, cols); !strings.Contains(string(md), want) {
		t.Errorf("insights.md lacks %q", want)
	}
	svg, _ := os.ReadFile(filepath.Join(res.Dir, "correlation.svg"))
	if strings.Contains(string(svg), fmt.Sprintf("c%02d", maxCols)) || !strings.Contains(string(svg), fmt.Sprintf("c%02d", maxCols-1)) {
		t.Errorf("the heatmap does not show exactly the first %d columns", maxCols)
	}
}
