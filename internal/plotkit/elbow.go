package plotkit

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Default elbow figure size in pixels: two panels of about 512 px side by
// side, for a 16:9 slide.
const (
	DefaultElbowWidthPx  = 1024
	DefaultElbowHeightPx = 420
)

// ElbowSpec is the data of an elbow figure: a k-means criterion by number
// of clusters k, with the chosen k marked.
type ElbowSpec struct {
	// K holds the k values, strictly increasing.
	K []int
	// Inertia holds the within-cluster sum of squares for each k (finite).
	Inertia []float64
	// Silhouette holds the mean silhouette for each k; NaN where it is
	// undefined (k = 1). Nil, or all NaN, draws the inertia panel alone.
	Silhouette []float64
	// Chosen is the chosen k (0 for none); it is marked on both panels.
	Chosen int
	// ChosenLabel annotates the chosen point; default "k = <Chosen>".
	ChosenLabel string
}

// Elbow is a built elbow figure: one or two aligned panels, inertia on the
// left and silhouette on the right. It implements Drawer.
type Elbow struct {
	Spec ElbowSpec
	// Panels are the themed plots, left to right.
	Panels []*plot.Plot
}

// silhouetteMinSpan is the smallest range of values the silhouette axis
// shows (the silhouette lies in [-1, 1]).
const silhouetteMinSpan = 0.2

// Colours of the elbow figure.
var (
	elbowLine   = SegmentColor(0) // blue
	elbowChosen = SegmentColor(5) // vermillion
)

// BuildElbow checks spec and lays out the figure. The inertia axis starts
// at 0; the silhouette axis spans its values with a margin, and at least
// 0.2, so small differences are not exaggerated; the x axis has a tick at
// every k. The chosen k gets a dashed vertical line, a larger
// vermillion point and its label on each panel. spec is copied.
func BuildElbow(spec ElbowSpec) (*Elbow, error) {
	n := len(spec.K)
	switch {
	case n == 0:
		return nil, errors.New("elbow: no k values")
	case len(spec.Inertia) != n:
		return nil, fmt.Errorf("elbow: %d k values and %d inertia values", n, len(spec.Inertia))
	case spec.Silhouette != nil && len(spec.Silhouette) != n:
		return nil, fmt.Errorf("elbow: %d k values and %d silhouette values", n, len(spec.Silhouette))
	}
	chosen := -1
	for i, k := range spec.K {
		if i > 0 && k <= spec.K[i-1] {
			return nil, fmt.Errorf("elbow: k values must increase (%d after %d)", k, spec.K[i-1])
		}
		if v := spec.Inertia[i]; math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("elbow: inertia for k = %d is %v", k, v)
		}
		if k == spec.Chosen {
			chosen = i
		}
	}
	if spec.Chosen != 0 && chosen < 0 {
		return nil, fmt.Errorf("elbow: the chosen k = %d is not among the k values", spec.Chosen)
	}
	e := &Elbow{Spec: ElbowSpec{
		K:           append([]int(nil), spec.K...),
		Inertia:     append([]float64(nil), spec.Inertia...),
		Chosen:      spec.Chosen,
		ChosenLabel: spec.ChosenLabel,
	}}
	if spec.Silhouette != nil {
		e.Spec.Silhouette = append([]float64(nil), spec.Silhouette...)
	}
	if e.Spec.ChosenLabel == "" && spec.Chosen != 0 {
		e.Spec.ChosenLabel = "k = " + strconv.Itoa(spec.Chosen)
	}

	p, err := e.panel("Inertia by k (lower is tighter)", "Within-segment sum of squares", e.Spec.Inertia, chosen, true)
	if err != nil {
		return nil, err
	}
	e.Panels = append(e.Panels, p)
	if hasFinite(e.Spec.Silhouette) {
		p, err := e.panel("Silhouette by k (higher is better)", "Mean silhouette", e.Spec.Silhouette, chosen, false)
		if err != nil {
			return nil, err
		}
		e.Panels = append(e.Panels, p)
	}
	return e, nil
}

func hasFinite(v []float64) bool {
	for _, x := range v {
		if !math.IsNaN(x) {
			return true
		}
	}
	return false
}

// panel draws one criterion against k. NaN values are left out (the line
// joins the defined points).
func (e *Elbow) panel(title, ylabel string, y []float64, chosen int, fromZero bool) (*plot.Plot, error) {
	ks := e.Spec.K
	p := NewPlot(title, "Number of segments k", ylabel)
	p.Add(Grid())

	var pts plotter.XYs
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, v := range y {
		if math.IsNaN(v) {
			continue
		}
		pts = append(pts, plotter.XY{X: float64(ks[i]), Y: v})
		lo, hi = min(lo, v), max(hi, v)
	}
	if fromZero {
		lo = min(lo, 0)
		hi = max(hi, 0)
		if hi == lo {
			hi = lo + 1
		}
		p.Y.Min, p.Y.Max = lo, hi+0.08*(hi-lo)
	} else {
		// A silhouette axis spans at least silhouetteMinSpan, so that
		// differences in the third decimal do not look like cliffs.
		if span := hi - lo; span < silhouetteMinSpan {
			mid := (lo + hi) / 2
			lo, hi = mid-silhouetteMinSpan/2, mid+silhouetteMinSpan/2
		}
		span := hi - lo
		p.Y.Min, p.Y.Max = lo-0.12*span, hi+0.18*span
	}
	kmin, kmax := float64(ks[0]), float64(ks[len(ks)-1])
	p.X.Min, p.X.Max = kmin-0.5, kmax+0.5
	p.X.Tick.Marker = kTicks(ks)
	p.Y.Tick.Marker = compactTicks{}

	if chosen >= 0 {
		vline, err := plotter.NewLine(plotter.XYs{{X: float64(ks[chosen]), Y: p.Y.Min}, {X: float64(ks[chosen]), Y: p.Y.Max}})
		if err != nil {
			return nil, err
		}
		vline.Color = elbowChosen
		vline.Width = vg.Points(1)
		vline.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(vline)
	}
	if len(pts) > 0 {
		line, scatter, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		line.Color = elbowLine
		line.Width = vg.Points(1.75)
		scatter.Color = elbowLine
		scatter.Shape = draw.CircleGlyph{}
		scatter.Radius = vg.Points(2.75)
		p.Add(line, scatter)
	}
	if chosen >= 0 && !math.IsNaN(y[chosen]) {
		at := plotter.XYs{{X: float64(ks[chosen]), Y: y[chosen]}}
		mark, err := plotter.NewScatter(at)
		if err != nil {
			return nil, err
		}
		mark.Color = elbowChosen
		mark.Shape = draw.CircleGlyph{}
		mark.Radius = vg.Points(5)
		ring, err := plotter.NewScatter(at)
		if err != nil {
			return nil, err
		}
		ring.Color = Background
		ring.Shape = draw.CircleGlyph{}
		ring.Radius = vg.Points(2.5)
		lbl, err := plotter.NewLabels(plotter.XYLabels{XYs: at, Labels: []string{e.Spec.ChosenLabel}})
		if err != nil {
			return nil, err
		}
		st := TextStyle(TickSize, elbowChosen)
		st.YAlign = draw.YBottom
		st.XAlign = draw.XLeft
		lbl.Offset = vg.Point{X: vg.Points(7), Y: vg.Points(5)}
		// Near the right edge the label goes to the left of the point.
		if float64(ks[chosen])-kmin > 0.6*(kmax-kmin) && kmax > kmin {
			st.XAlign = draw.XRight
			lbl.Offset.X = -vg.Points(7)
		}
		lbl.TextStyle[0] = st
		p.Add(mark, ring, lbl)
	}
	return p, nil
}

// Draw implements Drawer: the panels side by side, inset by Margin.
func (e *Elbow) Draw(c draw.Canvas) {
	c = draw.Crop(c, Margin, -Margin, Margin, -Margin)
	tiles := draw.Tiles{Rows: 1, Cols: len(e.Panels), PadX: vg.Points(18)}
	canvases := plot.Align([][]*plot.Plot{e.Panels}, tiles, c)
	for i, p := range e.Panels {
		p.Draw(canvases[0][i])
	}
}

// kTicks labels every k, or every other one beyond 20 values.
func kTicks(ks []int) plot.ConstantTicks {
	step := 1
	if len(ks) > 20 {
		step = (len(ks) + 19) / 20
	}
	var t plot.ConstantTicks
	for i, k := range ks {
		label := ""
		if i%step == 0 {
			label = strconv.Itoa(k)
		}
		t = append(t, plot.Tick{Value: float64(k), Label: label})
	}
	return t
}

// compactTicks is gonum's default ticker with shorter labels for large
// values: 1500000 → "1.5M", 25000 → "25k".
type compactTicks struct{}

func (compactTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for i, t := range ticks {
		if t.Label == "" {
			continue
		}
		ticks[i].Label = compactNumber(t.Value, t.Label)
	}
	return ticks
}

func compactNumber(v float64, dflt string) string {
	short := func(x float64, unit string) string {
		return strconv.FormatFloat(math.Round(x*1000)/1000, 'f', -1, 64) + unit
	}
	switch a := math.Abs(v); {
	case a >= 1e9:
		return short(v/1e9, "G")
	case a >= 1e6:
		return short(v/1e6, "M")
	case a >= 1e4:
		return short(v/1e3, "k")
	}
	return dflt
}

var _ Drawer = (*Elbow)(nil)
