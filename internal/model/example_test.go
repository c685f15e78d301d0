package model_test

import (
	"bytes"
	"fmt"

	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/scale"
)

// A model with two standard-scaled features and two segments scores new
// rows: each gets its nearest centroid and the distance to it in scaled
// units. Write and Parse round-trip it through model.json.
func Example() {
	features := []string{"Age", "Tenure"}
	m := &model.Model{
		SchemaVersion:   model.SchemaVersion,
		Features:        features,
		Scaler:          &scale.Scaler{Method: scale.Standard, Features: features, Center: []float64{40, 20}, Scale: []float64{10, 5}},
		K:               2,
		IDs:             []int{1, 2},
		Names:           []string{"", "Loyal"},
		Sizes:           []int{30, 20},
		CentersScaled:   [][]float64{{-1, -1}, {1, 1}},
		CentersOriginal: [][]float64{{30, 15}, {50, 25}},
		Engine:          "native",
		NInit:           10,
		MaxIter:         300,
	}
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		fmt.Println(err)
		return
	}
	m, err := model.Parse("model.json", buf.Bytes())
	if err != nil {
		fmt.Println(err)
		return
	}
	X := []float64{
		32, 14, // scaled (-0.8, -1.2)
		55, 30, // scaled (1.5, 2)
	}
	a, err := m.Assign(X, 2)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, l := range a.Labels {
		fmt.Printf("row %d: segment %d (%s), distance %.4f\n", i, m.IDs[l], m.Label(int(l)), a.Distance[i])
	}

	// A model from a newer segment is refused.
	_, err = model.Parse("model.json", []byte(`{"schema_version": 2}`))
	fmt.Println(err)
	// Output:
	// row 0: segment 1 (Segment 1), distance 0.2828
	// row 1: segment 2 (Loyal), distance 1.1180
	// model.json has schema_version 2; this segment reads 1
}

// A feature's training distribution is stored as decile edges and shares;
// the PSI of new values against it needs no training rows.
func ExampleDistribution_PSI() {
	train := make([]float64, 100)
	for i := range train {
		train[i] = float64(i) // 0 … 99
	}
	d, _ := model.NewDistribution("Tenure", train, model.PSIBins)
	fmt.Printf("edges: %.1f\n", d.Edges)
	fmt.Printf("same: %.3f\n", d.PSI(train))
	later := make([]float64, 100)
	for i := range later {
		later[i] = float64(i) + 20 // everyone 20 months older
	}
	fmt.Printf("shifted: %.3f\n", d.PSI(later))
	// Output:
	// edges: [9.9 19.8 29.7 39.6 49.5 59.4 69.3 79.2 89.1]
	// same: 0.000
	// shifted: 1.600
}
