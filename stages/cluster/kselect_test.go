package cluster_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/churnlab/segment/internal/synth"
	"github.com/churnlab/segment/pipeline"
)

// blobCSV writes spec's blobs as a CSV with an id column and f1..fd.
func blobCSV(t *testing.T, spec synth.BlobSpec) (data string, features []string) {
	t.Helper()
	X, _, _, err := synth.Blobs(spec)
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	sb.WriteString("cid")
	for j := 1; j <= spec.Dims; j++ {
		features = append(features, fmt.Sprintf("f%d", j))
		fmt.Fprintf(&sb, ",f%d", j)
	}
	sb.WriteString("\n")
	for i := 0; i < spec.Rows; i++ {
		fmt.Fprintf(&sb, "C%05d", i)
		for j := 0; j < spec.Dims; j++ {
			fmt.Fprintf(&sb, ",%.5f", X[i*spec.Dims+j])
		}
		sb.WriteString("\n")
	}
	return sb.String(), features
}

// TestAutoFindsBlobs: with every default (k: auto over 2..10, select:
// auto, standard scaling, n_init 10), Gaussian blobs of unequal sizes (9:1)
// with centres at least 6σ apart give the true k, in 2 to 10 dimensions
// and for several seeds; elbow alone (the former default) misses most of
// these (bench/kselect/README.md has the measurements).
func TestAutoFindsBlobs(t *testing.T) {
	if testing.Short() {
		t.Skip("fits k = 2..10 on eight tables")
	}
	seeds := map[[2]int]int{}
	elbowMisses := 0
	for _, tc := range []struct{ clusters, dims int }{
		{5, 6}, {5, 6}, {5, 6}, {3, 2}, {4, 3}, {5, 2}, {6, 10}, {7, 6},
	} {
		key := [2]int{tc.clusters, tc.dims}
		seeds[key]++
		spec := synth.BlobSpec{Clusters: tc.clusters, Dims: tc.dims, Rows: 1500, Ratio: 9, MinSep: 6, Seed: uint64(seeds[key])}
		t.Run(fmt.Sprintf("%d blobs in %d-D, seed %d", tc.clusters, tc.dims, spec.Seed), func(t *testing.T) {
			data, features := blobCSV(t, spec)
			res := mustRun(t, data, "  - type: ingest\n  - type: cluster\n    config: {features: ["+strings.Join(features, ", ")+"]}\n")
			c := res.State.Clusters
			if c.K != tc.clusters || c.SelectMethod != "auto" || c.Choice == nil || c.Choice.Rule != "separation" {
				t.Fatalf("k = %d by %s (%+v), want %d", c.K, c.SelectMethod, c.Choice, tc.clusters)
			}
			if c.Sizes[0] < 7*c.Sizes[len(c.Sizes)-1] {
				t.Errorf("sizes %v: the 9:1 blobs were not recovered", c.Sizes)
			}
			if c.Choice.Picks["elbow"] != tc.clusters {
				elbowMisses++
			}
			t.Log(c.Choice.Reason, c.Choice.Disagreement)
		})
	}
	if elbowMisses == 0 {
		t.Error("the elbow alone found every k: these blobs do not show why select: auto is the default")
	}
	t.Logf("the elbow alone missed %d of 8", elbowMisses)
}

// TestNearDuplicateWithoutEDA: the cluster stage warns about
// near-duplicate features itself, with no eda stage in the run.
func TestNearDuplicateWithoutEDA(t *testing.T) {
	data, _ := blobs(40, 5)
	lines := strings.Split(strings.TrimSpace(data), "\n")
	var sb strings.Builder
	sb.WriteString(lines[0] + ",x2\n")
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		sb.WriteString(l + "," + f[1] + "1\n") // x with a digit appended: x2 ≈ 10·x + 1, r ≈ 1
	}
	res := mustRun(t, sb.String(), "  - type: ingest\n  - type: cluster\n    config: {features: [x, y, x2], k: 3}\n")
	c := res.State.Clusters
	if len(c.Checks) != 1 || c.Checks[0].Kind != "near_duplicate" || strings.Join(c.Checks[0].Columns, ",") != "x,x2" {
		t.Fatalf("checks %+v", c.Checks)
	}
	if len(res.Manifest.Warnings) != 1 || !strings.HasPrefix(res.Manifest.Warnings[0].Message, "features x and x2 are near-duplicates (r = 1.00)") {
		t.Errorf("warnings %+v", res.Manifest.Warnings)
	}
}

// TestProgressLinesWithoutTerminal: without a terminal the k-means fit
// prints progress lines (every 10 s in segment run; every millisecond here)
// with the restarts and rows done, the rate and an ETA.
func TestProgressLinesWithoutTerminal(t *testing.T) {
	data, features := blobCSV(t, synth.BlobSpec{Clusters: 4, Dims: 3, Rows: 4000, Ratio: 4, MinSep: 6, Seed: 1})
	cfg, err := job(t, data, "  - type: ingest\n  - type: cluster\n    config: {features: ["+strings.Join(features, ", ")+"]}\n")
	if err != nil {
		t.Fatal(err)
	}
	var out lockedBuffer
	if _, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{OutDir: t.TempDir(), Progress: pipeline.NewProgressLines(&out, time.Millisecond)}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	re := regexp.MustCompile(`^\[cluster\] k-means k=2\.\.10: \d+/90 restarts \(k = \d+\), [\d,]+ rows fitted \([\d,]+ rows/s\), \d+% of the work, elapsed \d+s, ETA \d+s$`)
	matched := 0
	for _, l := range lines {
		if re.MatchString(l) {
			matched++
		}
	}
	if matched == 0 {
		t.Errorf("no progress line like %s in\n%s", re, out.String())
	}
}

// lockedBuffer is a strings.Builder safe for concurrent writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }
