package model

// The fixture testdata/psi_reference.json is produced by
//
//	cd internal/model/testdata && /usr/bin/python3 gen_psi_reference.py

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/metrics"
)

type psiFixture struct {
	Cases []struct {
		Name   string       `json:"name"`
		Train  []float64    `json:"train"`
		Edges  []float64    `json:"edges"`
		Shares []float64    `json:"shares"`
		Actual [][]*float64 `json:"actual"` // null = NaN
		PSI    []float64    `json:"psi"`
	} `json:"cases"`
}

// TestDistributionNumpy: decile edges and shares equal numpy's, and PSI
// against the stored bins equals the numpy computation.
func TestDistributionNumpy(t *testing.T) {
	const tol = 1e-12
	b, err := os.ReadFile("testdata/psi_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx psiFixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatal(err)
	}
	if len(fx.Cases) != 4 {
		t.Fatalf("%d cases", len(fx.Cases))
	}
	for _, tc := range fx.Cases {
		t.Run(tc.Name, func(t *testing.T) {
			train := slices.Clone(tc.Train)
			d, err := NewDistribution("f", train, 0)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(train, tc.Train) {
				t.Error("training values modified")
			}
			if len(d.Edges) != len(tc.Edges) || len(d.Shares) != len(tc.Shares) {
				t.Fatalf("edges %v shares %v, want %v %v", d.Edges, d.Shares, tc.Edges, tc.Shares)
			}
			for i := range d.Edges {
				if math.Abs(d.Edges[i]-tc.Edges[i]) > tol*math.Max(1, math.Abs(tc.Edges[i])) {
					t.Errorf("edge %d = %v, numpy %v", i, d.Edges[i], tc.Edges[i])
				}
			}
			for i := range d.Shares {
				if math.Abs(d.Shares[i]-tc.Shares[i]) > tol {
					t.Errorf("share %d = %v, numpy %v", i, d.Shares[i], tc.Shares[i])
				}
			}
			if err := d.validate("f"); err != nil {
				t.Error(err)
			}
			for k, raw := range tc.Actual {
				actual := make([]float64, len(raw))
				for i, p := range raw {
					actual[i] = math.NaN()
					if p != nil {
						actual[i] = *p
					}
				}
				if got := d.PSI(actual); math.Abs(got-tc.PSI[k]) > tol*math.Max(1, tc.PSI[k]) {
					t.Errorf("PSI %d = %v, numpy %v", k, got, tc.PSI[k])
				}
				// The same as metrics.PSI with the whole training sample.
				if want := metrics.PSI(tc.Train, actual, 10); math.Abs(d.PSI(actual)-want) > tol*math.Max(1, want) {
					t.Errorf("PSI %d = %v, metrics.PSI %v", k, d.PSI(actual), want)
				}
			}
		})
	}
}

// TestDistributionTies: with ties the edges are numpy's exactly: the 0.6
// quantile of [0 0 0 1 1 1] is 1 (virtual index (n−1)·q = 3 exactly), so
// the ones fall in the bin (0, 1] and the last bin is empty. (metrics.PSI
// computes the virtual index as n·q + 1 − q − 1, which rounds to
// 2.9999999999999996 here and cuts at 0.9999999999999996 instead.)
func TestDistributionTies(t *testing.T) {
	d, err := NewDistribution("f", []float64{0, 0, 0, 1, 1, 1}, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(d.Edges, []float64{0, 0.5, 1}) || !slices.Equal(d.Shares, []float64{0.5, 0, 0.5, 0}) {
		t.Errorf("edges %v shares %v", d.Edges, d.Shares)
	}
}

func TestDistributionErrors(t *testing.T) {
	if _, err := NewDistribution("Age", nil, 0); err == nil || err.Error() != `feature "Age": no values to bin` {
		t.Errorf("empty: %v", err)
	}
	if _, err := NewDistribution("Age", []float64{1, math.NaN()}, 0); err == nil || !strings.Contains(err.Error(), "cannot bin the value NaN") {
		t.Errorf("NaN: %v", err)
	}
	if _, err := Distributions([]string{"a"}, []float64{1, 2}, 3); err == nil {
		t.Error("shape mismatch accepted")
	}
	d := Distribution{Feature: "a", Edges: []float64{1}, Shares: []float64{1, 0}}
	if v := d.PSI([]float64{math.NaN()}); !math.IsNaN(v) {
		t.Errorf("all NaN: %v", v)
	}
}

// TestModelDistributionsRoundTrip: the optional fields survive Write and
// Parse, are validated, and a model without them (an older model.json)
// still reads.
func TestModelDistributionsRoundTrip(t *testing.T) {
	m := testModel()
	X := []float64{30, 15, 50, 25, 31, 14, 49, 26}
	var err error
	if m.Distributions, err = Distributions(m.Features, X, 4); err != nil {
		t.Fatal(err)
	}
	m.MaxID = 7
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"max_id": 7`) || !strings.Contains(buf.String(), `"distributions": [`) {
		t.Errorf("model.json lacks the new fields:\n%s", buf.String())
	}
	back, err := Parse("model.json", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if back.MaxID != 7 || back.HighestID() != 7 || !slices.EqualFunc(back.Distributions, m.Distributions, func(a, b Distribution) bool {
		return a.Feature == b.Feature && slices.Equal(a.Edges, b.Edges) && slices.Equal(a.Shares, b.Shares)
	}) {
		t.Errorf("round trip: %+v", back.Distributions)
	}
	psi, err := back.PSI(X, 4)
	if err != nil || !slices.Equal(psi, []float64{0, 0}) {
		t.Errorf("PSI of the training rows: %v %v", psi, err)
	}
	// Without the fields (optional since version 1): HighestID from the IDs.
	old := testModel()
	buf.Reset()
	old.Write(&buf)
	if strings.Contains(buf.String(), "max_id") || strings.Contains(buf.String(), "distributions") {
		t.Error("empty optional fields written")
	}
	back, err = Parse("model.json", buf.Bytes())
	if err != nil || back.HighestID() != 2 {
		t.Errorf("old model: %v, highest %d", err, back.HighestID())
	}
	if _, err := back.PSI(X, 4); err == nil || !strings.Contains(err.Error(), "stores no training distributions") {
		t.Errorf("PSI without distributions: %v", err)
	}
	// Inconsistent distributions are refused with a message.
	for _, tc := range []struct {
		edit func(m *Model)
		want string
	}{
		{func(m *Model) { m.Distributions = m.Distributions[:1] }, "the model has 2 features but 1 distributions"},
		{func(m *Model) { m.Distributions[1].Feature = "Age" }, `distribution of "Age" where "Tenure" is expected`},
		{func(m *Model) { m.Distributions[0].Shares = m.Distributions[0].Shares[1:] }, `edges need`},
		{func(m *Model) { m.Distributions[0].Edges[1] = m.Distributions[0].Edges[0] }, `distribution of "Age": edges must increase`},
		{func(m *Model) { m.Distributions[0].Shares[0] += 0.5 }, `distribution of "Age": shares sum to 1.5, want 1`},
		{func(m *Model) { m.MaxID = -1 }, "max_id is -1"},
	} {
		bad := testModel()
		bad.Distributions, _ = Distributions(bad.Features, X, 4)
		tc.edit(bad)
		if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want %q", err, tc.want)
		}
	}
}
