package cluster_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages"
)

const mavenPath = "../../../shared/datasets/telecom_customer_churn.csv"

// job writes data as in.csv and a config (header + stages) into a temp
// folder and loads it.
func job(t testing.TB, data, stagesYAML string, sets ...string) (*pipeline.Config, error) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "in.csv"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	src := "version: 1\nname: t\nseed: 42\ninput: {path: in.csv, id: cid}\noutput: {dir: runs}\nstages:\n" + stagesYAML
	path := filepath.Join(dir, "job.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	var ov []confyaml.Override
	for _, s := range sets {
		o, err := confyaml.ParseOverride(s)
		if err != nil {
			t.Fatal(err)
		}
		ov = append(ov, o)
	}
	return pipeline.Load(path, stages.Registry(), pipeline.LoadOptions{Overrides: ov})
}

// runJob loads and runs a job; the config must be valid.
func runJob(t testing.TB, data, stagesYAML string, sets ...string) (*pipeline.RunResult, error) {
	t.Helper()
	cfg, err := job(t, data, stagesYAML, sets...)
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	return pipeline.Run(context.Background(), cfg, pipeline.RunOptions{OutDir: t.TempDir()})
}

// mustRun runs a job that must succeed.
func mustRun(t testing.TB, data, stagesYAML string, sets ...string) *pipeline.RunResult {
	t.Helper()
	res, err := runJob(t, data, stagesYAML, sets...)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return res
}

func readFile(t testing.TB, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// blobCenters are three well-separated centres in (x, y, z).
var blobCenters = [][3]float64{{5, 5, 100}, {15, 15, 130}, {25, 5, 70}}

// blobs returns a CSV of perRow rows around each blob centre (sd 0.5 in x
// and y, 2 in z), shuffled, with an id column "cid" and the true blob in
// "truth" (0, 1, 2).
func blobs(perBlob int, seed uint64) (string, []int32) {
	rng := rand.New(rand.NewPCG(seed, 7))
	type row struct {
		x, y, z float64
		b       int32
	}
	var rows []row
	for b, c := range blobCenters {
		for range perBlob {
			rows = append(rows, row{c[0] + 0.5*rng.NormFloat64(), c[1] + 0.5*rng.NormFloat64(), c[2] + 2*rng.NormFloat64(), int32(b)})
		}
	}
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	var sb strings.Builder
	sb.WriteString("cid,x,y,z,truth\n")
	truth := make([]int32, len(rows))
	for i, r := range rows {
		fmt.Fprintf(&sb, "C%04d,%.4f,%.4f,%.3f,%d\n", i+1, r.x, r.y, r.z, r.b)
		truth[i] = r.b
	}
	return sb.String(), truth
}
