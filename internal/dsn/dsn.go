package dsn

import (
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// Masked replaces a password wherever segment shows a DSN.
const Masked = "xxxxx"

// secretKeys are the DSN keys whose values are never shown.
var secretKeys = map[string]bool{"password": true, "sslpassword": true}

// Redact returns dsn with every password replaced by "xxxxx", for logs,
// errors and the manifest. Both forms are understood: a URL
// (postgres://user:secret@host/db?sslpassword=…) keeps its shape with the
// userinfo password and the password/sslpassword query values masked; a
// key=value string (host=/tmp port=5433 password='s e c' …) is rewritten
// with its values normalised (quoted only when needed) and the password
// values masked. A DSN too malformed to split into parts is masked from the
// first password key or userinfo on, so nothing that may be a password is
// shown.
func Redact(dsn string) string {
	s := strings.TrimSpace(dsn)
	if isURL(s) {
		return redactURL(s)
	}
	kv, err := SplitKV(s)
	if err != nil {
		return redactLoose(s)
	}
	parts := make([]string, len(kv))
	for i, p := range kv {
		v := p.Value
		if secretKeys[p.Key] {
			v = Masked
		}
		parts[i] = p.Key + "=" + quoteKV(v)
	}
	return strings.Join(parts, " ")
}

func isURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return redactLoose(s)
	}
	if u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), Masked)
		}
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			if secretKeys[k] {
				q.Set(k, Masked)
			}
		}
		u.RawQuery = encodeSorted(q)
	}
	return u.String()
}

// encodeSorted is url.Values.Encode, kept separate so the key order stays
// sorted and stable.
func encodeSorted(q url.Values) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}

var (
	loosePassword = regexp.MustCompile(`(?is)(password\s*=).*`)
	urlPassword   = regexp.MustCompile(`^postgres(?:ql)?://[^:/@]*:([^@]*)@`)
	kvPassword    = regexp.MustCompile(`(?i)password\s*=\s*'?([^'\s]*)`)
)

// redactLoose masks a DSN that could not be split into parts: a URL's
// userinfo up to the last '@' (over-masking when a host part holds '@') and
// everything from the first password key on.
func redactLoose(s string) string {
	if isURL(s) {
		rest := s[strings.Index(s, "://")+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			user := rest[:at]
			if c := strings.Index(user, ":"); c >= 0 {
				user = user[:c] + ":" + Masked
			}
			s = s[:len(s)-len(rest)] + user + rest[at:]
		}
	}
	return loosePassword.ReplaceAllString(s, "${1}"+Masked)
}

// Pair is one key=value setting of a DSN.
type Pair struct{ Key, Value string }

// SplitKV splits a libpq key=value connection string: keys are separated
// from values by '=' (spaces allowed around it); a value is either a run of
// non-space characters or single-quoted, with backslash escaping the next
// character in both forms.
func SplitKV(s string) ([]Pair, error) {
	var out []Pair
	i := 0
	skip := func() {
		for i < len(s) && isSpace(s[i]) {
			i++
		}
	}
	for {
		skip()
		if i >= len(s) {
			return out, nil
		}
		start := i
		for i < len(s) && s[i] != '=' && !isSpace(s[i]) {
			i++
		}
		key := s[start:i]
		skip()
		if key == "" || i >= len(s) || s[i] != '=' {
			return nil, errBadKV
		}
		i++
		skip()
		var v strings.Builder
		if i < len(s) && s[i] == '\'' {
			i++
			closed := false
			for i < len(s) {
				c := s[i]
				if c == '\\' && i+1 < len(s) {
					v.WriteByte(s[i+1])
					i += 2
					continue
				}
				if c == '\'' {
					closed = true
					i++
					break
				}
				v.WriteByte(c)
				i++
			}
			if !closed {
				return nil, errBadKV
			}
		} else {
			for i < len(s) && !isSpace(s[i]) {
				if s[i] == '\\' && i+1 < len(s) {
					v.WriteByte(s[i+1])
					i += 2
					continue
				}
				v.WriteByte(s[i])
				i++
			}
		}
		out = append(out, Pair{key, v.String()})
	}
}

type kvError string

func (e kvError) Error() string { return string(e) }

const errBadKV = kvError("malformed key=value DSN")

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}

// quoteKV quotes a key=value DSN value when it is empty or holds spaces,
// quotes or backslashes.
func quoteKV(v string) string {
	if v != "" && !strings.ContainsAny(v, " \t\n\r\f\v'\\") {
		return v
	}
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`)
	return "'" + r.Replace(v) + "'"
}

// Secrets returns the password values written in dsn (raw and decoded
// forms), so that any message can be scrubbed of them.
func Secrets(dsn string) []string {
	var out []string
	add := func(v string) {
		if v != "" && v != Masked {
			out = append(out, v)
		}
	}
	s := strings.TrimSpace(dsn)
	if isURL(s) {
		if u, err := url.Parse(s); err == nil {
			if u.User != nil {
				if p, ok := u.User.Password(); ok {
					add(p)
				}
			}
			for k, vs := range u.Query() {
				if secretKeys[k] {
					for _, v := range vs {
						add(v)
					}
				}
			}
		}
		// The raw (still percent-encoded) userinfo password too.
		if m := urlPassword.FindStringSubmatch(s); m != nil {
			add(m[1])
		}
		return out
	}
	if kv, err := SplitKV(s); err == nil {
		for _, p := range kv {
			if secretKeys[p.Key] {
				add(p.Value)
			}
		}
	} else if m := kvPassword.FindAllStringSubmatch(s, -1); m != nil {
		for _, g := range m {
			add(g[1])
		}
	}
	return out
}

// minSecret is the shortest secret that Scrub replaces inside messages:
// replacing every "a" of a message because the password is "a" would garble
// it, and messages never include the DSN's password anyway; scrubbing is the
// second line of defence.
const minSecret = 3

// Scrub replaces every occurrence of the secrets in msg.
func Scrub(msg string, secrets []string) string {
	for _, s := range secrets {
		if len(s) >= minSecret {
			msg = strings.ReplaceAll(msg, s, Masked)
		}
	}
	return msg
}
