package cluster_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/metrics"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages"
)

const telcoPath = "../../../shared/datasets/WA_Fn-UseC_-Telco-Customer-Churn.csv"

// TestTelcoMixedConfig runs the shipped configs/telco_mixed.yaml on the IBM
// telco table (skipped when it is absent): k-prototypes segments on tenure,
// MonthlyCharges and TotalCharges with Contract, InternetService and
// PaymentMethod that are not the contract types — two segments share each
// of the month-to-month and two-year modes, no segment holds 95 % of one
// contract type, one-year customers are no segment's mode, and the
// adjusted Rand index with the contract types is far from 1 — each
// bootstrap-stable (mean Jaccard ≥ 0.9 over 50 resamples). The numbers
// are those in docs/mixed.md.
func TestTelcoMixedConfig(t *testing.T) {
	if _, err := os.Stat(telcoPath); err != nil {
		t.Skip("telco table not found:", err)
	}
	if testing.Short() {
		t.Skip("short")
	}
	abs, err := filepath.Abs(telcoPath)
	if err != nil {
		t.Fatal(err)
	}
	ov, err := confyaml.ParseOverride("input.path=" + abs)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := pipeline.Load("../../configs/telco_mixed.yaml", stages.Registry(), pipeline.LoadOptions{Overrides: []confyaml.Override{ov}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	cl, p := res.State.Clusters, res.State.Profile
	if cl.K != 4 || cl.Engine != "kprototypes" {
		t.Fatalf("k %d engine %s", cl.K, cl.Engine)
	}
	contract := p.Categorical[0]
	if contract.Column != "Contract" || !contract.Feature {
		t.Fatalf("first categorical profile %q", contract.Column)
	}
	modes := map[string]int{}
	for s := range cl.K {
		modes[contract.Modes[s]]++
		for l, share := range contract.Shares[s] {
			if share >= 0.95 {
				t.Errorf("segment %d is %.1f%% %s", cl.IDs[s], 100*share, contract.Levels[l])
			}
		}
	}
	if modes["Month-to-month"] != 2 || modes["Two year"] != 2 || modes["One year"] != 0 {
		t.Errorf("contract modes %v", modes)
	}
	codes, _, _, err := (&model.Model{CategoricalFeatures: []string{"Contract"}, Categories: [][]string{cl.Categories[0]}, CategoricalMissing: "error"}).Codes(res.State.Table, false)
	if err != nil {
		t.Fatal(err)
	}
	if ari := metrics.AdjustedRand(cl.Labels, codes[0]); ari > 0.4 {
		t.Errorf("ARI with the contract types %.3f: the segments are the contracts", ari)
	}
	st := cl.Stability
	if st == nil || st.Bootstraps != 50 || st.MeanARI < 0.9 {
		t.Fatalf("stability %+v", st)
	}
	for _, ss := range st.Segments {
		if ss.MeanJaccard < 0.9 || ss.Unstable || ss.Dissolved > 0 {
			t.Errorf("segment %d: mean Jaccard %.3f, dissolved %d", ss.ID, ss.MeanJaccard, ss.Dissolved)
		}
	}
	for s, sp := range p.Segments {
		t.Logf("segment %d: %d customers (%.1f%%), churn %.1f%%, Jaccard %.3f, contract %v, modes %s / %s / %s",
			sp.ID, sp.Size, 100*sp.Share, 100*p.Outcome.Rates[s], sp.Stability.MeanJaccard, contract.Shares[s],
			p.Categorical[0].Modes[s], p.Categorical[1].Modes[s], p.Categorical[2].Modes[s])
	}
	t.Logf("ARI with the contract types %.3f; bootstrap ARI %.3f ± %.3f", metrics.AdjustedRand(cl.Labels, codes[0]), st.MeanARI, st.SDARI)
}
