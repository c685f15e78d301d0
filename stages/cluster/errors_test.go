package cluster_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

// TestDataErrors: problems with the data fail the run (exit 1) with a
// message naming the column, the count or the row.
func TestDataErrors(t *testing.T) {
	const data = "cid,a,b,c,txt,neg\n" +
		"A,1,,5,x,1\n" +
		"B,2,3,5,y,-2\n" +
		"C,3,,5,z,3\n" +
		"D,4,6,5,w,4\n"
	for _, tc := range []struct {
		name, cfg string
		want      []string
	}{
		{"missing values", "{features: [a, b], k: 2}",
			[]string{`feature "b" has 2 missing values (of 4 rows); fill them with a clean fillna step or drop them with dropna`}},
		{"text feature", "{features: [txt, a], k: 2}",
			[]string{`feature "txt" is a text column, not numeric; turn categories into 0/1 columns with a clean onehot step`}},
		{"all at once", "{features: [b, txt], k: 2}",
			[]string{`feature "b" has 2 missing values`, "\n", `feature "txt" is a text column`}},
		{"zero variance", "{features: [a, c], k: 2}",
			[]string{`feature "c" has the same value (5) in all 4 rows (zero variance); it cannot separate segments: remove it from features`}},
		{"k above rows", "{features: [a], k: 5}",
			[]string{"k = 5 but the table has only 4 rows; lower k"}},
		{"k_range above rows", "{features: [a], k: auto, k_range: [2, 6]}",
			[]string{"k_range goes up to 6 but the table has only 4 rows; lower k_range"}},
		{"elbow above rows", "{features: [a], k: 2, elbow: [1, 8]}",
			[]string{"elbow goes up to 8 but the table has only 4 rows; lower elbow"}},
		{"log1p domain", "{features: [a, neg], k: 2, scale: log1p-standard}",
			[]string{`scale: feature "neg", row 2 (cid B): value -2 is <= -1, so log1p is undefined; use another scale method`}},
		{"duplicate points", "{features: [c, a], k: 2, scale: none}",
			[]string{`feature "c" has the same value`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := runJob(t, data, "  - type: ingest\n  - type: cluster\n    config: "+tc.cfg+"\n")
			if err == nil {
				t.Fatal("the run succeeded")
			}
			var rf *pipeline.RunFailedError
			if !errors.As(err, &rf) {
				t.Fatalf("got %T", err)
			}
			if !strings.HasPrefix(rf.Err.Error(), `stage "cluster" (cluster): `) {
				t.Errorf("error %q does not name the stage", rf.Err)
			}
			msg := errors.Unwrap(rf.Err).Error() // the stage's own error
			if !strings.HasPrefix(msg, tc.want[0]) {
				t.Errorf("got  %s\nwant %s", msg, tc.want[0])
			}
			for _, w := range tc.want[1:] {
				if !strings.Contains(msg, w) {
					t.Errorf("%q lacks %q", msg, w)
				}
			}
		})
	}
}

// TestEmptySegments: more segments than distinct points is an error.
func TestEmptySegments(t *testing.T) {
	data := "cid,a\nA,1\nB,1\nC,2\nD,2\n"
	_, err := runJob(t, data, "  - type: ingest\n  - type: cluster\n    config: {features: [a], k: 3}\n")
	if err == nil || !strings.Contains(err.Error(), "k = 3 gives 1 empty segment: the data has fewer distinct points than k; lower k") {
		t.Errorf("got %v", err)
	}
}

// TestConfigErrors: config mistakes are caught before any row is read,
// located in the file (exit 2). More cases: stages/testdata/*.bad.yaml.
func TestConfigErrors(t *testing.T) {
	data := "cid,a,b\nA,1,2\n"
	for _, tc := range []struct {
		cfg  string
		want string
	}{
		{"{features: [a], k: five}", `:9:32: stage "cluster" (cluster): k: k is a number of segments (e.g. 4) or auto, got "five"`},
		{"{features: [a], k: [2]}", `:9:32: stage "cluster" (cluster): k: k is a number of segments (e.g. 4) or auto`},
		{"{features: [a], k: 0}", `:9:32: stage "cluster" (cluster): k: k must be at least 1, got 0`},
		{"{features: [a], k: 101}", `:9:32: stage "cluster" (cluster): k: k = 101 is above the limit of 100 segments`},
		{"{features: [a], k_range: [3, 4], select: elbow}", `:9:38: stage "cluster" (cluster): k_range: the elbow needs at least 3 values of k, got [3, 4]`},
		{"{features: [a], k_range: [3, 4]}", ""},
		{"{features: [a], min_separation: 0}", `:9:45: stage "cluster" (cluster): min_separation: must be a finite number above 0, got 0`},
		{"{features: [a], k_range: [3, 4], select: silhouette}", ""},
		{"{features: [a], k_range: [0, 4]}", `:9:38: stage "cluster" (cluster): k_range: the lowest k is at least 1, got [0, 4]`},
		{"{features: [a], k_range: [5, 3], select: silhouette}", `:9:38: stage "cluster" (cluster): k_range: the highest k must be above the lowest, got [5, 3]`},
		{"{features: [a], k_range: 5}", `:9:38: stage "cluster" (cluster): k_range: a range of k is [lowest, highest], e.g. [2, 10]`},
		{"{features: [a], k_range: [2, 5, 8]}", `:9:38: stage "cluster" (cluster): k_range: a range of k is [lowest, highest], e.g. [2, 10]; got 3 values`},
		{"{features: [a], elbow: [1, 10]}", `:9:36: stage "cluster" (cluster): elbow: elbow is for a fixed k (e.g. k: 4, elbow: [1, 10]); with k: auto the k_range is already evaluated`},
		{"{features: [a], k: 3, elbow: [1, 200]}", `:9:42: stage "cluster" (cluster): elbow: the highest k is at most 100, got [1, 200]`},
		{"{features: [a], k: 2, names: {3: Big}}", `:9:46: stage "cluster" (cluster): names.3: there is no segment 3 with k = 2 (ids are 1..2)`},
		{"{features: [a], k: 2, names: {1: ' '}}", `:9:46: stage "cluster" (cluster): names.1: the name is empty`},
		{"{features: [a], k: 2, names: {1: A, 2: A}}", `:9:52: stage "cluster" (cluster): names.2: segments 1 and 2 are both named "A"`},
		{"{features: [a, b, a]}", `:9:31: stage "cluster" (cluster): features[2]: column "a" is listed twice`},
		{"{features: []}", `:9:24: stage "cluster" (cluster): features: list at least one numeric column`},
		{"{k: 3}", `:9:14: stage "cluster" (cluster): features: missing required key "features"`},
		{"{features: [a], weights: {b: 2}}", `:9:42: stage "cluster" (cluster): weights.b: "b" is not one of the features`},
		{"{features: [a], weights: {a: 0}}", `:9:42: stage "cluster" (cluster): weights.a: a weight is a finite number above 0, got 0`},
		{"{features: [a], n_init: 0}", `:9:37: stage "cluster" (cluster): n_init: must be at least 1, got 0`},
		{"{features: [a], max_iter: 0}", `:9:39: stage "cluster" (cluster): max_iter: must be at least 1, got 0`},
		{"{features: [a], tol: -1}", `:9:34: stage "cluster" (cluster): tol: must be a finite number ≥ 0, got -1`},
		{"{features: [a], silhouette_sample: 1}", `:9:48: stage "cluster" (cluster): silhouette_sample: must be at least 2, got 1`},
		{"{features: [a], formats: [pdf]}", `:9:39: stage "cluster" (cluster): formats[0]: unknown format "pdf" (want png or svg)`},
		{"{features: [a], seed: -3}", `:9:35: stage "cluster" (cluster): seed: expected a non-negative integer, got -3`},
		{"{features: [A]}", `:9:25: stage "cluster" (cluster): features[0]: unknown column "A" (did you mean "a"?)`},
		{"{features: [cid]}", `:9:25: stage "cluster" (cluster): features[0]: "cid" is the id column (input.id); it identifies customers and cannot be a feature`},
	} {
		t.Run(tc.cfg, func(t *testing.T) {
			cfg, err := job(t, data, "  - type: ingest\n  - type: cluster\n    config: "+tc.cfg+"\n")
			if err == nil {
				err = pipeline.CheckColumns(cfg)
			}
			if tc.want == "" {
				if err != nil {
					t.Errorf("unexpected error %v", err)
				}
				return
			}
			var ce confyaml.ConfigErrors
			if !errors.As(err, &ce) || len(ce) != 1 {
				t.Fatalf("got %v, want one config error", err)
			}
			if got := ce[0].Error(); !strings.HasSuffix(ce[0].Pos, tc.want[:strings.Index(tc.want, ": ")]) ||
				!strings.HasSuffix(got, tc.want) && !strings.Contains(got, tc.want) {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}
