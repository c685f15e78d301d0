package clean

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/synth"
	"github.com/churnlab/segment/pipeline"
)

// benchSteps are the clean steps of configs/churn.yaml, and the steps of
// bench/ingest/config.yaml (the churn notebook's seed table).
var benchSteps = map[string]string{
	"churn": `
  - rename: {Number of Dependents: Dependents, Number of Referrals: Referrals, Tenure in Months: Tenure, Avg Monthly GB Download: GB Download}
  - fillna: {GB Download: 0, Avg Monthly Long Distance Charges: 0}`,
	"seed": `
  - filter: '` + "`Customer Status`" + ` != "Churned"'
  - select: [Customer ID, Gender, Age, Married, Number of Dependents, City, Zip Code, Number of Referrals, Tenure in Months, Contract, Total Revenue]
  - rename: {Customer ID: Customer_ID, Number of Dependents: Dependents, Zip Code: Zip_Code, Number of Referrals: Referrals, Tenure in Months: Tenure(Months), Contract: Contract_Type, Total Revenue: Total_Revenue}
  - derive: {name: Tenure(Years), expr: 'floor(` + "`Tenure(Months)`" + ` / 12)', type: int}`,
}

// benchTable is the synthetic churn table (segment synth churn, seed 1).
func benchTable(b *testing.B, rows int) *frame.Table {
	b.Helper()
	var buf bytes.Buffer
	if err := synth.Churn(&buf, rows, 1); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "churn.csv")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	res, err := csvio.ReadFile(context.Background(), path, csvio.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return res.Table
}

func benchConfig(b *testing.B, steps, engine string) *Config {
	b.Helper()
	root, errs := confyaml.Parse("bench.yaml", []byte("steps:"+steps+"\nengine: "+engine+"\n"), "steps")
	if errs != nil {
		b.Fatal(errs)
	}
	d := confyaml.NewDecoder(confyaml.Options{File: "bench.yaml"})
	cfg := NewConfig().(*Config)
	d.Decode(root, cfg, "")
	if errs := d.TakeErrors(""); errs != nil {
		b.Fatal(errs)
	}
	if err := cfg.Validate(); err != nil {
		b.Fatal(err)
	}
	return cfg
}

// BenchmarkEngines runs the clean stage on each engine, from the typed table
// to the typed table (the gota engine's conversions included). The
// 1,000,000-row runs through `segment run` are bench/clean/run.sh.
func BenchmarkEngines(b *testing.B) {
	env := &pipeline.Env{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	for _, rows := range []int{10000, 100000} {
		tb := benchTable(b, rows)
		for _, job := range []string{"churn", "seed"} {
			for _, engine := range []string{EngineNative, EngineGota} {
				s := &stage{cfg: benchConfig(b, benchSteps[job], engine)}
				b.Run(fmt.Sprintf("steps=%s/rows=%d/engine=%s", job, rows, engine), func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if err := s.Run(context.Background(), env, &pipeline.State{Table: tb}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
