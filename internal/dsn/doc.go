// Package dsn reads database connection strings only as far as keeping
// their secrets out of sight: Redact masks the passwords of a libpq DSN in
// either form (a postgres:// URL or key=value pairs) for logs, errors, the
// manifest and the report; Secrets lists the password values a DSN carries
// and Scrub removes them from any message, as a second line of defence.
//
// It depends on nothing but the standard library, so the pipeline can mask
// a --set dsn=… without importing a database driver.
package dsn
