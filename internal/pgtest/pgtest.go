package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// The environment variables .ci/pg start exports.
const (
	EnvDSN         = "SEGMENT_PG_DSN"
	EnvPasswordDSN = "SEGMENT_PG_PASSWORD_DSN"
	EnvCoordDSN    = "SEGMENT_PG_COORD_DSN"
	EnvShard1DSN   = "SEGMENT_PG_SHARD1_DSN"
	EnvShard2DSN   = "SEGMENT_PG_SHARD2_DSN"
)

// InCI reports whether the tests run under CI (CI is set and not "false"
// or "0"), where a missing server fails the test instead of skipping it.
func InCI() bool {
	v := strings.ToLower(strings.TrimSpace(os.Getenv("CI")))
	return v != "" && v != "false" && v != "0"
}

// env returns the variable or skips (fails under CI) with a one-line
// reason.
func env(t testing.TB, name string) string {
	t.Helper()
	if v := os.Getenv(name); v != "" {
		return v
	}
	msg := fmt.Sprintf("%s is not set, so there is no PostgreSQL test server (start them with: eval \"$(.ci/pg start)\")", name)
	if InCI() {
		t.Fatal(msg + "; under CI the database tests must run, not skip")
	}
	t.Skip(msg)
	return ""
}

// DSN returns the superuser DSN of the single test server.
func DSN(t testing.TB) string { t.Helper(); return env(t, EnvDSN) }

// PasswordDSN returns the DSN of the role segment_pw, which the server only
// lets in with its scram-sha-256 password (the DSN holds it).
func PasswordDSN(t testing.TB) string { t.Helper(); return env(t, EnvPasswordDSN) }

// ShardedDSNs returns the superuser DSNs of the coordinator and the two
// shards of the sharded setup.
func ShardedDSNs(t testing.TB) (coord string, shards []string) {
	t.Helper()
	return env(t, EnvCoordDSN), []string{env(t, EnvShard1DSN), env(t, EnvShard2DSN)}
}

// Connect opens a pgx connection that is closed in t.Cleanup.
func Connect(t testing.TB, dsn string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("pgtest: connect: %v", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// Exec runs each statement on a new connection to dsn, failing the test on
// the first error.
func Exec(t testing.TB, dsn string, sql ...string) {
	t.Helper()
	conn := Connect(t, dsn)
	for _, s := range sql {
		if _, err := conn.Exec(context.Background(), s); err != nil {
			t.Fatalf("pgtest: %s: %v", s, err)
		}
	}
}

// uniqueName is a lower-case identifier from the test's name plus a random
// suffix, at most 63 bytes (PostgreSQL's name length).
func uniqueName(t testing.TB, prefix string) string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	base := strings.ToLower(nonIdent.ReplaceAllString(t.Name(), "_"))
	if max := 63 - len(prefix) - 1 - 8 - 1; len(base) > max {
		base = base[:max]
	}
	return prefix + "_" + base + "_" + hex.EncodeToString(b[:])
}

var nonIdent = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// QuoteIdent quotes an SQL identifier.
func QuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

// WithParam returns dsn with key set to value, for either DSN form (a URL
// gets a query parameter, a key=value string a quoted pair at the end).
func WithParam(dsn, key, value string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil {
			return dsn
		}
		switch key {
		case "user":
			if p, ok := u.User.Password(); ok {
				u.User = url.UserPassword(value, p)
			} else {
				u.User = url.User(value)
			}
		case "dbname":
			u.Path = "/" + value
		default:
			q := u.Query()
			q.Set(key, value)
			u.RawQuery = q.Encode()
		}
		return u.String()
	}
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return dsn + " " + key + "='" + r.Replace(value) + "'"
}

// Schema creates a fresh schema, dropped with everything in it at cleanup,
// and returns a DSN whose search_path is that schema (so unqualified names
// land there) and the schema's name.
func Schema(t testing.TB, dsn string) (schemaDSN, schema string) {
	t.Helper()
	schema = uniqueName(t, "t")
	Exec(t, dsn, "CREATE SCHEMA "+QuoteIdent(schema))
	t.Cleanup(func() { dropLater(t, dsn, "DROP SCHEMA IF EXISTS "+QuoteIdent(schema)+" CASCADE") })
	return WithParam(dsn, "options", "-c search_path="+schema), schema
}

// Database creates a fresh database, dropped at cleanup (closing any
// connection still open to it), and returns a DSN for it and its name.
func Database(t testing.TB, dsn string) (dbDSN, name string) {
	t.Helper()
	name = uniqueName(t, "db")
	Exec(t, dsn, "CREATE DATABASE "+QuoteIdent(name))
	t.Cleanup(func() { dropLater(t, dsn, "DROP DATABASE IF EXISTS "+QuoteIdent(name)+" WITH (FORCE)") })
	return WithParam(dsn, "dbname", name), name
}

// Role creates a login role without privileges (not a superuser; it logs in
// over the socket without a password), dropped at cleanup, and returns a DSN
// that connects as it and its name. Grant it what the test needs.
func Role(t testing.TB, dsn string) (roleDSN, role string) {
	t.Helper()
	role = uniqueName(t, "r")
	Exec(t, dsn, "CREATE ROLE "+QuoteIdent(role)+" LOGIN")
	t.Cleanup(func() {
		dropLater(t, dsn, "DROP OWNED BY "+QuoteIdent(role)+" CASCADE", "DROP ROLE IF EXISTS "+QuoteIdent(role))
	})
	return WithParam(dsn, "user", role), role
}

// dropLater runs cleanup statements, reporting failures without failing the
// test (the servers are throwaway).
func dropLater(t testing.TB, dsn string, sql ...string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Logf("pgtest cleanup: connect: %v", err)
		return
	}
	defer conn.Close(ctx)
	for _, s := range sql {
		if _, err := conn.Exec(ctx, s); err != nil {
			t.Logf("pgtest cleanup: %s: %v", s, err)
		}
	}
}
