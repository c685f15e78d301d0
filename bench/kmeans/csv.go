package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
)

// fromCSV extracts numeric columns of a CSV (e.g. `segment synth churn`
// output) into a standardised matrix file: blank cells of the -fill0
// columns become 0 (configs/churn.yaml's fillna), other blank cells drop
// the row, and every column is standardised with the population std.
func fromCSV(args []string) error {
	fs := flag.NewFlagSet("csv", flag.ExitOnError)
	in := fs.String("in", "bench/out/churn_1m.csv", "CSV file")
	out := fs.String("out", "bench/out/churn_1m_6.f64", "output matrix file")
	cols := fs.String("cols", "Age,Tenure in Months,Number of Referrals,Monthly Charge,Total Revenue,Avg Monthly GB Download", "comma-separated columns")
	fill0 := fs.String("fill0", "Avg Monthly GB Download", "comma-separated columns whose blank cells are 0")
	fs.Parse(args)
	names := strings.Split(*cols, ",")
	zero := strings.Split(*fill0, ",")
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	r.ReuseRecord = true
	hdr, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	idx := make([]int, len(names))
	for j, c := range names {
		idx[j] = slices.Index(hdr, c)
		if idx[j] < 0 {
			return fmt.Errorf("%s: no column %q", *in, c)
		}
	}
	d := len(names)
	var X []float64
	row := make([]float64, d)
	n, line := 0, 1
rows:
	for {
		rec, err := r.Read()
		line++
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", *in, err)
		}
		for j, c := range idx {
			s := strings.TrimSpace(rec[c])
			if s == "" {
				if slices.Contains(zero, names[j]) {
					row[j] = 0
					continue
				}
				continue rows
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return fmt.Errorf("%s line %d column %q: %w", *in, line, names[j], err)
			}
			row[j] = v
		}
		X = append(X, row...)
		n++
	}
	standardize(X, n, d)
	fmt.Fprintf(os.Stderr, "%d rows × %d columns → %s\n", n, d, *out)
	return writeMatrix(*out, X, n, d)
}
