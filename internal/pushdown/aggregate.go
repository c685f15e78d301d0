package pushdown

import (
	"context"
	"fmt"
	"math"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/churnlab/segment/internal/sqlgen"
)

// AggKind is a combinable aggregate.
type AggKind int

// The aggregates Aggregate computes per part and combines.
const (
	// Count is count(*) (X unused).
	Count AggKind = iota
	// NonNull is count(X).
	NonNull
	// Sum is sum(X) as a double (NULL-free; 0 over no rows).
	Sum
	// Min and Max of X (NaN over no non-NULL value).
	Min
	Max
	// Moment is the Moments of X.
	Moment
	// CoMoment is the CoMoments of X and Y.
	CoMoment
)

// Agg is one aggregate: its kind and the SQL of its argument(s) over the
// query's current relation. A number must be a double precision (Sum, Min,
// Max, Moment, CoMoment).
type Agg struct {
	Kind AggKind
	X, Y string
}

// Value is an aggregate's combined value.
type Value struct {
	N int64     // Count, NonNull
	F float64   // Sum, Min, Max (NaN when there was no value)
	M Moments   // Moment
	C CoMoments // CoMoment
}

// Group is the aggregates of one group: its key values (nil for NULL,
// else int64, float64, bool or string as the statement returns them) and
// one Value per Agg.
type Group struct {
	Key  []any
	Vals []Value
}

// Groups are the combined groups, in the order first seen (parts in
// order).
type Groups struct {
	List  []*Group
	index map[string]*Group
}

// Get returns the group with the key, nil when there is none.
func (g *Groups) Get(key ...any) *Group {
	return g.index[keyString(key)]
}

func keyString(key []any) string {
	var b strings.Builder
	for _, k := range key {
		fmt.Fprintf(&b, "%T:%v\x00", k, k)
	}
	return b.String()
}

// Spec is an aggregate statement: the groups (SQL expressions over the
// current relation; none for one group over every row), the aggregates and
// a condition on the rows (Where, "" for all).
type Spec struct {
	Keys  []string
	Aggs  []Agg
	Where string
}

// Aggregate runs spec on every part — extend first adds layers to the
// relation's query (scoring, say) and returns the spec over them — and
// combines the parts' results per group. Without keys there is exactly one
// group, also over no rows.
func (r *Relation) Aggregate(ctx context.Context, what string, extend func(q *sqlgen.Query) (Spec, error)) (*Groups, error) {
	out := &Groups{index: map[string]*Group{}}
	var spec Spec
	err := r.EachPart(ctx, what, func(q *sqlgen.Query) (string, error) {
		var err error
		if spec, err = extend(q); err != nil {
			return "", err
		}
		return aggSQL(q, spec), nil
	}, func(_ string, rows pgx.Rows) error {
		vals, err := rows.Values()
		if err != nil {
			return err
		}
		key := vals[:len(spec.Keys)]
		g := out.index[keyString(key)]
		if g == nil {
			g = &Group{Key: append([]any(nil), key...), Vals: make([]Value, len(spec.Aggs))}
			for i, a := range spec.Aggs {
				if a.Kind == Min || a.Kind == Max {
					g.Vals[i].F = math.NaN()
				}
			}
			out.index[keyString(key)] = g
			out.List = append(out.List, g)
		}
		at := len(spec.Keys)
		for i, a := range spec.Aggs {
			n := width(a.Kind)
			if err := g.Vals[i].add(a.Kind, vals[at:at+n]); err != nil {
				return &scanError{err}
			}
			at += n
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(spec.Keys) == 0 && len(out.List) == 0 {
		g := &Group{Vals: make([]Value, len(spec.Aggs))}
		for i, a := range spec.Aggs {
			if a.Kind == Min || a.Kind == Max {
				g.Vals[i].F = math.NaN()
			}
		}
		out.List = append(out.List, g)
		out.index[keyString(nil)] = g
	}
	return out, nil
}

// aggSQL writes the statement of spec over q.
func aggSQL(q *sqlgen.Query, spec Spec) string {
	list := append([]string(nil), spec.Keys...)
	for _, a := range spec.Aggs {
		list = append(list, aggColumns(a)...)
	}
	var group []string
	for i := range spec.Keys {
		group = append(group, fmt.Sprint(i+1))
	}
	return q.Select(sqlgen.Select{List: list, Where: spec.Where, GroupBy: group})
}

// width is the number of result columns of an aggregate.
func width(k AggKind) int {
	switch k {
	case Moment:
		return 3
	case CoMoment:
		return 6
	}
	return 1
}

func aggColumns(a Agg) []string {
	switch a.Kind {
	case Count:
		return []string{"count(*)"}
	case NonNull:
		return []string{"count(" + a.X + ")"}
	case Sum:
		return []string{"sum(" + a.X + ")"}
	case Min:
		return []string{"min(" + a.X + ")"}
	case Max:
		return []string{"max(" + a.X + ")"}
	case Moment:
		return []string{"regr_count(" + a.X + ", " + a.X + ")", "regr_avgx(" + a.X + ", " + a.X + ")", "regr_sxx(" + a.X + ", " + a.X + ")"}
	}
	// regr_*(Y, X): X is the independent variable.
	return []string{"regr_count(" + a.Y + ", " + a.X + ")", "regr_avgx(" + a.Y + ", " + a.X + ")", "regr_avgy(" + a.Y + ", " + a.X + ")",
		"regr_sxx(" + a.Y + ", " + a.X + ")", "regr_syy(" + a.Y + ", " + a.X + ")", "regr_sxy(" + a.Y + ", " + a.X + ")"}
}

// add combines one part's result columns into v.
func (v *Value) add(k AggKind, cols []any) error {
	switch k {
	case Count, NonNull:
		n, err := asInt(cols[0])
		v.N += n
		return err
	case Sum:
		if cols[0] == nil {
			return nil
		}
		f, err := asFloat(cols[0])
		v.F += f
		return err
	case Min, Max:
		if cols[0] == nil {
			return nil
		}
		f, err := asFloat(cols[0])
		if err != nil {
			return err
		}
		if math.IsNaN(v.F) || k == Min && f < v.F || k == Max && f > v.F {
			v.F = f
		}
		return nil
	case Moment:
		n, err := asInt(cols[0])
		if err != nil || n == 0 {
			return err
		}
		m := Moments{N: n}
		if m.Mean, err = asFloat(cols[1]); err != nil {
			return err
		}
		if m.M2, err = asFloat(cols[2]); err != nil {
			return err
		}
		v.M = v.M.Add(m)
		return nil
	}
	n, err := asInt(cols[0])
	if err != nil || n == 0 {
		return err
	}
	c := CoMoments{N: n}
	for i, p := range []*float64{&c.MeanX, &c.MeanY, &c.Sxx, &c.Syy, &c.Sxy} {
		if *p, err = asFloat(cols[i+1]); err != nil {
			return err
		}
	}
	v.C = v.C.Add(c)
	return nil
}

func asInt(x any) (int64, error) {
	switch v := x.(type) {
	case int64:
		return v, nil
	case int32:
		return int64(v), nil
	case nil:
		return 0, nil
	}
	return 0, fmt.Errorf("a count came back as %T", x)
}

func asFloat(x any) (float64, error) {
	switch v := x.(type) {
	case float64:
		return v, nil
	case float32:
		return float64(v), nil
	case int64:
		return float64(v), nil
	case nil:
		return math.NaN(), nil
	}
	return 0, fmt.Errorf("a number came back as %T", x)
}

func nanValue() float64 { return math.NaN() }
