// Package pgio reads PostgreSQL tables and queries into typed frame.Tables
// and writes frame.Tables back, all or nothing, with the lineage a run's
// manifest records. It is the engine of the postgres source and sink; it
// uses github.com/jackc/pgx/v5 for the connection and decodes the rows
// itself.
//
// # Connecting
//
// Connect takes a DSN as a URL (postgres://user:pw@host:5432/db?sslmode=…)
// or as key=value pairs (host=/run/postgresql port=5432 dbname=db …);
// unset parts come from the PG* environment variables and ~/.pgpass, as
// with psql. A DB is one connection, not safe for concurrent use; after a
// failure that closed it, the next call reconnects. RedactDSN masks the
// passwords of a DSN for logs and manifests; every error of this package
// shows the DSN redacted and is scrubbed of the DSN's password values.
//
// # Reading
//
// A Source is a table (customers, sales.customers, "Odd Schema"."A ""b""";
// see ParseTableName: unquoted names are taken exactly as written, not
// folded to lower case) or a query, with an optional projection (Columns)
// and order (OrderBy). Schema describes it from the statement's
// description (Prepare), without running it. Read returns the whole table;
// Scan calls a function per batch of rows with memory bounded by the batch.
// Both run, inside BEGIN READ ONLY (a source cannot modify data),
//
//	COPY (SELECT "a", "b" FROM "s"."t" [ORDER BY …]) TO STDOUT (FORMAT binary)
//
// or, for a query with a projection or order,
//
//	COPY (SELECT "a", "b" FROM (<query>) AS segment_source [ORDER BY …]) TO STDOUT (FORMAT binary)
//
// and decode the binary COPY stream as it arrives. (An ordinary query with
// binary results was measured too — bench/postgres — and is slower; it is
// kept, unexported, for that comparison.) A column's kind comes from its
// type OID in the description:
//
//	smallint, integer, bigint (and domains over them)  → Int
//	real, double precision                            → Float
//	numeric                                           → Float, see below
//	boolean                                           → Bool
//	text, varchar, char(n) (padded, as stored), name,
//	enum labels, uuid (8-4-4-4-12 lower case)         → String
//	date                                              → String 2024-03-01
//	timestamp                                         → String 2024-03-01 13:45:00.25
//	timestamptz                                       → String 2024-03-01 12:45:00.25+00 (UTC)
//	NULL                                              → missing
//
// Dates and timestamps are written exactly as the server's text output with
// DateStyle ISO and TimeZone UTC — what a CSV export made with those
// settings carries — including "infinity", "-infinity" and years BC
// ("0044-03-15 BC"); fractional seconds drop their trailing zeros. A real
// becomes the float64 nearest to the decimal the server prints for it (real
// 0.1 reads as 0.1). A numeric becomes the float64 nearest to its exact
// decimal value (correctly rounded, as strconv.ParseFloat of its text and
// as the server's numeric::float8): about 15–17 significant digits survive;
// NaN is read as missing, ±Infinity as ±Inf, and a value beyond ±1.8e308 is
// an error naming the column and row. A double precision NaN is missing too
// (a frame float column holds NaN only at missing rows). Any other type
// (json, arrays, intervals, …) is an error naming the column and its type,
// suggesting a cast in the query.
//
// # Lineage and the row digests
//
// Read and Scan return a Lineage: the DSN redacted, the COPY statement run,
// the server's server_version, the row count, the columns with their types,
// and two SHA-256 digests of the rows as read into the table, defined on a
// canonical encoding:
//
//	header = "segment-rows-v1\n" ‖ u32(ncols) ‖ for each column: u32(len(name)) ‖ name ‖ kind
//	row    = for each column, in order, one cell:
//	           missing           0x00
//	           Int               'i' ‖ i64(value)
//	           Float             'f' ‖ u64(IEEE-754 bits of the float64)
//	           Bool              'b' ‖ 0x00 | 0x01
//	           String            's' ‖ u32(len) ‖ UTF-8 bytes
//	d_i    = SHA-256(row_i)
//	SHA256    = SHA-256(header ‖ d_1 ‖ d_2 ‖ … ‖ d_n)
//	SetSHA256 = SHA-256(header ‖ u256(Σ d_i mod 2^256) ‖ u64(n))
//
// where kind is 'i', 'f', 'b' or 's', names are UTF-8, integers are
// big-endian (i64 two's complement), d_i is read as a big-endian 256-bit
// number, and the cells are the values the table holds (a NaN or NULL is
// "missing"; -0 keeps its sign). HashTable computes both for any table, so
// a CSV-read table with the same names, kinds and values has the same
// digests; testdata/hash_reference.py is an independent implementation.
//
// Row order: without ORDER BY, SQL promises no order, and the server's does
// change (a COPY can place a short row into the free space of an earlier
// page; VACUUM, updates and parallel plans move rows). SHA256 follows the
// rows in arrival order, which is what a run's results depend on (k-means
// seeding picks rows by position), so it proves an identical input only
// when the order is fixed: give Source.OrderBy (a key) and Lineage.Ordered
// is true. SetSHA256 is independent of the order (a sum of per-row digests,
// so duplicate rows count), so a rerun can prove it saw the same rows even
// when the server returned them in another order — and then explain a
// different model by the order alone. Reads also SET LOCAL
// synchronize_seqscans = off, so that a sequential scan of an unchanged
// large table starts at its first page rather than wherever another scan
// is.
//
// # Writing
//
// Write replaces a run's rows in a target table in one transaction: COPY
// into a temporary staging table, then LOCK the target against other
// writers (not readers), DELETE the rows of the run ids being written (or
// every row), INSERT the staged rows, COMMIT. Readers see the previous rows
// or the new ones, never a mix, and are never blocked; a failure or
// cancellation before COMMIT leaves the target as it was; rerunning a run
// id does not duplicate its rows; views and grants on the target keep
// working. See Write for the details and the privileges needed.
//
// # Errors
//
// Failures are *Error values that say what segment was doing, the server's
// message and SQLSTATE, and what to do; a statement's error position is
// shown with the query line and a caret:
//
//	postgres: cannot connect (host=/tmp/pg port=1 user=postgres dbname=segment): no server socket at /tmp/pg/.s.PGSQL.1 (no such file or directory); is the server running, and are host and port right?
//	postgres: login refused (postgres://ann:xxxxx@db/segment): password authentication failed for user "ann" (SQLSTATE 28P01); check the password in the DSN, PGPASSWORD or ~/.pgpass
//	postgres: no such database (host=… dbname=nope): database "nope" does not exist (SQLSTATE 3D000); check dbname in the DSN
//	postgres: reading the query: syntax error at or near "id" (SQLSTATE 42601); fix the query text
//	  line 4: WHER id > 3
//	               ^
//	postgres: reading table "custmers": relation "custmers" does not exist (SQLSTATE 42P01); did you mean "customers"? (names are case-sensitive, exactly as written)
//	postgres: reading table "secret": permission denied for table secret (SQLSTATE 42501); the role "ann" needs SELECT on "secret" (GRANT SELECT ON "secret" TO "ann")
//	postgres: reading the query: canceling statement due to statement timeout (SQLSTATE 57014); the query ran longer than statement_timeout; raise the timeout or make the query cheaper
//	postgres: reading the query: terminating connection due to administrator command (after 4016 rows) (SQLSTATE 57P01); no rows were kept; the server ended the session (an administrator, a restart or a crash); run again
//	postgres: writing "results": creating the table: permission denied for schema s (SQLSTATE 42501); nothing was written; the role "ann" needs CREATE on schema "s" to create "s"."results" (GRANT CREATE ON SCHEMA … TO "ann"), or create the table beforehand
//
// A read that fails returns no table; Scan's batches before the failure
// must be discarded.
package pgio
