// Command kselect measures how the ways of choosing k find the true number
// of groups: on Gaussian blobs of unequal sizes (internal/synth.Blobs) and
// on the public tables in ../shared/datasets. It fits k = 2..10 with the
// cluster stage's defaults (standard scaling, n_init 10, seed 42, exact
// silhouette up to 10,000 rows), computes every index and prints Markdown
// tables: how often each rule recovers the true k, and what each picks on
// the tables. See README.md for the results.
//
//	go run ./bench/kselect                 # blobs and tables
//	go run ./bench/kselect -gap            # also the gap statistic (slow)
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"strconv"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/kmeans"
	"github.com/churnlab/segment/internal/kselect"
	"github.com/churnlab/segment/internal/metrics"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/scale"
	"github.com/churnlab/segment/internal/stability"
	"github.com/churnlab/segment/internal/synth"
)

var (
	withGap  = flag.Bool("gap", false, "also compute the gap statistic (B = 10 reference sets, n_init 2; slow)")
	seeds    = flag.Int("seeds", 5, "blob data sets per (clusters, dims, separation)")
	rows     = flag.Int("rows", 3000, "rows per blob data set")
	datasets = flag.String("datasets", "../shared/datasets", "folder of the public tables")
	doBlobs  = flag.Bool("blobs", true, "measure on the blobs (else only the tables)")
)

func main() {
	flag.Parse()
	ctx := context.Background()
	rules := []string{"auto", "elbow", "silhouette", "calinski_harabasz", "davies_bouldin", "vote (no separation)"}
	if *withGap {
		rules = append(rules, "gap (Tibshirani)")
	}
	if *doBlobs {
		blobs(ctx, rules)
	}
	tables(ctx, rules)
}

// blobs prints how often each rule recovers the true k of the blobs.
func blobs(ctx context.Context, rules []string) {
	fmt.Println("## Blobs: true k recovered")
	fmt.Println()
	fmt.Printf("%d data sets per separation: 3–7 blobs in 2, 3, 6 and 10 dimensions, %d seeds each, %d rows, sizes 9:1, centres uniform in [−10, 10]^d at least the separation apart (σ = 1).\n\n", 20**seeds, *seeds, *rows)
	fmt.Print("| rule |")
	seps := []float64{4, 5, 6}
	for _, s := range seps {
		fmt.Printf(" %gσ |", s)
	}
	fmt.Print("\n|---|")
	for range seps {
		fmt.Print("---:|")
	}
	fmt.Println()
	hits := map[string][]int{}
	total := make([]int, len(seps))
	for si, sep := range seps {
		for c := 3; c <= 7; c++ {
			for _, d := range []int{2, 3, 6, 10} {
				for seed := 0; seed < *seeds; seed++ {
					X, _, _, err := synth.Blobs(synth.BlobSpec{Clusters: c, Dims: d, Rows: *rows, Ratio: 9, MinSep: sep, Seed: uint64(1000*c + 10*d + seed)})
					if err != nil {
						log.Fatal(err)
					}
					picks := evaluate(ctx, X, *rows, d, "standard")
					total[si]++
					for _, r := range rules {
						if hits[r] == nil {
							hits[r] = make([]int, len(seps))
						}
						if picks[r] == c {
							hits[r][si]++
						}
					}
				}
			}
		}
	}
	for _, r := range rules {
		fmt.Printf("| %s |", r)
		for si := range seps {
			fmt.Printf(" %d / %d |", hits[r][si], total[si])
		}
		fmt.Println()
	}
	fmt.Println()
}

// evaluate fits k = 2..10 and returns each rule's pick.
func evaluate(ctx context.Context, X []float64, n, d int, method string) map[string]int {
	names := make([]string, d)
	for j := range names {
		names[j] = "f" + strconv.Itoa(j)
	}
	sc, err := scale.Fit(method, X, n, d, names, nil)
	if err != nil {
		log.Fatal(err)
	}
	Z, err := sc.Transform(X, n)
	if err != nil {
		log.Fatal(err)
	}
	var scores []result.KScore
	for k := 2; k <= 10; k++ {
		opt := kmeans.DefaultOptions(k)
		opt.Seed = 42
		r, err := kmeans.Fit(ctx, Z, n, d, opt)
		if err != nil {
			log.Fatal(err)
		}
		s := result.KScore{K: k, Inertia: r.Inertia, CalinskiHarabasz: metrics.CalinskiHarabasz(Z, n, d, r.Labels, k),
			DaviesBouldin: metrics.DaviesBouldin(Z, n, d, r.Labels, k), Separation: metrics.MinSeparation(Z, n, d, r.Labels, k).Min}
		if s.Silhouette, err = metrics.SilhouetteSample(Z, n, d, r.Labels, k, 10000, 1); err != nil {
			s.Silhouette = math.NaN()
		}
		scores = append(scores, s)
	}
	out := map[string]int{}
	for _, m := range kselect.Methods() {
		if c, _, err := kselect.Choose(scores, m, 0); err == nil {
			out[m] = c.K
		}
	}
	noSep := make([]result.KScore, len(scores))
	for i, s := range scores {
		s.Separation = math.NaN()
		noSep[i] = s
	}
	if c, _, err := kselect.Choose(noSep, kselect.Auto, 0); err == nil {
		out["vote (no separation)"] = c.K
	}
	if *withGap {
		fit := func(ctx context.Context, X []float64, n, d, k int, w []float64, seed uint64) ([]int32, float64, error) {
			o := kmeans.DefaultOptions(k)
			o.NInit, o.Seed = 2, seed
			r, err := kmeans.Fit(ctx, X, n, d, o)
			if err != nil {
				return nil, 0, err
			}
			return r.Labels, r.Inertia, nil
		}
		if g, err := stability.Gap(ctx, Z, n, d, fit, stability.GapOptions{KMin: 1, KMax: 11, B: 10, Seed: 3, SampleSize: 10000}); err == nil {
			out["gap (Tibshirani)"] = g.Best
		}
	}
	return out
}

type table struct {
	name, file string
	cols       []string
	scale      string
}

// tables prints each rule's pick on the public tables and on data without
// groups.
func tables(ctx context.Context, rules []string) {
	ds := *datasets + "/"
	list := []table{
		{"churn sample, configs/churn.yaml features", "data/churn_sample.csv", []string{"Age", "Tenure in Months", "Number of Referrals", "Monthly Charge", "Total Revenue", "Avg Monthly GB Download"}, "standard"},
		{"Maven telecom churn, same features", ds + "telecom_customer_churn.csv", []string{"Age", "Tenure in Months", "Number of Referrals", "Monthly Charge", "Total Revenue", "Avg Monthly GB Download"}, "standard"},
		{"Maven notebook (referrals, tenure, revenue; normalize)", ds + "telecom_customer_churn.csv", []string{"Number of Referrals", "Tenure in Months", "Total Revenue"}, "normalize"},
		{"Mall customers (income, spending score)", ds + "Mall_Customers.csv", []string{"Annual Income (k$)", "Spending Score (1-100)"}, "standard"},
		{"Mall customers (age, income, score)", ds + "Mall_Customers.csv", []string{"Age", "Annual Income (k$)", "Spending Score (1-100)"}, "standard"},
		{"bank churn (6 numeric columns)", ds + "Churn_Modelling.csv", []string{"CreditScore", "Age", "Tenure", "Balance", "NumOfProducts", "EstimatedSalary"}, "standard"},
		{"IBM telco (tenure, charges)", ds + "WA_Fn-UseC_-Telco-Customer-Churn.csv", []string{"tenure", "MonthlyCharges", "TotalCharges"}, "standard"},
	}
	fmt.Println("## Public tables and data without groups: each rule's k")
	fmt.Println()
	fmt.Print("| table | rows |")
	for _, r := range rules {
		fmt.Printf(" %s |", r)
	}
	fmt.Print("\n|---|---:|")
	for range rules {
		fmt.Print("---:|")
	}
	fmt.Println()
	row := func(name string, X []float64, n, d int, method string) {
		p := evaluate(ctx, X, n, d, method)
		fmt.Printf("| %s | %d |", name, n)
		for _, r := range rules {
			fmt.Printf(" %d |", p[r])
		}
		fmt.Println()
	}
	for _, tb := range list {
		X, n, err := load(tb.file, tb.cols)
		if err != nil {
			fmt.Fprintf(os.Stderr, "kselect: %s: %v (skipped)\n", tb.name, err)
			continue
		}
		row(tb.name, X, n, len(tb.cols), tb.scale)
	}
	for _, d := range []int{2, 6} {
		for _, kind := range []string{"one normal cluster", "uniform", "lognormal"} {
			X := noGroups(kind, 3000, d)
			row(fmt.Sprintf("%s, %d-D", kind, d), X, 3000, d, "standard")
		}
	}
}

// load reads the columns of a CSV file; a missing cell counts as 0 (as the
// churn config's fillna does).
func load(path string, cols []string) ([]float64, int, error) {
	res, err := csvio.ReadFile(context.Background(), path, csvio.Options{})
	if err != nil {
		return nil, 0, err
	}
	t := res.Table
	n, d := t.NumRows(), len(cols)
	X := make([]float64, n*d)
	for j, name := range cols {
		c := t.Col(name)
		if c == nil {
			return nil, 0, fmt.Errorf("no column %q", name)
		}
		for i := 0; i < n; i++ {
			if v, ok := c.Value(i); ok {
				X[i*d+j] = v
			}
		}
	}
	return X, n, nil
}

// noGroups draws n rows without any group structure.
func noGroups(kind string, n, d int) []float64 {
	X, _, _, err := synth.Blobs(synth.BlobSpec{Clusters: 1, Dims: d, Rows: n, Ratio: 1, Box: 1e-12, Seed: 9}) // standard normal rows
	if err != nil {
		log.Fatal(err)
	}
	for i := range X {
		switch kind {
		case "uniform":
			X[i] = 0.5 * (1 + math.Erf(X[i]/math.Sqrt2)) // normal → uniform by its CDF
		case "lognormal":
			X[i] = math.Exp(X[i])
		}
	}
	return X
}
