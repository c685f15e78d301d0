package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources"
)

// notify is a stage that tells another system about the run, but only once
// the run is sure to be published.
type notify struct{}

func (notify) Run(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	fmt.Println("notify: stage runs; the run folder is still", filepath.Base(env.Dir)[:5]+"…")
	env.BeforePublish("tell the CRM", func(ctx context.Context) error {
		fmt.Println("notify: every stage succeeded; telling the CRM about", env.RunID)
		env.Note("crm", "told")
		return nil
	})
	return nil
}

// A stage defers an effect outside the run folder until every stage has
// succeeded: the runner calls it after the last stage, before the manifest
// is written and the folder renamed into place.
func ExampleEnv_BeforePublish() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "customers.csv"), []byte("id,spend\n1,10\n"), 0o644)
	reg := pipeline.NewRegistry(pipeline.Factory{Type: "notify", Summary: "tells the CRM",
		NewConfig: func() any { return &struct{}{} },
		New:       func(any) (pipeline.Stage, error) { return notify{}, nil }}).WithSources(sources.Registry())
	job := "version: 1\nname: job\ninput: {path: customers.csv}\nstages:\n  - type: notify\n"
	cfg, err := pipeline.LoadBytes(filepath.Join(dir, "job.yaml"), []byte(job), reg, pipeline.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	now := func() time.Time { return time.Date(2026, 11, 23, 2, 30, 0, 0, time.UTC) }
	res, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{Now: now})
	if err != nil {
		fmt.Println(err)
		return
	}
	rec := res.Manifest.Stages[0]
	fmt.Println("published:", filepath.Base(res.Dir))
	fmt.Println("manifest:", rec.BeforePublish[0].What, rec.BeforePublish[0].Status, rec.Notes["crm"])
	// Output:
	// notify: stage runs; the run folder is still .tmp-…
	// notify: every stage succeeded; telling the CRM about 20261123T023000Z-job
	// published: 20261123T023000Z-job
	// manifest: tell the CRM succeeded told
}
