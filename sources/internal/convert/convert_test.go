package convert

import (
	"math"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/frame"
)

func TestColumn(t *testing.T) {
	nan := math.NaN()
	miss := []bool{false, true, false}
	for _, tc := range []struct {
		name string
		in   *frame.Column
		to   frame.Kind
		want string // cells, "" for missing
		err  string
	}{
		{"int to string", frame.NewInt("c", []int64{7, 0, -3}, miss), frame.String, "7||-3", ""},
		{"float to string", frame.NewFloat("c", []float64{0.1, nan, 1e21}, nil), frame.String, "0.1||1e+21", ""},
		{"bool to int", frame.NewBool("c", []bool{true, false, false}, miss), frame.Int, "1||0", ""},
		{"int to float", frame.NewInt("c", []int64{1 << 53, 0, 3}, miss), frame.Float, "9007199254740992||3", ""},
		{"whole float to int", frame.NewFloat("c", []float64{2, nan, -4}, nil), frame.Int, "2||-4", ""},
		{"fraction to int", frame.NewFloat("c", []float64{2.5}, nil), frame.Int, "", `types: column "c" row 1: "2.5" is not a whole number`},
		{"huge float to int", frame.NewFloat("c", []float64{1e19}, nil), frame.Int, "", "is not a whole number that fits an int"},
		{"string to int", frame.NewString("c", []string{" 12", "", "-1"}, miss), frame.Int, "12||-1", ""},
		{"bad string to int", frame.NewString("c", []string{"12", "x"}, nil), frame.Int, "", `row 2: "x" is not an int`},
		{"string to float", frame.NewString("c", []string{"1.5", "", "2e3"}, miss), frame.Float, "1.5||2000", ""},
		{"NaN string to float", frame.NewString("c", []string{"NaN"}, nil), frame.Float, "", "is not a number"},
		{"string to bool", frame.NewString("c", []string{"TRUE", "", "false"}, miss), frame.Bool, "true||false", ""},
		{"int to bool", frame.NewInt("c", []int64{1}, nil), frame.Bool, "", "cannot convert a int column to bool"},
	} {
		got, err := Column(tc.in, tc.to)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		var cells []string
		for i := range got.Len() {
			cells = append(cells, got.Str(i))
		}
		if got.Kind != tc.to || strings.Join(cells, "|") != tc.want || got.NumMissing() != tc.in.NumMissing() {
			t.Errorf("%s: %v %q (%d missing), want %v %q", tc.name, got.Kind, cells, got.NumMissing(), tc.to, tc.want)
		}
	}
}

func TestTypesLeavesOthers(t *testing.T) {
	tb, _ := frame.New(frame.NewInt("a", []int64{1}, nil), frame.NewInt("b", []int64{2}, nil))
	out, err := Types(tb, map[string]string{"b": "string", "gone": "int"})
	if err != nil || out.Col("a") != tb.Col("a") || out.Col("b").Kind != frame.String || tb.Col("b").Kind != frame.Int {
		t.Errorf("%v %v", out, err)
	}
}
