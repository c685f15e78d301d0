package clean_test

import (
	"context"
	"fmt"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/stages/clean"
)

// A model's frozen steps (as model.json records them: a fillna whose mean
// was 24 in training, a onehot with its training levels) replayed on new
// raw rows read as text: only the columns the features need are read, a gap
// gets the training mean, and a plan never seen in training gives zeros and
// is counted.
func ExampleReplay() {
	tr := &model.Transform{
		IDColumn: "id",
		Columns:  []model.Column{{Name: "id", Type: "string"}, {Name: "Tenure", Type: "int"}, {Name: "Plan", Type: "string"}, {Name: "City", Type: "string"}},
		Steps: []model.Step{
			{Stage: "clean", Key: "steps[0].fillna", Kind: "fillna", Params: []byte(`{"Tenure": 24}`)},
			{Stage: "clean", Key: "steps[1].onehot", Kind: "onehot", Params: []byte(`{"columns": ["Plan"], "levels": {"Plan": ["basic", "premium"]}}`)},
		},
	}
	r, err := clean.NewReplay(tr, []string{"Tenure", "Plan_premium"})
	if err != nil {
		fmt.Println(err)
		return
	}
	p, err := r.Plan([]string{"id", "Tenure", "Plan", "City"}, clean.ReplayOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("reads:", p.Read)
	raw, _ := frame.New(
		frame.NewString("Tenure", []string{"12", "", "40"}, []bool{false, true, false}),
		frame.NewString("Plan", []string{"premium", "basic", "gold"}, nil),
	)
	res, err := p.Run(context.Background(), raw)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range res.Table.NumRows() {
		fmt.Printf("row %d: Tenure %s, Plan_premium %s\n", i+1, res.Table.Col("Tenure").Format(i), res.Table.Col("Plan_premium").Format(i))
	}
	for _, u := range res.Unseen {
		fmt.Printf("%s: %d row(s) with an unseen %s: %v\n", u.Step, u.Rows, u.Column, u.Levels)
	}
	// Output:
	// reads: [Tenure Plan]
	// row 1: Tenure 12, Plan_premium 1
	// row 2: Tenure 24, Plan_premium 0
	// row 3: Tenure 40, Plan_premium 0
	// clean: steps[1].onehot: 1 row(s) with an unseen Plan: [{gold 1}]
}
