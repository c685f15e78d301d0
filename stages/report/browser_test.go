package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages/internal/stagetest"
)

// chromium returns the path of the chromium binary. Without one the test is
// skipped, except under CI=true, where it must run.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; CI=true requires the browser test (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium); skipping the browser test")
	return ""
}

// TestReportInBrowser opens report.html from a file:// URL in headless
// chromium and checks that the page makes no network request, that every
// image renders, that the sections come in the default order (the segments
// first, the details in the appendix), that the first screen (1280×800)
// shows the segment table — every segment's name, size, share and churn
// rate, described in plain words without z-scores — that a screenshot is
// not blank, and that it prints on at most 6 A4 pages with nothing
// sticking out. The screenshot and PDF go to $REPORT_SCREENSHOT_DIR when
// set (to look at them), else to a temporary folder.
func TestReportInBrowser(t *testing.T) {
	exe := chromium(t)
	res := run(t, fullConfig)
	bctx, u, requests := openInBrowser(t, exe, filepath.Join(res.Dir, "report.html"))
	type imgInfo struct {
		Src      string `json:"src"`
		Complete bool   `json:"complete"`
		W        int    `json:"w"`
		H        int    `json:"h"`
		Shown    int    `json:"shown"`
	}
	raw, err := chromedp.Run(bctx, chromedp.Evaluate[string](`JSON.stringify(Array.from(document.images).map(i => ({
		src: i.src.slice(0, 30), complete: i.complete, w: i.naturalWidth, h: i.naturalHeight, shown: i.getBoundingClientRect().width})))`))
	if err != nil {
		t.Fatal(err)
	}
	var imgs []imgInfo
	if err := json.Unmarshal([]byte(raw), &imgs); err != nil {
		t.Fatal(err)
	}
	if len(imgs) != 8 {
		t.Errorf("%d images in the page, want 8", len(imgs))
	}
	for i, im := range imgs {
		if !im.Complete || im.W == 0 || im.H == 0 || im.Shown == 0 {
			t.Errorf("image %d (%s…) does not render: %+v", i, im.Src, im)
		}
	}
	nScripts, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.scripts.length`))
	if err != nil || nScripts != 0 {
		t.Errorf("%d scripts in the page (%v)", nScripts, err)
	}
	checkOrder(t, bctx, []string{"overview", "segments", "hypotheses", "appendix", "k-selection", "quality", "eda", "summary", "reproduce"})
	checkFirstScreen(t, bctx, res)

	shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	pdf := printPDF(t, bctx)

	// Printed on A4 (186 mm ≈ 703 px between the margins), nothing sticks
	// out on the right.
	_, err = chromedp.Run(bctx, func(ctx context.Context, tg *chromedp.Target) (cdp.Empty, error) {
		return cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(703, 1000)); err != nil {
		t.Fatal(err)
	}
	over, err := chromedp.Run(bctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('body *'))
		.filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
		.map(e => e.tagName + ' ' + Math.round(e.getBoundingClientRect().right) + ' ' + (e.textContent || '').slice(0, 30))`))
	if err != nil {
		t.Fatal(err)
	}
	if len(over) > 0 {
		t.Errorf("in print, %d elements stick out of an A4 page, e.g. %q", len(over), over[:min(5, len(over))])
	}

	for _, r := range requests() {
		if !strings.HasPrefix(r, "data:") && r != u {
			t.Errorf("network request to %.80s", r)
		}
	}

	out := os.Getenv("REPORT_SCREENSHOT_DIR")
	if out == "" {
		out = t.TempDir()
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "report.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "report.pdf"), pdf, 0o644); err != nil {
		t.Fatal(err)
	}

	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	colours, ink := screenshotStats(img)
	b := img.Bounds()
	if b.Dx() < 1000 || b.Dy() < 3000 {
		t.Errorf("screenshot %d×%d: the page is too small", b.Dx(), b.Dy())
	}
	if colours < 500 || ink < 0.05 {
		t.Errorf("screenshot looks blank: %d colours, %.3f of pixels not white", colours, ink)
	}
	// The segments, profiles and hypotheses, then the appendix on a new
	// page: at most 6 A4 pages, at least 2.
	pages := len(pdfPage.FindAll(pdf, -1))
	if pages > 6 || pages < 2 {
		t.Errorf("the printed report has %d pages, want 2 to 6", pages)
	}
	t.Logf("screenshot %d×%d, %d colours, %.1f%% ink; PDF %d pages, %d bytes; %d requests", b.Dx(), b.Dy(), colours, 100*ink, pages, len(pdf), len(requests()))
}

var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

// openInBrowser opens file in headless chromium (a 1280×800 window) from a
// file:// URL; requests returns the URLs the page asked for so far. The
// browser closes when the test ends.
func openInBrowser(t *testing.T, exe, file string) (bctx context.Context, u string, requests func() []string) {
	t.Helper()
	u = (&url.URL{Scheme: "file", Path: file}).String()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	var mu sync.Mutex
	var seen []string
	listen := func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			mu.Lock()
			seen = append(seen, e.Request.URL)
			mu.Unlock()
		}
	}
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithListener(listen))
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx, chromedp.Navigate(u)); err != nil {
		t.Fatalf("navigate %s: %v", u, err)
	}
	return bctx, u, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), seen...)
	}
}

// printPDF prints the page to PDF (A4 from the print stylesheet).
func printPDF(t *testing.T, ctx context.Context) []byte {
	t.Helper()
	yes := true
	pdf, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) ([]byte, error) {
		r, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PrintBackground: &yes})
		if err != nil {
			return nil, err
		}
		return r.Data, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatal("PrintToPDF did not return a PDF")
	}
	return pdf
}

// TestShippedReportInBrowser: the report of the shipped configs/churn.yaml
// (four categorical breakdowns, three scatters, three hypotheses, a 12×12
// heatmap) shows its segments on the first screen and prints on at most 6
// A4 pages.
func TestShippedReportInBrowser(t *testing.T) {
	exe := chromium(t)
	res := stagetest.Run(t, "../../configs/churn.yaml", "output.dir="+t.TempDir())
	bctx, _, _ := openInBrowser(t, exe, filepath.Join(res.Dir, "report.html"))
	checkFirstScreen(t, bctx, res)
	pdf := printPDF(t, bctx)
	if out := os.Getenv("REPORT_SCREENSHOT_DIR"); out != "" {
		if err := os.WriteFile(filepath.Join(out, "shipped.pdf"), pdf, 0o644); err != nil {
			t.Error(err)
		}
	}
	if pages := len(pdfPage.FindAll(pdf, -1)); pages > 6 {
		t.Errorf("the shipped churn report prints on %d A4 pages, want at most 6", pages)
	} else {
		t.Logf("%d pages", pages)
	}
}

// checkOrder compares the ids of main's sections (and the appendix heading)
// with want.
func checkOrder(t *testing.T, ctx context.Context, want []string) {
	t.Helper()
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('main > section, main > div.appendix-head')).map(e => e.id)`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("sections in the page: %v, want %v", got, want)
	}
}

// checkFirstScreen: in a 1280×800 window the segment table ends within the
// first 800 px and holds every segment's name, size, share and churn rate,
// described without z-scores.
func checkFirstScreen(t *testing.T, ctx context.Context, res *pipeline.RunResult) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	type screen struct {
		Bottom   float64 `json:"bottom"`
		Viewport float64 `json:"viewport"`
		Text     string  `json:"text"`
		Rows     int     `json:"rows"`
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const t = document.querySelector('#overview table');
		if (!t) return JSON.stringify({bottom: 1e9, viewport: window.innerHeight, text: '', rows: 0});
		return JSON.stringify({bottom: t.getBoundingClientRect().bottom + window.scrollY, viewport: window.innerHeight,
			text: document.querySelector('#overview').innerText, rows: t.tBodies[0].rows.length});
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	var sc screen
	if err := json.Unmarshal([]byte(raw), &sc); err != nil {
		t.Fatal(err)
	}
	if sc.Viewport != 800 || sc.Bottom > 800 {
		t.Errorf("the segment table ends at %.0f px in a window %.0f px high; it must be on the first screen (800 px)", sc.Bottom, sc.Viewport)
	}
	p := res.State.Profile
	if sc.Rows != len(p.Segments)+1 {
		t.Errorf("%d rows in the segment table, want %d segments and All", sc.Rows, len(p.Segments))
	}
	for s, sp := range p.Segments {
		for _, want := range []string{sp.Label, thousandsSep(sp.Size), pct(sp.Share), pct(p.Outcome.Rates[s]), capitalizeFirst(sp.Phrase)} {
			if !strings.Contains(sc.Text, want) {
				t.Errorf("the first screen lacks %q (segment %d)", want, sp.ID)
			}
		}
	}
	for _, want := range []string{"Churn rate", "suggested"} {
		if !strings.Contains(sc.Text, want) {
			t.Errorf("the first screen lacks %q", want)
		}
	}
	if strings.Contains(sc.Text, "σ") {
		t.Errorf("the first screen shows z-scores (σ):\n%s", sc.Text)
	}
}

// screenshotStats counts distinct colours and the share of non-white
// pixels.
func screenshotStats(img image.Image) (int, float64) {
	b := img.Bounds()
	seen := map[uint32]bool{}
	ink := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[(r>>8)<<16|(g>>8)<<8|bl>>8] = true
			if r < 0xf000 || g < 0xf000 || bl < 0xf000 {
				ink++
			}
		}
	}
	return len(seen), float64(ink) / float64(b.Dx()*b.Dy())
}
