package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/stages/clean"
)

// maxListed is how many unscorable cells an error lists.
const maxListed = 10

// predictFlags are predict's settings.
type predictFlags struct {
	model, in, out string
	id             string
	idSet          bool
	skip           bool
	distances      string // nearest or all
	rows           string // clean.RowsAll or clean.RowsTraining
	unseen         string // clean.UnseenZeros or clean.UnseenReject
}

const predictSynopsis = "-m MODEL.json -i INPUT.csv -o SCORED.csv [--id COL] [--skip-invalid] [--distances nearest|all] [--rows all|training] [--unseen zeros|reject]"

func parsePredictFlags(args []string, stderr io.Writer) (*predictFlags, error) {
	fs := newFlags("predict", predictSynopsis, stderr)
	f := &predictFlags{}
	fs.StringVar(&f.model, "m", "", "model `file`: the model.json of a run")
	fs.StringVar(&f.in, "i", "", "input CSV `file` to score: the raw rows, as the run's input (a model of schema 1: the features as the cluster stage saw them)")
	fs.StringVar(&f.out, "o", "", "output CSV `file`: id (or row), segment, segment_name, distance, second_segment, second_distance, margin, outlier")
	fs.StringVar(&f.id, "id", "", "id `column` of the input, copied byte for byte (default: the model's, input.id); --id= numbers the rows instead")
	fs.BoolVar(&f.skip, "skip-invalid", false, "score the valid rows and list the rows that cannot be scored, with the reason, in <out>.rejects.csv, instead of failing")
	fs.StringVar(&f.distances, "distances", "nearest", "`nearest` (distance to the segment's and the second-nearest centroid) or all (also distance_<segment> to every centroid)")
	fs.StringVar(&f.rows, "rows", clean.RowsAll, "`all` (score every row; row steps such as filters only count the rows they would drop) or training (drop those rows, as the run did)")
	fs.StringVar(&f.unseen, "unseen", clean.UnseenZeros, "a category never seen in training: `zeros` (its one-hot columns are 0, or for a categorical feature of a k-prototypes model it mismatches every mode; counted and reported) or reject (the row cannot be scored)")
	if err := parseFlags(fs, args); err != nil {
		return nil, err
	}
	fs.Visit(func(fl *flag.Flag) { f.idSet = f.idSet || fl.Name == "id" })
	switch {
	case f.model == "":
		return nil, usagef("predict: missing -m MODEL.json (the model.json of a run)")
	case f.in == "":
		return nil, usagef("predict: missing -i INPUT.csv (the rows to score)")
	case f.out == "":
		return nil, usagef("predict: missing -o SCORED.csv (where to write the segments)")
	case f.distances != "nearest" && f.distances != "all":
		return nil, usagef("predict: --distances %q: want nearest or all", f.distances)
	case f.rows != clean.RowsAll && f.rows != clean.RowsTraining:
		return nil, usagef("predict: --rows %q: want all or training", f.rows)
	case f.unseen != clean.UnseenZeros && f.unseen != clean.UnseenReject:
		return nil, usagef("predict: --unseen %q: want zeros or reject", f.unseen)
	}
	return f, nil
}

func cmdPredict(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f, err := parsePredictFlags(args, stderr)
	if err != nil {
		return err
	}
	outputs := map[string]string{"-o": f.out}
	if f.skip {
		outputs["the rejects file"] = rejectsFile(f.out)
	}
	if err := checkOutputs(outputs, map[string]string{"-i": f.in, "-m": f.model}); err != nil {
		return err
	}
	m, err := model.Load(f.model)
	if err != nil {
		return err
	}
	if m.SchemaVersion < model.NumericSchemaVersion {
		for _, lack := range m.Lacks() {
			fmt.Fprintf(stderr, "note: %s has schema_version %d: %s\n", filepath.Base(f.model), m.SchemaVersion, lack)
		}
	}
	sc, err := prepare(ctx, f, m, stderr)
	if err != nil {
		return err
	}
	return sc.score(f, m, stderr)
}

// scoring is the input prepared for scoring: the feature matrix of the
// rows that reached the features, and every problem found on the way.
type scoring struct {
	n     int             // input rows
	rows  []int           // matrix row → input row
	X     []float64       // len(rows) × d, NaN in cells that cannot be scored
	probs []model.Problem // by input row
	ids   *frame.Column   // by input row; nil when rows are numbered
	idOut string          // the id column's name in the output
	lines func() []int    // input row → line of the file, for messages (nil when unknown)

	replay *clean.ReplayResult // nil for a schema-1 model
	plan   *clean.Plan

	// cat holds a mixed model's categorical codes (per feature, by matrix
	// row) and unseen the categories never seen in training.
	cat    [][]int32
	unseen []model.Unseen
}

// categorical maps a mixed model's categorical features of t (the table
// behind the matrix rows) to training codes, adding their problems.
func (sc *scoring) categorical(f *predictFlags, m *model.Model, t *frame.Table, probs []model.Problem) ([]model.Problem, error) {
	if !m.Mixed() {
		return probs, nil
	}
	cat, unseen, cprobs, err := m.Codes(t, f.unseen == clean.UnseenReject)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.in, err)
	}
	sc.cat, sc.unseen = cat, unseen
	all := append(slices.Clone(probs), cprobs...)
	slices.SortStableFunc(all, func(a, b model.Problem) int { return a.Row - b.Row })
	return all, nil
}

// prepare reads the input and brings it to the model's features: the
// frozen clean steps replayed on the raw rows, or, for a schema-1 model,
// the feature columns as they are.
func prepare(ctx context.Context, f *predictFlags, m *model.Model, stderr io.Writer) (*scoring, error) {
	want, _ := idNames(f, m)
	si, err := openScoreInput(ctx, f.in, m, want)
	if err != nil {
		return nil, err
	}
	defer si.Close()
	header := si.header
	id, idOut, err := idColumn(f, m, header)
	if err != nil {
		return nil, err
	}
	if id != "" && slices.Contains(m.AllFeatures(), id) {
		return nil, usagef("predict: --id %q is one of the model's features", id)
	}
	if m.Transform == nil {
		return prepareFeatures(ctx, f, m, si, id, idOut)
	}
	rp, err := clean.NewReplay(m.Transform, m.AllFeatures())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(f.model), err)
	}
	plan, err := rp.Plan(header, clean.ReplayOptions{Rows: f.rows, Unseen: f.unseen})
	if err != nil {
		var me *clean.MissingColumnsError
		if !errors.As(err, &me) {
			return nil, fmt.Errorf("%s: %w", filepath.Base(f.model), err)
		}
		if len(m.Transform.Steps) > 0 {
			return nil, fmt.Errorf("%s %w (the model replays its clean steps on raw rows like the run's input)", f.in, err)
		}
		return nil, fmt.Errorf("%s %w", f.in, err)
	}
	for _, s := range plan.Skipped {
		fmt.Fprintf(stderr, "note: %s\n", s)
	}
	cols := slices.Clone(plan.Read)
	if id != "" && !slices.Contains(cols, id) {
		cols = append(cols, id)
	}
	raw, err := si.readColumns(ctx, cols)
	if err != nil {
		return nil, err
	}
	sub, err := raw.Select(plan.Read...)
	if err != nil {
		return nil, err
	}
	res, err := plan.Run(ctx, sub)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.in, err)
	}
	X, mprobs, err := m.Matrix(res.Table)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.in, err)
	}
	sc := &scoring{n: raw.NumRows(), rows: res.Rows, X: X, replay: res, plan: plan, idOut: idOut,
		lines: func() []int { return si.lines(raw.NumRows()) }}
	if mprobs, err = sc.categorical(f, m, res.Table, mprobs); err != nil {
		return nil, err
	}
	if id != "" {
		sc.ids = raw.Col(id)
	}
	sc.probs = mergeProblems(res.Problems, mprobs, res.Rows)
	return sc, nil
}

// prepareFeatures is prepare for a schema-1 model: the input holds the
// features as the cluster stage saw them.
func prepareFeatures(ctx context.Context, f *predictFlags, m *model.Model, si *scoreInput, id, idOut string) (*scoring, error) {
	if err := checkFeatureHeader(f.in, si.header, m); err != nil {
		return nil, err
	}
	cols := m.AllFeatures()
	if id != "" {
		cols = append([]string{id}, cols...)
	}
	raw, err := si.readColumns(ctx, cols)
	if err != nil {
		return nil, err
	}
	X, probs, err := m.Matrix(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.in, err)
	}
	n := raw.NumRows()
	sc := &scoring{n: n, rows: make([]int, n), X: X, idOut: idOut,
		lines: func() []int { return si.lines(n) }}
	if sc.probs, err = sc.categorical(f, m, raw, probs); err != nil {
		return nil, err
	}
	for i := range sc.rows {
		sc.rows[i] = i
	}
	if id != "" {
		sc.ids = raw.Col(id)
	}
	return sc, nil
}

// idColumn resolves the input's id column and its name in the output: by
// default the model's (input.id in the raw input, written under the name
// assignments.csv uses), --id COL, or none with --id=.
func idColumn(f *predictFlags, m *model.Model, header []string) (id, out string, err error) {
	id, out = idNames(f, m)
	if id == "" || slices.Contains(header, id) {
		return id, out, nil
	}
	ue := &frame.UnknownColumnError{Name: id, Known: header}
	if f.idSet {
		return "", "", usagef("predict: --id: %s: %v", f.in, ue)
	}
	return "", "", fmt.Errorf("%s has no id column %q (the model's); name it with --id COL, or pass --id= to number the rows instead (%v)", f.in, id, ue)
}

// idNames returns the id column to read from the input (--id, else the
// model's raw input.id) and its name in the output.
func idNames(f *predictFlags, m *model.Model) (id, out string) {
	switch {
	case f.idSet:
		return f.id, f.id
	case m.Transform != nil && m.Input.IDColumn != "":
		return m.Transform.IDColumn, m.Input.IDColumn
	}
	return m.Input.IDColumn, m.Input.IDColumn
}

// checkFeatureHeader reports missing feature columns (schema-1 models).
func checkFeatureHeader(path string, header []string, m *model.Model) error {
	var missing []string
	for _, f := range m.AllFeatures() {
		if !slices.Contains(header, f) {
			missing = append(missing, f)
		}
	}
	switch {
	case len(missing) == 1:
		return fmt.Errorf("%s has no feature column the model needs: %w", path, &frame.UnknownColumnError{Name: missing[0], Known: header})
	case len(missing) > 1:
		return fmt.Errorf("%s lacks %d of the model's feature columns: %s (the model needs %s, named as the cluster stage saw them, after clean's renames)",
			path, len(missing), quoted(missing), quoted(m.AllFeatures()))
	}
	return nil
}

// mergeProblems joins the replay's problems (by input row) with the
// feature matrix's (by replayed row; rows maps them to input rows). A row
// with a replay problem keeps only those: its features are missing because
// of them. A row the training's row steps dropped (--rows training) is not
// scored, so its problems do not count.
func mergeProblems(replay, matrix []model.Problem, rows []int) []model.Problem {
	kept := make(map[int]bool, len(rows))
	for _, r := range rows {
		kept[r] = true
	}
	var out []model.Problem
	has := map[int]bool{}
	for _, p := range replay {
		if kept[p.Row] {
			out = append(out, p)
			has[p.Row] = true
		}
	}
	for _, p := range matrix {
		p.Row = rows[p.Row]
		if !has[p.Row] {
			out = append(out, p)
		}
	}
	slices.SortStableFunc(out, func(a, b model.Problem) int { return a.Row - b.Row })
	return out
}

// score scores the valid rows, writes the outputs and reports.
func (sc *scoring) score(f *predictFlags, m *model.Model, stderr io.Writer) error {
	var lines []int
	if len(sc.probs) > 0 {
		if lines = sc.lines(); lines != nil && len(lines) != sc.n {
			lines = nil // fall back to "row N"
		}
		if !f.skip {
			return unscorable(f.in, sc.probs, lines, sc.ids, f.out)
		}
	}
	bad := map[int][]model.Problem{}
	for _, p := range sc.probs {
		bad[p.Row] = append(bad[p.Row], p)
	}
	d := m.Dim()
	var valid []int // matrix rows to score
	for r, in := range sc.rows {
		if _, isBad := bad[in]; !isBad {
			valid = append(valid, r)
		}
	}
	var rejectsPath string
	if f.skip {
		rejectsPath = rejectsFile(f.out)
		if err := writeAtomic(rejectsPath, func(w io.Writer) error { return writeRejects(w, bad, lines, sc.ids) }); err != nil {
			return err
		}
	}
	if len(valid) == 0 {
		if len(sc.rows) == 0 {
			return fmt.Errorf("%s: none of its %d rows is kept by the training's row steps (--rows training)", f.in, sc.n)
		}
		return fmt.Errorf("%s: none of its %d rows can be scored (see %s)", f.in, sc.n, rejectsPath)
	}
	Xv := make([]float64, 0, len(valid)*d)
	inRows := make([]int, len(valid))
	for k, r := range valid {
		Xv = append(Xv, sc.X[r*d:r*d+d]...)
		inRows[k] = sc.rows[r]
	}
	var (
		s   *model.Scores
		err error
	)
	if m.Mixed() {
		cv := make([][]int32, len(sc.cat))
		for c, col := range sc.cat {
			cv[c] = make([]int32, len(valid))
			for k, r := range valid {
				cv[c][k] = col[r]
			}
		}
		s, err = m.ScoreMixed(Xv, cv, len(valid), f.distances == "all")
	} else {
		s, err = m.Score(Xv, len(valid), f.distances == "all")
	}
	if err != nil {
		return fmt.Errorf("%s: %w", f.in, err)
	}
	if err := writeAtomic(f.out, func(w io.Writer) error {
		return writeScored(w, m, s, inRows, sc.ids, sc.idOut)
	}); err != nil {
		return err
	}
	sc.report(stderr, f, m, s, len(valid), rejectsPath, len(bad))
	return nil
}

// report tells what was scored, what the row steps would have dropped,
// which levels were never seen in training and how many rows are outliers.
func (sc *scoring) report(w io.Writer, f *predictFlags, m *model.Model, s *model.Scores, scored int, rejectsPath string, rejected int) {
	fmt.Fprintf(w, "scored %d of %d rows of %s into %d segments: %s\n", scored, sc.n, f.in, m.K, f.out)
	if res := sc.replay; res != nil {
		for _, rs := range res.RowSteps {
			switch {
			case f.rows == clean.RowsTraining:
				fmt.Fprintf(w, "  %s dropped %d row%s, as in training\n", rs.Step, rs.Drops, pluralS(rs.Drops))
			case rs.Drops > 0:
				fmt.Fprintf(w, "  %s would drop %d row%s, scored anyway (--rows training drops them, as the run did)\n", rs.Step, rs.Drops, pluralS(rs.Drops))
			}
		}
		for _, u := range res.Unseen {
			var parts []string
			for i, l := range u.Levels {
				if i == 5 {
					parts = append(parts, fmt.Sprintf("… %d more", len(u.Levels)-5))
					break
				}
				parts = append(parts, fmt.Sprintf("%q %d", l.Level, l.Rows))
			}
			fmt.Fprintf(w, "  %s: %d row%s whose %q was never seen in training (%s): encoded as zeros (--unseen reject rejects them)\n",
				u.Step, u.Rows, pluralS(u.Rows), u.Column, strings.Join(parts, ", "))
		}
	}
	for _, u := range sc.unseen {
		var parts []string
		for i, l := range u.Levels {
			if i == 5 {
				parts = append(parts, fmt.Sprintf("… %d more", len(u.Levels)-5))
				break
			}
			parts = append(parts, fmt.Sprintf("%q %d", l.Level, l.Rows))
		}
		fmt.Fprintf(w, "  categorical feature %q: %d row%s with a category never seen in training (%s): it mismatches every segment's mode, costing γ = %g (--unseen reject rejects them)\n",
			u.Column, u.Rows, pluralS(u.Rows), strings.Join(parts, ", "), m.Gamma)
	}
	if s.Outlier != nil {
		n := 0
		for _, o := range s.Outlier {
			if o {
				n++
			}
		}
		fmt.Fprintf(w, "  %d outlier%s: farther from their segment's centroid than %g%% of its training customers\n", n, pluralS(n), 100*m.OutlierQuantile)
	}
	if f.skip {
		fmt.Fprintf(w, "%d rows rejected: %s\n", rejected, rejectsPath)
	}
}

// where locates a data row: "line N" when lines are known, else "row N"
// (1-based data row).
func where(row int, lines []int) string {
	if lines != nil {
		return "line " + strconv.Itoa(lines[row])
	}
	return "row " + strconv.Itoa(row+1)
}

// unscorable is the error for rows that cannot be scored.
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
