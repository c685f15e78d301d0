package pipeline

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
)

// TestNamesAreValidated: a stage or job name that could not safely name a
// file (a path, too long) is a config error, whether it comes from the file
// or from --set; the message names the key and, for --set, the flag.
func TestNamesAreValidated(t *testing.T) {
	escape := base + "  - {type: fake, name: ../../../x, config: {label: x}}\n"
	long := strings.Repeat("j", 300)
	for _, tc := range []struct {
		name string
		src  string
		sets []string
		want string
	}{
		{"stage name in the file", escape, nil, `cfg/x.yaml:9:24: stages[1].name: "../../../x" cannot name files`},
		{"stage name by position", base, []string{"stages[0].name=../../../x"}, `--set stages[0].name=../../../x: stages[0].name: "../../../x" cannot name files`},
		{"stage name by name", base, []string{"stages.fake.name=../../../x"}, `--set stages.fake.name=../../../x: stages[0].name: "../../../x" cannot name files`},
		{"stage name with a slash", base, []string{"stages[0].name=a/b"}, `"a/b" cannot name files`},
		{"hidden stage name", base, []string{"stages[0].name=.x"}, `".x" cannot name files`},
		{"long stage name", base, []string{"stages[0].name=" + strings.Repeat("s", 65)}, "a stage name of 65 characters is too long (at most 64"},
		{"job name", base, []string{"name=../x"}, `name: "../x" cannot name the run folders`},
		{"300-character job name", strings.Replace(base, "name: test", "name: "+long, 1), nil, "cfg/x.yaml:2:7: name: a job name of 300 characters is too long (at most 64: it names folders and files)"},
		{"300-character job name by --set", base, []string{"name=" + long}, "name: a job name of 300 characters is too long"},
	} {
		var ovs []confyaml.Override
		for _, s := range tc.sets {
			o, err := confyaml.ParseOverride(s)
			if err != nil {
				t.Fatal(err)
			}
			ovs = append(ovs, o)
		}
		_, err := load(t, tc.src, LoadOptions{Overrides: ovs})
		var ce confyaml.ConfigErrors
		if !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want a config error with %q", tc.name, err, tc.want)
		}
	}
	// The longest valid names pass.
	ok := strings.Replace(base, "name: test", "name: "+strings.Repeat("j", MaxNameLen), 1) +
		"  - {type: fake, name: " + strings.Repeat("s", MaxNameLen) + ", config: {label: x}}\n"
	if _, err := load(t, ok, LoadOptions{}); err != nil {
		t.Errorf("names of %d characters: %v", MaxNameLen, err)
	}
}

// TestEnvPathStaysInside: every path a stage writes to goes through
// Env.Path, which refuses a name that would leave the run folder, even for
// a stage name that skipped Load's validation.
func TestEnvPathStaysInside(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "run")
	os.Mkdir(dir, 0o755)
	env := &Env{Name: "s", Type: "t", Dir: dir}
	for _, bad := range []string{"../x", "a/b", "/etc/passwd", ".hidden", "..", "", "a\nb", strings.Repeat("a", 300)} {
		_, err := env.Path(bad)
		var pe *PathEscapeError
		if !errors.As(err, &pe) {
			t.Errorf("Path(%q): %v, want a *PathEscapeError", bad, err)
		}
		if _, err := env.WriteFile(bad, "data", "x", func(w io.Writer) error { _, err := io.WriteString(w, "x"); return err }); err == nil {
			t.Errorf("WriteFile(%q) wrote", bad)
		}
	}
	for _, name := range []string{"../../x", "a/b", "..", ".x"} {
		env := &Env{Name: name, Type: "t", Dir: dir}
		if p, err := env.Path("out.txt"); err == nil {
			t.Errorf("stage name %q: wrote to %s", name, p)
		}
	}
	if p, err := env.Path("summary.csv"); err != nil || p != filepath.Join(dir, "s-summary.csv") {
		t.Errorf("Path(summary.csv) = %q, %v", p, err)
	}
	// Nothing was written anywhere.
	var files []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) > 0 {
		t.Errorf("files written: %v", files)
	}
}

// prevRecorder writes the id of the previous run it was given (Env.Previous).
type prevRecorder struct{}

func (prevRecorder) Run(ctx context.Context, env *Env, st *State) error {
	_, err := env.WriteFile("previous.txt", "data", "previous run", func(w io.Writer) error {
		if env.PreviousErr != nil {
			return env.PreviousErr
		}
		if env.Previous != nil {
			_, err := io.WriteString(w, env.Previous.ID)
			return err
		}
		return nil
	})
	return err
}

func jobRegistry() *Registry {
	return NewRegistry(Factory{Type: "prev", Summary: "records the previous run",
		NewConfig: func() any { return &struct{}{} },
		New:       func(cfg any) (Stage, error) { return prevRecorder{}, nil }}).WithSources(testSources())
}

// jobConfig is a config of job name writing to out, keeping keep runs.
func jobConfig(t *testing.T, out, name string, keep int) *Config {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "d.csv"), []byte("a,b\n1,2\n"), 0o644)
	src := "version: 1\nname: " + name + "\ninput: {path: d.csv}\noutput: {dir: " + out + ", retention: {keep_last: " + itoa(keep) + "}}\nstages:\n  - type: prev\n"
	cfg, err := LoadBytes(filepath.Join(dir, "c.yaml"), []byte(src), jobRegistry(), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func itoa(i int) string { return strconv.Itoa(i) }

func readString(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestJobsShareAFolder: two jobs writing to one output folder keep their
// own latest-<job> link, compare with their own previous run and prune only
// their own runs; latest follows the newest run of any job.
func TestJobsShareAFolder(t *testing.T) {
	out := t.TempDir()
	a, b := jobConfig(t, out, "a", 1), jobConfig(t, out, "b", 1)
	var ids []string
	for i, cfg := range []*Config{a, b, a, b} {
		res, err := Run(context.Background(), cfg, RunOptions{Now: fixedClock("2026-11-2" + itoa(i+1) + "T10:00:00Z")})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, res.ID)
	}
	// Each job's second run compared with its own first run.
	if got := readString(t, filepath.Join(out, ids[2], "previous.txt")); got != ids[0] {
		t.Errorf("job a's second run compared with %q, want %q", got, ids[0])
	}
	if got := readString(t, filepath.Join(out, ids[3], "previous.txt")); got != ids[1] {
		t.Errorf("job b's second run compared with %q, want %q", got, ids[1])
	}
	for link, want := range map[string]string{"latest-a": ids[2], "latest-b": ids[3], "latest": ids[3]} {
		if got, _ := os.Readlink(filepath.Join(out, link)); got != want {
			t.Errorf("%s → %q, want %q", link, got, want)
		}
	}
	// keep_last 1 per job: each job's first run is gone, the other job's runs are not.
	var runs []string
	entries, _ := os.ReadDir(out)
	for _, e := range entries {
		if runIDPattern.MatchString(e.Name()) {
			runs = append(runs, e.Name())
		}
	}
	if !slices.Equal(runs, []string{ids[2], ids[3]}) {
		t.Errorf("runs kept %v, want %v", runs, ids[2:])
	}
}

// TestLatestMigration: a folder written by an older segment has one latest
// link for every job. A job's previous run is then latest when it points at
// a run of the job (a rollback is honoured), else the job's newest run;
// publishing adds latest-<job>.
func TestLatestMigration(t *testing.T) {
	out := t.TempDir()
	a1 := fakeRun(t, out, "20261101T000000Z-a", "a")
	a2 := fakeRun(t, out, "20261102T000000Z-a", "a")
	b1 := fakeRun(t, out, "20261103T000000Z-b", "b")
	// "a-2" is another job whose runs look like job a's second runs.
	fakeRun(t, out, "20261104T000000Z-a-2", "a-2")
	os.Symlink(filepath.Base(b1), filepath.Join(out, LatestName))
	for _, tc := range []struct {
		job, latest, want string
	}{
		{"a", b1, a2}, // latest is job b's: job a's newest
		{"b", b1, b1}, // latest is job b's own
		{"a", a1, a1}, // rolled back by hand to a1: honoured
		{"c", b1, ""}, // a new job: no previous run
		{"a-2", b1, "20261104T000000Z-a-2"},
	} {
		os.Remove(filepath.Join(out, LatestName))
		os.Symlink(filepath.Base(tc.latest), filepath.Join(out, LatestName))
		ref, err := LatestOf(out, tc.job)
		got := ""
		if ref != nil {
			got = ref.ID
		}
		want := ""
		if tc.want != "" {
			want = filepath.Base(tc.want)
		}
		if err != nil || got != want {
			t.Errorf("job %s with latest → %s: got %q %v, want %q", tc.job, filepath.Base(tc.latest), got, err, want)
		}
	}
	// A run of job a publishes latest-a, and from then on latest-a decides.
	os.Remove(filepath.Join(out, LatestName))
	os.Symlink(filepath.Base(b1), filepath.Join(out, LatestName))
	res, err := Run(context.Background(), jobConfig(t, out, "a", 0), RunOptions{Now: fixedClock("2026-11-05T00:00:00Z")})
	if err != nil {
		t.Fatal(err)
	}
	if got := readString(t, filepath.Join(res.Dir, "previous.txt")); got != filepath.Base(a2) {
		t.Errorf("first run after the upgrade compared with %q, want %q", got, filepath.Base(a2))
	}
	if got, _ := os.Readlink(filepath.Join(out, "latest-a")); got != res.ID {
		t.Errorf("latest-a → %q", got)
	}
}

// TestBrokenLatest: a latest-<job> that is a regular file or points at a
// missing run is an error for whoever needs the previous run (Env.
// PreviousErr; the cluster stage's `previous: latest` fails with it), and
// so is an old folder's latest in the same state while latest-<job> does
// not exist yet.
func TestBrokenLatest(t *testing.T) {
	for _, tc := range []struct {
		name, link, want string
		setup            func(link string)
	}{
		{"regular file", "latest-a", "latest-a is a regular file, not a link to a run folder", func(l string) { os.WriteFile(l, []byte("x"), 0o644) }},
		{"dangling", "latest-a", "latest-a points at 20261101T000000Z-a, which does not exist", func(l string) { os.Symlink("20261101T000000Z-a", l) }},
		{"old latest, regular file", "latest", "latest is a regular file, not a link to a run folder", func(l string) { os.WriteFile(l, []byte("x"), 0o644) }},
		{"old latest, dangling", "latest", "latest points at gone, which does not exist", func(l string) { os.Symlink("gone", l) }},
		{"not a folder", "latest-a", "latest-a points at f, which is not a run folder", func(l string) {
			os.WriteFile(filepath.Join(filepath.Dir(l), "f"), nil, 0o644)
			os.Symlink("f", l)
		}},
	} {
		out := t.TempDir()
		tc.setup(filepath.Join(out, tc.link))
		_, err := LatestOf(out, "a")
		var le *LatestError
		if !errors.As(err, &le) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "remove it") {
			t.Errorf("%s: got %v, want %q", tc.name, err, tc.want)
		}
		// A stage that needs it fails; the run publishes nothing.
		_, err = Run(context.Background(), jobConfig(t, out, "a", 0), RunOptions{})
		var rf *RunFailedError
		if !errors.As(err, &rf) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: run: %v", tc.name, err)
		}
	}
}

// TestLatestUpdateFails: when latest-<job> cannot be moved after the run
// folder was renamed into place, the run stays published (no failed/
// record), its manifest carries a warning and a "latest" verdict, and Run
// returns a *VerdictError (exit 5).
func TestLatestUpdateFails(t *testing.T) {
	cfg, out := runConfig(t, "")
	_, err := Run(context.Background(), cfg, RunOptions{Now: fixedClock("2026-11-23T01:00:00Z")})
	if err != nil {
		t.Fatal(err)
	}
	// latest-test becomes a folder: a symlink cannot replace it.
	link := filepath.Join(out, LatestLink("test"))
	os.Remove(link)
	os.MkdirAll(filepath.Join(link, "keep"), 0o755)
	exit := func(err error) int {
		var ve *VerdictError
		if errors.As(err, &ve) && ve.Kinds()[0] == VerdictLatest {
			return 5
		}
		return 0
	}
	res, err := Run(context.Background(), cfg, RunOptions{Now: fixedClock("2026-11-23T02:00:00Z"), ExitCode: exit})
	var ve *VerdictError
	if !errors.As(err, &ve) || ve.Kinds()[0] != VerdictLatest || ve.RunDir != res.Dir {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "the run was published at "+res.Dir+", but update "+link+": it is a folder, not a link") {
		t.Errorf("message: %v", err)
	}
	if _, err := os.Stat(filepath.Join(res.Dir, "out.txt")); err != nil || res.Dir != filepath.Join(out, res.ID) {
		t.Errorf("the run is not published: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, FailedDir)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a failed/ record was written: %v", err)
	}
	m, err := ReadManifest(res.Dir)
	if err != nil || m.Status != "succeeded" || m.ExitCode != 5 || len(m.Verdicts) != 1 || m.Verdicts[0].Kind != VerdictLatest ||
		len(m.Warnings) != 1 || m.Warnings[0].Message != m.Verdicts[0].Reasons[0] {
		t.Errorf("manifest %+v %v", m, err)
	}
	// latest (the folder-wide link) did move; the folder is untouched.
	if got, _ := os.Readlink(filepath.Join(out, LatestName)); got != res.ID {
		t.Errorf("latest → %q", got)
	}
	if _, err := os.Stat(filepath.Join(link, "keep")); err != nil {
		t.Errorf("the folder in the way was changed: %v", err)
	}
}

// TestMissingInput: an input that does not exist is a data error: the run
// fails with an *InputError, records failed/<id>/ (manifest and error.txt,
// every stage skipped) and publishes nothing.
func TestMissingInput(t *testing.T) {
	cfg, out := runConfig(t, "")
	os.Remove(string(cfg.Input.Path))
	res, err := Run(context.Background(), cfg, RunOptions{Now: fixedClock("2026-11-23T01:00:00Z")})
	var ie *InputError
	var rf *RunFailedError
	if !errors.As(err, &ie) || !errors.As(err, &rf) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "input.path: open "+string(cfg.Input.Path)+": no such file or directory") {
		t.Errorf("message %v", err)
	}
	m, merr := ReadManifest(res.Dir)
	if merr != nil || m.Status != "failed" || len(m.Stages) != 1 || m.Stages[0].Status != "skipped" {
		t.Errorf("failed manifest %+v %v", m, merr)
	}
	if b, _ := os.ReadFile(filepath.Join(res.Dir, "error.txt")); !strings.Contains(string(b), "no such file or directory") {
		t.Errorf("error.txt %q", b)
	}
	if _, err := os.Lstat(filepath.Join(out, LatestName)); err == nil {
		t.Error("latest exists")
	}
	if res.Dir != filepath.Join(out, FailedDir, res.ID) {
		t.Errorf("failed dir %s", res.Dir)
	}
}

// TestUmask: files and folders a run creates follow the umask (no forced
// 0644), and a file that is replaced keeps its mode.
func TestUmask(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	cfg, out := runConfig(t, "")
	res, err := Run(context.Background(), cfg, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	check := func(p string, want fs.FileMode) {
		t.Helper()
		st, err := os.Stat(p)
		if err != nil || st.Mode().Perm() != want {
			t.Errorf("%s: mode %v %v, want %v", p, st.Mode().Perm(), err, want)
		}
	}
	check(out, 0o750)
	check(res.Dir, 0o750)
	check(filepath.Join(res.Dir, "out.txt"), 0o640)
	check(filepath.Join(res.Dir, "manifest.json"), 0o640)

	// A replaced file keeps its mode, whatever the umask.
	for _, mode := range []fs.FileMode{0o600, 0o664, 0o644} {
		p := filepath.Join(t.TempDir(), "f.csv")
		os.WriteFile(p, []byte("old"), 0o600)
		os.Chmod(p, mode)
		if err := WriteFileAtomic(p, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
			t.Fatal(err)
		}
		check(p, mode)
		if readString(t, p) != "new" {
			t.Errorf("%s not replaced", p)
		}
	}
	// A new file: 0666 less the umask.
	p := filepath.Join(t.TempDir(), "new.csv")
	WriteFileAtomic(p, func(w io.Writer) error { return nil })
	check(p, 0o640)
}

// TestPublishSyncs: before the run folder is renamed into place every file
// and folder in it is flushed to disk, and the output folder is flushed
// after the rename and after latest moves.
func TestPublishSyncs(t *testing.T) {
	var synced []string
	syncObserver = func(p string) { synced = append(synced, p) }
	defer func() { syncObserver = nil }()
	cfg, out := runConfig(t, "")
	res, err := Run(context.Background(), cfg, RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(out, tmpPrefix+res.ID)
	at := func(p string) int { return slices.Index(synced, p) }
	lastTmp := -1
	filepath.WalkDir(res.Dir, func(p string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(res.Dir, p)
		was := filepath.Join(tmp, rel)
		i := at(was)
		if i < 0 {
			t.Errorf("%s was not synced before it was published", rel)
		}
		lastTmp = max(lastTmp, i)
		return nil
	})
	outSyncs := 0
	for i, p := range synced {
		if p == out {
			outSyncs++
			if i < lastTmp {
				t.Errorf("the output folder was synced before the run folder")
			}
		}
	}
	if outSyncs < 2 {
		t.Errorf("the output folder was synced %d times, want after the rename and after latest", outSyncs)
	}
	if at(tmp) < 0 || at(filepath.Join(tmp, "manifest.json")) < 0 {
		t.Errorf("synced: %v", synced)
	}
}

// TestSetStageAddressing: a stage's key can be set by the stage's name or
// position, with or without "config." (issue 13), and exponent notation is
// a number (issue 15: --set stages.cluster.tol=1e-4).
func TestSetStageAddressing(t *testing.T) {
	for _, set := range []string{"stages.fake.count=7", "stages.fake.config.count=7", "stages[0].count=7", "stages[0].config.count=7"} {
		o, _ := confyaml.ParseOverride(set)
		cfg, err := load(t, base, LoadOptions{Overrides: []confyaml.Override{o}})
		if err != nil {
			t.Errorf("%s: %v", set, err)
			continue
		}
		if c := cfg.Stages[0].Config.(*testConfig); c.Count != 7 {
			t.Errorf("%s: count %d", set, c.Count)
		}
	}
	o, _ := confyaml.ParseOverride("stages.fake.ratio=1e-4")
	cfg, err := load(t, base, LoadOptions{Overrides: []confyaml.Override{o}})
	if err != nil || cfg.Stages[0].Config.(*testConfig).Ratio != 1e-4 {
		t.Errorf("ratio=1e-4: %v", err)
	}
	o, _ = confyaml.ParseOverride("stages.fkae.count=7")
	_, err = load(t, base, LoadOptions{Overrides: []confyaml.Override{o}})
	if err == nil || !strings.Contains(err.Error(), `no stage named "fkae" (stages: fake); address a stage by its name, stages.NAME.key, or by its position, stages[N].key`) {
		t.Errorf("unknown stage: %v", err)
	}
}
