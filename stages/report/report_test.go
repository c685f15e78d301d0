package report_test

import (
	"encoding/json"
	"github.com/churnlab/segment/stages/internal/stagetest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var imgTag = regexp.MustCompile(`<img src="([^"]*)"`)

func TestFullReport(t *testing.T) {
	res := run(t, fullConfig)
	html := read(t, filepath.Join(res.Dir, "report.html"))
	md := read(t, filepath.Join(res.Dir, "report.md"))

	for _, id := range []string{`id="summary"`, `id="quality"`, `id="eda"`, `id="k-selection"`, `id="segments"`, `id="hypotheses"`, `id="reproduce"`} {
		if !strings.Contains(html, id) {
			t.Errorf("report.html lacks the section %s", id)
		}
	}
	if strings.Contains(html, `id="drift"`) {
		t.Error("drift section without drift data")
	}
	// Self-contained: no script, no external reference; every image inline.
	for _, bad := range []string{"<script", "http://", "https://", "<link", "@import", "url("} {
		if strings.Contains(strings.ToLower(html), bad) {
			t.Errorf("report.html contains %q", bad)
		}
	}
	imgs := imgTag.FindAllStringSubmatch(html, -1)
	// EDA heatmap, elbow, sizes, heatmap, 2 scatters, PCA, boxes.
	if len(imgs) != 8 {
		t.Errorf("%d images, want 8", len(imgs))
	}
	for _, m := range imgs {
		if !strings.HasPrefix(m[1], "data:image/png;base64,") {
			t.Errorf("image src %.40q is not an inline PNG", m[1])
		}
	}
	p := res.State.Profile
	for _, want := range []string{
		"Customer segmentation: churn-report", "Who are our customers, and which segments churn?",
		"Run " + res.ID, "7,043", res.Manifest.ConfigSHA256, res.State.Input.SHA256,
		"segment run -c ", "Churn rate", p.Segments[0].Traits, "supported", "not supported",
		"sample of 3,000 of 7,043 customers", "Calinski–Harabasz", "@media print",
	} {
		if !strings.Contains(html, htmlEscape(want)) {
			t.Errorf("report.html lacks %q", want)
		}
	}

	// Markdown: the same content, images as relative links to files that
	// exist.
	links := regexp.MustCompile(`!\[[^\]]*\]\(([^)]+)\)`).FindAllStringSubmatch(md, -1)
	if len(links) != 8 {
		t.Errorf("report.md has %d images, want 8", len(links))
	}
	for _, l := range links {
		if strings.Contains(l[1], "/") || strings.HasPrefix(l[1], "data:") {
			t.Errorf("image link %q is not a file next to the report", l[1])
		}
		if _, err := os.Stat(filepath.Join(res.Dir, l[1])); err != nil {
			t.Errorf("image link %q: %v", l[1], err)
		}
	}
	for _, want := range []string{"# Customer segmentation: churn-report", "## Segments at a glance", "## Segment profiles", "## Hypotheses",
		"## Appendix", "## Choosing k", "## Data quality", "## Exploratory analysis", "## Run summary", "## Reproduce this run",
		"| 1 " + mdEsc(p.Segments[0].Label) + " _(suggested)_ | 2,", "```\nsegment run -c "} {
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks %q", want)
		}
	}
	// Both are registered artifacts of the report stage.
	var got []string
	for _, a := range res.State.ArtifactsOf("report") {
		got = append(got, a.Path)
	}
	if strings.Join(got, " ") != "report.html report.md" {
		t.Errorf("report artifacts %q", got)
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;").Replace(s)
}

// TestReportWithoutEDA: a run without eda, cluster and profile still
// reports, with only the sections it has data for.
func TestReportWithoutEDA(t *testing.T) {
	res := run(t, `
version: 1
name: minimal
input: {path: {{input}}}
stages:
  - type: ingest
  - type: report
    config: {title: Just the data, formats: [html]}
`)
	html := read(t, filepath.Join(res.Dir, "report.html"))
	for _, want := range []string{"<h1>Just the data</h1>", `id="summary"`, `id="quality"`, `id="reproduce"`, "Counted on the final table.", "Churn Category"} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks %q", want)
		}
	}
	for _, absent := range []string{`id="eda"`, `id="k-selection"`, `id="segments"`, `id="hypotheses"`, "<img"} {
		if strings.Contains(html, absent) {
			t.Errorf("report.html has %q", absent)
		}
	}
	if _, err := os.Stat(filepath.Join(res.Dir, "report.md")); !os.IsNotExist(err) {
		t.Errorf("report.md written with formats: [html] (%v)", err)
	}
}

// TestIncludeSections: include picks sections.
func TestIncludeSections(t *testing.T) {
	src := strings.Replace(fullConfig, "  - type: report\n", "  - type: report\n    config: {include: [segments], formats: [md]}\n", 1)
	res := run(t, src)
	md := read(t, filepath.Join(res.Dir, "report.md"))
	if !strings.Contains(md, "## Segments") || strings.Contains(md, "## Run summary") || strings.Contains(md, "## Choosing k") ||
		!strings.Contains(md, "## Reproduce this run") {
		t.Errorf("sections of\n%s", md)
	}
}

// TestHostileNames: names from the data and the config are escaped in both
// reports.
func TestHostileNames(t *testing.T) {
	const col = "<script>alert(1)</script>"
	dir := t.TempDir()
	in := filepath.Join(dir, "in.csv")
	var b strings.Builder
	b.WriteString("id,\"" + col + "\",b,kind\n")
	for i := range 60 {
		v := float64(i%10) + float64(i)/7
		miss := ""
		if i%9 != 0 {
			miss = strconv.FormatFloat(v, 'f', 3, 64)
		}
		kind := "<b>bold</b>"
		if i%2 == 0 {
			kind = "x|y`z"
		}
		b.WriteString(strconv.Itoa(i) + "," + miss + "," + strconv.FormatFloat(v*2+float64(i%3), 'f', 3, 64) + "," + kind + "\n")
	}
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	res := run(t, `
version: 1
name: hostile
description: "<img src=x onerror=alert(2)> & friends"
input: {path: {{input}}, id: id}
stages:
  - type: ingest
  - type: clean
    config: {steps: [{fillna: {"`+col+`": 0}}]}
  - type: eda
  - type: cluster
    config: {features: ["`+col+`", b], k: 2}
  - type: profile
    config:
      names: {1: "<i onmouseover=alert(3)>x</i>"}
      categorical: [kind]
      hypotheses: [{statement: "</p><script>alert(4)</script>", x: "`+col+`", y: b, expect: positive}]
  - type: report
    config: {title: "<title>T</title>"}
`, in)
	html := read(t, filepath.Join(res.Dir, "report.html"))
	md := read(t, filepath.Join(res.Dir, "report.md"))
	if n := strings.Count(strings.ToLower(html), "<script"); n != 0 {
		t.Errorf("report.html has %d <script tags", n)
	}
	for _, bad := range []string{"<img src=x", "<i onmouseover", "<b>bold", "<title>T</title></title>"} {
		if strings.Contains(html, bad) || strings.Contains(md, bad) {
			t.Errorf("unescaped %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(2)&gt; &amp; friends", "&lt;i onmouseover=alert(3)&gt;x&lt;/i&gt;"} {
		if !strings.Contains(html, want) {
			t.Errorf("report.html lacks the escaped %q", want)
		}
		if !strings.Contains(md, want) {
			t.Errorf("report.md lacks the escaped %q", want)
		}
	}
	if strings.Contains(md, "<script") || strings.Contains(md, "x|y") {
		t.Error("report.md has raw markup or an unescaped table pipe")
	}
}

// TestSectionsOrder: sections: sets the order and what is shown; the
// appendix heading comes before the first detail section; k set with --set
// is reported as set on the command line.
func TestSectionsOrder(t *testing.T) {
	src := strings.Replace(fullConfig, "  - type: report\n", "  - type: report\n    config: {sections: [overview, k_selection, hypotheses], formats: [html, md]}\n", 1)
	res := stagetest.Run(t, stagetest.WriteConfig(t, src, sample(t)), "stages.cluster.k=5")
	html := read(t, filepath.Join(res.Dir, "report.html"))
	ids := regexp.MustCompile(`<(?:section|div class="appendix-head") id="([a-z-]+)"`).FindAllStringSubmatch(html, -1)
	var got []string
	for _, m := range ids {
		got = append(got, m[1])
	}
	if strings.Join(got, " ") != "overview appendix k-selection hypotheses" {
		t.Errorf("sections %v", got)
	}
	md := read(t, filepath.Join(res.Dir, "report.md"))
	i, j, k := strings.Index(md, "## Segments at a glance"), strings.Index(md, "## Choosing k"), strings.Index(md, "## Hypotheses")
	if i < 0 || j < i || k < j || strings.Contains(md, "## Data quality") || strings.Contains(md, "## Reproduce") {
		t.Errorf("report.md sections in the wrong order or not chosen:\n%s", md)
	}
	want := "5 (set on the command line: --set stages.cluster.k=5)"
	if !strings.Contains(html, htmlEscape(want)) || strings.Contains(html, "fixed in the config") {
		t.Errorf("report.html does not say that k was set on the command line (%q)", want)
	}
}

// TestFeatureGuardrails: one-hot contract columns that dominate the
// distance and a near-duplicate pair (Total Charges, Total Revenue: r =
// 0.97) are warned about by the cluster stage (log, manifest, report — on
// the first screen) and, checked before the fit, in eda.json.
func TestFeatureGuardrails(t *testing.T) {
	res := run(t, `
version: 1
name: guard
input: {path: {{input}}, id: Customer ID}
stages:
  - type: ingest
  - type: clean
    config: {steps: [{onehot: {columns: [Contract]}}]}
  - type: eda
    config: {columns: [Tenure in Months, Total Charges, Total Revenue]}
  - type: cluster
    config:
      features: [Tenure in Months, Total Charges, Total Revenue, Contract_Month-to-Month, Contract_One Year, Contract_Two Year]
      k: 3
  - type: profile
  - type: report
`)
	var warned []string
	for _, w := range res.Manifest.Warnings {
		if w.Stage == "cluster" {
			warned = append(warned, w.Message)
		}
	}
	if len(warned) != 2 || !strings.HasPrefix(warned[0], "0/1 (one-hot) features hold 50% of the feature variance after standard scaling") ||
		!strings.Contains(warned[0], "weights: {Contract_Month-to-Month: ") ||
		warned[1] != "features Total Charges and Total Revenue are near-duplicates (r = 0.97): k-means counts the same information twice; keep one of them" {
		t.Errorf("cluster warnings %q", warned)
	}
	var eda struct {
		FeatureChecks []struct {
			Kind, Stage, Text string
		} `json:"feature_checks"`
		Alerts []struct{ Kind, Text string } `json:"alerts"`
	}
	if err := json.Unmarshal([]byte(read(t, filepath.Join(res.Dir, "eda.json"))), &eda); err != nil {
		t.Fatal(err)
	}
	if len(eda.FeatureChecks) != 2 || eda.FeatureChecks[0].Stage != "cluster" || eda.FeatureChecks[0].Text != warned[0] || eda.FeatureChecks[1].Kind != "near_duplicate" {
		t.Errorf("eda.json feature_checks %+v", eda.FeatureChecks)
	}
	if a := eda.Alerts[len(eda.Alerts)-1]; a.Kind != "features" || !strings.HasPrefix(a.Text, `Cluster stage "cluster": features Total Charges`) {
		t.Errorf("last alert %+v", a)
	}
	html := read(t, filepath.Join(res.Dir, "report.html"))
	i, j := strings.Index(html, `id="overview"`), strings.Index(html, "Caution: 0/1 (one-hot) features hold 50%")
	if i < 0 || j < i || j > strings.Index(html, `id="segments"`) {
		t.Error("the first screen lacks the caution about the one-hot features")
	}
}
