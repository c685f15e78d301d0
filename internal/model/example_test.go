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
		OutlierQuantile: model.DefaultOutlierQuantile,
		OutlierDistance: []float64{0.5, 1},
		// The raw input had Age and Tenure as read: no clean steps.
		Transform: &model.Transform{Columns: []model.Column{{Name: "Age", Type: "int"}, {Name: "Tenure", Type: "int"}}, Steps: []model.Step{}},
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
	sc, err := m.Score(X, 2, false)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, l := range sc.Labels {
		fmt.Printf("row %d: segment %d (%s), distance %.4f, second %d at %.4f, outlier %v\n", i, m.IDs[l], m.Label(int(l)),
			sc.Distance[i], m.IDs[sc.Second[i]], sc.SecondDistance[i], sc.Outlier[i])
	}

	// A model from a newer segment is refused.
	_, err = model.Parse("model.json", []byte(`{"schema_version": 3}`))
	fmt.Println(err)
	// Output:
	// row 0: segment 1 (Segment 1), distance 0.2828, second 2 at 2.8425, outlier false
	// row 1: segment 2 (Loyal), distance 1.1180, second 1 at 3.9051, outlier true
	// model.json has schema_version 3; this segment reads 1 and 2
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
