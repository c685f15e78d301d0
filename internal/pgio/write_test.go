package pgio

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/pgtest"
)

// segments builds a results table like the nightly run writes: n customers
// of one run.
func segments(run string, n int, seg int64) *frame.Table {
	ids := make([]string, n)
	segsv := make([]int64, n)
	names := make([]string, n)
	dist := make([]float64, n)
	runs := make([]string, n)
	shas := make([]string, n)
	for i := range n {
		ids[i] = fmt.Sprintf("C%06d", i)
		segsv[i] = (int64(i) + seg) % 4
		names[i] = fmt.Sprintf("Segment %d", segsv[i])
		dist[i] = float64(i) / 7
		runs[i] = run
		shas[i] = "ab12"
	}
	t, err := frame.New(frame.NewString("customer id", ids, nil), frame.NewInt("segment", segsv, nil),
		frame.NewString("segment name", names, nil), frame.NewFloat("distance", dist, nil),
		frame.NewString("run id", runs, nil), frame.NewString("model sha256", shas, nil))
	if err != nil {
		panic(err)
	}
	return t
}

// countRuns returns the target's row count per run id, as "run:n,…".
func countRuns(t *testing.T, db *DB, target string) string {
	t.Helper()
	res := mustRead(t, db, Source{Query: `SELECT "run id", count(*) AS n FROM ` + target + ` GROUP BY 1 ORDER BY 1`})
	var parts []string
	for _, r := range cells(res.Table) {
		parts = append(parts, r[0]+":"+r[1])
	}
	return strings.Join(parts, ",")
}

func mustWrite(t *testing.T, db *DB, target string, tb *frame.Table, opt WriteOptions) *WriteResult {
	t.Helper()
	res, err := db.Write(context.Background(), target, tb, opt)
	if err != nil {
		t.Fatalf("write %s: %v", target, err)
	}
	return res
}

// TestWriteReplacesPerRun writes two runs, reruns the first with other rows
// and checks that the rerun replaced its rows without touching the other
// run; then a write without a key column replaces everything.
func TestWriteReplacesPerRun(t *testing.T) {
	db, _ := testDB(t)
	opt := WriteOptions{KeyColumn: "run id"}
	r := mustWrite(t, db, "Segments", segments("r1", 100, 0), opt)
	if !r.Created || r.Inserted != 100 || r.Deleted != 0 || r.Target != `"Segments"` {
		t.Errorf("first write: %+v", r)
	}
	mustWrite(t, db, "Segments", segments("r2", 50, 1), opt)
	if got := countRuns(t, db, `"Segments"`); got != "r1:100,r2:50" {
		t.Errorf("after r2: %s", got)
	}
	r = mustWrite(t, db, "Segments", segments("r1", 80, 2), opt)
	if r.Created || r.Deleted != 100 || r.Inserted != 80 {
		t.Errorf("rerun: %+v", r)
	}
	if got := countRuns(t, db, `"Segments"`); got != "r1:80,r2:50" {
		t.Errorf("after rerunning r1: %s", got)
	}
	// The rows read back are the rows written.
	want := segments("r1", 80, 2)
	back := mustRead(t, db, Source{Query: `SELECT * FROM "Segments" WHERE "run id" = 'r1'`, OrderBy: []string{"customer id"}})
	sameTable(t, "round trip", want, back.Table)
	// Rerunning the same run id with the same rows changes nothing.
	mustWrite(t, db, "Segments", segments("r1", 80, 2), opt)
	if got := countRuns(t, db, `"Segments"`); got != "r1:80,r2:50" {
		t.Errorf("idempotent rerun: %s", got)
	}
	r = mustWrite(t, db, "Segments", segments("r3", 10, 0), WriteOptions{})
	if r.Deleted != 130 || countRuns(t, db, `"Segments"`) != "r3:10" {
		t.Errorf("replace all: %+v, %s", r, countRuns(t, db, `"Segments"`))
	}
}

// TestWriteExistingTarget writes into a table the user made, with other
// types (the values are CAST), a column order of its own and an extra
// column with a default.
func TestWriteExistingTarget(t *testing.T) {
	db, dsn := testDB(t)
	pgtest.Exec(t, dsn, `CREATE TABLE out ("run id" varchar(10) NOT NULL, "segment" smallint, "distance" numeric(12,6), "customer id" text,
		"segment name" text, "model sha256" text, written_at timestamptz NOT NULL DEFAULT now())`,
		`CREATE VIEW latest AS SELECT "customer id", segment FROM out`)
	mustWrite(t, db, "out", segments("r1", 20, 0), WriteOptions{KeyColumn: "run id"})
	res := mustRead(t, db, Source{Query: `SELECT segment, distance, written_at IS NOT NULL AS stamped FROM out ORDER BY "customer id" LIMIT 2 OFFSET 7`})
	if got := fmt.Sprint(cells(res.Table)); got != "[[3 1 true] [0 1.142857 true]]" {
		t.Errorf("cast values: %s", got)
	}
	// The view on the target keeps working after a rerun.
	mustWrite(t, db, "out", segments("r1", 5, 0), WriteOptions{KeyColumn: "run id"})
	if res := mustRead(t, db, Source{Table: "latest"}); res.Table.NumRows() != 5 {
		t.Errorf("view: %d rows", res.Table.NumRows())
	}
	pgtest.Exec(t, dsn, `CREATE TABLE narrow ("customer id" text)`)
	_, err := db.Write(context.Background(), "narrow", segments("r1", 5, 0), WriteOptions{})
	wantError(t, "missing column", err, "", `the table has no column "segment"`, `ALTER TABLE "narrow" ADD COLUMN "segment" bigint`)
	_, err = db.Write(context.Background(), "absent", segments("r1", 5, 0), WriteOptions{NoCreate: true})
	wantError(t, "NoCreate", err, "42P01", `relation "absent" does not exist`)
	_, err = db.Write(context.Background(), "out", segments("r1", 5, 0), WriteOptions{KeyColumn: "run_id"})
	wantError(t, "bad key", err, "", `key column: unknown column "run_id" (did you mean "run id"?)`)
	_, err = db.Write(context.Background(), "nope.out", segments("r1", 5, 0), WriteOptions{})
	wantError(t, "missing schema", err, "3F000", `schema "nope" does not exist`)
	// A value the target's type refuses fails the write as a whole.
	pgtest.Exec(t, dsn, `CREATE TABLE strict ("customer id" text, segment int CHECK (segment < 3), "segment name" text, distance float8, "run id" text, "model sha256" text)`)
	_, err = db.Write(context.Background(), "strict", segments("r1", 20, 0), WriteOptions{KeyColumn: "run id"})
	wantError(t, "check constraint", err, "23514", "inserting the rows", "nothing was written")
	if res := mustRead(t, db, Source{Table: "strict"}); res.Table.NumRows() != 0 {
		t.Error("rows left after a failed write")
	}
}

// TestWriteReadersSeeOldOrNew checks that a reader sees the previous rows
// until COMMIT and the new ones after, never a mix: deterministically just
// before COMMIT, and with a reader polling during repeated writes. A reader
// in a REPEATABLE READ transaction opened before the write keeps reading the
// old rows, and does not block the write.
func TestWriteReadersSeeOldOrNew(t *testing.T) {
	db, dsn := testDB(t)
	opt := WriteOptions{KeyColumn: "run id"}
	mustWrite(t, db, "seg", segments("night", 20000, 0), opt)
	reader := open(t, dsn, Options{})

	// A long reader transaction from before the write.
	ctx := context.Background()
	held := pgtest.Connect(t, dsn)
	if _, err := held.Exec(ctx, "BEGIN ISOLATION LEVEL REPEATABLE READ"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := held.QueryRow(ctx, "SELECT count(*) FROM seg").Scan(&n); err != nil || n != 20000 {
		t.Fatalf("held reader: %d %v", n, err)
	}

	testHookBeforeCommit = func() {
		// The rows are deleted and inserted, not yet committed.
		if got := countRuns(t, reader, "seg"); got != "night:20000" {
			t.Errorf("before COMMIT a reader sees %s", got)
		}
	}
	mustWrite(t, db, "seg", segments("night", 15000, 1), opt)
	testHookBeforeCommit = nil
	if got := countRuns(t, reader, "seg"); got != "night:15000" {
		t.Errorf("after COMMIT: %s", got)
	}
	if err := held.QueryRow(ctx, "SELECT count(*) FROM seg").Scan(&n); err != nil || n != 20000 {
		t.Errorf("held reader after the write: %d %v", n, err)
	}
	held.Exec(ctx, "COMMIT")

	// A polling reader during five writes of alternating sizes.
	var stop atomic.Bool
	var wg sync.WaitGroup
	seen := map[int]int{}
	var mu sync.Mutex
	wg.Go(func() {
		r := pgtest.Connect(t, dsn)
		for !stop.Load() {
			var c int
			if err := r.QueryRow(ctx, `SELECT count(*) FROM seg WHERE "run id" = 'night'`).Scan(&c); err != nil {
				t.Errorf("poll: %v", err)
				return
			}
			mu.Lock()
			seen[c]++
			mu.Unlock()
		}
	})
	for i := range 5 {
		mustWrite(t, db, "seg", segments("night", 10000+5000*(i%2), int64(i)), opt)
	}
	stop.Store(true)
	wg.Wait()
	for c := range seen {
		if c != 10000 && c != 15000 {
			t.Errorf("a reader saw %d rows (want 10000 or 15000): %v", c, seen)
		}
	}
	t.Logf("row counts seen by the polling reader: %v", seen)
}

// TestWriteInterrupted cancels the context in the middle of the COPY, and
// ends the writer's session just before COMMIT: either way the previous
// rows are intact and nothing of the new run is visible.
func TestWriteInterrupted(t *testing.T) {
	db, dsn := testDB(t)
	opt := WriteOptions{KeyColumn: "run id"}
	mustWrite(t, db, "seg", segments("night", 1000, 0), opt)
	before := mustRead(t, db, Source{Table: "seg", OrderBy: []string{"customer id"}}).Lineage.SHA256

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	copied := 0
	testHookCopied = func(rows int) {
		if copied == 0 && rows < 200000 {
			copied = rows
			cancel()
			time.Sleep(50 * time.Millisecond) // let the cancel reach the server mid-COPY
		}
	}
	_, err := db.Write(ctx, "seg", segments("night", 200000, 1), opt)
	testHookCopied = nil
	if err == nil {
		t.Fatal("the cancelled write succeeded")
	}
	if copied == 0 || copied >= 200000 {
		t.Errorf("cancelled after %d rows", copied)
	}
	t.Logf("cancelled after %d rows: %v", copied, err)
	check := open(t, dsn, Options{})
	if after := mustRead(t, check, Source{Table: "seg", OrderBy: []string{"customer id"}}).Lineage.SHA256; after != before {
		t.Error("the cancelled write changed the table")
	}

	// The session dies between INSERT and COMMIT.
	admin := pgtest.Connect(t, dsn)
	testHookBeforeCommit = func() {
		conn, _ := db.Conn(context.Background())
		if _, err := admin.Exec(context.Background(), "SELECT pg_terminate_backend($1)", conn.PgConn().PID()); err != nil {
			t.Error(err)
		}
	}
	_, err = db.Write(context.Background(), "seg", segments("night", 500, 1), opt)
	testHookBeforeCommit = nil
	if err == nil {
		t.Fatal("the write whose session ended succeeded")
	}
	t.Logf("session ended before COMMIT: %v", err)
	if after := mustRead(t, check, Source{Table: "seg", OrderBy: []string{"customer id"}}).Lineage.SHA256; after != before {
		t.Error("the interrupted write changed the table")
	}
	// The DB reconnects and the next write works.
	mustWrite(t, db, "seg", segments("night", 500, 1), opt)
	if got := countRuns(t, check, "seg"); got != "night:500" {
		t.Errorf("after a good write: %s", got)
	}
}

// TestWritePermissions writes as a role that may not create the table, may
// not write an existing one, or may not create temporary tables.
func TestWritePermissions(t *testing.T) {
	base := pgtest.DSN(t)
	sdsn, schema := pgtest.Schema(t, base)
	rdsn, role := pgtest.Role(t, base)
	pgtest.Exec(t, base, "GRANT USAGE ON SCHEMA "+schema+" TO "+role)
	db := open(t, pgtest.WithParam(rdsn, "options", "-c search_path="+schema), Options{})
	ctx := context.Background()
	_, err := db.Write(ctx, "results", segments("r1", 10, 0), WriteOptions{KeyColumn: "run id"})
	wantError(t, "no CREATE", err, "42501", `postgres: writing "results": creating the table: permission denied for schema `+schema,
		"nothing was written", `needs CREATE on the schema on its search_path to create "results"`)
	_, err = db.Write(ctx, schema+".results", segments("r1", 10, 0), WriteOptions{})
	wantError(t, "no CREATE, qualified", err, "42501", `needs CREATE on schema "`+schema+`"`)

	pgtest.Exec(t, sdsn, `CREATE TABLE results ("customer id" text, segment bigint, "segment name" text, distance float8, "run id" text, "model sha256" text)`,
		"GRANT SELECT ON results TO "+role)
	_, err = db.Write(ctx, "results", segments("r1", 10, 0), WriteOptions{KeyColumn: "run id"})
	wantError(t, "no INSERT/DELETE", err, "42501", "permission denied for table results", `needs INSERT and DELETE on "results"`)

	pgtest.Exec(t, sdsn, "GRANT INSERT, DELETE ON results TO "+role)
	mustWrite(t, db, "results", segments("r1", 10, 0), WriteOptions{KeyColumn: "run id"})

	// Without TEMPORARY on the database the staging table cannot be made.
	// (In a database of its own: other packages' tests use the shared one
	// at the same time.)
	ddsn, dbname := pgtest.Database(t, base)
	pgtest.Exec(t, ddsn, "REVOKE TEMPORARY ON DATABASE "+pgtest.QuoteIdent(dbname)+" FROM PUBLIC",
		`CREATE TABLE results ("customer id" text, segment bigint, "segment name" text, distance float8, "run id" text, "model sha256" text)`,
		"GRANT INSERT, DELETE, SELECT ON results TO "+role)
	fresh := open(t, pgtest.WithParam(rdsn, "dbname", dbname), Options{})
	_, err = fresh.Write(ctx, "results", segments("r1", 10, 0), WriteOptions{KeyColumn: "run id"})
	wantError(t, "no TEMPORARY", err, "42501", "creating the staging table", "needs TEMPORARY on the database")
}

func TestWriteInputMistakes(t *testing.T) {
	db, _ := testDB(t)
	ctx := context.Background()
	miss, _ := frame.New(frame.NewString("run id", []string{"a", ""}, []bool{false, true}))
	_, err := db.Write(ctx, "x", miss, WriteOptions{KeyColumn: "run id"})
	wantError(t, "missing run id", err, "", `key column "run id" has 1 missing values`)
	_, err = db.Write(ctx, "a.b.c", miss, WriteOptions{})
	wantError(t, "bad name", err, "", "3 dot-separated parts")
	empty, _ := frame.New()
	_, err = db.Write(ctx, "x", empty, WriteOptions{})
	wantError(t, "no columns", err, "", "no columns to write")
}
