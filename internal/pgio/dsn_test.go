package pgio

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestConnectErrorsHideThePassword(t *testing.T) {
	const pw = "Sup3rSecretPw"
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, c := range []struct{ dsn, want string }{
		{"host=/nonexistent/dir port=5433 user=ann password=" + pw + " dbname=d", "no server socket at /nonexistent/dir/.s.PGSQL.5433"},
		{"postgres://ann:" + pw + "@127.0.0.1:1/d?sslmode=disable", "connection refused at 127.0.0.1:1"},
		{"postgres://ann:" + pw + "@%zz/d", "the DSN is not valid"},
		{"host=h password='" + pw, "the DSN is not valid"},
		{"host=h port=notaport password=" + pw, "the DSN is not valid"},
		{"postgres://ann:" + pw + "@h/d?sslmode=bogus", "the DSN is not valid"},
		{"  ", "the DSN is empty"},
		{"host=nonexistent.invalid user=ann password=" + pw, `cannot resolve host "nonexistent.invalid"`},
	} {
		_, err := Connect(ctx, c.dsn, Options{ConnectTimeout: 5 * time.Second})
		if err == nil {
			t.Fatalf("%q: connected", c.dsn)
		}
		msg := err.Error()
		if strings.Contains(msg, pw) {
			t.Errorf("error leaks the password: %s", msg)
		}
		if !strings.Contains(msg, c.want) {
			t.Errorf("%q:\n%s\nwant it to contain %q", c.dsn, msg, c.want)
		}
	}
}
