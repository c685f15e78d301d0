package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/churnlab/segment/pipeline"
)

// The hostile-input corpus of issue 15, as a table: each case builds its
// files in a folder of its own (the working directory while it runs), runs
// the real command in-process (run(ctx, args, stdout, stderr)) and checks
//
//   - the exit code,
//   - a fragment of stderr (or of stdout with out:),
//   - that every file, folder and link that existed before is unchanged
//     (sha256, mode, link target) except those listed in mayChange, and
//   - that new entries appear only under the prefixes listed in newUnder
//     (nothing at all when it is empty: a config error writes nothing).
//
// Adding a case is adding a row. Rows of other areas go in their marked
// sections below (predict, CSV reading); a row needs no code beyond its
// setup.

// corpusCase is one row.
type corpusCase struct {
	name  string
	setup func(w *world) // builds the files; may run the command first (w.mustRun)
	args  []string
	code  int
	msg   string // must appear in stderr
	out   string // must appear in stdout
	// mayChange lists paths (relative, exact or with a trailing "/" for a
	// whole folder) that may change; everything else that existed before
	// must be left as it was.
	mayChange []string
	// newUnder lists where new files may appear ("runs/"); empty: nowhere.
	newUnder []string
	check    func(w *world, stdout, stderr string)
	slow     bool // runs the shipped job: skipped with -short
}

// world is a case's folder.
type world struct {
	t   *testing.T
	dir string
}

func (w *world) path(rel string) string { return filepath.Join(w.dir, rel) }

func (w *world) write(rel, content string) {
	w.t.Helper()
	p := w.path(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) read(rel string) string {
	w.t.Helper()
	b, err := os.ReadFile(w.path(rel))
	if err != nil {
		w.t.Fatal(err)
	}
	return string(b)
}

// mustRun runs the command as part of a case's setup; it must succeed.
func (w *world) mustRun(args ...string) string {
	w.t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		w.t.Fatalf("setup %v: exit %d\n%s", args, code, errb.String())
	}
	return strings.TrimSpace(out.String())
}

// tinyCSV is a small table with two clear groups in a and b.
func tinyCSV() string {
	var b strings.Builder
	b.WriteString("id,a,b,c\n")
	for i := range 40 {
		g := float64(i % 2 * 10)
		fmt.Fprintf(&b, "%04d,%g,%g,%d\n", i, g+math.Mod(float64(i)*0.37, 1), g+math.Mod(float64(i)*0.71, 1), i%7)
	}
	return b.String()
}

// tinyConfig is a job over tiny.csv into runs/, with the given stages
// (default: ingest, eda, cluster with previous: latest).
func tinyConfig(name, stages string) string {
	if stages == "" {
		stages = clusterStages
	}
	return "version: 1\nname: " + name + "\ninput: {path: tiny.csv, id: id}\noutput: {dir: runs, retention: {keep_last: 1}}\nstages:\n" + stages
}

const clusterStages = `  - type: ingest
  - type: eda
  - type: cluster
    config: {features: [a, b], k: 2, n_init: 1, previous: latest}
`

// basic writes tiny.csv and job.yaml (job "churn").
func basic(w *world) {
	w.write("tiny.csv", tinyCSV())
	w.write("job.yaml", tinyConfig("churn", ""))
}

// runsOf lists the run folders in runs/.
func (w *world) runs() []string {
	m, _ := filepath.Glob(w.path("runs/2*"))
	for i := range m {
		m[i] = filepath.Base(m[i])
	}
	return m
}

func corpus() []corpusCase {
	repo, _ := filepath.Abs("../..") // corpus() is called from cmd/segment
	shipped := func(name string) string { return filepath.Join(repo, "configs", name) }
	return []corpusCase{
		// ---- paths from config text ----
		{name: "stage name ../../../x in the config",
			setup: func(w *world) {
				w.write("tiny.csv", tinyCSV())
				w.write("sub/job.yaml", strings.Replace(tinyConfig("churn", "  - type: ingest\n  - {type: eda, name: ../../../x}\n"), "tiny.csv", "../tiny.csv", 1))
			},
			args: []string{"run", "-c", "sub/job.yaml"}, code: 2, msg: `stages[1].name: "../../../x" cannot name files`},
		{name: "stage name ../../../x from --set",
			setup: basic,
			args:  []string{"run", "-c", "job.yaml", "--set", "stages[1].name=../../../x"}, code: 2,
			msg: `--set stages[1].name=../../../x: stages[1].name: "../../../x" cannot name files`},
		{name: "stage name with a slash by stage name",
			setup: basic,
			args:  []string{"run", "-c", "job.yaml", "--set", "stages.eda.name=a/b"}, code: 2, msg: `"a/b" cannot name files`},
		{name: "300-character job name",
			setup: func(w *world) {
				w.write("tiny.csv", tinyCSV())
				w.write("job.yaml", tinyConfig(strings.Repeat("j", 300), ""))
			},
			args: []string{"run", "-c", "job.yaml"}, code: 2, msg: "name: a job name of 300 characters is too long (at most 64"},
		{name: "job name ../x from --set",
			setup: basic,
			args:  []string{"run", "-c", "job.yaml", "--set", "name=../x"}, code: 2, msg: `"../x" cannot name the run folders`},

		// ---- jobs sharing an output folder ----
		{name: "two jobs in one folder: retention and previous per job",
			setup: func(w *world) {
				basic(w)
				w.write("other.yaml", tinyConfig("engagement", ""))
				w.mustRun("run", "-c", "job.yaml")
				w.write("b1.txt", filepath.Base(w.mustRun("run", "-c", "other.yaml")))
				w.write("a2.txt", filepath.Base(w.mustRun("run", "-c", "job.yaml")))
			},
			// keep_last: 1 and previous: latest: this job's newest run and
			// the one it compared with stay, the first goes; the other
			// job's run is not this job's to prune.
			args: []string{"run", "-c", "job.yaml"}, code: 0, out: "runs/2",
			mayChange: []string{"runs/latest", "runs/latest-churn", "runs/"}, newUnder: []string{"runs/2"},
			check: func(w *world, stdout, stderr string) {
				b1, a2, a3 := w.read("b1.txt"), w.read("a2.txt"), filepath.Base(strings.TrimSpace(stdout))
				if runs, want := w.runs(), []string{a2, a3, b1}; !slices.Equal(runs, sorted(want)) {
					w.t.Errorf("runs %v, want %v", runs, sorted(want))
				}
				m, err := pipeline.ReadManifest(w.path("runs/" + a3))
				if err != nil || m.PreviousRun != a2 {
					w.t.Errorf("previous run %q %v, want %s (this job's)", m.PreviousRun, err, a2)
				}
				if got, _ := os.Readlink(w.path("runs/latest-engagement")); got != b1 {
					w.t.Errorf("latest-engagement → %q", got)
				}
			}},
		{name: "shipped churn.yaml and engagement.yaml share one folder",
			slow: true,
			setup: func(w *world) {
				w.write("c1.txt", filepath.Base(w.mustRun("run", "-c", shipped("churn.yaml"), "--out", "runs", "--no-progress")))
				w.write("e1.txt", filepath.Base(w.mustRun("run", "-c", shipped("engagement.yaml"), "--out", "runs", "--no-progress")))
			},
			// Before: previous: latest picked the engagement run ("a folder
			// without model.json") and keep_last removed it.
			args: []string{"run", "-c", shipped("churn.yaml"), "--out", "runs", "--no-progress", "--set", "output.retention.keep_last=1"},
			code: 0, out: "runs/2",
			mayChange: []string{"runs/latest", "runs/latest-churn"}, newUnder: []string{"runs/2"},
			check: func(w *world, stdout, stderr string) {
				c1, e1 := w.read("c1.txt"), w.read("e1.txt")
				m, err := pipeline.ReadManifest(strings.TrimSpace(stdout))
				if err != nil || m.PreviousRun != c1 {
					w.t.Errorf("previous run %q %v, want %s", m.PreviousRun, err, c1)
				}
				if !strings.Contains(w.read("runs/"+filepath.Base(strings.TrimSpace(stdout))+"/drift.md"), c1) {
					w.t.Errorf("drift.md does not compare with %s", c1)
				}
				if _, err := os.Stat(w.path("runs/" + e1 + "/eda.json")); err != nil {
					w.t.Errorf("the engagement run was removed: %v", err)
				}
			}},
		{name: "old folder: latest points at another job's run",
			setup: func(w *world) {
				basic(w)
				w.write("other.yaml", tinyConfig("engagement", ""))
				first := filepath.Base(w.mustRun("run", "-c", "job.yaml"))
				w.mustRun("run", "-c", "other.yaml")
				// As an older segment left it: one latest, no latest-<job>.
				os.Remove(w.path("runs/latest-churn"))
				os.Remove(w.path("runs/latest-engagement"))
				w.write("first.txt", first)
			},
			args: []string{"run", "-c", "job.yaml"}, code: 0,
			mayChange: []string{"runs/latest", "runs/"}, newUnder: []string{"runs/"},
			check: func(w *world, stdout, stderr string) {
				m, err := pipeline.ReadManifest(strings.TrimSpace(stdout))
				if err != nil || m.PreviousRun != w.read("first.txt") {
					w.t.Errorf("previous run %q %v, want %s", m.PreviousRun, err, w.read("first.txt"))
				}
				if _, err := os.Readlink(w.path("runs/latest-churn")); err != nil {
					w.t.Errorf("latest-churn not created: %v", err)
				}
			}},

		// ---- latest ----
		{name: "latest-<job> is a regular file, previous: latest",
			setup: func(w *world) {
				basic(w)
				w.mustRun("run", "-c", "job.yaml")
				os.Remove(w.path("runs/latest-churn"))
				w.write("runs/latest-churn", "not a link")
			},
			args: []string{"run", "-c", "job.yaml"}, code: 1, msg: "previous: latest: " + "runs/latest-churn is a regular file, not a link to a run folder",
			newUnder: []string{"runs/failed/"}},
		{name: "old latest is a regular file, previous: latest",
			setup: func(w *world) {
				basic(w)
				w.mustRun("run", "-c", "job.yaml")
				os.Remove(w.path("runs/latest-churn"))
				os.Remove(w.path("runs/latest"))
				w.write("runs/latest", "not a link")
			},
			args: []string{"run", "-c", "job.yaml"}, code: 1, msg: "runs/latest is a regular file, not a link to a run folder",
			newUnder: []string{"runs/failed/"}},
		{name: "latest-<job> points at a missing run",
			setup: func(w *world) {
				basic(w)
				w.mustRun("run", "-c", "job.yaml")
				os.Remove(w.path("runs/latest-churn"))
				os.Symlink("20200101T000000Z-churn", w.path("runs/latest-churn"))
			},
			args: []string{"run", "-c", "job.yaml"}, code: 1, msg: "runs/latest-churn points at 20200101T000000Z-churn, which does not exist",
			newUnder: []string{"runs/failed/"}},
		{name: "latest cannot be moved after publishing",
			setup: func(w *world) {
				basic(w)
				w.mustRun("run", "-c", "job.yaml", "--set", "stages.cluster.previous=")
				os.Remove(w.path("runs/latest"))
				w.write("runs/latest/keep.txt", "a folder in the way")
			},
			args: []string{"run", "-c", "job.yaml", "--set", "stages.cluster.previous="}, code: 5, out: "runs/2",
			msg:       "but update runs/latest: it is a folder, not a link; segment does not replace it",
			mayChange: []string{"runs/latest-churn", "runs/"}, newUnder: []string{"runs/2"},
			check: func(w *world, stdout, stderr string) {
				if _, err := os.Stat(w.path("runs/failed")); err == nil {
					w.t.Error("a published run was recorded under failed/")
				}
				m, err := pipeline.ReadManifest(strings.TrimSpace(stdout))
				if err != nil || m.Status != "succeeded" || m.ExitCode != exitLatestFailed {
					w.t.Errorf("manifest %+v %v", m, err)
				}
			}},

		// ---- locks ----
		{name: "stale lock of a dead process",
			setup: func(w *world) {
				basic(w)
				host, _ := os.Hostname()
				w.write("runs/.lock", fmt.Sprintf(`{"pid": 999999999, "host": %q, "started": "2026-11-23T02:30:00Z"}`, host))
			},
			args: []string{"run", "-c", "job.yaml"}, code: 0, msg: "taking over stale lock",
			mayChange: []string{"runs/.lock", "runs/"}, newUnder: []string{"runs/"}},
		{name: "lock whose pid was reused by another process",
			setup: func(w *world) {
				basic(w)
				host, _ := os.Hostname()
				w.write("runs/.lock", fmt.Sprintf(`{"pid": %d, "host": %q, "started": "2026-11-23T02:30:00Z", "pid_start": 1}`, os.Getpid(), host))
			},
			args: []string{"run", "-c", "job.yaml"}, code: 0, msg: "taking over stale lock",
			mayChange: []string{"runs/.lock", "runs/"}, newUnder: []string{"runs/"}},
		{name: "lock held by a live run",
			setup: func(w *world) {
				basic(w)
				w.write("runs/.lock", `{"pid": 1, "host": "elsewhere", "started": "2026-11-23T02:30:00Z"}`)
			},
			args: []string{"run", "-c", "job.yaml"}, code: 4, msg: "another run holds the lock runs/.lock (pid 1 on elsewhere"},

		// ---- permissions ----
		{name: "umask 077",
			setup: func(w *world) {
				basic(w)
				old := syscall.Umask(0o077)
				w.t.Cleanup(func() { syscall.Umask(old) })
			},
			args: []string{"run", "-c", "job.yaml"}, code: 0, newUnder: []string{"runs/"},
			check: func(w *world, stdout, stderr string) {
				filepath.WalkDir(w.path("runs"), func(p string, d fs.DirEntry, err error) error {
					if st, err := os.Lstat(p); err == nil && st.Mode()&fs.ModeSymlink == 0 && st.Mode().Perm()&0o077 != 0 {
						w.t.Errorf("%s: mode %v despite umask 077", p, st.Mode().Perm())
					}
					return nil
				})
			}},

		// ---- escaping ----
		{name: "hostile column names in insights.md",
			setup: func(w *world) {
				w.write("tiny.csv", "id,\"x\n# OWNED\n![img](http://evil.invalid/p.png)\",<script>alert(1)</script>\n1,1,2\n2,2,1\n3,3,5\n")
				w.write("job.yaml", tinyConfig("churn", "  - type: ingest\n  - type: eda\n"))
			},
			args: []string{"run", "-c", "job.yaml"}, code: 0, newUnder: []string{"runs/"},
			check: func(w *world, stdout, stderr string) {
				md := w.read("runs/latest/insights.md")
				if strings.Contains(md, "\n# OWNED") || strings.Contains(md, "![img](") || strings.Contains(md, "<script>") {
					w.t.Errorf("raw markup in insights.md:\n%s", md)
				}
			}},

		// ---- config limits and spelling ----
		{name: "100 KB of nested [ in the config",
			setup: func(w *world) { w.write("job.yaml", strings.Repeat("[", 100_000)) },
			args:  []string{"validate", "-c", "job.yaml"}, code: 2, msg: "job.yaml:1:64: the config nests lists and mappings more than 64 levels deep"},
		{name: "config over 1 MiB",
			setup: func(w *world) { w.write("job.yaml", "# "+strings.Repeat("x", 1<<20)) },
			args:  []string{"validate", "-c", "job.yaml"}, code: 2, msg: "segment reads configs of at most 1048576 bytes"},
		{name: "nested [ in a --set value",
			setup: basic,
			args:  []string{"run", "-c", "job.yaml", "--set", "stages.cluster.features=" + strings.Repeat("[", 100_000)}, code: 2,
			msg: "the value nests lists and mappings more than 64 levels deep"},
		{name: "billion laughs",
			setup: func(w *world) {
				w.write("tiny.csv", tinyCSV())
				src := tinyConfig("churn", "  - type: ingest\n  - type: clean\n    config:\n      steps:\n        - fillna: {a: {value: &l0 [x, x, x, x, x, x, x, x, x, x]}}\n")
				for i := 1; i <= 9; i++ {
					src += fmt.Sprintf("        - fillna: {a: {value: &l%d [*l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d, *l%d]}}\n", i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
				}
				w.write("job.yaml", src)
			},
			args: []string{"validate", "-c", "job.yaml"}, code: 2, msg: "follows aliases (*name) more than 10000 times"},
		{name: "--set tol=1e-4 and n_init by name and position",
			setup: basic,
			args: []string{"validate", "-c", "job.yaml", "--set", "stages.cluster.tol=1e-4", "--set", "stages.cluster.config.n_init=2",
				"--set", "stages[2].max_iter=50", "--set", "stages[2].config.seed=3"},
			code: 0, out: "job.yaml: ok"},
		{name: "tol=1e309 is out of range",
			setup: basic,
			args:  []string{"validate", "-c", "job.yaml", "--set", "stages.cluster.tol=1e309"}, code: 2, msg: "tol: 1e309 is out of range"},

		// ---- input files and exit codes ----
		{name: "missing input file",
			setup: func(w *world) { w.write("job.yaml", tinyConfig("churn", "")) },
			args:  []string{"run", "-c", "job.yaml"}, code: 1, msg: "input.path: open tiny.csv: no such file or directory",
			newUnder: []string{"runs/"},
			check: func(w *world, stdout, stderr string) {
				m, _ := filepath.Glob(w.path("runs/failed/*/error.txt"))
				if len(m) != 1 || len(w.runs()) != 0 {
					w.t.Errorf("failed records %v, runs %v", m, w.runs())
				}
			}},
		{name: "missing input file (validate)",
			setup: func(w *world) { w.write("job.yaml", tinyConfig("churn", "")) },
			args:  []string{"validate", "-c", "job.yaml"}, code: 1, msg: "no such file or directory"},
		// A gzip'd CSV named .csv is read as what it is (magic bytes, not the
		// extension), the same run as the plain file.
		{name: "gzip data named .csv is read transparently",
			setup: func(w *world) {
				w.write("tiny.csv", gzipText(tinyCSV()))
				w.write("job.yaml", tinyConfig("churn", ""))
			},
			args: []string{"run", "-c", "job.yaml"}, code: 0, newUnder: []string{"runs/"}},
		// Data that is not CSV text at all gets a message saying what it is,
		// not "invalid UTF-8 …; set input.encoding" (issue 9).
		{name: "bzip2 data named .csv",
			setup: func(w *world) {
				w.write("tiny.csv", "BZh91AY&SY\x00\x01\x02\x03 not really bzip2 but its magic")
				w.write("job.yaml", tinyConfig("churn", ""))
			},
			args: []string{"run", "-c", "job.yaml"}, code: 1, msg: "is bzip2-compressed data, not CSV text", newUnder: []string{"runs/failed/"}},
		{name: "wide table: eda capped at max_columns",
			setup: func(w *world) {
				var b strings.Builder
				b.WriteString("id")
				for j := range 120 {
					fmt.Fprintf(&b, ",c%d", j)
				}
				for i := range 5 {
					fmt.Fprintf(&b, "\n%d", i)
					for j := range 120 {
						fmt.Fprintf(&b, ",%d", i+(i*j)%3)
					}
				}
				w.write("tiny.csv", b.String()+"\n")
				w.write("job.yaml", tinyConfig("churn", "  - type: ingest\n  - type: eda\n"))
			},
			args: []string{"run", "-c", "job.yaml"}, code: 0,
			msg:      "120 columns to correlate: the heatmap, the insights, the alerts on pairs and eda.json cover the first 100",
			newUnder: []string{"runs/"}},
		// Out of memory cannot run in-process: TestOutOfMemoryIsNotExit2
		// (crash_test.go) checks that it ends with SIGABRT, never exit 2.

		// ---- segment predict (issue 15's predict items, owned by the
		// predict engineer): add rows here ----

		// ---- CSV reading (issue 15's reader items: line, field and header
		// caps, CR-only line ends, 1e309, near-numeric columns, the id
		// column as text, FIFOs, gzip; internal/csvio, wired into ingest by
		// the sources engineer): add rows here ----
	}
}

// TestHostileCorpus runs every row of the corpus.
func TestHostileCorpus(t *testing.T) {
	for _, tc := range corpus() {
		t.Run(tc.name, func(t *testing.T) {
			if tc.slow && testing.Short() {
				t.Skip("runs the shipped job")
			}
			dir := t.TempDir()
			t.Chdir(dir)
			w := &world{t: t, dir: dir}
			tc.setup(w)
			before := snapshot(t, dir)
			var out, errb bytes.Buffer
			code := run(context.Background(), tc.args, &out, &errb)
			stdout, stderr := out.String(), errb.String()
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstderr: %.3000s", code, tc.code, stderr)
			}
			if !strings.Contains(stderr, tc.msg) {
				t.Errorf("stderr lacks %q:\n%.3000s", tc.msg, stderr)
			}
			if !strings.Contains(stdout, tc.out) {
				t.Errorf("stdout lacks %q: %q", tc.out, stdout)
			}
			if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic:") {
				t.Errorf("stack trace:\n%s", stderr)
			}
			after := snapshot(t, dir)
			for p, was := range before {
				if covered(p, tc.mayChange) {
					continue
				}
				if now, ok := after[p]; !ok || now != was {
					t.Errorf("%s changed: %q → %q", p, was, now)
				}
			}
			for p := range after {
				if _, old := before[p]; !old && !allowedNew(p, tc.newUnder) {
					t.Errorf("new file %s outside %v", p, tc.newUnder)
				}
			}
			if tc.check != nil {
				tc.check(w, stdout, stderr)
			}
		})
	}
}

// covered reports whether rel is one of paths, or inside one ending in "/".
func covered(rel string, paths []string) bool {
	return slices.ContainsFunc(paths, func(p string) bool {
		return rel == p || strings.HasSuffix(p, "/") && (strings.HasPrefix(rel, p) || rel+"/" == p) || rel == strings.TrimSuffix(p, "/")
	})
}

// allowedNew reports whether a new entry rel is under one of the prefixes,
// or a folder on the way to one.
func allowedNew(rel string, prefixes []string) bool {
	return slices.ContainsFunc(prefixes, func(p string) bool {
		return strings.HasPrefix(rel, p) || strings.HasPrefix(p, rel+"/")
	})
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

// snapshot records every entry under dir: sha256 and mode of files, target
// of links, mode of folders.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	snap := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		st, err := os.Lstat(p)
		if err != nil {
			return nil
		}
		switch {
		case st.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			snap[rel] = "link " + target
		case st.IsDir():
			snap[rel] = "dir " + st.Mode().String()
		default:
			b, _ := os.ReadFile(p)
			sum := sha256.Sum256(b)
			snap[rel] = st.Mode().String() + " " + hex.EncodeToString(sum[:])
		}
		return nil
	})
	return snap
}

// TestCorpusIsTable keeps the corpus a table: unique case names (they name
// sub-tests) and each row says what it expects.
func TestCorpusIsTable(t *testing.T) {
	seen := map[string]bool{}
	for _, tc := range corpus() {
		if seen[tc.name] || tc.setup == nil || len(tc.args) == 0 {
			t.Errorf("row %q: duplicate name, or no setup or args", tc.name)
		}
		seen[tc.name] = true
	}
}

// gzipText compresses s as a gzip stream.
func gzipText(s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.String()
}
