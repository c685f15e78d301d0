package ingest

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/churnlab/segment/internal/pushdown"
	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/internal/sqlgen"
	"github.com/churnlab/segment/pipeline"
	"github.com/jackc/pgx/v5"
)

// runDatabase is the ingest stage in execution.mode: database: no row is
// read. The source's connection becomes the run's database session, the
// rows are counted (and the id's missing and repeated values) in SQL, and
// the table is left in the State as a pushdown.Relation for the next
// stages.
func (s *stage) runDatabase(ctx context.Context, env *pipeline.Env, st *pipeline.State) error {
	in := env.Input()
	if in == nil || in.Source == nil {
		return errors.New("no input was opened (the ingest stage runs inside pipeline.Run)")
	}
	if err := s.cfg.CheckMode(env.ModeFacts()); err != nil {
		return err
	}
	b, ok := in.Source.(pushdown.Backend)
	if !ok {
		return fmt.Errorf("execution.mode: database: the input (%s) is not a database source", env.Config.Input.Describe())
	}
	cfg := &env.Config.Input
	sess, rel, err := pushdown.Open(ctx, b, pushdown.Options{IDColumn: cfg.ID, Columns: in.Columns, PerPartition: env.Config.Execution.Database.PerPartition})
	if err != nil {
		return err
	}
	sess.Begin(env.Name)
	var count []string
	if cfg.ID != "" {
		count = append(count, cfg.ID)
	}
	if rel, err = rel.Count(ctx, "counting the input's rows", count); err != nil {
		return err
	}
	n, _ := rel.Rows()
	if cfg.ID != "" {
		if m, _ := rel.Missing(cfg.ID); m > 0 {
			env.Warn("id column %q has %d missing values", cfg.ID, m)
		}
		var distinct int64
		if err := rel.Whole(ctx, "counting the distinct ids", func(q *sqlgen.Query) (string, error) {
			return q.Select(sqlgen.Select{List: []string{"count(DISTINCT " + q.Ref(cfg.ID) + ")", "count(" + q.Ref(cfg.ID) + ")"}}), nil
		}, func(rows pgx.Rows) error {
			var nonNull int64
			if err := rows.Scan(&distinct, &nonNull); err != nil {
				return err
			}
			if distinct < nonNull {
				env.Warn("id column %q has %d repeated values; segment assignments will repeat those ids", cfg.ID, nonNull-distinct)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	for _, f := range in.LeftOut {
		env.Warn("left out column %q: its type %s cannot be read (%s); no stage uses it", f.Name, f.Type, f.Unsupported)
	}
	var types []result.ColumnType
	for _, c := range rel.Typed() {
		for _, f := range in.Fields {
			if f.Name == c.Name {
				types = append(types, result.ColumnType{Name: c.Name, Type: f.Type})
			}
		}
	}
	log := sess.Log()
	st.Input = &result.Input{
		Format: "postgres", DSN: sess.DSN(), ServerVersion: sess.ServerVersion(),
		Rows: n, Columns: len(rel.Columns()), IDColumn: cfg.ID, SourceTypes: types,
		Statement: log[0].SQL,
	}
	if t, q := sourceKeys(env); t != "" {
		st.Input.Table = t
	} else {
		st.Input.Query = q
	}
	note := map[string]any{"mode": pipeline.ModeDatabase, "source": sess.Label()}
	if parts := sess.Parts(); len(parts) > 0 {
		note["partitions"] = parts
		env.Log.Info("the table is partitioned into foreign tables: every statement runs once per partition", "partitions", len(parts))
	}
	note["record"] = pushdown.RecordOf(log)
	env.Note("database", note)
	st.Database = rel
	return nil
}

// sourceKeys are the postgres source's table or query, from the effective
// config's JSON form (the ingest stage does not import the source).
func sourceKeys(env *pipeline.Env) (table, query string) {
	b, ok := env.Input().Source.(pushdown.Backend)
	if !ok {
		return "", ""
	}
	_, src := b.Pushdown()
	return strings.TrimSpace(src.Table), strings.TrimSpace(src.Query)
}
