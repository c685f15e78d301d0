package main

import (
	"context"
	"fmt"
	"io"

	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources"
)

// cmdSources lists the input sources (input.format) with their keys.
func cmdSources(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sources", "", stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "input (every source)")
	fmt.Fprintln(stdout, "  keys shared by every source; a source's own keys sit beside them in the input block")
	fmt.Fprintln(stdout, "  config:")
	for _, k := range configKeys(&pipeline.InputConfig{}) {
		fmt.Fprintf(stdout, "    %-22s %-14s default %s\n", k.name, k.typ, k.def)
	}
	fmt.Fprintln(stdout)
	reg := sources.Registry()
	for _, format := range reg.Formats() {
		f, _ := reg.Lookup(format)
		fmt.Fprintf(stdout, "%s\n  %s\n", f.Format, f.Summary)
		if f.ReadsPath {
			fmt.Fprintln(stdout, "  reads: input.path")
		}
		keys := configKeys(f.NewConfig())
		if len(keys) == 0 {
			fmt.Fprintln(stdout, "  config: (no keys)")
		} else {
			fmt.Fprintln(stdout, "  config:")
			for _, k := range keys {
				fmt.Fprintf(stdout, "    %-22s %-14s default %s\n", k.name, k.typ, k.def)
			}
		}
		fmt.Fprintln(stdout)
	}
	fmt.Fprintln(stdout, "input.format picks a source; without it the source is detected from the keys given (dsn, table or query: postgres),")
	fmt.Fprintln(stdout, "then from what input.path holds (its first bytes; a directory of Parquet files), then its extension.")
	fmt.Fprintln(stdout, "Every key is documented in docs/config.md.")
	return nil
}
