package main

import (
	"math"
	"os"
	"runtime/debug"
	"testing"

	"github.com/churnlab/segment/pipeline"
)

// TestGCPercentByMode: an in-memory run collects at GOGC 25; a streamed
// or database run at 200, with execution.memory_limit as its soft memory
// limit.
func TestGCPercentByMode(t *testing.T) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		t.Skip("GOGC or GOMEMLIMIT set in the environment")
	}
	oldPct := debug.SetGCPercent(100)
	oldLimit := debug.SetMemoryLimit(-1)
	defer func() {
		debug.SetGCPercent(oldPct)
		debug.SetMemoryLimit(oldLimit)
	}()
	setGCPercent(&pipeline.Execution{Mode: pipeline.ModeMemory, MemoryLimit: 1 << 30})
	if got := debug.SetGCPercent(-1); got != runGCPercent {
		t.Errorf("memory: GOGC %d, want %d", got, runGCPercent)
	}
	debug.SetMemoryLimit(math.MaxInt64)
	for _, mode := range []string{pipeline.ModeStream, pipeline.ModeDatabase} {
		setGCPercent(&pipeline.Execution{Mode: mode, MemoryLimit: 3 << 30})
		if got := debug.SetGCPercent(-1); got != streamGCPercent {
			t.Errorf("%s: GOGC %d, want %d", mode, got, streamGCPercent)
		}
		if got := debug.SetMemoryLimit(-1); got != 3<<30 {
			t.Errorf("%s: memory limit %d, want %d", mode, got, int64(3<<30))
		}
	}
}
