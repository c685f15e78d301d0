package frame_test

import (
	"fmt"

	"github.com/churnlab/segment/internal/frame"
)

func Example() {
	t, _ := frame.New(
		frame.NewString("Customer ID", []string{"0001-A", "0002-B", "0003-C"}, nil),
		frame.NewInt("Age", []int64{30, 0, 45}, []bool{false, true, false}),
	)
	age := t.Col("Age")
	fmt.Println(t.NumRows(), age.Kind, age.NumMissing())
	x, _ := age.Float64s()
	fmt.Println(x)
	_, err := t.Select("Agee")
	fmt.Println(err)
	// Output:
	// 3 int 1
	// [30 NaN 45]
	// unknown column "Agee" (did you mean "Age"?)
}
