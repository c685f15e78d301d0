package main

import (
	"context"
	"io"

	"github.com/churnlab/segment/pipeline"
)

func cmdPredict(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return pipeline.Usagef("predict: not available yet")
}
