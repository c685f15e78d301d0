package export

import (
	"fmt"
	"io"
	"math"

	"github.com/xuri/excelize/v2"

	"github.com/churnlab/segment/internal/frame"
)

// Sheet names of the workbook.
const (
	SheetCustomers = "Customers"
	SheetSegments  = "Segments"
)

// writeWorkbook writes the customers table and the segments sheet as an
// .xlsx workbook. Text is written as typed string cells, exactly as it is:
// a workbook cell of string type is never evaluated as a formula (unlike a
// CSV field, which neutralise guards), so no apostrophe is needed and none
// shows; numbers are numbers, missing and non-finite values empty cells. The customers sheet
// is streamed (one stream only, so the zip's entries keep a fixed order and
// the same rows give the same bytes).
func writeWorkbook(w io.Writer, customers *frame.Table, segs sheet) error {
	if rows := customers.NumRows() + 1; rows > excelize.TotalRows {
		return fmt.Errorf("%d customers do not fit an Excel sheet (at most %d rows under the header); export csv only", customers.NumRows(), excelize.TotalRows-1)
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetCustomers); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(SheetCustomers)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	cols := customers.Columns()
	header := make([]any, len(cols))
	for j, c := range cols {
		header[j] = c.Name
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row := make([]any, len(cols))
	for i := range customers.NumRows() {
		for j, c := range cols {
			row[j] = cellOf(c, i)
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if _, err := f.NewSheet(SheetSegments); err != nil {
		return err
	}
	hdr := make([]any, len(segs.header))
	for j, h := range segs.header {
		hdr[j] = h
	}
	if err := f.SetSheetRow(SheetSegments, "A1", &hdr); err != nil {
		return err
	}
	for r, vals := range segs.rows {
		out := make([]any, len(vals))
		for j, v := range vals {
			switch x := v.(type) {
			case float64:
				if !math.IsNaN(x) && !math.IsInf(x, 0) {
					out[j] = x
				}
			default:
				out[j] = x
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+2)
		if err := f.SetSheetRow(SheetSegments, cell, &out); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	_, err = f.WriteTo(w)
	return err
}

// cellOf is row i of c as a workbook value: nil for a missing or
// non-finite value, the text as it is for text (a string cell).
func cellOf(c *frame.Column, i int) any {
	if c.IsMissing(i) {
		return nil
	}
	switch c.Kind {
	case frame.Float:
		if v := c.Floats[i]; !math.IsNaN(v) && !math.IsInf(v, 0) {
			return v
		}
		return nil
	case frame.Int:
		return c.Int(i)
	case frame.Bool:
		return c.Bools[i]
	}
	return c.Dict[c.Code(i)]
}
