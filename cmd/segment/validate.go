package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/churnlab/segment/pipeline"
)

func cmdValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validate", "-c FILE [--set key=value]...", stderr)
	var cf configFlags
	cf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := cf.load()
	if err != nil {
		return err
	}
	if err := pipeline.CheckColumns(cfg); err != nil {
		return err
	}
	names := make([]string, len(cfg.Stages))
	for i, s := range cfg.Stages {
		names[i] = s.Name
	}
	fmt.Fprintf(stdout, "%s: ok (%d stages: %s; input %s, %s)\n", cfg.File, len(cfg.Stages), strings.Join(names, " → "), cfg.Input.Describe(), cfg.Input.SourceFormat())
	return nil
}
