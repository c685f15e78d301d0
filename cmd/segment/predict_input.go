package main

import (
	"context"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/pipeline"
)

// Reading the file to score. These three functions are all predict knows
// of the input's format: a source of another format replaces them.

// readInputHeader returns the input's column names (and its delimiter, for
// inputLines), read with the model's options.
func readInputHeader(path string, m *model.Model) ([]string, rune, error) {
	return csvio.ReadHeader(path, readOptions(m))
}

// readInputColumns reads the named columns of the input, every one as
// text: cells byte for byte as in the file (ids keep their zeros), empty
// cells and the model's na_values missing. The replay brings each column
// to its type at fit time.
func readInputColumns(ctx context.Context, path string, m *model.Model, cols []string) (*frame.Table, error) {
	opt := readOptions(m)
	opt.Columns = cols
	opt.Types = make(map[string]frame.Kind, len(cols))
	for _, c := range cols {
		opt.Types[c] = frame.String
	}
	res, err := csvio.ReadFile(ctx, path, opt)
	if err != nil {
		return nil, err
	}
	return res.Table, nil
}

// inputLines maps each of the input's n data rows to the line of the file
// it starts on, for messages; nil when that cannot be worked out (messages
// then say "row N").
func inputLines(path string, delim rune, n int) []int {
	lines, err := model.RecordLines(path, byte(delim))
	if err != nil || len(lines) != n {
		return nil
	}
	return lines
}

// readOptions are the model's input reading options.
func readOptions(m *model.Model) csvio.Options {
	in := pipeline.InputConfig{Delimiter: m.Input.Delimiter, Encoding: m.Input.Encoding, NAValues: m.Input.NAValues}
	return in.CSVOptions()
}
