package scale_test

import (
	"encoding/json"
	"fmt"
	"log"

	"github.com/churnlab/segment/internal/scale"
)

func Example() {
	// Three customers, two features, row-major.
	X := []float64{
		20, 15,
		30, 60,
		40, 105,
	}
	s, err := scale.Fit("standard", X, 3, 2, []string{"Age", "Income"}, nil)
	if err != nil {
		log.Fatal(err)
	}
	Z, err := s.Transform(X, 3)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%.4f\n", Z)

	b, _ := json.Marshal(s)
	fmt.Println(string(b))

	// A constant feature is refused.
	_, err = scale.Fit("standard", []float64{1, 5, 2, 5}, 2, 2, []string{"Age", "Tenure"}, nil)
	fmt.Println(err)
	// Output:
	// [-1.2247 -1.2247 0.0000 0.0000 1.2247 1.2247]
	// {"method":"standard","features":["Age","Income"],"center":[30,60],"scale":[8.16496580927726,36.742346141747674]}
	// feature "Tenure" has zero variance; drop it or use scale: none
}
