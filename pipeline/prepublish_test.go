package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// publisherConfig is the config of the test stage "publisher", which
// defers one step with Env.BeforePublish.
type publisherConfig struct {
	// Mode is what the deferred step does: ok, fail, panic or cancel.
	Mode string `yaml:"mode"`
}

// publisher defers a step that records what it saw into log: the run
// folder still unpublished, the stages that ran before it.
type publisher struct {
	cfg    *publisherConfig
	log    *[]string
	cancel context.CancelFunc
}

func (p publisher) Run(ctx context.Context, env *Env, st *State) error {
	*p.log = append(*p.log, "stage "+env.Name)
	env.BeforePublish("write to the outside world", func(ctx context.Context) error {
		_, tmpErr := os.Stat(env.Dir)
		*p.log = append(*p.log, "step "+env.Name+" tmp="+boolText(tmpErr == nil)+" base="+filepath.Base(env.Dir)[:5])
		switch p.cfg.Mode {
		case "fail":
			return errors.New("the database said no")
		case "panic":
			panic("oops")
		case "cancel":
			p.cancel()
			<-ctx.Done()
			return ctx.Err()
		}
		env.Note("written", 3)
		return nil
	})
	return nil
}

func boolText(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// logging is a stage that only records that it ran.
type logging struct{ log *[]string }

func (l logging) Run(ctx context.Context, env *Env, st *State) error {
	*l.log = append(*l.log, "stage "+env.Name)
	return nil
}

func publishRegistry(log *[]string, cancel context.CancelFunc) *Registry {
	return NewRegistry(
		Factory{Type: "publisher", Summary: "defers a step",
			NewConfig: func() any { return &publisherConfig{Mode: "ok"} },
			New: func(cfg any) (Stage, error) {
				return publisher{cfg: cfg.(*publisherConfig), log: log, cancel: cancel}, nil
			}},
		Factory{Type: "logging", Summary: "records that it ran",
			NewConfig: func() any { return &struct{}{} },
			New:       func(cfg any) (Stage, error) { return logging{log: log}, nil }},
		Factory{Type: "failing", Summary: "fails",
			NewConfig: func() any { return &struct{}{} },
			New:       func(cfg any) (Stage, error) { return &fakeStage{fail: true}, nil }},
	).WithSources(testSources())
}

func publishRun(t *testing.T, stages string) (res *RunResult, log []string, status string, err error) {
	t.Helper()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "d.csv"), []byte("a,b\n1,2\n"), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := "version: 1\nname: test\ninput: {path: d.csv}\nstages:\n" + stages
	cfg, err := LoadBytes(filepath.Join(dir, "c.yaml"), []byte(src), publishRegistry(&log, cancel), LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	res, err = Run(ctx, cfg, RunOptions{Status: &sb})
	return res, log, sb.String(), err
}

// TestBeforePublish: deferred steps run in order after every stage and
// before the folder is renamed; their notes and status reach the manifest
// and the status lines.
func TestBeforePublish(t *testing.T) {
	res, log, status, err := publishRun(t, `
  - {type: publisher, name: first}
  - {type: logging, name: middle}
  - {type: publisher, name: second}
`)
	if err != nil {
		t.Fatal(err)
	}
	want := "stage first|stage middle|stage second|step first tmp=yes base=.tmp-|step second tmp=yes base=.tmp-"
	if got := strings.Join(log, "|"); got != want {
		t.Errorf("order\n%s\nwant\n%s", got, want)
	}
	m, err := ReadManifest(res.Dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 2} {
		rec := m.Stages[i]
		if rec.Status != "succeeded" || len(rec.BeforePublish) != 1 || rec.BeforePublish[0].Status != "succeeded" ||
			rec.BeforePublish[0].What != "write to the outside world" || rec.Notes["written"] != float64(3) {
			t.Errorf("stage %s: %+v %+v", rec.Name, rec, rec.BeforePublish)
		}
	}
	if !strings.Contains(status, "[publish] first: write to the outside world  ") || !strings.Contains(status, "[publish] second:") {
		t.Errorf("status lines:\n%s", status)
	}
}

// TestBeforePublishSkippedWhenAStageFails: a stage failing after the one
// that deferred a step means the step never runs, and nothing is
// published.
func TestBeforePublishSkippedWhenAStageFails(t *testing.T) {
	res, log, _, err := publishRun(t, `
  - {type: publisher, name: first}
  - {type: failing}
`)
	if err == nil {
		t.Fatal("the run succeeded")
	}
	if got := strings.Join(log, "|"); got != "stage first" {
		t.Errorf("ran %s; the deferred step must not run", got)
	}
	m, _ := ReadManifest(res.Dir)
	if m == nil || m.Stages[0].BeforePublish[0].Status != "skipped" || m.Status != "failed" {
		t.Fatalf("manifest %+v", m)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(filepath.Dir(res.Dir)), LatestName)); !os.IsNotExist(err) {
		t.Errorf("latest exists: %v", err)
	}
}

// TestBeforePublishFails: a failing, panicking or interrupted step fails
// the run like a stage; later steps do not run; nothing is published.
func TestBeforePublishFails(t *testing.T) {
	for _, tc := range []struct{ mode, status, err string }{
		{"fail", "failed", `stage "first" (publisher): before publishing (write to the outside world): the database said no`},
		{"panic", "failed", "internal error (a bug in segment"},
		{"cancel", "interrupted", "interrupted: stopped before it finished (a signal, or the caller cancelled the run); nothing was published"},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			res, log, _, err := publishRun(t, `
  - {type: publisher, name: first, config: {mode: `+tc.mode+`}}
  - {type: publisher, name: second}
`)
			var rf *RunFailedError
			if !errors.As(err, &rf) || !strings.Contains(err.Error(), tc.err) {
				t.Fatalf("err %v, want %q", err, tc.err)
			}
			if got := strings.Join(log, "|"); got != "stage first|stage second|step first tmp=yes base=.tmp-" {
				t.Errorf("ran %s", got)
			}
			m, _ := ReadManifest(res.Dir)
			if m == nil || m.Stages[0].Status != tc.status || m.Stages[0].BeforePublish[0].Status != tc.status ||
				m.Stages[1].BeforePublish[0].Status != "skipped" {
				t.Fatalf("manifest %+v", m)
			}
			out := filepath.Dir(filepath.Dir(res.Dir))
			entries, _ := os.ReadDir(out)
			for _, e := range entries {
				if e.Name() != FailedDir {
					t.Errorf("left in the output folder: %s", e.Name())
				}
			}
		})
	}
}
