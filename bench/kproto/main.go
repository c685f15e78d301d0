// Command kprotobench times internal/kproto on a seeded synthetic mixed
// table generated in memory (nothing is written to disk): n rows, P
// numeric features (standard-normal noise around K latent segment
// centres, then standardised) and Q categorical features (each segment
// prefers one category per feature with probability 0.6, otherwise a
// uniform draw; cardinalities 3, 4, 5, 6, 8, …). See README.md.
//
//	go run ./bench/kproto [-n 1000000 -p 5 -q 5 -segments 6 -k 6 -ninit 10 -init cao -workers 0 -seed 1 -tol 0 -boot 0]
//
// It prints one JSON object: generation and fit seconds, cost, iterations
// per restart and cluster sizes. Peak memory comes from /usr/bin/time -v
// (run.sh).
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"time"

	"github.com/churnlab/segment/internal/kproto"
	"github.com/churnlab/segment/internal/stability"
)

func main() {
	n := flag.Int("n", 1_000_000, "rows")
	p := flag.Int("p", 5, "numeric features")
	q := flag.Int("q", 5, "categorical features")
	segs := flag.Int("segments", 6, "latent segments in the generated data")
	k := flag.Int("k", 6, "clusters")
	ninit := flag.Int("ninit", 10, "restarts")
	initName := flag.String("init", "cao", "cao or huang")
	workers := flag.Int("workers", 0, "goroutines (0 = GOMAXPROCS)")
	seed := flag.Uint64("seed", 1, "data seed (the fit uses seed 0)")
	cpuprof := flag.String("cpuprofile", "", "write a CPU profile")
	tol := flag.Float64("tol", 0, "kproto Options.Tol (0 = kmodes' rule)")
	boot := flag.Int("boot", 0, "after the fit, run this many stability bootstraps (internal/stability, default sample size)")
	csvOut := flag.String("csv", "", "write the generated table to this CSV `file` (id, n1..nP, c1..cQ as text categories) and exit, for the cluster stage benchmark (stage.yaml)")
	flag.Parse()
	if *csvOut != "" {
		if err := writeCSV(*csvOut, *n, *p, *q, *segs, *seed); err != nil {
			fmt.Fprintln(os.Stderr, "kprotobench:", err)
			os.Exit(1)
		}
		return
	}
	if err := run(*n, *p, *q, *segs, *k, *ninit, *initName, *workers, *seed, *cpuprof, *boot, *tol); err != nil {
		fmt.Fprintln(os.Stderr, "kprotobench:", err)
		os.Exit(1)
	}
}

func run(n, p, q, segs, k, ninit int, initName string, workers int, seed uint64, cpuprof string, boot int, tol float64) error {
	init, err := kproto.ParseInit(initName)
	if err != nil {
		return err
	}
	t0 := time.Now()
	num, cat := generate(n, p, q, segs, seed)
	genSec := time.Since(t0).Seconds()
	if cpuprof != "" {
		f, err := os.Create(cpuprof)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	opt := kproto.DefaultOptions(k)
	opt.NInit = ninit
	opt.Init = init
	opt.Workers = workers
	opt.Tol = tol
	t1 := time.Now()
	res, err := kproto.Fit(context.Background(), num, n, p, cat, opt)
	if err != nil {
		return err
	}
	fitSec := time.Since(t1).Seconds()
	out := map[string]any{}
	if boot > 0 {
		t2 := time.Now()
		bopt := opt
		bopt.Gamma = res.Gamma
		br, err := stability.Bootstrap(context.Background(), res.Labels, k,
			stability.KPrototypes(num, n, p, cat, bopt), stability.BootOptions{B: boot, Seed: 1})
		if err != nil {
			return err
		}
		out["boot_seconds"] = round3(time.Since(t2).Seconds())
		out["boot_sample"] = br.SampleSize
		jac := make([]float64, k)
		for j, c := range br.Clusters {
			jac[j] = round3(c.MeanJaccard)
		}
		out["boot_mean_jaccard"] = jac
		out["boot_ari"] = round3(br.MeanARI)
	}
	for key, v := range map[string]any{
		"n": n, "p": p, "q": q, "k": k, "n_init": ninit, "init": init.String(), "tol": tol, "segments": segs,
		"gomaxprocs": runtime.GOMAXPROCS(0), "workers": workers,
		"gen_seconds": round3(genSec), "fit_seconds": round3(fitSec),
		"cost": res.Cost, "gamma": res.Gamma, "best_restart": res.BestRestart,
		"iterations": res.RestartIterations, "restart_costs": res.RestartCosts,
		"sizes": res.Sizes, "converged": res.Converged,
	} {
		out[key] = v
	}
	return json.NewEncoder(os.Stdout).Encode(out)
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// writeCSV writes the generated table: an id, the numeric features n1..nP
// (standardised values, 6 decimals) and the categorical ones c1..cQ as
// text ("a0", "a1", …).
func writeCSV(path string, n, p, q, segs int, seed uint64) error {
	num, cat := generate(n, p, q, segs, seed)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("id")
	for j := range p {
		fmt.Fprintf(w, ",n%d", j+1)
	}
	for c := range q {
		fmt.Fprintf(w, ",c%d", c+1)
	}
	w.WriteByte('\n')
	buf := make([]byte, 0, 32)
	for i := range n {
		w.WriteString("r" + strconv.Itoa(i+1))
		for j := range p {
			buf = strconv.AppendFloat(buf[:0], num[i*p+j], 'f', 6, 64)
			w.WriteByte(',')
			w.Write(buf)
		}
		for c := range q {
			w.WriteString(",a" + strconv.Itoa(int(cat[c][i])))
		}
		w.WriteByte('\n')
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// generate draws the table; numeric columns are standardised with the
// population standard deviation.
func generate(n, p, q, segs int, seed uint64) ([]float64, [][]int32) {
	rng := rand.New(rand.NewPCG(seed, 0x6b70726f746f))
	centres := make([]float64, segs*p)
	for i := range centres {
		centres[i] = rng.NormFloat64() * 2
	}
	cards := make([]int, q)
	pref := make([]int32, segs*q)
	for c := range cards {
		cards[c] = []int{3, 4, 5, 6, 8}[c%5] + 2*(c/5)
		for s := 0; s < segs; s++ {
			pref[s*q+c] = int32(rng.IntN(cards[c]))
		}
	}
	num := make([]float64, n*p)
	cat := make([][]int32, q)
	for c := range cat {
		cat[c] = make([]int32, n)
	}
	for i := 0; i < n; i++ {
		s := rng.IntN(segs)
		for f := 0; f < p; f++ {
			num[i*p+f] = centres[s*p+f] + rng.NormFloat64()
		}
		for c := 0; c < q; c++ {
			if rng.Float64() < 0.6 {
				cat[c][i] = pref[s*q+c]
			} else {
				cat[c][i] = int32(rng.IntN(cards[c]))
			}
		}
	}
	for f := 0; f < p; f++ {
		var m, v float64
		for i := 0; i < n; i++ {
			m += num[i*p+f]
		}
		m /= float64(n)
		for i := 0; i < n; i++ {
			d := num[i*p+f] - m
			v += d * d
		}
		sd := math.Sqrt(v / float64(n))
		for i := 0; i < n; i++ {
			num[i*p+f] = (num[i*p+f] - m) / sd
		}
	}
	return num, cat
}
