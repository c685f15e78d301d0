package profile

import (
	"context"
	"io"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/internal/result"
)

// synthetic returns n rows in 4 Gaussian blobs: 4 features (original and
// standardised), 2 extra numeric columns, a 3-level categorical column and
// an outcome column, with the blob as the segment.
func synthetic(n int) (*frame.Table, *result.Clusters, *Config) {
	const k, d = 4, 4
	r := rand.New(rand.NewPCG(1, 2))
	features := []string{"Tenure", "Total Revenue", "Referrals", "Monthly Charge"}
	cl := &result.Clusters{Features: features, Scale: "standard", K: k, IDs: []int{1, 2, 3, 4},
		Names: make([]string, k), Sizes: make([]int, k), Labels: make([]int32, n),
		Original: make([]float64, n*d), Scaled: make([]float64, n*d), CentersScaled: make([][]float64, k)}
	cols := make([][]float64, d)
	for j := range cols {
		cols[j] = make([]float64, n)
	}
	age, deps := make([]float64, n), make([]float64, n)
	contract, status := make([]string, n), make([]string, n)
	levels := []string{"Month-to-Month", "One Year", "Two Year"}
	for i := range n {
		s := int32(min(3, int(r.ExpFloat64()*1.2)))
		cl.Labels[i] = s
		cl.Sizes[s]++
		for j := range d {
			v := float64(s)*float64(j+1)*3 + r.NormFloat64()*(2+float64(j))
			cl.Original[i*d+j] = v
			cols[j][i] = v
		}
		age[i] = 19 + r.Float64()*60
		deps[i] = float64(r.IntN(4))
		contract[i] = levels[(int(s)+r.IntN(2))%3]
		status[i] = "Stayed"
		if r.Float64() < 0.1*float64(s+1) {
			status[i] = "Churned"
		}
	}
	for j := range d {
		mean, ss := 0.0, 0.0
		for _, v := range cols[j] {
			mean += v
		}
		mean /= float64(n)
		for _, v := range cols[j] {
			ss += (v - mean) * (v - mean)
		}
		sd := ss / float64(n)
		for i, v := range cols[j] {
			cl.Scaled[i*d+j] = (v - mean) / math.Sqrt(sd)
		}
	}
	for s := range k {
		cl.CentersScaled[s] = make([]float64, d)
	}
	for i, l := range cl.Labels {
		for j := range d {
			cl.CentersScaled[l][j] += cl.Scaled[i*d+j] / float64(cl.Sizes[l])
		}
	}
	tcols := []*frame.Column{}
	for j, f := range features {
		tcols = append(tcols, frame.NewFloat(f, cols[j], nil))
	}
	tcols = append(tcols, frame.NewFloat("Age", age, nil), frame.NewFloat("Dependents", deps, nil),
		frame.NewString("Contract", contract, nil), frame.NewString("Customer Status", status, nil))
	t, err := frame.New(tcols...)
	if err != nil {
		panic(err)
	}
	cfg := NewConfig().(*Config)
	cfg.Extra = []string{"Age", "Dependents"}
	cfg.Categorical = []CategoricalColumn{{Column: "Contract"}}
	cfg.Outcome = &Outcome{Column: "Customer Status", Value: "Churned"}
	cfg.Hypotheses = []Hypothesis{{Statement: "s", X: "Tenure", Y: "Total Revenue", Expect: "positive", MinR: DefaultMinR, Method: "pearson"}}
	cfg.Scatter = []ScatterPair{{X: "Tenure", Y: "Total Revenue"}, {X: "Referrals", Y: "Tenure", Units: UnitsScaled}}
	return t, cl, cfg
}

// BenchmarkProfileAnalyze: statistics, z-scores, descriptions,
// categorical shares, outcome rates and a hypothesis on 1,000,000 rows.
func BenchmarkProfileAnalyze(b *testing.B) {
	t, cl, cfg := synthetic(1_000_000)
	b.ResetTimer()
	for range b.N {
		if _, err := Analyze(context.Background(), t, cl, cfg); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProfileFigures: Analyze plus every figure (sample of 50,000
// points, PCA of 1,000,000 rows) encoded as PNG.
func BenchmarkProfileFigures(b *testing.B) {
	t, cl, cfg := synthetic(1_000_000)
	b.ResetTimer()
	for range b.N {
		a, err := Analyze(context.Background(), t, cl, cfg)
		if err != nil {
			b.Fatal(err)
		}
		figs, err := a.Figures(context.Background(), t, cl, cfg, 42)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range figs {
			if err := plotkit.Write(io.Discard, f.Drawer, "png", f.WidthPx, f.HeightPx); err != nil {
				b.Fatal(err)
			}
		}
	}
}
