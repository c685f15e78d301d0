// Command kmeansbench generates the k-means benchmark matrix and times the
// native and muesli engines of internal/kmeans on it. See README.md; run.sh
// drives it.
//
//	go run ./bench/kmeans gen   -out bench/out/blobs_1m_10.f64 [-n 1000000 -d 10 -blobs 8 -seed 1]
//	go run ./bench/kmeans fit   -in FILE -k 8 [-ninit 10 -seed 0 -engine native|muesli -workers 0]
//	go run ./bench/kmeans elbow -in FILE [-kmin 2 -kmax 10 -ninit 10 -seed 0]
//
// The matrix file is little-endian: int64 n, int64 d, then n*d float64
// row-major. fit and elbow print one JSON object per fit on stdout.
package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/churnlab/segment/internal/kmeans"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: kmeansbench gen|fit|elbow [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(os.Args[2:])
	case "fit":
		err = fit(os.Args[2:])
	case "elbow":
		err = elbow(os.Args[2:])
	case "scan":
		err = scan(os.Args[2:])
	case "public":
		err = public(os.Args[2:])
	case "csv":
		err = fromCSV(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "kmeansbench:", err)
		os.Exit(1)
	}
}

// gen writes a seeded mixture of Gaussian blobs, standardised per column
// with the population std (like sklearn's StandardScaler).
func gen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	out := fs.String("out", "bench/out/blobs_1m_10.f64", "output file")
	n := fs.Int("n", 1_000_000, "rows")
	d := fs.Int("d", 10, "columns")
	blobs := fs.Int("blobs", 8, "number of Gaussian blobs")
	seed := fs.Uint64("seed", 1, "PCG seed")
	fs.Parse(args)

	rng := rand.New(rand.NewPCG(*seed, 0x6b6d65616e73))
	// Blob centres ~ N(0, 3²) per coordinate, spreads uniform in [0.8, 2.4],
	// mixing weights uniform in [0.5, 1.5] (normalised).
	centers := make([]float64, *blobs**d)
	for i := range centers {
		centers[i] = 3 * rng.NormFloat64()
	}
	spread := make([]float64, *blobs)
	cum := make([]float64, *blobs)
	var tot float64
	for j := range spread {
		spread[j] = 0.8 + 1.6*rng.Float64()
		tot += 0.5 + rng.Float64()
		cum[j] = tot
	}
	X := make([]float64, *n**d)
	for i := 0; i < *n; i++ {
		u := rng.Float64() * tot
		j := 0
		for j < *blobs-1 && cum[j] < u {
			j++
		}
		for t := 0; t < *d; t++ {
			X[i**d+t] = centers[j**d+t] + spread[j]*rng.NormFloat64()
		}
	}
	standardize(X, *n, *d)
	return writeMatrix(*out, X, *n, *d)
}

func standardize(X []float64, n, d int) {
	for t := 0; t < d; t++ {
		var m, v float64
		for i := 0; i < n; i++ {
			m += X[i*d+t]
		}
		m /= float64(n)
		for i := 0; i < n; i++ {
			e := X[i*d+t] - m
			v += e * e
		}
		s := math.Sqrt(v / float64(n))
		for i := 0; i < n; i++ {
			X[i*d+t] = (X[i*d+t] - m) / s
		}
	}
}

func writeMatrix(path string, X []float64, n, d int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	binary.Write(w, binary.LittleEndian, [2]int64{int64(n), int64(d)})
	if err := binary.Write(w, binary.LittleEndian, X); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func readMatrix(path string) ([]float64, int, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, 0, err
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	var hdr [2]int64
	if err := binary.Read(r, binary.LittleEndian, &hdr); err != nil {
		return nil, 0, 0, err
	}
	n, d := int(hdr[0]), int(hdr[1])
	X := make([]float64, n*d)
	buf := make([]byte, 8*d*4096)
	for off := 0; off < len(X); {
		m := min(len(X)-off, len(buf)/8)
		if _, err := io.ReadFull(r, buf[:8*m]); err != nil {
			return nil, 0, 0, err
		}
		for i := 0; i < m; i++ {
			X[off+i] = math.Float64frombits(binary.LittleEndian.Uint64(buf[8*i:]))
		}
		off += m
	}
	return X, n, d, nil
}

type record struct {
	Engine      string              `json:"engine"`
	Mode        string              `json:"mode,omitempty"`
	N           int                 `json:"n"`
	D           int                 `json:"d"`
	K           int                 `json:"k"`
	NInit       int                 `json:"n_init"`
	Seed        uint64              `json:"seed"`
	Workers     int                 `json:"workers"`
	Sample      int                 `json:"sample,omitempty"`
	Refine      int                 `json:"refine,omitempty"`
	FitSeconds  float64             `json:"fit_seconds"`
	Inertia     float64             `json:"inertia"`
	Iterations  int                 `json:"iterations"`
	BestRestart int                 `json:"best_restart"`
	Restarts    []float64           `json:"restart_inertia,omitempty"`
	RestartIter []int               `json:"restart_iterations,omitempty"`
	Refined     []kmeans.Refinement `json:"refined,omitempty"`
	Sizes       []int               `json:"sizes"`
	Converged   bool                `json:"converged"`
}

func recordOf(engine string, r *kmeans.Result, n int, opt kmeans.Options, el float64) record {
	return record{
		Engine: engine, N: n, D: r.D, K: r.K, NInit: opt.NInit, Seed: opt.Seed, Workers: opt.Workers,
		Sample: r.Sample, Refine: len(r.Refined),
		FitSeconds: el, Inertia: r.Inertia, Iterations: r.Iterations, BestRestart: r.BestRestart,
		Restarts: r.RestartInertia, RestartIter: r.RestartIterations, Refined: r.Refined,
		Sizes: r.Sizes, Converged: r.Converged,
	}
}

func run(engine string, X []float64, n, d int, opt kmeans.Options) (record, error) {
	f := kmeans.Fit
	if engine == "muesli" {
		f = kmeans.FitMuesli
	} else if engine != "native" {
		return record{}, fmt.Errorf("unknown engine %q", engine)
	}
	t0 := time.Now()
	r, err := f(context.Background(), X, n, d, opt)
	if err != nil {
		return record{}, err
	}
	return recordOf(engine, r, n, opt, time.Since(t0).Seconds()), nil
}

// common are the flags of fit, elbow and scan.
type common struct {
	in, prof                     *string
	ninit, workers               *int
	seed                         *uint64
	sampleAbove, sampleRows, ref *int
}

func commonFlags(fs *flag.FlagSet) *common {
	return &common{
		in:          fs.String("in", "bench/out/blobs_1m_10.f64", "matrix file"),
		prof:        fs.String("cpuprofile", "", "write a CPU profile of the fits to this file"),
		ninit:       fs.Int("ninit", 10, "restarts"),
		workers:     fs.Int("workers", 0, "goroutines (0 = GOMAXPROCS)"),
		seed:        fs.Uint64("seed", 0, "seed"),
		sampleAbove: fs.Int("sample-above", 0, "Options.SampleAbove (0 = default, -1 = no sample mode)"),
		sampleRows:  fs.Int("sample-rows", 0, "Options.SampleRows (0 = default)"),
		ref:         fs.Int("refine", 0, "Options.Refine (0 = default)"),
	}
}

func (c *common) options(k int) kmeans.Options {
	opt := kmeans.DefaultOptions(k)
	opt.NInit, opt.Seed, opt.Workers = *c.ninit, *c.seed, *c.workers
	opt.SampleAbove, opt.SampleRows, opt.Refine = *c.sampleAbove, *c.sampleRows, *c.ref
	return opt
}

// start reads the matrix and starts the profile; stop ends it.
func (c *common) start() (X []float64, n, d int, stop func(), err error) {
	X, n, d, err = readMatrix(*c.in)
	if err != nil {
		return nil, 0, 0, nil, err
	}
	stop = func() {}
	if *c.prof != "" {
		f, err := os.Create(*c.prof)
		if err != nil {
			return nil, 0, 0, nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return nil, 0, 0, nil, err
		}
		stop = func() { pprof.StopCPUProfile(); f.Close() }
	}
	return X, n, d, stop, nil
}

// cpuSeconds returns the user+system CPU time of this process so far; on
// a shared machine it varies less than wall time.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return math.NaN()
	}
	tv := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return tv(ru.Utime) + tv(ru.Stime)
}

func fit(args []string) error {
	fs := flag.NewFlagSet("fit", flag.ExitOnError)
	c := commonFlags(fs)
	k := fs.Int("k", 8, "clusters")
	engine := fs.String("engine", "native", "native or muesli")
	fs.Parse(args)
	X, n, d, stop, err := c.start()
	if err != nil {
		return err
	}
	rec, err := run(*engine, X, n, d, c.options(*k))
	stop()
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(rec)
}

// elbow fits k = kmin..kmax one Fit call after the other (what the cluster
// stage does today).
func elbow(args []string) error {
	fs := flag.NewFlagSet("elbow", flag.ExitOnError)
	c := commonFlags(fs)
	kmin := fs.Int("kmin", 2, "smallest k")
	kmax := fs.Int("kmax", 10, "largest k")
	fs.Parse(args)
	X, n, d, stop, err := c.start()
	if err != nil {
		return err
	}
	defer stop()
	enc := json.NewEncoder(os.Stdout)
	cpu0 := cpuSeconds()
	t0 := time.Now()
	for k := *kmin; k <= *kmax; k++ {
		rec, err := run("native", X, n, d, c.options(k))
		if err != nil {
			return err
		}
		rec.Mode = "fit"
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	el := time.Since(t0).Seconds()
	cpu := cpuSeconds() - cpu0
	fmt.Fprintf(os.Stderr, "elbow k=%d..%d total %.2fs (CPU %.2fs)\n", *kmin, *kmax, el, cpu)
	return enc.Encode(map[string]any{"engine": "native", "mode": "fit", "scan_seconds": el, "cpu_seconds": cpu})
}

// scan fits k = kmin..kmax with one kmeans.Scan call.
func scan(args []string) error {
	fs := flag.NewFlagSet("scan", flag.ExitOnError)
	c := commonFlags(fs)
	kmin := fs.Int("kmin", 2, "smallest k")
	kmax := fs.Int("kmax", 10, "largest k")
	fs.Parse(args)
	X, n, d, stop, err := c.start()
	if err != nil {
		return err
	}
	var ks []int
	for k := *kmin; k <= *kmax; k++ {
		ks = append(ks, k)
	}
	opt := c.options(0)
	cpu0 := cpuSeconds()
	t0 := time.Now()
	rs, err := kmeans.Scan(context.Background(), X, n, d, ks, opt)
	el := time.Since(t0).Seconds()
	cpu := cpuSeconds() - cpu0
	stop()
	if err != nil {
		return err
	}
	enc := json.NewEncoder(os.Stdout)
	for _, r := range rs {
		rec := recordOf("native", r, n, opt, 0)
		rec.Mode = "scan"
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	fmt.Fprintf(os.Stderr, "scan k=%d..%d total %.2fs (CPU %.2fs)\n", *kmin, *kmax, el, cpu)
	return enc.Encode(map[string]any{"engine": "native", "mode": "scan", "scan_seconds": el, "cpu_seconds": cpu})
}
