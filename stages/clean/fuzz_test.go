package clean

import (
	"context"
	"testing"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
)

// FuzzReplay: a transform step of any kind with any params, replayed on any
// cell, is refused with an error or runs; it never panics.
func FuzzReplay(f *testing.F) {
	f.Add("fillna", []byte(`{"x":2.5}`), "1.5")
	f.Add("clip", []byte(`{"x":{"lower":0,"upper":1}}`), "7")
	f.Add("onehot", []byte(`{"columns":["s"],"prefix_sep":"_","max_levels":50,"levels":{"s":["a","b"]}}`), "c")
	f.Add("derive", []byte(`{"name":"x","expr":"x / 0"}`), "")
	f.Add("cast", []byte(`{"s":"int"}`), "12abc")
	f.Add("filter", []byte("\"x > 1\""), "2")
	f.Add("dedupe", []byte(`{"columns":["x","s"],"keep":"last"}`), "2")
	f.Add("rename", []byte(`{"s":"x","x":"s"}`), "3")
	f.Fuzz(func(t *testing.T, kind string, params []byte, cell string) {
		tr := &model.Transform{
			Columns: []model.Column{{Name: "x", Type: "float"}, {Name: "s", Type: "string"}},
			Steps: []model.Step{{Stage: "clean", Key: "steps[0]." + kind, Kind: kind, Params: params,
				Reads: []model.Column{{Name: "x", Type: "float"}}}},
		}
		for _, features := range [][]string{{"x"}, {"s_a"}} {
			r, err := NewReplay(tr, features)
			if err != nil {
				return
			}
			for _, rows := range []string{RowsAll, RowsTraining} {
				p, err := r.Plan([]string{"x", "s"}, ReplayOptions{Rows: rows})
				if err != nil {
					continue
				}
				raw, _ := frame.New(frame.NewString("x", []string{cell, "1"}, nil), frame.NewString("s", []string{cell, "a"}, nil))
				sub, err := raw.Select(p.Read...)
				if err != nil {
					continue
				}
				p.Run(context.Background(), sub)
			}
		}
	})
}
