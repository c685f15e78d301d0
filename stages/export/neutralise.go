package export

import "github.com/churnlab/segment/internal/frame"

// neutralise returns s made safe for a spreadsheet cell: text starting
// with =, +, -, @, a tab or a carriage return (which spreadsheet programs
// read as a formula, or strip before reading one) gets a leading
// apostrophe, so it stays text.
func neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// neutraliseTable returns t with every text cell and column name
// neutralised; numbers are left as they are. t is not modified.
func neutraliseTable(t *frame.Table) *frame.Table {
	cols := t.Columns()
	for j, c := range cols {
		nc := c.Renamed(neutralise(c.Name))
		if c.Kind == frame.String {
			dict := make([]string, len(c.Dict))
			for k, v := range c.Dict {
				dict[k] = neutralise(v)
			}
			nc.Dict = dict
		}
		cols[j] = nc
	}
	out, err := frame.New(cols...)
	if err != nil {
		// two names that differ only by a leading apostrophe: keep them
		// apart by leaving the names as they were
		for j, c := range cols {
			cols[j] = c.Renamed(t.Columns()[j].Name)
		}
		out, _ = frame.New(cols...)
	}
	return out
}
