package cluster_test

// The reference values are scikit-learn's best-known k = 4 optimum of the
// churn notebook's data, from internal/kmeans/testdata/seed_reference.json
// (internal/kmeans/testdata/gen_seed_reference.py), and the notebook's
// elbow for k = 1..10.

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages"
)

// TestMavenReproduction runs the shipped configs/maven_churn.yaml on the
// real Maven table and checks the notebook's segments.
func TestMavenReproduction(t *testing.T) {
	const (
		inertiaTol = 1e-9 // relative
		centerTol  = 1e-8 // absolute (unit-norm rows)
		elbowTol   = 5e-3 // relative
	)
	data, err := filepath.Abs(mavenPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(data); err != nil {
		t.Skipf("Maven churn table not found at %s (the shared datasets sit beside the repo)", mavenPath)
	}
	src, err := os.ReadFile("../../configs/maven_churn.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := pipeline.LoadBytes("../../configs/maven_churn.yaml", src, stages.Registry(), pipeline.LoadOptions{
		Overrides: []confyaml.Override{{Key: "input.path", Value: data}},
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	c := res.State.Clusters
	const wantInertia = 0.21620252197655662
	if math.Abs(c.Inertia/wantInertia-1) > inertiaTol {
		t.Errorf("inertia %.17g, want %.17g", c.Inertia, wantInertia)
	}
	if !slices.Equal(c.Sizes, []int{3987, 1124, 49, 14}) {
		t.Errorf("sizes %v", c.Sizes)
	}
	want := [][]float64{
		{9.69148258e-04, 1.11774627e-02, 9.99927302e-01},
		{1.69395912e-01, 2.12889597e-02, 9.84355373e-01},
		{2.25787466e-03, 2.92303860e-02, 9.99531730e-01},
		{6.05651115e-02, 2.49834588e-02, 9.97590646e-01},
	}
	used := make([]bool, 4)
	for _, got := range c.CentersScaled {
		found := false
		for j, w := range want {
			if used[j] {
				continue
			}
			ok := true
			for f := range w {
				ok = ok && math.Abs(got[f]-w[f]) <= centerTol
			}
			if ok {
				used[j], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("centre %v matches no reference centre", got)
		}
	}
	elbow := []float64{1.075190, 0.610560, 0.318167, 0.216203, 0.151484, 0.122050, 0.100110, 0.082330, 0.073298, 0.064352}
	if len(c.Selection) != len(elbow) {
		t.Fatalf("%d elbow rows", len(c.Selection))
	}
	for i, s := range c.Selection {
		if s.K != i+1 || math.Abs(s.Inertia/elbow[i]-1) > elbowTol {
			t.Errorf("k = %d: inertia %.6f, notebook %.6f", s.K, s.Inertia, elbow[i])
		}
		if s.Chosen != (s.K == 4) {
			t.Errorf("k = %d chosen %v", s.K, s.Chosen)
		}
	}
	if !math.IsNaN(c.Selection[0].Silhouette) {
		t.Errorf("k = 1 silhouette %v, want NaN", c.Selection[0].Silhouette)
	}
	as := string(readFile(t, res.Dir, "assignments.csv"))
	if !strings.HasPrefix(as, "Customer_ID,segment\n") || strings.Count(as, "\n") != 5175 {
		t.Errorf("assignments.csv starts %q with %d lines", as[:40], strings.Count(as, "\n"))
	}
}
