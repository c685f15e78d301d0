package pgio

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// writeTx is the transaction of one write (Write, WriteSelect): every
// statement's error names the step, the statement and the target, and
// anything not committed is rolled back — by rollback, deferred by the
// caller, or by the server when the connection is gone.
type writeTx struct {
	ctx       context.Context
	db        *DB
	tx        pgx.Tx
	op        string
	ref       TableRef
	committed bool
}

// beginWrite starts the transaction of op on ref.
func (db *DB) beginWrite(ctx context.Context, op string, ref TableRef) (*writeTx, error) {
	tx, err := db.conn.Begin(ctx)
	if err != nil {
		return nil, wrapErr(err, op+": starting the transaction", nil, db.secrets)
	}
	return &writeTx{ctx: ctx, db: db, tx: tx, op: op, ref: ref}, nil
}

// exec runs one statement of the write (step says what it does, for the
// error) and returns the rows it affected.
func (w *writeTx) exec(step, sql string, args ...any) (int64, error) {
	tag, err := w.tx.Exec(w.ctx, sql, args...)
	if err != nil {
		return 0, w.db.writeError(err, w.op, step, sql, w.ref)
	}
	return tag.RowsAffected(), nil
}

// commit publishes the write (after the test hook, which may break the
// connection just before).
func (w *writeTx) commit() error {
	if testHookBeforeCommit != nil {
		testHookBeforeCommit()
	}
	if err := w.tx.Commit(w.ctx); err != nil {
		return w.db.writeError(err, w.op, "committing", "COMMIT", w.ref)
	}
	w.committed = true
	return nil
}

// rollback undoes an uncommitted write, even when ctx is cancelled
// (cleanupContext); a closed connection has been rolled back by the server.
func (w *writeTx) rollback() {
	if w.committed || w.db.conn.IsClosed() {
		return
	}
	c, cancel := cleanupContext(w.ctx)
	defer cancel()
	_ = w.tx.Rollback(c)
}
