package pipeline

import (
	"strings"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
)

// CSVOptions converts the input block to reader options.
func (in *InputConfig) CSVOptions() csvio.Options {
	opt := csvio.Options{Encoding: strings.ToLower(in.Encoding), NAValues: in.NAValues, Columns: in.Columns}
	switch in.Delimiter {
	case "tab", "\t":
		opt.Delimiter = '\t'
	case "":
	default:
		opt.Delimiter = rune(in.Delimiter[0])
	}
	if len(in.Types) > 0 || in.ID != "" {
		opt.Types = make(map[string]frame.Kind, len(in.Types)+1)
		for col, t := range in.Types {
			k, _ := frame.ParseKind(t) // checked by validate
			opt.Types[col] = k
		}
	}
	if in.ID != "" {
		// The id column is always text, exactly as in the file: "0001"
		// stays "0001" and 20-digit ids are not read as floats.
		opt.Types[in.ID] = frame.String
	}
	return opt
}
