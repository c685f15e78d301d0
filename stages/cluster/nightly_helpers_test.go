package cluster_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages"
)

// customer is one row of the nightly test data.
type customer struct {
	id      string
	x, y, z float64
	blob    int
}

// population draws sizes[b] customers around centres[b] (sd in every
// feature), with ids "C<blob><n>" unique over the population.
func population(seed uint64, centres [][3]float64, sizes []int, sd float64) []customer {
	rng := rand.New(rand.NewPCG(seed, 11))
	var out []customer
	for b, c := range centres {
		for i := range sizes[b] {
			out = append(out, customer{
				id: fmt.Sprintf("C%d-%05d", b, i),
				x:  c[0] + sd*rng.NormFloat64(), y: c[1] + sd*rng.NormFloat64(), z: c[2] + sd*rng.NormFloat64(),
				blob: b,
			})
		}
	}
	return out
}

// perturb returns a copy of rows with a share of them (chosen by seed)
// moved by noise of the given sd, in shuffled order. rows is not modified.
func perturb(rows []customer, share, sd float64, seed uint64) []customer {
	rng := rand.New(rand.NewPCG(seed, 13))
	out := append([]customer(nil), rows...)
	for i := range out {
		if rng.Float64() < share {
			out[i].x += sd * rng.NormFloat64()
			out[i].y += sd * rng.NormFloat64()
			out[i].z += sd * rng.NormFloat64()
		}
	}
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func csvOf(rows []customer) string {
	var b strings.Builder
	b.WriteString("cid,x,y,z\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "%s,%.6f,%.6f,%.6f\n", r.id, r.x, r.y, r.z)
	}
	return b.String()
}

// nightly is an output folder that successive runs of one job share, as
// cron runs do.
type nightly struct {
	t     *testing.T
	dir   string // config and data
	out   string // output folder
	night int    // runs so far; run n starts on day n (run ids differ by date)
	tail  string // stages after the cluster stage
}

func newNightly(t *testing.T) *nightly {
	return &nightly{t: t, dir: t.TempDir(), out: filepath.Join(t.TempDir(), "runs")}
}

// clusterYAML is the cluster stage of the nightly job; previous points at
// the output folder's latest.
const clusterYAML = `  - type: ingest
  - type: cluster
    config:
      features: [x, y, z]
      k: %s
      previous: %s
%s`

// run writes data and a config with the cluster block (k, extra keys
// indented by 6 spaces), and runs it into the shared output folder. The
// log (JSON lines) is returned too.
func (nt *nightly) run(data, k, extra string, sets ...string) (*pipeline.RunResult, string, error) {
	t := nt.t
	t.Helper()
	if err := os.WriteFile(filepath.Join(nt.dir, "in.csv"), []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	src := "version: 1\nname: t\nseed: 42\ninput: {path: in.csv, id: cid}\nstages:\n" +
		fmt.Sprintf(clusterYAML, k, filepath.Join(nt.out, "latest"), extra) + nt.tail
	path := filepath.Join(nt.dir, "job.yaml")
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
	cfg, err := pipeline.Load(path, stages.Registry(), pipeline.LoadOptions{Overrides: ov})
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	var log bytes.Buffer
	nt.night++
	start := time.Date(2026, 1, nt.night, 2, 30, 0, 0, time.UTC)
	res, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{
		OutDir: nt.out,
		Log:    slog.New(slog.NewJSONHandler(&log, &slog.HandlerOptions{Level: slog.LevelInfo})),
		Now:    func() time.Time { return start },
	})
	return res, log.String(), err
}

// mustRun runs a night that must succeed.
func (nt *nightly) mustRun(data, k, extra string, sets ...string) *pipeline.RunResult {
	nt.t.Helper()
	res, log, err := nt.run(data, k, extra, sets...)
	if err != nil {
		nt.t.Fatalf("run: %v\n%s", err, log)
	}
	return res
}

// driftJSON reads drift.json of a run folder.
func driftJSON(t *testing.T, dir string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(readFile(t, dir, "drift.json"), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// centreOf returns the original-unit centroid of the segment with the ID.
func centreOf(c *result.Clusters, id int) []float64 {
	for s, sid := range c.IDs {
		if sid == id {
			return c.CentersOriginal[s]
		}
	}
	return nil
}

// verdictReasons returns the reasons of the drift verdict err carries (nil
// when err is not a *pipeline.VerdictError), and sets *ve to it.
func verdictReasons(err error, ve **pipeline.VerdictError) []string {
	if !errors.As(err, ve) {
		return nil
	}
	return (*ve).Reasons(pipeline.VerdictDrift)
}
