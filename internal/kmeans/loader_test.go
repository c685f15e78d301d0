package kmeans

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// datasetDir is the shared, read-only dataset folder relative to this
// package (repo at /work/main, datasets at /work/shared/datasets).
const datasetDir = "../../../shared/datasets"

// loadColumns reads the named numeric columns of a shared dataset. Cells are
// whitespace-trimmed; a blank cell is missing and its row is dropped (the
// rule of testdata/gen_sklearn_inertia.py). keep, if non-nil, filters rows
// on the full record by header name. It skips the test if the file is
// absent.
func loadColumns(t testing.TB, file string, columns []string, keep func(get func(string) string) bool) (X []float64, n int) {
	t.Helper()
	f, err := os.Open(filepath.Join(datasetDir, file))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("dataset %s not present in %s", file, datasetDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	idx := map[string]int{}
	for i, h := range recs[0] {
		idx[h] = i
	}
	cols := make([]int, len(columns))
	for j, c := range columns {
		i, ok := idx[c]
		if !ok {
			t.Fatalf("%s: no column %q", file, c)
		}
		cols[j] = i
	}
rows:
	for _, rec := range recs[1:] {
		if keep != nil && !keep(func(name string) string { return rec[idx[name]] }) {
			continue
		}
		row := make([]float64, len(cols))
		for j, c := range cols {
			s := strings.TrimSpace(rec[c])
			if s == "" {
				continue rows
			}
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				t.Fatalf("%s: column %q: %v", file, columns[j], err)
			}
			row[j] = v
		}
		X = append(X, row...)
		n++
	}
	return X, n
}

// standardize returns (X − mean)/std per column with the population std
// (sklearn StandardScaler), plus the means and stds.
func standardize(X []float64, n, d int) (Z, mean, std []float64) {
	mean = make([]float64, d)
	std = make([]float64, d)
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			mean[j] += X[i*d+j]
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			t := X[i*d+j] - mean[j]
			std[j] += t * t
		}
	}
	for j := range std {
		std[j] = math.Sqrt(std[j] / float64(n))
	}
	Z = make([]float64, len(X))
	for i := 0; i < n; i++ {
		for j := 0; j < d; j++ {
			Z[i*d+j] = (X[i*d+j] - mean[j]) / std[j]
		}
	}
	return Z, mean, std
}
