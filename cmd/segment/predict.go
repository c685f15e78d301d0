package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/pgio"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources"
	csvsrc "github.com/churnlab/segment/sources/csv"
	pgsrc "github.com/churnlab/segment/sources/postgres"
)

// maxListed is how many unscorable cells an error lists.
const maxListed = 10

func cmdPredict(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("predict", "-m MODEL.json -i INPUT.csv -o SCORED.csv [--id COL] [--skip-invalid]", stderr)
	modelPath := fs.String("m", "", "model `file`: the model.json of a run")
	inPath := fs.String("i", "", "input CSV `file` to score, with the model's feature columns (as the cluster stage saw them)")
	outPath := fs.String("o", "", "output CSV `file`: id (or row), segment, distance to the segment's centroid")
	idCol := fs.String("id", "", "id `column` of the input (default: the model's id column); --id= numbers the rows instead")
	skip := fs.Bool("skip-invalid", false, "score the valid rows and list rows with missing or non-numeric features in <out>.rejects.csv, instead of failing")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case *modelPath == "":
		return usagef("predict: missing -m MODEL.json (the model.json of a run)")
	case *inPath == "":
		return usagef("predict: missing -i INPUT.csv (the rows to score)")
	case *outPath == "":
		return usagef("predict: missing -o SCORED.csv (where to write the segments)")
	}
	idSet := false
	fs.Visit(func(f *flag.Flag) { idSet = idSet || f.Name == "id" })

	m, err := model.Load(*modelPath)
	if err != nil {
		return err
	}
	id := m.Input.IDColumn
	if idSet {
		id = *idCol
	}
	if slices.Contains(m.Features, id) {
		return usagef("predict: --id %q is one of the model's features", id)
	}

	res, err := readToScore(ctx, *inPath, m, id, idSet)
	if err != nil {
		return err
	}
	t := res.Table
	X, probs, err := m.Matrix(t)
	if err != nil {
		return fmt.Errorf("%s: %w", *inPath, err)
	}
	var ids *frame.Column
	if id != "" {
		ids = t.Col(id)
	}

	var lines []int // data row → physical line, when it can be computed
	if len(probs) > 0 {
		lines, err = model.RecordLines(*inPath, byte(res.Delimiter))
		if err != nil || len(lines) != t.NumRows() {
			lines = nil // fall back to "row N"
		}
		if !*skip {
			return unscorable(*inPath, probs, lines, ids, *outPath)
		}
	}

	n := t.NumRows()
	valid, bad := splitValid(probs, n)
	Xv := rowsOf(X, valid, n, m.Dim())
	var rejectsPath string
	if *skip {
		rejectsPath = rejectsFile(*outPath)
		if err := writeRejects(rejectsPath, bad, lines, ids); err != nil {
			return err
		}
	}
	if len(valid) == 0 {
		return fmt.Errorf("%s: none of its %d rows can be scored (see %s)", *inPath, n, rejectsPath)
	}
	a, err := m.Assign(Xv, len(valid))
	if err != nil {
		return fmt.Errorf("%s: %w", *inPath, err)
	}
	if err := pipeline.WriteFileAtomic(*outPath, func(w io.Writer) error {
		return writeScored(w, m, a, valid, ids)
	}); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "scored %d of %d rows of %s into %d segments: %s\n", len(valid), n, *inPath, m.K, *outPath)
	if *skip {
		fmt.Fprintf(stderr, "%d rows rejected: %s\n", len(bad), rejectsPath)
	}
	return nil
}

// scoreInput is the table to score, with the delimiter of a CSV input
// (for line numbers in messages; 0 for other formats).
type scoreInput struct {
	Table     *frame.Table
	Delimiter rune
}

// readToScore reads the model's feature columns (and the id column, as
// text so that "0001" stays "0001") of the input to score, after checking
// its columns, through the same sources as a run's input: path is a file
// (its format detected as for input.path, CSV read with the model's
// delimiter, encoding and na_values), "-" for standard input, or a
// postgres:// URL naming a table or query (see predictInput).
func readToScore(ctx context.Context, path string, m *model.Model, id string, idSet bool) (*scoreInput, error) {
	reg := sources.Registry()
	in, err := predictInput(reg, path, m, id)
	if err != nil {
		return nil, err
	}
	src, err := reg.OpenSource(ctx, in)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	fields, err := src.Schema(ctx)
	if err != nil {
		return nil, err
	}
	header := make([]string, len(fields))
	for i, f := range fields {
		header[i] = f.Name
	}
	if err := checkHeader(path, header, m, id, idSet); err != nil {
		return nil, err
	}
	cols := slices.Clone(m.Features)
	if id != "" {
		cols = append([]string{id}, cols...)
	}
	t, err := src.Read(ctx, cols)
	if err != nil {
		return nil, err
	}
	res := &scoreInput{Table: t}
	if lin := src.Lineage(); lin != nil && lin.Format == csvsrc.Format && lin.Compression == "" && path != "-" {
		if d := lin.Delimiter; d == "tab" {
			res.Delimiter = '\t'
		} else if d != "" {
			res.Delimiter = rune(d[0])
		}
	}
	return res, nil
}

// predictInput is the input block for predict's -i: a postgres:// or
// postgresql:// URL reads a table or query — the parameters table, query
// and order_by (comma-separated) are segment's, the rest is the DSN, e.g.
//
//	postgres://segment@db.internal/crm?sslmode=require&table=customers
//	postgres:///crm?host=/run/postgresql&query=select+*+from+customers+where+active
//
// and must not hold a password (the command line shows in ps and shell
// history: use PGPASSWORD or ~/.pgpass). Anything else is a path.
func predictInput(reg *pipeline.SourceRegistry, path string, m *model.Model, id string) (*pipeline.InputConfig, error) {
	in := &pipeline.InputConfig{Path: confyaml.Path(path), ID: id}
	if id != "" {
		in.Types = map[string]string{id: "string"}
	}
	isURL := strings.HasPrefix(path, "postgres://") || strings.HasPrefix(path, "postgresql://")
	if isURL {
		in.Path, in.Format = "", pgsrc.Format
	}
	if err := reg.PrepareInput(in); err != nil {
		return nil, err
	}
	switch o := in.Options.(type) {
	case *csvsrc.Config:
		o.Delimiter, o.Encoding, o.NAValues = m.Input.Delimiter, m.Input.Encoding, m.Input.NAValues
	case *pgsrc.Config:
		if !isURL {
			return nil, usagef("predict: -i: give a postgres:// URL to read a table or query")
		}
		u, err := url.Parse(path)
		if err != nil {
			return nil, usagef("predict: -i: not a valid URL: %v", err)
		}
		if len(pgio.DSNSecrets(path)) > 0 {
			return nil, usagef("predict: -i: the URL holds a password, which the command line would show (ps, shell history); give it in PGPASSWORD or ~/.pgpass instead")
		}
		q := u.Query()
		o.Table, o.Query = q.Get("table"), q.Get("query")
		if ob := q.Get("order_by"); ob != "" {
			o.OrderBy = strings.Split(ob, ",")
		}
		for _, k := range []string{"table", "query", "order_by"} {
			q.Del(k)
		}
		u.RawQuery = q.Encode()
		o.DSN = pgsrc.DSN(u.String())
	}
	if err := in.Validate(); err != nil {
		if isURL {
			return nil, usagef("predict: -i %s: %v (use the URL parameters table=, query= and order_by=)", pgio.RedactDSN(path), err)
		}
		return nil, fmt.Errorf("predict: -i %s: %w", path, err)
	}
	return in, nil
}

// splitValid returns the rows of n without a problem, in order, and the
// problems of the others by row.
func splitValid(probs []model.Problem, n int) (valid []int, bad map[int][]model.Problem) {
	bad = map[int][]model.Problem{}
	for _, p := range probs {
		bad[p.Row] = append(bad[p.Row], p)
	}
	valid = make([]int, 0, n-len(bad))
	for i := range n {
		if _, isBad := bad[i]; !isBad {
			valid = append(valid, i)
		}
	}
	return valid, bad
}

// rowsOf returns the rows of the n×d matrix X listed in rows (X itself when
// that is every row).
func rowsOf(X []float64, rows []int, n, d int) []float64 {
	if len(rows) == n {
		return X
	}
	out := make([]float64, 0, len(rows)*d)
	for _, i := range rows {
		out = append(out, X[i*d:i*d+d]...)
	}
	return out
}

// checkHeader reports missing feature and id columns before any row is
// read.
func checkHeader(path string, header []string, m *model.Model, id string, idSet bool) error {
	var missing []string
	for _, f := range m.Features {
		if !slices.Contains(header, f) {
			missing = append(missing, f)
		}
	}
	switch {
	case len(missing) == 1:
		return fmt.Errorf("%s has no feature column the model needs: %w", path, &frame.UnknownColumnError{Name: missing[0], Known: header})
	case len(missing) > 1:
		return fmt.Errorf("%s lacks %d of the model's feature columns: %s (the model needs %s, named as the cluster stage saw them, after clean's renames)",
			path, len(missing), quoted(missing), quoted(m.Features))
	}
	if id != "" && !slices.Contains(header, id) {
		ue := &frame.UnknownColumnError{Name: id, Known: header}
		if idSet {
			return usagef("predict: --id: %s: %v", path, ue)
		}
		return fmt.Errorf("%s has no id column %q (the model's); name it with --id COL, or pass --id= to number the rows instead (%v)", path, id, ue)
	}
	return nil
}

// where locates a data row: "line N" when lines are known, else "row N"
// (1-based data row).
func where(row int, lines []int) string {
	if lines != nil {
		return "line " + strconv.Itoa(lines[row])
	}
	return "row " + strconv.Itoa(row+1)
}

// unscorable is the error for cells that cannot be scored.
func unscorable(path string, probs []model.Problem, lines []int, ids *frame.Column, out string) error {
	rows := map[int]bool{}
	for _, p := range probs {
		rows[p.Row] = true
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d row%s cannot be scored:", path, len(rows), pluralS(len(rows)))
	for i, p := range probs {
		if i == maxListed {
			fmt.Fprintf(&b, "\n… and %d more", len(probs)-maxListed)
			break
		}
		fmt.Fprintf(&b, "\n%s %s%s, %s", path, where(p.Row, lines), idText(ids, p.Row), p)
	}
	fmt.Fprintf(&b, "\nfix them, or pass --skip-invalid to score the other rows and list these in %s", rejectsFile(out))
	return fmt.Errorf("%s", b.String())
}

func idText(ids *frame.Column, row int) string {
	if ids == nil {
		return ""
	}
	return fmt.Sprintf(" (%s %s)", ids.Name, ids.Str(row))
}

// rejectsFile is <out without .csv>.rejects.csv.
func rejectsFile(out string) string {
	base := out
	if strings.EqualFold(filepath.Ext(base), ".csv") {
		base = base[:len(base)-4]
	}
	return base + ".rejects.csv"
}

// writeRejects writes line (or row), the id when there is one, and the
// reasons of every rejected row, in file order.
func writeRejects(path string, bad map[int][]model.Problem, lines []int, ids *frame.Column) error {
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
	return pipeline.WriteFileAtomic(path, func(w io.Writer) error { return csvio.WriteCSV(w, t) })
}

// writeScored writes id (or the 1-based data row), segment, distance and,
// when the model names segments, segment_name.
func writeScored(w io.Writer, m *model.Model, a *model.Assignment, valid []int, ids *frame.Column) error {
	n := len(valid)
	seg := make([]int64, n)
	for i, l := range a.Labels {
		seg[i] = int64(m.IDs[l])
	}
	var first *frame.Column
	if ids != nil {
		first = ids.Take(valid)
	} else {
		rows := make([]int64, n)
		for i, r := range valid {
			rows[i] = int64(r + 1)
		}
		first = frame.NewInt("row", rows, nil)
	}
	segName := "segment"
	if first.Name == segName {
		segName = "segment_id"
	}
	cols := []*frame.Column{first, frame.NewInt(segName, seg, nil), frame.NewFloat("distance", a.Distance, nil)}
	if slices.ContainsFunc(m.Names, func(s string) bool { return s != "" }) {
		names := make([]string, n)
		for i, l := range a.Labels {
			names[i] = m.Label(int(l))
		}
		cols = append(cols, frame.NewString("segment_name", names, nil))
	}
	t, err := frame.New(cols...)
	if err != nil {
		return err
	}
	return csvio.WriteCSV(w, t)
}

func quoted(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = strconv.Quote(v)
	}
	return strings.Join(q, ", ")
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
