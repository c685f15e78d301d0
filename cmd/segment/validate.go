package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/churnlab/segment/pipeline"
)

func cmdValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validate", "-c FILE [--set key=value]... [--header-only]", stderr)
	var cf configFlags
	cf.register(fs)
	headerOnly := fs.Bool("header-only", false, "read only the input's header: check column names, not types (a quick check of a very large file)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := cf.load()
	if err != nil {
		return err
	}
	// The columns and, when execution.mode names stream or database, every
	// stage feature that mode cannot run: all problems together.
	if err := pipeline.Check(ctx, cfg, pipeline.CheckOptions{HeaderOnly: *headerOnly}); err != nil {
		return err
	}
	names := make([]string, len(cfg.Stages))
	for i, s := range cfg.Stages {
		names[i] = s.Name
	}
	fmt.Fprintf(stdout, "%s: ok (%d stages: %s; input %s, %s)\n", cfg.File, len(cfg.Stages), strings.Join(names, " → "), cfg.Input.Describe(), cfg.Input.SourceFormat())
	return nil
}
