package main

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
)

// writeScored writes one line per scored row, in input order: the id (byte
// for byte as in the input, under idOut) or the 1-based input row, then
// segment, segment_name, distance, second_segment, second_distance,
// margin, outlier and, when s holds every distance, distance_<segment> for
// each segment by number. A score column whose name is the id column's gets
// the suffix _score ("segment" becomes "segment_id", as before).
func writeScored(w io.Writer, m *model.Model, s *model.Scores, inRows []int, ids *frame.Column, idOut string) error {
	n := len(inRows)
	var first *frame.Column
	if ids != nil {
		first = ids.Take(inRows).Renamed(idOut)
	} else {
		rows := make([]int64, n)
		for k, r := range inRows {
			rows[k] = int64(r + 1)
		}
		first = frame.NewInt("row", rows, nil)
	}
	seg, names := make([]int64, n), make([]string, n)
	second, secondMiss := make([]int64, n), make([]bool, n)
	margin := make([]float64, n)
	outlier, outlierMiss := make([]bool, n), make([]bool, n)
	for i, l := range s.Labels {
		seg[i] = int64(m.IDs[l])
		names[i] = m.Label(int(l))
		if sl := s.Second[i]; sl >= 0 {
			second[i] = int64(m.IDs[sl])
		} else {
			secondMiss[i] = true
		}
		margin[i] = s.SecondDistance[i] - s.Distance[i] // NaN (missing) when k = 1
		if s.Outlier != nil {
			outlier[i] = s.Outlier[i]
		} else {
			outlierMiss[i] = true
		}
	}
	cols := []*frame.Column{
		first,
		frame.NewInt("segment", seg, nil),
		frame.NewString("segment_name", names, nil),
		frame.NewFloat("distance", s.Distance, nil),
		frame.NewInt("second_segment", second, secondMiss),
		frame.NewFloat("second_distance", s.SecondDistance, nil),
		frame.NewFloat("margin", margin, nil),
		frame.NewBool("outlier", outlier, outlierMiss),
	}
	if s.All != nil {
		order := make([]int, m.K) // segment indexes by segment number
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int { return m.IDs[a] - m.IDs[b] })
		for _, sidx := range order {
			d := make([]float64, n)
			for i := range n {
				d[i] = s.All[i*m.K+sidx]
			}
			cols = append(cols, frame.NewFloat("distance_"+strconv.Itoa(m.IDs[sidx]), d, nil))
		}
	}
	for _, c := range cols[1:] {
		if c.Name == first.Name {
			if c.Name == "segment" {
				c.Name = "segment_id"
			} else {
				c.Name += "_score"
			}
		}
	}
	t, err := frame.New(cols...)
	if err != nil {
		return err
	}
	return csvio.WriteCSV(w, t)
}

// writeRejects writes line (or row), the id when there is one, and the
// reasons of every rejected row, in file order.
func writeRejects(w io.Writer, bad map[int][]model.Problem, lines []int, ids *frame.Column) error {
	rows := make([]int, 0, len(bad))
	for r := range bad {
		rows = append(rows, r)
	}
	slices.Sort(rows)
	pos := make([]int64, len(rows))
	reasons := make([]string, len(rows))
	for k, r := range rows {
		pos[k] = int64(r + 1)
		if lines != nil {
			pos[k] = int64(lines[r])
		}
		parts := make([]string, len(bad[r]))
		for j, p := range bad[r] {
			parts[j] = p.String()
		}
		reasons[k] = strings.Join(parts, "; ")
	}
	posName := "row"
	if lines != nil {
		posName = "line"
	}
	cols := []*frame.Column{frame.NewInt(posName, pos, nil)}
	if ids != nil {
		cols = append(cols, ids.Take(rows))
	}
	cols = append(cols, frame.NewString("reason", reasons, nil))
	t, err := frame.New(cols...)
	if err != nil {
		return err
	}
	return csvio.WriteCSV(w, t)
}
