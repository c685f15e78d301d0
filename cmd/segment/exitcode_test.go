package main

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
)

// TestExitCodes pins the documented exit codes to the error types the
// pipeline returns.
func TestExitCodes(t *testing.T) {
	drift := &pipeline.VerdictError{Verdicts: []pipeline.Verdict{{Kind: pipeline.VerdictDrift, Reasons: []string{"r"}}}}
	latest := &pipeline.VerdictError{Verdicts: []pipeline.Verdict{{Kind: pipeline.VerdictLatest, Reasons: []string{"r"}}}}
	other := &pipeline.VerdictError{Verdicts: []pipeline.Verdict{{Kind: "unknown", Reasons: []string{"r"}}}}
	for _, tc := range []struct {
		name string
		err  error
		want int
	}{
		{"ok", nil, 0},
		{"run error", &pipeline.RunFailedError{Err: errors.New("boom")}, 1},
		{"bug", &pipeline.RunFailedError{Err: &pipeline.BugError{Msg: "x"}}, 1},
		{"plain error", errors.New("input.csv: no such file"), 1},
		{"config errors", confyaml.ConfigErrors{{Msg: "x"}}, 2},
		{"one config error", fmt.Errorf("wrapped: %w", &confyaml.ConfigError{Msg: "x"}), 2},
		{"usage", usagef("missing -c FILE"), 2},
		{"drift verdict", drift, 3},
		{"latest not moved", latest, 5},
		{"verdict of an unknown kind", other, 1},
		{"missing input file", &pipeline.RunFailedError{Err: &pipeline.InputError{Err: errors.New("open x.csv: no such file or directory")}}, 1},
		{"missing input file (validate)", &pipeline.InputError{Err: errors.New("open x.csv: no such file or directory")}, 1},
		{"locked", &pipeline.LockedError{Path: ".lock"}, 4},
		{"interrupted run", &pipeline.RunFailedError{Err: fmt.Errorf("%w: stopped", pipeline.ErrInterrupted)}, 130},
		{"cancelled", context.Canceled, 130},
	} {
		if got := exitCode(tc.err); got != tc.want {
			t.Errorf("%s: exit code %d, want %d", tc.name, got, tc.want)
		}
	}
}
