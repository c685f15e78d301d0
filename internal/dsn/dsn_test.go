package dsn

import (
	"strings"
	"testing"
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
		got := Redact(c.in)
		if got != c.want {
			t.Errorf("Redact(%q)\n got %q\nwant %q", c.in, got, c.want)
		}
		if c.secret != "" && strings.Contains(got, c.secret) {
			t.Errorf("Redact(%q) leaks %q", c.in, c.secret)
		}
	}
}

// TestConnectErrorsHideThePassword connects with DSNs that fail in every way
// that does not need a server and checks that the password is nowhere in
// the error.
func TestScrub(t *testing.T) {
	if got := Scrub("auth for abc failed with abcdef", []string{"abcdef", "ab"}); got != "auth for abc failed with xxxxx" {
		t.Errorf("scrub: %q", got)
	}
}
