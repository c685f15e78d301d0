// Command pgbench loads a CSV file into PostgreSQL and times reading it back
// with internal/pgio against internal/csvio reading the CSV file. See
// README.md; run.sh drives it.
//
//	go run ./bench/postgres load -dsn DSN -csv FILE -table churn
//	go run ./bench/postgres pg   -dsn DSN -table churn [-columns "A,B,C"]
//	go run ./bench/postgres csv  -csv FILE [-columns "A,B,C"]
//	go run ./bench/postgres drop -dsn DSN -table churn
//
// pg and csv print one JSON object: rows, columns, seconds of the read
// alone, and the Go heap figures; run.sh wraps each in /usr/bin/time -v for
// the peak resident memory of the whole process.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/internal/frame"
	"github.com/churnlab/segment/internal/pgio"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: pgbench load|pg|csv|drop [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "load":
		err = load(os.Args[2:])
	case "pg":
		err = readPG(os.Args[2:])
	case "csv":
		err = readCSV(os.Args[2:])
	case "drop":
		err = drop(os.Args[2:])
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pgbench:", err)
		os.Exit(1)
	}
}

func columns(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// load creates the table with the kinds csvio infers (bigint, double
// precision, boolean, text) and sends the file's bytes through COPY … FROM
// STDIN (FORMAT csv, HEADER), as psql's \copy does.
func load(args []string) error {
	fs := flag.NewFlagSet("load", flag.ExitOnError)
	dsn := fs.String("dsn", os.Getenv("SEGMENT_PG_DSN"), "PostgreSQL DSN")
	path := fs.String("csv", "bench/out/churn.csv", "CSV file")
	table := fs.String("table", "churn", "table to create (replaced if it exists)")
	fs.Parse(args)
	ctx := context.Background()
	res, err := csvio.ReadFile(ctx, *path, csvio.Options{})
	if err != nil {
		return err
	}
	db, err := pgio.Connect(ctx, *dsn, pgio.Options{})
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	var defs, names []string
	for _, c := range res.Table.Columns() {
		typ := map[frame.Kind]string{frame.Int: "bigint", frame.Float: "double precision", frame.Bool: "boolean", frame.String: "text"}[c.Kind]
		defs = append(defs, pgio.QuoteIdent(c.Name)+" "+typ)
		names = append(names, pgio.QuoteIdent(c.Name))
	}
	q := pgio.QuoteIdent(*table)
	if _, err := conn.Exec(ctx, "DROP TABLE IF EXISTS "+q); err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "CREATE TABLE "+q+" ("+strings.Join(defs, ", ")+")"); err != nil {
		return err
	}
	f, err := os.Open(*path)
	if err != nil {
		return err
	}
	defer f.Close()
	start := time.Now()
	tag, err := conn.PgConn().CopyFrom(ctx, f, "COPY "+q+" FROM STDIN (FORMAT csv, HEADER true, FORCE_NULL ("+strings.Join(names, ", ")+"))")
	if err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "VACUUM ANALYZE "+q); err != nil {
		return err
	}
	var size string
	if err := conn.QueryRow(ctx, "SELECT pg_size_pretty(pg_total_relation_size($1::regclass))", q).Scan(&size); err != nil {
		return err
	}
	fmt.Printf("loaded %d rows x %d columns into %s in %.1f s (COPY + VACUUM ANALYZE); table size %s\n",
		tag.RowsAffected(), len(defs), *table, time.Since(start).Seconds(), size)
	return nil
}

type report struct {
	What       string  `json:"what"`
	Rows       int     `json:"rows"`
	Columns    int     `json:"columns"`
	Seconds    float64 `json:"seconds"`
	HeapMB     float64 `json:"heap_inuse_mb"`  // live heap after the read, table held
	AllocMB    float64 `json:"total_alloc_mb"` // bytes allocated during the read
	SHA256     string  `json:"sha256"`         // rows in the order read
	SetSHA256  string  `json:"set_sha256"`     // rows as a multiset
	ServerCPU  float64 `json:"server_cpu_seconds,omitempty"`
	ClientCPU  float64 `json:"client_cpu_seconds"`
	GOMAXPROCS int     `json:"gomaxprocs"`
}

func emit(r report, t *frame.Table) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	r.Rows, r.Columns = t.NumRows(), t.NumCols()
	r.HeapMB, r.AllocMB = float64(ms.HeapInuse)/1e6, float64(ms.TotalAlloc)/1e6
	r.GOMAXPROCS = runtime.GOMAXPROCS(0)
	if r.ClientCPU == 0 {
		r.ClientCPU = cpuSeconds("self")
	}
	b, _ := json.Marshal(r)
	fmt.Println(string(b))
	runtime.KeepAlive(t)
}

func readPG(args []string) error {
	fs := flag.NewFlagSet("pg", flag.ExitOnError)
	dsn := fs.String("dsn", os.Getenv("SEGMENT_PG_DSN"), "PostgreSQL DSN")
	table := fs.String("table", "churn", "table")
	cols := fs.String("columns", "", "comma-separated columns to read (default all)")
	scan := fs.Int("scan", 0, "read with Scan in batches of this many rows, keeping none (0 = Read the whole table)")
	fs.Parse(args)
	ctx := context.Background()
	start := time.Now()
	db, err := pgio.Connect(ctx, *dsn, pgio.Options{})
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	pid := fmt.Sprint(conn.PgConn().PID())
	cpu0 := cpuSeconds(pid)
	src := pgio.Source{Table: *table, Columns: columns(*cols)}
	if *scan > 0 {
		var last *frame.Table
		lin, err := db.Scan(ctx, src, *scan, func(b *frame.Table) error { last = b; return nil })
		if err != nil {
			return err
		}
		r := report{What: fmt.Sprintf("postgres scan, batches of %d (rows/columns: last batch)", *scan), Seconds: time.Since(start).Seconds(),
			SHA256: lin.SHA256, SetSHA256: lin.SetSHA256, ServerCPU: cpuSeconds(pid) - cpu0}
		emit(r, last)
		return nil
	}
	res, err := db.Read(ctx, src)
	if err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	emit(report{What: "postgres", Seconds: secs, SHA256: res.Lineage.SHA256, SetSHA256: res.Lineage.SetSHA256,
		ServerCPU: cpuSeconds(pid) - cpu0}, res.Table)
	return nil
}

// cpuSeconds is the user+system CPU time of a process from /proc (0 when
// unreadable, e.g. the server runs elsewhere).
func cpuSeconds(pid string) float64 {
	b, err := os.ReadFile("/proc/" + pid + "/stat")
	if err != nil {
		return 0
	}
	// Fields after the command name (which is in parentheses): state is 3, utime 14, stime 15.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0
	}
	var ut, st float64
	fmt.Sscan(f[11], &ut)
	fmt.Sscan(f[12], &st)
	return (ut + st) / 100 // USER_HZ
}

func readCSV(args []string) error {
	fs := flag.NewFlagSet("csv", flag.ExitOnError)
	path := fs.String("csv", "bench/out/churn.csv", "CSV file")
	cols := fs.String("columns", "", "comma-separated columns to read (default all)")
	fs.Parse(args)
	start := time.Now()
	res, err := csvio.ReadFile(context.Background(), *path, csvio.Options{Columns: columns(*cols)})
	if err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	cpu := cpuSeconds("self")
	// The canonical row digest, outside the timing: equal to the PostgreSQL
	// read's when both hold the same values with the same kinds in the same order.
	ordered, set := pgio.HashTable(res.Table)
	emit(report{What: "csv", Seconds: secs, SHA256: ordered, SetSHA256: set, ClientCPU: cpu}, res.Table)
	return nil
}

func drop(args []string) error {
	fs := flag.NewFlagSet("drop", flag.ExitOnError)
	dsn := fs.String("dsn", os.Getenv("SEGMENT_PG_DSN"), "PostgreSQL DSN")
	table := fs.String("table", "churn", "table to drop")
	fs.Parse(args)
	ctx := context.Background()
	db, err := pgio.Connect(ctx, *dsn, pgio.Options{})
	if err != nil {
		return err
	}
	defer db.Close(ctx)
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	_, err = conn.Exec(ctx, "DROP TABLE IF EXISTS "+pgio.QuoteIdent(*table))
	return err
}
