package profile

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"math"
	"strconv"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/result"
)

// csvHeader returns profile.csv's header: segment_id, segment, size,
// share, the outcome rate (when configured), six statistics per profiled
// column ("<column> mean", median, std, min, max, z), one share per
// categorical level ("<column> = <level>"), for a categorical clustering
// feature (k-prototypes) its prototype's category ("<column> mode"), with
// stability: the segment's mean bootstrap Jaccard, dissolved count and
// unstable flag, and the description.
func csvHeader(res *result.Profile) []string {
	h := []string{"segment_id", "segment", "size", "share"}
	if res.Outcome != nil {
		h = append(h, res.Outcome.Label)
	}
	for _, c := range res.Columns {
		for _, s := range []string{"mean", "median", "std", "min", "max", "z"} {
			h = append(h, c.Name+" "+s)
		}
	}
	for _, cp := range res.Categorical {
		for _, l := range cp.Levels {
			h = append(h, cp.Column+" = "+l)
		}
		if cp.Feature {
			h = append(h, cp.Column+" mode")
		}
	}
	if hasStability(res) {
		h = append(h, "stability_jaccard", "stability_dissolved", "unstable")
	}
	return append(h, "description")
}

// writeCSV writes one row per segment and a last row "All" for the whole
// table (its z cells are empty). Numbers are in full precision; undefined
// ones are empty cells.
func writeCSV(w io.Writer, res *result.Profile) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader(res)); err != nil {
		return err
	}
	row := func(id, label string, size int, share float64, rate float64, st []result.FeatureStats, z bool, s int, desc string) []string {
		rec := []string{id, label, strconv.Itoa(size), num(share)}
		if res.Outcome != nil {
			rec = append(rec, num(rate))
		}
		for _, f := range st {
			zs := ""
			if z {
				zs = num(f.Z)
			}
			rec = append(rec, num(f.Mean), num(f.Median), num(f.Std), num(f.Min), num(f.Max), zs)
		}
		for _, cp := range res.Categorical {
			for l := range cp.Levels {
				if s < 0 {
					rec = append(rec, num(cp.Overall[l]))
				} else {
					rec = append(rec, num(cp.Shares[s][l]))
				}
			}
			if cp.Feature {
				mode := ""
				if s >= 0 {
					mode = cp.Modes[s]
				}
				rec = append(rec, mode)
			}
		}
		if hasStability(res) {
			if s >= 0 && res.Segments[s].Stability != nil {
				st := res.Segments[s].Stability
				rec = append(rec, num(st.MeanJaccard), strconv.Itoa(st.Dissolved), strconv.FormatBool(st.Unstable))
			} else {
				rec = append(rec, "", "", "")
			}
		}
		return append(rec, desc)
	}
	for s, sp := range res.Segments {
		rate := math.NaN()
		if res.Outcome != nil {
			rate = res.Outcome.Rates[s]
		}
		if err := cw.Write(row(strconv.Itoa(sp.ID), sp.Label, sp.Size, sp.Share, rate, sp.Stats, true, s, sp.Description)); err != nil {
			return err
		}
	}
	rate := math.NaN()
	if res.Outcome != nil {
		rate = res.Outcome.Overall
	}
	if err := cw.Write(row("", "All", res.Rows, 1, rate, res.Overall, false, -1, "")); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// hasStability reports whether the segments carry bootstrap stability.
func hasStability(res *result.Profile) bool {
	return len(res.Segments) > 0 && res.Segments[0].Stability != nil
}

// num writes v in the shortest form that reads back exactly; "" for NaN
// and infinities.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return frame.FormatFloat(v)
}

func writeJSON(w io.Writer, res *result.Profile) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
