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
