package pgio

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestRedactDSN(t *testing.T) {
	for _, c := range []struct{ in, want, secret string }{
		{"host=/tmp/pg port=5433 user=ann password=s3cr3t dbname=segment", "host=/tmp/pg port=5433 user=ann password=xxxxx dbname=segment", "s3cr3t"},
		{"  password = 'with space\\'quote' host=h ", "password=xxxxx host=h", "with space"},
		{"host=h sslpassword=keypass sslmode=require", "host=h sslpassword=xxxxx sslmode=require", "keypass"},
		{"host='/tmp/my dir' dbname=d", "host='/tmp/my dir' dbname=d", ""},
		{"postgres://ann:s3cr3t@db.example:5432/segment?sslmode=disable", "postgres://ann:xxxxx@db.example:5432/segment?sslmode=disable", "s3cr3t"},
		{"postgresql://ann:p%40ss%2Fw@h/d", "postgresql://ann:xxxxx@h/d", "p@ss/w"},
		{"postgres://ann@h/d?password=qs3cret&application_name=x", "postgres://ann@h/d?application_name=x&password=xxxxx", "qs3cret"},
		{"postgres://h/d", "postgres://h/d", ""},
		// Malformed: masked from the password on.
		{"host=h password='unterminated dbname=d", "host=h password=xxxxx", "unterminated"},
		{"postgres://ann:s3c ret@h:99999999/d%zz", "postgres://ann:xxxxx@h:99999999/d%zz", "s3c ret"},
	} {
		got := RedactDSN(c.in)
		if got != c.want {
			t.Errorf("RedactDSN(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
		if c.secret != "" && strings.Contains(got, c.secret) {
			t.Errorf("RedactDSN(%q) leaks %q", c.in, c.secret)
		}
	}
}

// TestConnectErrorsHideThePassword connects with DSNs that fail in every way
// that does not need a server and checks that the password is nowhere in
// the error.
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

func TestScrub(t *testing.T) {
	if got := scrub("auth for abc failed with abcdef", []string{"abcdef", "ab"}); got != "auth for abc failed with xxxxx" {
		t.Errorf("scrub: %q", got)
	}
}
