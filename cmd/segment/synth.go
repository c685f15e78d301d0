package main

import (
	"bufio"
	"context"
	"fmt"
	"io"

	"github.com/churnlab/segment/internal/synth"
	"github.com/churnlab/segment/pipeline"
)

func cmdSynth(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("synth", "churn|engagement --rows N --seed S -o FILE", stderr)
	rows := fs.Int("rows", 0, "number of `rows` to write (churn default 7043, engagement 5000)")
	seed := fs.Uint64("seed", 1, "random `seed`; the same seed writes the same bytes")
	out := fs.String("o", "", "output CSV `file`")
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fs.Usage()
		if len(args) == 0 {
			return usagef("synth: name a dataset: churn or engagement")
		}
		return nil
	}
	kind := args[0]
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	var gen func(io.Writer, int, uint64) error
	switch kind {
	case "churn":
		gen = synth.Churn
		if *rows == 0 {
			*rows = 7043
		}
	case "engagement":
		gen = synth.Engagement
		if *rows == 0 {
			*rows = 5000
		}
	default:
		return usagef("synth: unknown dataset %q (churn or engagement)", kind)
	}
	if *rows < 1 {
		return usagef("synth: --rows must be at least 1")
	}
	if *out == "" {
		return usagef("synth: missing -o FILE")
	}
	err := pipeline.WriteFileAtomic(*out, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		if err := gen(bw, *rows, *seed); err != nil {
			return err
		}
		return bw.Flush()
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %d %s rows to %s (seed %d)\n", *rows, kind, *out, *seed)
	return nil
}
