package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/churnlab/segment/internal/kmeans"
)

// publicSets are the numeric tables of ../shared/datasets with the columns
// of internal/kmeans/testdata/gen_sklearn_inertia.py (sklearn_public.py
// reads the same).
var publicSets = []struct {
	name, file string
	cols       []string
}{
	{"maven", "telecom_customer_churn.csv", []string{
		"Age", "Number of Dependents", "Number of Referrals", "Tenure in Months",
		"Avg Monthly Long Distance Charges", "Avg Monthly GB Download",
		"Monthly Charge", "Total Charges", "Total Refunds",
		"Total Extra Data Charges", "Total Long Distance Charges", "Total Revenue"}},
	{"ibm", "WA_Fn-UseC_-Telco-Customer-Churn.csv", []string{"tenure", "MonthlyCharges", "TotalCharges", "SeniorCitizen"}},
	{"bank", "Churn_Modelling.csv", []string{
		"CreditScore", "Age", "Tenure", "Balance", "NumOfProducts",
		"HasCrCard", "IsActiveMember", "EstimatedSalary"}},
	{"mall", "Mall_Customers.csv", []string{"Age", "Annual Income (k$)", "Spending Score (1-100)"}},
	{"zip_population", "telecom_zipcode_population.csv", []string{"Population"}},
}

// public runs the native k scan (one kmeans.Scan per seed) on every public
// table, standardised like sklearn's StandardScaler, and prints one JSON
// line per (table, seed, k). The tables are below the sample-mode
// threshold, so this is the engine the stage uses on them today.
func public(args []string) error {
	fs := flag.NewFlagSet("public", flag.ExitOnError)
	dir := fs.String("dir", "../shared/datasets", "dataset folder")
	kmin := fs.Int("kmin", 2, "smallest k")
	kmax := fs.Int("kmax", 10, "largest k")
	ninit := fs.Int("ninit", 10, "restarts")
	seeds := fs.String("seeds", "0,1,2,3,4", "comma-separated seeds")
	fs.Parse(args)
	var ks []int
	for k := *kmin; k <= *kmax; k++ {
		ks = append(ks, k)
	}
	enc := json.NewEncoder(os.Stdout)
	for _, ds := range publicSets {
		X, n, err := readColumns(filepath.Join(*dir, ds.file), ds.cols)
		if err != nil {
			return err
		}
		d := len(ds.cols)
		standardize(X, n, d)
		for _, sv := range strings.Split(*seeds, ",") {
			seed, err := strconv.ParseUint(sv, 10, 64)
			if err != nil {
				return fmt.Errorf("-seeds: %w", err)
			}
			opt := kmeans.DefaultOptions(0)
			opt.NInit, opt.Seed = *ninit, seed
			t0 := time.Now()
			rs, err := kmeans.Scan(context.Background(), X, n, d, ks, opt)
			if err != nil {
				return fmt.Errorf("%s: %w", ds.file, err)
			}
			el := time.Since(t0).Seconds()
			for _, r := range rs {
				if err := enc.Encode(map[string]any{
					"engine": "native", "dataset": ds.name, "n": n, "d": d, "k": r.K, "n_init": *ninit,
					"seed": seed, "inertia": r.Inertia, "iterations": r.Iterations, "scan_seconds": el,
				}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// readColumns reads the named columns of a CSV as floats; cells are
// whitespace-trimmed and a row with a blank selected cell is dropped (the
// rule of gen_sklearn_inertia.py).
func readColumns(path string, cols []string) ([]float64, int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	idx := make([]int, len(cols))
	for j, c := range cols {
		if idx[j] = slices.Index(recs[0], c); idx[j] < 0 {
			return nil, 0, fmt.Errorf("%s: no column %q", path, c)
		}
	}
	var X []float64
	n := 0
rows:
	for line, rec := range recs[1:] {
		row := make([]float64, len(cols))
		for j, c := range idx {
			s := strings.TrimSpace(rec[c])
			if s == "" {
				continue rows
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, 0, fmt.Errorf("%s line %d column %q: %w", path, line+2, cols[j], err)
			}
			row[j] = v
		}
		X = append(X, row...)
		n++
	}
	return X, n, nil
}
