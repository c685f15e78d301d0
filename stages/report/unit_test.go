package report

import (
	"math"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
)

func TestRerunCommand(t *testing.T) {
	c := &pipeline.Config{File: "configs/churn.yaml", Overrides: []string{"seed=7", "input.path=/data/my file.csv", "name=it's"}}
	want := `segment run -c configs/churn.yaml --set seed=7 --set 'input.path=/data/my file.csv' --set 'name=it'\''s'`
	if got := rerunCommand(c); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := shellQuote(""); got != "''" {
		t.Errorf("shellQuote(\"\") = %s", got)
	}
}

func TestMarkdownEscaping(t *testing.T) {
	for in, want := range map[string]string{
		"Total_Revenue":             `Total\_Revenue`,
		"<script>alert(1)</script>": `&lt;script&gt;alert(1)&lt;/script&gt;`,
		"a|b":                       `a\|b`,
		"[x](http://e)":             `\[x\](http://e)`,
		"# h\nnext":                 `\# h next`,
		"R&D *bold* `code`":         "R&amp;D \\*bold\\* \\`code\\`",
	} {
		if got := mdText(in); got != want {
			t.Errorf("mdText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := mdCode("a`b|c"); got != "`` a`b\\|c ``" {
		t.Errorf("mdCode = %q", got)
	}
	if got := mdFence("x ``` y"); got != "````\nx ``` y\n````" {
		t.Errorf("mdFence = %q", got)
	}
	if got := mdLink("seg (1).png"); got != "seg%20%281%29.png" {
		t.Errorf("mdLink = %q", got)
	}
	if got := tidyMarkdown("\n\n# a\n\n\n\nb  \n\n"); got != "# a\n\nb\n" {
		t.Errorf("tidyMarkdown = %q", got)
	}
}

func TestNumberFormats(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{1207.564, "1,208"}, {149.94, "149.9"}, {12.634, "12.63"}, {0.50097, "0.501"}, {0, "0"},
		{-0.0123, "-0.0123"}, {math.NaN(), Dash}, {2.5e16, "2.5e+16"}, {-3456.5, "-3,457"},
	} {
		if got := fmtStat(tc.v); got != tc.want {
			t.Errorf("fmtStat(%g) = %q, want %q", tc.v, got, tc.want)
		}
	}
	if fmtFixed(-0.0004, 3) != "0.000" || fmtFixed(0.3604, 3) != "0.360" || fmtFixed(math.NaN(), 2) != Dash {
		t.Error("fmtFixed")
	}
	if zText(-0.04) != "0.0σ" || zText(1.26) != "+1.3σ" || zText(-2) != "-2.0σ" || zText(math.NaN()) != Dash {
		t.Error("zText")
	}
}

// TestDriftHook: a drift result in the state renders the drift section in
// both formats, after the main sections and before the appendix.
func TestDriftHook(t *testing.T) {
	run := &pipeline.Config{Name: "nightly", File: "c.yaml"}
	in := buildInput{cfg: NewConfig().(*Config), run: run, runID: "20261123T000000Z-nightly",
		images: func([]string, string, string) (Image, bool) { return Image{}, false }}
	st := &pipeline.State{Drift: &result.Drift{Failed: []string{"psi of Tenure 0.31 > 0.25", "segment 2 share moved 9 points"}}}
	v := build(in, st)
	if v.Drift == nil || len(v.Drift.Failed) != 2 {
		t.Fatalf("drift view %+v", v.Drift)
	}
	var html, md strings.Builder
	if err := RenderHTML(&html, v); err != nil {
		t.Fatal(err)
	}
	if err := RenderMarkdown(&md, v); err != nil {
		t.Fatal(err)
	}
	h := html.String()
	i, j := strings.Index(h, `<section id="drift">`), strings.Index(h, `<div class="appendix-head"`)
	if i < 0 || j < i || !strings.Contains(h, "crossed 2 drift thresholds") || !strings.Contains(h, "<li>psi of Tenure 0.31 &gt; 0.25</li>") ||
		!strings.Contains(h, `<a href="#drift">`) {
		t.Errorf("html drift section missing or misplaced:\n%s", h[max(0, i):])
	}
	if !strings.Contains(md.String(), "## Drift\n\nThis run crossed 2 drift thresholds:\n\n- psi of Tenure 0.31 &gt; 0.25\n") {
		t.Errorf("markdown drift section:\n%s", md.String())
	}
	// Left out of sections: not shown.
	in.cfg.Sections = []string{SectionSummary}
	if v := build(in, st); v.Drift != nil {
		t.Error("drift shown though not included")
	}
	// No drift result: no section.
	in.cfg.Sections = Sections()
	if v := build(in, &pipeline.State{}); v.Drift != nil {
		t.Error("drift section without a result")
	}
}

func TestConfigValidate(t *testing.T) {
	c := &Config{Title: strings.Repeat("x", 201), Sections: []string{"summary", "charts", "summary"}, Include: []string{"segments", "overview"},
		Formats: []string{"pdf", "md", "md"}}
	err := c.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{"title: a title has at most 200 characters, got 201", `sections[1]: unknown section "charts"`,
		`sections[2]: section "summary" is listed twice`, `include[1]: unknown section "overview"`, "include: give sections (order and choice) or include (its older form), not both",
		`formats[0]: unknown format "pdf" (want html or md)`, `formats[2]: format "md" is listed twice`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
	if err := NewConfig().(*Config).Validate(); err != nil {
		t.Errorf("defaults: %v", err)
	}
	if err := (&Config{Sections: Sections()}).Validate(); err == nil || !strings.Contains(err.Error(), "formats: list at least one") {
		t.Errorf("empty formats: %v", err)
	}
	// include, the older form: the default order, "segments" for both
	// segment sections, the reproduce section always.
	old := &Config{Sections: Sections(), Include: []string{"segments", "summary"}, Formats: []string{"md"}}
	if err := old.Validate(); err != nil || strings.Join(old.order(), " ") != "overview profiles summary reproduce" {
		t.Errorf("include: %v, order %v", err, old.order())
	}
}

// TestUnsafeValuesNeutralised: the template helpers only pass the values
// this package builds.
func TestUnsafeValuesNeutralised(t *testing.T) {
	v := &View{Title: "t", Order: []SectionRef{{Name: SectionOverview}, {Name: SectionProfiles}},
		Overview: &OverviewView{Rows: []OverviewRow{{Name: "s", Color: "red;background:url(http://x)"}}},
		Segments: &SegmentsView{
			Descriptions: []SegmentRow{{Label: "s", Color: "blue;background:url(http://x)"}},
			Images:       []Image{{Title: "x", Src: "javascript:alert(1)"}, {Title: "y", Src: "http://example.com/a.png"}},
		}}
	var b strings.Builder
	if err := RenderHTML(&b, v); err != nil {
		t.Fatal(err)
	}
	h := b.String()
	if strings.Contains(h, "javascript:") || strings.Contains(h, "example.com") || strings.Contains(h, "url(http") {
		t.Errorf("unsafe value passed through:\n%s", h)
	}
	if strings.Count(h, `src="about:invalid"`) != 2 {
		t.Error("unsafe image sources not replaced by about:invalid")
	}
}
