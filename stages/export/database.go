package export

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/pgio"
	"github.com/churnlab/segment/pipeline"
)

// The states of a database write in the manifest.
const (
	dbPending     = "pending"     // deferred; the run failed before it ran
	dbCommitted   = "committed"   // the rows are in the table
	dbFailed      = "failed"      // rolled back; the table is as it was
	dbInterrupted = "interrupted" // cancelled and rolled back
)

// databaseSink is the manifest's record of the database write (under the
// stage's notes.sinks). Its DSN has every password masked.
type databaseSink struct {
	Kind          string `json:"kind"` // "postgres"
	DSN           string `json:"dsn"`
	ServerVersion string `json:"server_version,omitempty"`
	Table         string `json:"table"` // quoted, as written in SQL
	Mode          string `json:"mode"`
	RunID         string `json:"run_id"`
	ModelSHA256   string `json:"model_sha256"`
	// Status is pending, committed, failed or interrupted.
	Status string `json:"status"`
	// Rows is the number of rows written (committed) or to write.
	Rows int64 `json:"rows"`
	// RowsReplaced are the rows the write deleted: every earlier row in
	// mode replace, the rows of the same run id in mode append-run.
	RowsReplaced int64  `json:"rows_replaced"`
	Created      bool   `json:"created"` // the table did not exist and was created
	Error        string `json:"error,omitempty"`
}

// deferDatabase checks that the database can be reached now — a wrong DSN
// or a refused login fails the run at this stage rather than after the
// later ones — and defers the write to just before the run is published
// (Env.BeforePublish), so that no stage can fail after the rows were
// committed.
func (s *stage) deferDatabase(ctx context.Context, env *pipeline.Env, t *frame.Table, rec *databaseSink) error {
	d := s.cfg.Database
	ref, err := pgio.ParseTableName(d.Table)
	if err != nil {
		return fmt.Errorf("database.table: %w", err)
	}
	rec.Kind, rec.DSN, rec.Table, rec.Mode = "postgres", pgio.RedactDSN(string(d.DSN)), ref.Quoted(), d.Mode
	rec.Status, rec.Rows = dbPending, int64(t.NumRows())
	db, err := pgio.Connect(ctx, string(d.DSN), pgio.Options{})
	if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	rec.ServerVersion = db.ServerVersion()
	db.Close(ctx)
	env.BeforePublish(fmt.Sprintf("write %d customers to PostgreSQL table %s (%s)", t.NumRows(), ref.Quoted(), d.Mode), func(ctx context.Context) error {
		err := writeDatabase(ctx, d, t, rec)
		if err != nil {
			return fmt.Errorf("database: %w", err)
		}
		if env.Log != nil {
			env.Log.Info("customer results written to PostgreSQL", "dsn", rec.DSN, "table", rec.Table, "mode", rec.Mode,
				"rows", rec.Rows, "rows_replaced", rec.RowsReplaced, "created", rec.Created, "run_id", rec.RunID)
		}
		return nil
	})
	return nil
}

// writeDatabase writes the customer results t into the configured table
// with pgio's Write: a COPY into a temporary staging table, then, in one
// transaction, the old rows deleted (all of them, or in mode append-run
// those of the run ids in t) and the staged rows inserted. A reader sees
// the previous rows or the new ones, never a mix; a failure or ctx
// cancelled before the commit leaves the table as it was; writing the
// same run id again replaces its rows rather than adding them. rec is
// updated with what happened.
func writeDatabase(ctx context.Context, d Database, t *frame.Table, rec *databaseSink) error {
	opt := pgio.WriteOptions{NoCreate: !d.Create}
	if d.Mode == ModeAppendRun {
		opt.KeyColumn = ColRunID
	}
	rec.Status, rec.Error = dbFailed, ""
	db, err := pgio.Connect(ctx, string(d.DSN), pgio.Options{})
	if err != nil {
		rec.fail(ctx, err)
		return err
	}
	defer db.Close(context.WithoutCancel(ctx))
	rec.DSN, rec.ServerVersion = db.DSN(), db.ServerVersion()
	res, err := db.Write(ctx, d.Table, t, opt)
	if err != nil {
		err = adviseAppendRun(err, d, rec.Table)
		rec.fail(ctx, err)
		return err
	}
	rec.Status, rec.Rows, rec.RowsReplaced, rec.Created = dbCommitted, res.Inserted, res.Deleted, res.Created
	return nil
}

// adviseAppendRun adds what pgio cannot know to a permission error of the
// delete in mode append-run: it reads run_id, so it needs SELECT too.
func adviseAppendRun(err error, d Database, table string) error {
	var pe *pgio.Error
	if d.Mode != ModeAppendRun || !errors.As(err, &pe) || pe.Code != "42501" || !strings.HasSuffix(pe.Op, "deleting the rows being replaced") {
		return err
	}
	pe.Advice += fmt.Sprintf("; mode append-run also needs SELECT on %s, since its DELETE reads run_id", table)
	return err
}

func (r *databaseSink) fail(ctx context.Context, err error) {
	r.Status, r.Error = dbFailed, err.Error()
	if ctx.Err() != nil {
		r.Status = dbInterrupted
	}
}
