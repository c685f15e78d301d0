package pgio

import "github.com/churnlab/segment/internal/dsn"

// RedactDSN returns the DSN with every password replaced by "xxxxx", for
// logs, errors and the manifest (see internal/dsn.Redact, which the rest of
// segment uses without depending on the PostgreSQL driver).
func RedactDSN(s string) string { return dsn.Redact(s) }
