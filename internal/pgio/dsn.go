package pgio

import "github.com/churnlab/segment/internal/dsn"

// RedactDSN returns the DSN with every password replaced by "xxxxx", for
// logs, errors and the manifest (see internal/dsn.Redact, which the rest of
// segment uses without depending on the PostgreSQL driver).
func RedactDSN(s string) string { return dsn.Redact(s) }

// DSNSecrets returns the password values written in the DSN (raw and
// decoded forms): what must be scrubbed from any text that may quote it,
// such as a recorded command line (see internal/dsn.Secrets).
func DSNSecrets(s string) []string { return dsn.Secrets(s) }
