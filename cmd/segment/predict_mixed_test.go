package main

import (
	"math"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/model"
)

// TestPredictMixed: a k-prototypes model (city as a categorical feature)
// scores its training rows exactly as the run labelled them; a city never
// seen in training mismatches every mode (counted and reported, distance
// includes γ) or, with --unseen reject, is a rejected row; a missing city
// cannot be scored under categorical_missing: error.
func TestPredictMixed(t *testing.T) {
	dir := t.TempDir()
	runDir := train(t, dir, "{features: [spend, visits], categorical_features: [city], k: 3, n_init: 4}")
	modelPath := filepath.Join(runDir, "model.json")
	m, err := model.Load(modelPath)
	if err != nil || m.SchemaVersion != 3 || !m.Mixed() {
		t.Fatalf("model: %v (schema %d)", err, m.SchemaVersion)
	}
	out := filepath.Join(dir, "scored.csv")
	code, _, stderr := seg(t, "predict", "-m", modelPath, "-i", filepath.Join(dir, "train.csv"), "-o", out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	scored := strings.Split(strings.TrimSpace(read(t, out)), "\n")
	assigned := strings.Split(strings.TrimSpace(read(t, filepath.Join(runDir, "assignments.csv"))), "\n")
	for i := 1; i < len(assigned); i++ {
		f := strings.Split(scored[i], ",")
		if got := f[0] + "," + f[1]; got != assigned[i] {
			t.Errorf("row %d: predict %q, run %q", i, got, assigned[i])
		}
	}
	// B01 moved to a new city, and B03 in a city with an unknown name
	newRows := "cid,spend,visits,city\nB01,50,5,Nice\nX01,52,5,Atlantis\nX02,11,1,Atlantis\nX03,94,10,Paris\n"
	in := write(t, filepath.Join(dir, "new.csv"), newRows)
	code, _, stderr = seg(t, "predict", "-m", modelPath, "-i", in, "-o", out)
	if code != 0 || !strings.Contains(stderr, `categorical feature "city": 2 rows with a category never seen in training ("Atlantis" 2)`) {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	rows := strings.Split(strings.TrimSpace(read(t, out)), "\n")
	if len(rows) != 5 {
		t.Fatalf("scored:\n%s", read(t, out))
	}
	// X01's distance to its segment includes one mismatch (γ) at least
	f := strings.Split(rows[2], ",")
	d, err := strconv.ParseFloat(f[3], 64)
	if err != nil || d < math.Sqrt(m.Gamma) {
		t.Errorf("X01 distance %q: want at least sqrt(γ) = %v", f[3], math.Sqrt(m.Gamma))
	}
	code, _, stderr = seg(t, "predict", "-m", modelPath, "-i", in, "-o", out, "--unseen", "reject")
	if code != 1 || !strings.Contains(stderr, `column "city": category never seen in training ("Atlantis")`) {
		t.Errorf("--unseen reject: exit %d: %s", code, stderr)
	}
	code, _, stderr = seg(t, "predict", "-m", modelPath, "-i", write(t, filepath.Join(dir, "miss.csv"), "cid,spend,visits,city\nM01,50,5,\n"), "-o", out)
	if code != 1 || !strings.Contains(stderr, "missing category") {
		t.Errorf("missing city: exit %d: %s", code, stderr)
	}
}
