// Command prof runs one segment job in-process, as `segment run` does, and writes a CPU profile and heap
// profiles of it: where the end-to-end benchmark's time and memory go (bench/e2e/README.md).
//
//	go run ./bench/e2e/prof -c bench/e2e/config.yaml -cpuprofile cpu.prof -memprofile heap.prof [--set k=v]...
//
// -memprofile writes the heap profile at the end of every stage (heap.prof.<n>-<stage>), taken after a
// garbage collection, so `go tool pprof -sample_index=inuse_space` shows what each stage left live and
// `-sample_index=alloc_space` what it allocated. -memrate sets runtime.MemProfileRate.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages"
)

type sets []confyaml.Override

func (s *sets) String() string { return "" }
func (s *sets) Set(v string) error {
	o, err := confyaml.ParseOverride(v)
	if err != nil {
		return err
	}
	*s = append(*s, o)
	return nil
}

func main() {
	cfgPath := flag.String("c", "", "config file")
	cpu := flag.String("cpuprofile", "", "write a CPU profile of the run to this file")
	mem := flag.String("memprofile", "", "write heap profiles at the end of every stage to this file prefix")
	rate := flag.Int("memrate", 0, "runtime.MemProfileRate (0: the default, one sample per 512 KiB)")
	out := flag.String("out", "", "output dir (overrides output.dir)")
	var overrides sets
	flag.Var(&overrides, "set", "override a config key (repeatable)")
	flag.Parse()
	if err := run(*cfgPath, *cpu, *mem, *rate, *out, overrides); err != nil {
		fmt.Fprintln(os.Stderr, "prof:", err)
		os.Exit(1)
	}
}

func run(cfgPath, cpu, mem string, rate int, out string, overrides []confyaml.Override) error {
	if rate > 0 {
		runtime.MemProfileRate = rate
	}
	cfg, err := pipeline.Load(cfgPath, stages.Registry(), pipeline.LoadOptions{Overrides: overrides})
	if err != nil {
		return err
	}
	if cpu != "" {
		f, err := os.Create(cpu)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	opt := pipeline.RunOptions{OutDir: out, Log: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), Status: os.Stderr}
	if mem != "" {
		n := 0
		opt.Status = &stageHook{w: os.Stderr, fn: func(line string) {
			n++
			name := "stage"
			if f := strings.Fields(line); len(f) > 1 {
				name = f[1]
			}
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			fmt.Fprintf(os.Stderr, "   heap after %s: %d MB live, %d MB from the OS\n", name, ms.HeapAlloc>>20, ms.Sys>>20)
			if f, err := os.Create(fmt.Sprintf("%s.%d-%s", mem, n, name)); err == nil {
				pprof.Lookup("heap").WriteTo(f, 0)
				f.Close()
			}
		}}
	}
	start := time.Now()
	res, err := pipeline.Run(context.Background(), cfg, opt)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "%s in %.2fs\n", res.Dir, time.Since(start).Seconds())
	return nil
}

// stageHook passes the runner's status lines through and calls fn after each stage's line.
type stageHook struct {
	w  *os.File
	fn func(line string)
}

func (h *stageHook) Write(p []byte) (int, error) {
	n, err := h.w.Write(p)
	for _, line := range strings.Split(strings.TrimSpace(string(p)), "\n") {
		if strings.HasPrefix(line, "[") {
			h.fn(line)
		}
	}
	return n, err
}
