package clean

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/model"
	"github.com/churnlab/segment/internal/rowexpr"
)

// Replaying a model's frozen steps on new rows (`segment predict`).
//
// Only the steps that feed the features run, each narrowed to the columns
// the features need (replayer.restrict); so only the raw columns those
// steps read are required of the input. Row steps (filter, dropna, dedupe)
// do not remove rows unless asked (RowsTraining): predict scores every row
// it is given and reports how many rows each would have dropped. A row
// step whose columns the input lacks is skipped with a note.
//
// A value that a step cannot handle in one row — text in a number column,
// a cast that fails, an expression that fails, a level never seen in
// training (with UnseenReject) — makes that row a Problem; the other rows
// go on.

// replayer is implemented by every kind that can be replayed (all of them):
// how a frozen step narrows itself to what the features need.
type replayer interface {
	Op
	// restrict returns the step reduced to producing the columns in need,
	// or nil when it produces none of them, and changes need (in place) to
	// the columns needed before the step; uses lists the columns the
	// reduced step reads (so a missing input column is blamed on the first
	// step that reads it). reads are the columns its expression read at fit
	// time (nil for a kind without one). A row step keeps itself and adds
	// the columns it reads.
	restrict(need map[string]bool, reads []string) (op Op, uses []string)
}

// replayOp is implemented by kinds that run differently on new rows than
// Apply: a value they cannot handle in one row is recorded in x and that
// row's result is missing, instead of failing the step. The other kinds
// replay with Apply.
type replayOp interface {
	replay(ctx context.Context, t *frame.Table, x *replayCtx) (*frame.Table, error)
}

// rowOp is implemented by the steps that remove rows (filter, dropna,
// dedupe): keep reports which rows of t the step keeps. At replay (x not
// nil) a row the step cannot evaluate is recorded in x and dropped.
type rowOp interface {
	Op
	keep(ctx context.Context, t *frame.Table, x *replayCtx) ([]bool, error)
}

// Rows and Unseen modes of a replay.
const (
	// RowsAll scores every input row; row steps only count the rows they
	// would drop.
	RowsAll = "all"
	// RowsTraining drops the rows the row steps drop, as the run did.
	RowsTraining = "training"
	// UnseenZeros encodes a level never seen in training as all zeros and
	// counts it.
	UnseenZeros = "zeros"
	// UnseenReject makes a row with such a level a problem.
	UnseenReject = "reject"
)

// ReplayOptions choose how row steps and unseen levels are handled.
type ReplayOptions struct {
	Rows   string // RowsAll (default) or RowsTraining
	Unseen string // UnseenZeros (default) or UnseenReject
}

// Replay is a model's transform, decoded and checked, ready to be planned
// against an input.
type Replay struct {
	tr       *model.Transform
	features []string
	steps    []*replayStep
}

type replayStep struct {
	rec   *model.Step
	op    Op
	reads []string // the columns its expression read at fit time
	row   bool     // a row step
}

// NewReplay decodes every frozen step of tr (each must be a known kind
// whose params decode and validate as a clean step does) for a model with
// these features. tr is not modified.
func NewReplay(tr *model.Transform, features []string) (*Replay, error) {
	if s, ok := tr.Replayable(); !ok {
		return nil, fmt.Errorf("the model's step %s was not frozen (%s), so it cannot score raw rows; score a table that already holds the features", s.Name(), s.NotFrozen)
	}
	r := &Replay{tr: tr, features: slices.Clone(features)}
	for i := range tr.Steps {
		rec := &tr.Steps[i]
		k, ok := lookupKind(rec.Kind)
		if !ok {
			return nil, fmt.Errorf("the model's step %s: unknown step kind %q (steps: %s)", rec.Name(), rec.Kind, strings.Join(kindNames(), ", "))
		}
		op := k.new()
		dec := json.NewDecoder(bytes.NewReader(rec.Params))
		dec.DisallowUnknownFields()
		if err := dec.Decode(op); err != nil {
			return nil, fmt.Errorf("the model's step %s: params %s do not decode as a %s step: %v", rec.Name(), rec.Params, rec.Kind, err)
		}
		var fe confyaml.FieldErrors
		op.Validate(&fe, rec.Key)
		if err := fe.Err(); err != nil {
			return nil, fmt.Errorf("the model's step %s: %v", rec.Name(), err)
		}
		if _, ok := op.(replayer); !ok {
			return nil, fmt.Errorf("the model's step %s: a %s step cannot be replayed", rec.Name(), rec.Kind)
		}
		st := &replayStep{rec: rec, op: op}
		_, st.row = op.(rowOp)
		// An expression's columns are its recorded reads (one whose reads
		// were removed by hand fails to compile against the narrowed table).
		for _, c := range rec.Reads {
			st.reads = append(st.reads, c.Name)
		}
		r.steps = append(r.steps, st)
	}
	return r, nil
}

// Plan is a replay planned against one input: the steps that run, narrowed,
// and the raw columns to read.
type Plan struct {
	// Read lists the raw input columns to read, in the model's column order.
	Read []string
	// Skipped says, for each row step that will not be evaluated, why
	// (RowsAll only: its columns are not in the input).
	Skipped []string

	r     *Replay
	opt   ReplayOptions
	steps []plannedStep
}

type plannedStep struct {
	*replayStep
	op Op // narrowed
}

// MissingColumn is a raw column the model needs and the input lacks.
type MissingColumn struct {
	Name     string
	NeededBy string // "<stage>: steps[i].<kind>", or "" for a feature read as it is
}

// MissingColumnsError lists the raw columns the model needs that the input
// lacks, each with the step that needs it.
type MissingColumnsError struct {
	Missing []MissingColumn
	Header  []string // the input's columns
}

func (e *MissingColumnsError) Error() string {
	var b strings.Builder
	if len(e.Missing) == 1 {
		b.WriteString("lacks a column the model needs:")
	} else {
		fmt.Fprintf(&b, "lacks %d columns the model needs:", len(e.Missing))
	}
	for _, m := range e.Missing {
		if m.NeededBy == "" {
			fmt.Fprintf(&b, " %q (a feature", m.Name)
		} else {
			fmt.Fprintf(&b, " %q (read by %s", m.Name, m.NeededBy)
		}
		if s := frame.Suggest(m.Name, e.Header); s != "" {
			fmt.Fprintf(&b, "; did you mean %q?", s)
		}
		b.WriteString(")")
		if m != e.Missing[len(e.Missing)-1] {
			b.WriteString(",")
		}
	}
	return b.String()
}

// Plan plans the replay on an input with these columns. It returns a
// *MissingColumnsError when the input lacks a column the features need (or,
// with RowsTraining, one a row step needs), naming the step that reads it.
func (r *Replay) Plan(header []string, opt ReplayOptions) (*Plan, error) {
	if opt.Rows == "" {
		opt.Rows = RowsAll
	}
	if opt.Unseen == "" {
		opt.Unseen = UnseenZeros
	}
	if opt.Rows != RowsAll && opt.Rows != RowsTraining {
		return nil, fmt.Errorf("rows: %q is neither %q nor %q", opt.Rows, RowsAll, RowsTraining)
	}
	if opt.Unseen != UnseenZeros && opt.Unseen != UnseenReject {
		return nil, fmt.Errorf("unseen: %q is neither %q nor %q", opt.Unseen, UnseenZeros, UnseenReject)
	}
	has := map[string]bool{}
	for _, h := range header {
		has[h] = true
	}
	p := &Plan{r: r, opt: opt}
	include := map[int]bool{}
	if opt.Rows == RowsTraining {
		for i, s := range r.steps {
			include[i] = s.row
		}
	}
	steps, need, who, err := r.backward(include)
	if err != nil {
		return nil, err
	}
	if missing := missingOf(need, who, has); len(missing) > 0 {
		return nil, &MissingColumnsError{Missing: missing, Header: header}
	}
	if opt.Rows == RowsAll {
		// Each row step is evaluated when the input has what it reads.
		for i, s := range r.steps {
			if !s.row {
				continue
			}
			_, need, who, err := r.backward(map[int]bool{i: true})
			if err != nil {
				return nil, err
			}
			if missing := missingOf(need, who, has); len(missing) > 0 {
				p.Skipped = append(p.Skipped, fmt.Sprintf("%s is not evaluated: the input has no column %q", s.rec.Name(), missing[0].Name))
				continue
			}
			include[i] = true
		}
		if steps, need, _, err = r.backward(include); err != nil {
			return nil, err
		}
	}
	p.steps = steps
	for _, c := range r.tr.Columns {
		if need[c.Name] {
			p.Read = append(p.Read, c.Name)
		}
	}
	return p, nil
}

// backward walks the steps from the last to the first, from the features
// (and the row steps in include), narrowing each step to what is needed
// after it. It returns the steps to run in order, the raw columns needed,
// and for each the step (or feature) that reads it first.
func (r *Replay) backward(include map[int]bool) ([]plannedStep, map[string]bool, map[string]string, error) {
	need := map[string]bool{}
	who := map[string]string{}
	for _, f := range r.features {
		need[f] = true
		who[f] = ""
	}
	var out []plannedStep
	for i := len(r.steps) - 1; i >= 0; i-- {
		s := r.steps[i]
		if s.row && !include[i] {
			continue
		}
		op, uses := s.op.(replayer).restrict(need, s.reads)
		if op == nil {
			continue
		}
		for _, c := range uses {
			who[c] = s.rec.Name()
		}
		out = append(out, plannedStep{replayStep: s, op: op})
	}
	slices.Reverse(out)
	for c := range need {
		if _, ok := r.tr.Column(c); !ok {
			what := "the feature " + strconv.Quote(c)
			if who[c] != "" {
				what = strconv.Quote(c) + ", which " + who[c] + " reads,"
			}
			return nil, nil, nil, fmt.Errorf("the model's steps do not produce %s and the raw input had no such column (was model.json edited?)", what)
		}
	}
	return out, need, who, nil
}

// missingOf lists the needed raw columns absent from the input, in name
// order.
func missingOf(need map[string]bool, who map[string]string, has map[string]bool) []MissingColumn {
	var out []MissingColumn
	for c := range need {
		if !has[c] {
			out = append(out, MissingColumn{Name: c, NeededBy: who[c]})
		}
	}
	slices.SortFunc(out, func(a, b MissingColumn) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// RowStep is what a row step did on the replayed rows.
type RowStep struct {
	Step  string // "<stage>: steps[i].<kind>"
	Drops int    // rows it dropped (RowsTraining) or would have dropped (RowsAll), among the rows still kept before it
}

// Unseen counts the rows of one onehot column whose level was never seen in
// training.
type Unseen struct {
	Step   string
	Column string
	Rows   int
	Levels []LevelCount // by rows, most first, then by level
}

// LevelCount is a level and its number of rows.
type LevelCount struct {
	Level string
	Rows  int
}

// ReplayResult is the replayed table and what happened on the way.
type ReplayResult struct {
	// Table holds the columns after the steps; its row i is input row
	// Rows[i] (every row with RowsAll).
	Table *frame.Table
	Rows  []int
	// Problems are the cells that could not be handled, by input row, in
	// the order found.
	Problems []model.Problem
	// RowSteps lists the evaluated row steps in order.
	RowSteps []RowStep
	// Unseen lists the onehot columns that met levels never seen in
	// training (UnseenZeros: encoded as all zeros).
	Unseen []Unseen
}

// replayCtx is what a step sees when it runs on new rows.
type replayCtx struct {
	name   string         // the step's name, for problems
	reads  []model.Column // an expression step's columns at fit time
	rows   []int          // table row → input row
	unseen string
	res    *ReplayResult
}

// problem records a problem with table row i. Only the first line of the
// reason is kept (expr's messages show the expression below it).
func (x *replayCtx) problem(i int, column, value, reason string) {
	reason, _, _ = strings.Cut(reason, "\n")
	x.res.Problems = append(x.res.Problems, model.Problem{Row: x.rows[i], Step: x.name, Column: column, Value: value, Reason: reason})
}

// Run replays the plan on raw, the input's Read columns (as text, or
// already typed): each is first brought to its type at fit time (a cell
// that does not parse is a problem of its row), then the steps run in
// order. raw is not modified.
func (p *Plan) Run(ctx context.Context, raw *frame.Table) (*ReplayResult, error) {
	n := raw.NumRows()
	res := &ReplayResult{Rows: make([]int, n)}
	for i := range res.Rows {
		res.Rows[i] = i
	}
	t, err := p.coerce(raw, res)
	if err != nil {
		return nil, err
	}
	alive := []bool(nil) // RowsAll: rows no row step would have dropped
	for _, s := range p.steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		x := &replayCtx{name: s.rec.Name(), reads: s.rec.Reads, rows: res.Rows, unseen: p.opt.Unseen, res: res}
		if s.row {
			drops, keep, err := p.rowStep(ctx, s, t, x, alive)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", x.name, err)
			}
			res.RowSteps = append(res.RowSteps, RowStep{Step: x.name, Drops: drops})
			if p.opt.Rows == RowsTraining {
				t = t.Filter(keep)
				res.Rows = filterInts(res.Rows, keep)
			} else {
				alive = keep
			}
			continue
		}
		var next *frame.Table
		if r, ok := s.op.(replayOp); ok {
			next, err = r.replay(ctx, t, x)
		} else {
			next, err = s.op.Apply(ctx, t, nil)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", x.name, err)
		}
		t = next
	}
	res.Table = t
	return res, nil
}

// rowStep evaluates a row step. With RowsTraining it returns the rows it
// keeps; with RowsAll it evaluates the step on the rows no earlier row step
// would have dropped (as the run did: a dedupe sees only the rows the
// filters kept) and returns the rows still alive after it. drops counts the
// rows it drops among those.
func (p *Plan) rowStep(ctx context.Context, s plannedStep, t *frame.Table, x *replayCtx, alive []bool) (drops int, keep []bool, err error) {
	op := s.op.(rowOp)
	if alive == nil || p.opt.Rows == RowsTraining {
		keep, err = op.keep(ctx, t, x)
		if err != nil {
			return 0, nil, err
		}
		for _, k := range keep {
			if !k {
				drops++
			}
		}
		return drops, keep, nil
	}
	var idx []int
	for i, a := range alive {
		if a {
			idx = append(idx, i)
		}
	}
	sub := t.Take(idx)
	sx := *x
	sx.rows = make([]int, len(idx))
	for j, i := range idx {
		sx.rows[j] = x.rows[i]
	}
	k, err := op.keep(ctx, sub, &sx)
	if err != nil {
		return 0, nil, err
	}
	keep = make([]bool, len(alive))
	for j, i := range idx {
		keep[i] = k[j]
		if !k[j] {
			drops++
		}
	}
	return drops, keep, nil
}

func filterInts(v []int, keep []bool) []int {
	out := make([]int, 0, len(v))
	for i, k := range keep {
		if k {
			out = append(out, v[i])
		}
	}
	return out
}

// exprInput is a table prepared for replaying an expression step: the rows
// evaluated, with the columns typed as the expression saw them at fit time.
type exprInput struct {
	t   *frame.Table // the rows evaluated
	idx []int        // their rows in the full table; nil when all rows are
	n   int          // rows of the full table
}

// prepareExpr prepares t for the expression whose columns at fit time are
// x.reads. An int column is a float to an expression when it has missing
// values, so: one that had missing values at fit time and has none now gets
// an empty missing mask (the expression sees a float, as then); one that had
// none and has some now has those rows held out — the expression never saw
// a missing value there, so a derive gives missing and a filter false, as
// any expression on a missing value does.
func (x *replayCtx) prepareExpr(t *frame.Table) (*exprInput, error) {
	in := &exprInput{t: t, n: t.NumRows()}
	var held []bool
	for _, r := range x.reads {
		c := t.Col(r.Name)
		if c == nil {
			return nil, fmt.Errorf("the expression reads column %q, which is not in the table here", r.Name)
		}
		kind, err := r.Kind()
		if err != nil {
			return nil, err
		}
		if c.Kind != kind {
			return nil, fmt.Errorf("the expression read column %q as %s at fit time; here it holds %ss", r.Name, kind, c.Kind)
		}
		if c.Kind == frame.Int && !r.Missing && c.Missing != nil {
			if held == nil {
				held = make([]bool, in.n)
			}
			for i, m := range c.Missing {
				held[i] = held[i] || m
			}
		}
	}
	if held != nil {
		for i, h := range held {
			if !h {
				in.idx = append(in.idx, i)
			}
		}
		in.t = t.Take(in.idx)
		if in.idx == nil {
			in.idx = []int{}
		}
	}
	for _, r := range x.reads {
		c := in.t.Col(r.Name)
		if c.Kind == frame.Int && r.Missing && c.Missing == nil {
			cp := *c
			cp.Missing = make([]bool, c.Len())
			var err error
			if in.t, err = in.t.With(&cp); err != nil {
				return nil, err
			}
		}
	}
	return in, nil
}

// compile compiles the expression against the prepared table.
func (in *exprInput) compile(src string) (*rowexpr.Program, error) {
	return rowexpr.Compile(src, rowexpr.VarsOf(in.t))
}

// row maps a row of the evaluated table to the full table.
func (in *exprInput) row(j int) int {
	if in.idx == nil {
		return j
	}
	return in.idx[j]
}

// values shows the columns an expression read in evaluated row j, for a
// problem: "Tenure = 0, Plan = \"x\"".
func (in *exprInput) values(j int, reads []model.Column) string {
	parts := make([]string, 0, len(reads))
	for _, r := range reads {
		c := in.t.Col(r.Name)
		v := "missing"
		if !c.IsMissing(j) {
			v = c.Format(j)
			if c.Kind == frame.String {
				v = fmt.Sprintf("%q", v)
			}
		}
		parts = append(parts, r.Name+" = "+v)
	}
	return strings.Join(parts, ", ")
}

// expand returns c (over the evaluated rows) over the full table, missing
// in the held-out rows.
func (in *exprInput) expand(c *frame.Column) *frame.Column {
	if in.idx == nil {
		return c
	}
	rows := make([]int, in.n) // full row → evaluated row, -1 when held
	for i := range rows {
		rows[i] = -1
	}
	for j, i := range in.idx {
		rows[i] = j
	}
	return takeOrMissing(c, rows)
}

// expandBool returns keep (over the evaluated rows) over the full table,
// false in the held-out rows.
func (in *exprInput) expandBool(keep []bool) []bool {
	if in.idx == nil {
		return keep
	}
	out := make([]bool, in.n)
	for j, i := range in.idx {
		out[i] = keep[j]
	}
	return out
}

// takeOrMissing is Column.Take where a row index of -1 gives a missing
// cell.
func takeOrMissing(c *frame.Column, rows []int) *frame.Column {
	if c.Len() == 0 { // every row held out
		all := make([]bool, len(rows))
		for i := range all {
			all[i] = true
		}
		switch c.Kind {
		case frame.Float:
			return frame.NewFloat(c.Name, make([]float64, len(rows)), all)
		case frame.Int:
			return frame.NewInt(c.Name, make([]int64, len(rows)), all)
		case frame.Bool:
			return frame.NewBool(c.Name, make([]bool, len(rows)), all)
		}
		return frame.NewString(c.Name, make([]string, len(rows)), all)
	}
	src := make([]int, len(rows))
	missing := make([]bool, len(rows))
	for i, r := range rows {
		if r < 0 {
			missing[i] = true
			continue
		}
		src[i] = r
		missing[i] = c.IsMissing(r)
	}
	out := c.Take(src)
	switch out.Kind {
	case frame.Float:
		return frame.NewFloat(out.Name, out.Floats, missing)
	case frame.Int:
		return frame.NewInt(out.Name, out.Int64s(), missing)
	case frame.Bool:
		return frame.NewBool(out.Name, out.Bools, missing)
	}
	codes := out.Codes32()
	for i, m := range missing {
		if m {
			codes[i] = -1
		}
	}
	return frame.NewStringCodes(out.Name, codes, out.Dict)
}
