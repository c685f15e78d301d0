package main

import (
	"context"
	"fmt"
	"io"

	"github.com/churnlab/segment/internal/version"
)

func cmdVersion(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", "", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	v := version.Get()
	fmt.Fprintln(stdout, v.String())
	fmt.Fprintf(stdout, "module %s\n", v.Module)
	return nil
}
