package featcheck_test

import (
	"fmt"

	"github.com/churnlab/segment/internal/featcheck"
)

func ExampleCheck() {
	// Six customers: spend, and their plan one-hot encoded without
	// drop_first: the two dummies are the same information (r = −1).
	X := []float64{
		10, 1, 0,
		12, 1, 0,
		11, 0, 1,
		30, 0, 1,
		31, 1, 0,
		29, 0, 1,
	}
	names := []string{"Spend", "Plan_Basic", "Plan_Plus"}
	for _, c := range featcheck.Check(X, X, 6, 3, names, featcheck.Options{Scale: "no"}) {
		fmt.Println(c.Kind, c.Columns)
	}
	// Output:
	// near_duplicate [Plan_Basic Plan_Plus]
}
