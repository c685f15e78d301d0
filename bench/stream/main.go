// Command stream-bench runs a segment job in-process, as `segment run`
// does, and reports what bench/stream/run.sh measures beside the wall time
// and peak RSS that /usr/bin/time gives: the Go heap's peak (sampled every
// 50 ms), the run's passes, and optionally a CPU profile.
//
//	stream-bench -c CONFIG [-set key=value]... -out DIR [-cpuprofile FILE] [-json FILE]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync/atomic"
	"time"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages"
)

type sets []string

func (s *sets) String() string     { return strings.Join(*s, ",") }
func (s *sets) Set(v string) error { *s = append(*s, v); return nil }

func main() {
	cfgPath := flag.String("c", "", "config file")
	out := flag.String("out", "", "output folder")
	cpu := flag.String("cpuprofile", "", "write a CPU profile")
	jsonOut := flag.String("json", "", "write the measurements as JSON")
	var overrides sets
	flag.Var(&overrides, "set", "key=value override (repeatable)")
	flag.Parse()
	var ovs []confyaml.Override
	for _, s := range overrides {
		o, err := confyaml.ParseOverride(s)
		if err != nil {
			fail(err)
		}
		ovs = append(ovs, o)
	}
	cfg, err := pipeline.Load(*cfgPath, stages.Registry(), pipeline.LoadOptions{Overrides: ovs})
	if err != nil {
		fail(err)
	}
	if *cpu != "" {
		f, err := os.Create(*cpu)
		if err != nil {
			fail(err)
		}
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
	}
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-t.C:
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > peak.Load() {
					peak.Store(ms.HeapInuse)
				}
			}
		}
	}()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	start := time.Now()
	res, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{OutDir: *out, Log: log, Status: os.Stderr,
		Progress: pipeline.NewProgressLines(os.Stderr, 0)})
	close(done)
	if err != nil {
		fail(err)
	}
	m := res.Manifest
	report := map[string]any{
		"run": res.Dir, "seconds": time.Since(start).Seconds(), "peak_heap_bytes": peak.Load(),
		"execution": m.Execution, "stages": m.Stages, "gomaxprocs": runtime.GOMAXPROCS(0),
	}
	b, _ := json.MarshalIndent(report, "", "  ")
	if *jsonOut != "" {
		if err := os.WriteFile(*jsonOut, b, 0o644); err != nil {
			fail(err)
		}
	}
	fmt.Printf("%s: %.1f s, peak heap %.0f MB, mode %s\n", res.Dir, time.Since(start).Seconds(), float64(peak.Load())/1e6, m.Execution.Mode)
	for _, s := range m.Stages {
		fmt.Printf("  %-8s %8.2f s\n", s.Name, s.Seconds)
	}
	if ex := m.Execution; ex != nil {
		for _, p := range ex.Passes {
			fmt.Printf("  pass %-8s %-42s %7.2f s %6.0f MB\n", p.Stage, p.Name, p.Seconds, float64(p.Bytes)/1e6)
		}
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "stream-bench:", err)
	os.Exit(1)
}
