package plotkit

import (
	"bytes"
	"fmt"
	"image/png"
	"math"
	"slices"
	"strings"
	"testing"
)

// Maven reference elbow (k = 1..10), see internal/kmeans TestElbowReference.
var elbowSpec = ElbowSpec{
	K:          []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10},
	Inertia:    []float64{1.075190, 0.610560, 0.318167, 0.216203, 0.151484, 0.122050, 0.100110, 0.082330, 0.073298, 0.064352},
	Silhouette: []float64{math.NaN(), 0.9003, 0.6479, 0.6507, 0.5875, 0.5983, 0.5681, 0.5700, 0.5334, 0.5356},
	Chosen:     4,
}

func TestBuildElbow(t *testing.T) {
	const tol = 1e-12
	spec := elbowSpec
	spec.Silhouette = slices.Clone(elbowSpec.Silhouette)
	e, err := BuildElbow(spec)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Panels) != 2 {
		t.Fatalf("%d panels", len(e.Panels))
	}
	in, sil := e.Panels[0], e.Panels[1]
	if in.Y.Min != 0 || math.Abs(in.Y.Max-1.075190*1.08) > tol {
		t.Errorf("inertia axis [%v, %v], want [0, %v]", in.Y.Min, in.Y.Max, 1.075190*1.08)
	}
	if in.X.Min != 0.5 || in.X.Max != 10.5 {
		t.Errorf("k axis [%v, %v]", in.X.Min, in.X.Max)
	}
	// silhouette 0.5334..0.9003 spans more than 0.2: 12 % below, 18 % above.
	span := 0.9003 - 0.5334
	if math.Abs(sil.Y.Min-(0.5334-0.12*span)) > tol || math.Abs(sil.Y.Max-(0.9003+0.18*span)) > tol {
		t.Errorf("silhouette axis [%v, %v]", sil.Y.Min, sil.Y.Max)
	}
	if e.Spec.ChosenLabel != "k = 4" {
		t.Errorf("label %q", e.Spec.ChosenLabel)
	}
	ticks := kTicks(spec.K)
	if len(ticks) != 10 || ticks[0].Label != "1" || ticks[9].Label != "10" {
		t.Errorf("ticks %v", ticks)
	}
	spec.Silhouette[1] = 0 // the spec was copied
	if e.Spec.Silhouette[1] != 0.9003 {
		t.Error("BuildElbow kept a reference to the caller's slice")
	}
}

// TestElbowNarrowSilhouette: a silhouette range below 0.2 is widened to 0.2
// around its middle, so small differences are not exaggerated.
func TestElbowNarrowSilhouette(t *testing.T) {
	const tol = 1e-12
	e, err := BuildElbow(ElbowSpec{K: []int{2, 3, 4}, Inertia: []float64{3, 2, 1.5}, Silhouette: []float64{0.28, 0.27, 0.26}, Chosen: 3})
	if err != nil {
		t.Fatal(err)
	}
	sil := e.Panels[1]
	lo, hi := 0.27-0.1, 0.27+0.1
	if math.Abs(sil.Y.Min-(lo-0.12*0.2)) > tol || math.Abs(sil.Y.Max-(hi+0.18*0.2)) > tol {
		t.Errorf("silhouette axis [%v, %v]", sil.Y.Min, sil.Y.Max)
	}
}

func TestElbowSinglePanel(t *testing.T) {
	e, err := BuildElbow(ElbowSpec{K: []int{1, 2}, Inertia: []float64{2, 1}, Silhouette: []float64{math.NaN(), math.NaN()}})
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Panels) != 1 {
		t.Errorf("%d panels, want the inertia panel alone", len(e.Panels))
	}
}

func TestBuildElbowErrors(t *testing.T) {
	for _, tc := range []struct {
		spec ElbowSpec
		msg  string
	}{
		{ElbowSpec{}, "elbow: no k values"},
		{ElbowSpec{K: []int{1, 2}, Inertia: []float64{1}}, "elbow: 2 k values and 1 inertia values"},
		{ElbowSpec{K: []int{1, 2}, Inertia: []float64{1, 2}, Silhouette: []float64{1}}, "elbow: 2 k values and 1 silhouette values"},
		{ElbowSpec{K: []int{2, 2}, Inertia: []float64{1, 2}}, "elbow: k values must increase (2 after 2)"},
		{ElbowSpec{K: []int{1, 2}, Inertia: []float64{1, math.Inf(1)}}, "elbow: inertia for k = 2 is +Inf"},
		{ElbowSpec{K: []int{1, 2}, Inertia: []float64{2, 1}, Chosen: 5}, "elbow: the chosen k = 5 is not among the k values"},
	} {
		if _, err := BuildElbow(tc.spec); err == nil || err.Error() != tc.msg {
			t.Errorf("got %v, want %s", err, tc.msg)
		}
	}
}

// TestElbowWrite: the PNG has the exact size and the same bytes every time;
// the SVG is written too.
func TestElbowWrite(t *testing.T) {
	e, err := BuildElbow(elbowSpec)
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := Write(&a, e, "png", DefaultElbowWidthPx, DefaultElbowHeightPx); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, e, "png", DefaultElbowWidthPx, DefaultElbowHeightPx); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renderings differ")
	}
	img, err := png.Decode(bytes.NewReader(a.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if sz := img.Bounds().Size(); sz.X != DefaultElbowWidthPx || sz.Y != DefaultElbowHeightPx {
		t.Errorf("PNG is %v", sz)
	}
	var s bytes.Buffer
	if err := Write(&s, e, "svg", DefaultElbowWidthPx, DefaultElbowHeightPx); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(s.String(), "k = 4") || !strings.Contains(s.String(), "Silhouette by k") {
		t.Error("the SVG lacks the chosen-k label or the silhouette panel")
	}
}

func TestCompactNumber(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{{0.5, "dflt"}, {9999, "dflt"}, {25000, "25k"}, {1.5e6, "1.5M"}, {-2e6, "-2M"}, {3.25e9, "3.25G"}, {1.2345678e6, "1.235M"}} {
		if got := compactNumber(tc.v, "dflt"); got != tc.want {
			t.Errorf("compactNumber(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

// An elbow figure for k = 1..6 with k = 3 chosen: two panels (inertia from
// 0, silhouette undefined for k = 1), written as an exact-size PNG.
func ExampleBuildElbow() {
	e, err := BuildElbow(ElbowSpec{
		K:           []int{1, 2, 3, 4, 5, 6},
		Inertia:     []float64{100, 60, 30, 25, 22, 20},
		Silhouette:  []float64{math.NaN(), 0.55, 0.62, 0.51, 0.48, 0.45},
		Chosen:      3,
		ChosenLabel: "k = 3 (elbow)",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(e.Panels), "panels:", e.Panels[0].Title.Text, "|", e.Panels[1].Title.Text)
	fmt.Printf("inertia axis %.0f…%.0f\n", e.Panels[0].Y.Min, e.Panels[0].Y.Max)
	var buf bytes.Buffer
	if err := Write(&buf, e, "png", DefaultElbowWidthPx, DefaultElbowHeightPx); err != nil {
		fmt.Println(err)
		return
	}
	cfg, _ := png.DecodeConfig(&buf)
	fmt.Printf("%d×%d px\n", cfg.Width, cfg.Height)
	// Output:
	// 2 panels: Inertia by k (lower is tighter) | Silhouette by k (higher is better)
	// inertia axis 0…108
	// 1024×420 px
}
