package kproto_test

import (
	"context"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/kproto"
	"github.com/churnlab/segment/internal/metrics"
	"github.com/churnlab/segment/internal/stability"
)

const telcoPath = "../../../shared/datasets/WA_Fn-UseC_-Telco-Customer-Churn.csv"

// telco reads the IBM telco table: tenure, MonthlyCharges, TotalCharges
// numeric (rows with a blank TotalCharges dropped, as pandas users do
// after pd.to_numeric(errors="coerce").dropna(); then standard-scaled
// with the population standard deviation, like StandardScaler) and
// Contract, InternetService, PaymentMethod categorical.
func telco(t *testing.T) (num []float64, n int, cat [][]int32, dicts [][]string) {
	t.Helper()
	if _, err := os.Stat(telcoPath); err != nil {
		t.Skipf("telco table not available: %v", err)
	}
	res, err := csvio.ReadFile(context.Background(), telcoPath, csvio.Options{
		Columns: []string{"tenure", "MonthlyCharges", "TotalCharges", "Contract", "InternetService", "PaymentMethod"},
		Types:   map[string]frame.Kind{"tenure": frame.Float, "MonthlyCharges": frame.Float, "TotalCharges": frame.Float},
	})
	if err != nil {
		t.Fatal(err)
	}
	tb := res.Table
	numCols := []*frame.Column{tb.Col("tenure"), tb.Col("MonthlyCharges"), tb.Col("TotalCharges")}
	catCols := []*frame.Column{tb.Col("Contract"), tb.Col("InternetService"), tb.Col("PaymentMethod")}
	var keep []int
	for i := 0; i < tb.NumRows(); i++ {
		if !numCols[2].IsMissing(i) {
			keep = append(keep, i)
		}
	}
	if dropped := tb.NumRows() - len(keep); dropped != 11 {
		t.Fatalf("dropped %d rows with a blank TotalCharges, want 11", dropped)
	}
	n = len(keep)
	num = make([]float64, n*3)
	for f, col := range numCols {
		var m, v float64
		for _, i := range keep {
			m += col.Floats[i]
		}
		m /= float64(n)
		for _, i := range keep {
			v += (col.Floats[i] - m) * (col.Floats[i] - m)
		}
		sd := math.Sqrt(v / float64(n))
		for r, i := range keep {
			num[r*3+f] = (col.Floats[i] - m) / sd
		}
	}
	for _, col := range catCols {
		codes := make([]int32, n)
		for r, i := range keep {
			codes[r] = col.Code(i)
		}
		cat = append(cat, codes)
		dicts = append(dicts, col.Dict)
	}
	return num, n, cat, dicts
}

// TestTelcoSegmentsAreNotContracts is the must-show check: k = 4
// k-prototypes segments of the telco table are not just the contract
// types. No segment is ≥ 95 % one contract type (the one-hot k-means
// failure made every segment one contract), the segments agree with the
// contract types far less than a relabelling would (ARI < 0.5), and every
// segment is bootstrap-stable (mean Jaccard ≥ 0.6 over 20 resamples).
func TestTelcoSegmentsAreNotContracts(t *testing.T) {
	num, n, cat, dicts := telco(t)
	opt := kproto.DefaultOptions(4)
	res, err := kproto.Fit(t.Context(), num, n, 3, cat, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("n = %d, gamma = %.4f, cost = %.4f, best restart %d, iterations %d, stationary %v",
		n, res.Gamma, res.Cost, res.BestRestart, res.Iterations, res.Stationary)
	contract := cat[0]
	nc := len(dicts[0])
	shares := make([][]float64, 4)
	pure := 0
	for j := 0; j < 4; j++ {
		shares[j] = make([]float64, nc)
		for i, l := range res.Labels {
			if int(l) == j {
				shares[j][contract[i]]++
			}
		}
		maxShare := 0.0
		for c := range shares[j] {
			shares[j][c] /= float64(res.Sizes[j])
			maxShare = max(maxShare, shares[j][c])
		}
		if maxShare >= 0.95 {
			pure++
		}
		var parts []string
		for c, s := range shares[j] {
			parts = append(parts, dicts[0][c]+" "+pct(s))
		}
		modes := make([]string, 3)
		for c := range modes {
			modes[c] = dicts[c][res.Modes[j*3+c]]
		}
		t.Logf("segment %d: %4d rows; contracts: %s; modes: %s; centroid (z) tenure %.2f monthly %.2f total %.2f",
			j, res.Sizes[j], strings.Join(parts, ", "), strings.Join(modes, " / "),
			res.Centroids[j*3], res.Centroids[j*3+1], res.Centroids[j*3+2])
	}
	if pure > 0 {
		t.Errorf("%d segments are ≥ 95%% one contract type", pure)
	}
	ari := metrics.AdjustedRand(res.Labels, contract)
	t.Logf("ARI(segments, contract types) = %.4f", ari)
	if ari >= 0.5 {
		t.Errorf("ARI between segments and contract types %.3f, want < 0.5", ari)
	}
	bopt := opt
	bopt.Gamma = res.Gamma
	boot, err := stability.Bootstrap(t.Context(), res.Labels, 4, stability.KPrototypes(num, n, 3, cat, bopt), stability.BootOptions{B: 20, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range boot.Clusters {
		t.Logf("segment %d: mean Jaccard %.3f, dissolved %d/20, recovered %d/20", c.Cluster, c.MeanJaccard, c.Dissolved, c.Recovered)
		if c.Unstable {
			t.Errorf("segment %d is unstable: mean Jaccard %.3f", c.Cluster, c.MeanJaccard)
		}
	}
	t.Logf("ARI between runs: %.3f ± %.3f", boot.MeanARI, boot.SDARI)
}

func pct(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" }
