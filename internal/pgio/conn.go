package pgio

import (
	"context"
	"errors"
	"fmt"
	dsnpkg "github.com/churnlab/segment/internal/dsn"
	"net"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Options tune a connection. The zero value is ready to use.
type Options struct {
	// StatementTimeout, when > 0, sets the session's statement_timeout:
	// a statement running longer fails with SQLSTATE 57014. A
	// statement_timeout given in the DSN (options='-c statement_timeout=…')
	// applies when this is 0.
	StatementTimeout time.Duration
	// ConnectTimeout bounds each connection attempt; 0 uses the DSN's
	// connect_timeout, or 10 s when the DSN has none.
	ConnectTimeout time.Duration
}

// DefaultConnectTimeout bounds a connection attempt when neither the DSN nor
// Options set a timeout.
const DefaultConnectTimeout = 10 * time.Second

// DB is one connection to a PostgreSQL server. It is not safe for
// concurrent use; open one DB per goroutine. When a read or write fails in a
// way that closes the connection (a dropped connection, a cancelled COPY),
// the next call reconnects.
type DB struct {
	cfg     *pgx.ConnConfig
	dsn     string // redacted
	secrets []string
	conn    *pgx.Conn
	version string
}

// Connect opens a connection. dsn is a URL (postgres://user@host:5432/db?…)
// or a key=value string (host=/run/postgresql port=5432 dbname=db …); what
// it leaves out comes from the PG* environment variables and the libpq
// defaults, as with psql. Errors never contain the password.
func Connect(ctx context.Context, dsn string, opt Options) (*DB, error) {
	secrets := dsnpkg.Secrets(dsn)
	red := RedactDSN(dsn)
	if strings.TrimSpace(dsn) == "" {
		return nil, &Error{Op: "cannot connect", Message: "the DSN is empty", Advice: "give a DSN such as host=/run/postgresql dbname=mydb or postgres://user@host/db"}
	}
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, &Error{Op: "cannot connect", DSN: red, Message: "the DSN is not valid: " + dsnpkg.Scrub(parseReason(err), secrets),
			Advice: "write it as a URL (postgres://user@host:5432/db) or as key=value pairs (host=… dbname=…)"}
	}
	if cfg.Password != "" {
		secrets = append(secrets, cfg.Password)
	}
	switch {
	case opt.ConnectTimeout > 0:
		cfg.ConnectTimeout = opt.ConnectTimeout
	case cfg.ConnectTimeout == 0:
		cfg.ConnectTimeout = DefaultConnectTimeout
	}
	if opt.StatementTimeout > 0 {
		cfg.RuntimeParams["statement_timeout"] = strconv.FormatInt(opt.StatementTimeout.Milliseconds(), 10)
	}
	if _, ok := cfg.RuntimeParams["application_name"]; !ok {
		cfg.RuntimeParams["application_name"] = "segment"
	}
	// Dates and floats are decoded from binary, so DateStyle and
	// extra_float_digits do not matter; statements are never cached so a
	// table changed between runs is described afresh.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeDescribeExec
	cfg.StatementCacheCapacity = 0
	cfg.DescriptionCacheCapacity = 0
	db := &DB{cfg: cfg, dsn: red, secrets: secrets}
	if err := db.connect(ctx); err != nil {
		return nil, err
	}
	return db, nil
}

// parseReason is the reason pgx gives for a DSN it cannot parse, without
// the DSN itself.
func parseReason(err error) string {
	var pe *pgconn.ParseConfigError
	if errors.As(err, &pe) {
		if u := errors.Unwrap(pe); u != nil {
			return u.Error()
		}
		// The message sits between the quoted DSN and the end.
		msg := pe.Error()
		if i := strings.LastIndex(msg, "`: "); i >= 0 {
			return msg[i+3:]
		}
		return "cannot parse it"
	}
	return err.Error()
}

func (db *DB) connect(ctx context.Context) error {
	conn, err := pgx.ConnectConfig(ctx, db.cfg)
	if err != nil {
		return db.connectError(err)
	}
	db.conn = conn
	db.version = conn.PgConn().ParameterStatus("server_version")
	return nil
}

// connectError explains why a connection could not be made.
func (db *DB) connectError(err error) error {
	e := &Error{Op: "cannot connect", DSN: db.dsn, Err: err}
	var pgErr *pgconn.PgError
	var dnsErr *net.DNSError
	switch {
	case errors.As(err, &pgErr):
		e.Code = pgErr.Code
		e.Message = pgErr.Message
		e.Detail = pgErr.Detail
		e.Advice = adviceByCode[pgErr.Code]
		switch pgErr.Code {
		case "28P01", "28000":
			e.Op = "login refused"
		case "3D000":
			e.Op = "no such database"
		}
	case errors.Is(err, context.Canceled):
		e.Message = "cancelled"
	case errors.Is(err, context.DeadlineExceeded) || pgconn.Timeout(err):
		e.Message = "no answer within the connect timeout"
		e.Advice = "check host and port, and that a firewall lets the connection through"
	case errors.As(err, &dnsErr):
		e.Message = fmt.Sprintf("cannot resolve host %q (%s)", dnsErr.Name, dnsErr.Err)
		e.Advice = "check host in the DSN"
	case errors.Is(err, syscall.ENOENT):
		e.Message = fmt.Sprintf("no server socket at %s (no such file or directory)", db.socketPath())
		e.Advice = "is the server running, and are host and port right?"
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Message = "connection refused at " + db.address()
		e.Advice = "is the server running and listening there, and are host and port right?"
	default:
		e.Message = connectReason(err)
	}
	e.Message = dsnpkg.Scrub(e.Message, db.secrets)
	e.Detail = dsnpkg.Scrub(e.Detail, db.secrets)
	return e
}

// connectReason is pgx's reason for a failed connection without its
// "failed to connect to `user=… database=…`:" prefix (the DSN is shown
// instead).
func connectReason(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "`:"); i >= 0 && strings.HasPrefix(msg, "failed to connect to `") {
		msg = strings.TrimSpace(msg[i+2:])
	}
	// One attempt per line (several hosts, or TLS then plain); say each once.
	var lines []string
	seen := map[string]bool{}
	for _, l := range strings.Split(msg, "\n") {
		l = strings.Join(strings.Fields(l), " ")
		if l != "" && !seen[l] {
			seen[l] = true
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "; ")
}

func (db *DB) socketPath() string {
	if strings.HasPrefix(db.cfg.Host, "/") {
		return fmt.Sprintf("%s/.s.PGSQL.%d", db.cfg.Host, db.cfg.Port)
	}
	return db.address()
}

func (db *DB) address() string {
	if strings.HasPrefix(db.cfg.Host, "/") {
		return db.socketPath()
	}
	return fmt.Sprintf("%s:%d", db.cfg.Host, db.cfg.Port)
}

// ensure reconnects when the connection was closed by an earlier failure.
func (db *DB) ensure(ctx context.Context) error {
	if db.conn != nil && !db.conn.IsClosed() {
		return nil
	}
	return db.connect(ctx)
}

// Close closes the connection.
func (db *DB) Close(ctx context.Context) error {
	if db.conn == nil {
		return nil
	}
	err := db.conn.Close(ctx)
	db.conn = nil
	return err
}

// DSN returns the DSN with its password replaced by "xxxxx".
func (db *DB) DSN() string { return db.dsn }

// ServerVersion returns the server's version as it reports it
// (server_version, e.g. "15.18 (Debian 15.18-0+deb12u1)").
func (db *DB) ServerVersion() string { return db.version }

// Conn returns the underlying pgx connection, for statements this package
// does not cover (reconnecting first if needed). Errors from it are pgx's
// own; pass them through Explain to get an *Error without secrets.
func (db *DB) Conn(ctx context.Context) (*pgx.Conn, error) {
	if err := db.ensure(ctx); err != nil {
		return nil, err
	}
	return db.conn, nil
}

// Explain turns an error from a statement run on Conn into an *Error that
// names op, shows the server's position in sql with a caret, and holds no
// password.
func (db *DB) Explain(err error, op, sql string) error {
	return wrapErr(err, op, &stmt{sql: sql}, db.secrets)
}
