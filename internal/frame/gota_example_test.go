package frame_test

import (
	"fmt"

	"github.com/go-gota/gota/dataframe"
	"github.com/go-gota/gota/series"

	"github.com/churnlab/segment/internal/frame"
)

// A Table and a gota DataFrame convert both ways with every type and
// missing cell kept: an int column with a missing age stays int, and the
// text "NaN" stays text (gota's own constructors would read it as NA).
func ExampleTable_DataFrame() {
	t, _ := frame.New(
		frame.NewString("Customer ID", []string{"0001-A", "NaN", "0003-C"}, nil),
		frame.NewInt("Age", []int64{30, 0, 45}, []bool{false, true, false}),
		frame.NewFloat("Revenue", []float64{10.125, 0.1234567891, 7}, nil),
	)
	df := t.DataFrame()
	fmt.Println(df.Types(), df.Col("Age").IsNaN(), df.Col("Customer ID").IsNaN())

	back, _ := frame.FromDataFrame(df)
	fmt.Println(frame.Equal(back, t), back.Col("Revenue").Floats[1])
	// Output:
	// [string int float] [false true false] [false false false]
	// <nil> 0.1234567891
}

// A DataFrame built with gota converts to a Table; NA elements become
// missing cells.
func ExampleFromDataFrame() {
	age := series.New([]int{30, 0, 45}, series.Int, "Age")
	age.Elem(1).Set(nil) // NA
	df := dataframe.New(
		series.New([]string{"a", "b", "c"}, series.String, "id"),
		age,
	)
	t, err := frame.FromDataFrame(df)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range t.Schema() {
		fmt.Println(f.Name, f.Type, f.Missing)
	}
	// Output:
	// id string 0
	// Age int 1
}
