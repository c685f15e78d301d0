package pgio

import (
	"encoding/json"

	"github.com/churnlab/segment/internal/frame"
)

// pgType is how one PostgreSQL type is read.
type pgType uint8

const (
	tUnsupported pgType = iota
	tInt2
	tInt4
	tInt8
	tFloat4
	tFloat8
	tNumeric
	tBool
	tText // text, varchar, bpchar, name, enum labels: the bytes as sent
	tUUID
	tDate
	tTimestamp
	tTimestamptz
)

// Built-in type OIDs (pg_type.oid; fixed in every PostgreSQL release).
const (
	oidBool        = 16
	oidName        = 19
	oidInt8        = 20
	oidInt2        = 21
	oidInt4        = 23
	oidText        = 25
	oidFloat4      = 700
	oidFloat8      = 701
	oidBPChar      = 1042
	oidVarchar     = 1043
	oidDate        = 1082
	oidTimestamp   = 1114
	oidTimestamptz = 1184
	oidNumeric     = 1700
	oidUUID        = 2950
)

// builtin maps the supported built-in OIDs to their reader and name.
var builtin = map[uint32]struct {
	t    pgType
	name string
}{
	oidBool:        {tBool, "boolean"},
	oidName:        {tText, "name"},
	oidInt8:        {tInt8, "bigint"},
	oidInt2:        {tInt2, "smallint"},
	oidInt4:        {tInt4, "integer"},
	oidText:        {tText, "text"},
	oidFloat4:      {tFloat4, "real"},
	oidFloat8:      {tFloat8, "double precision"},
	oidBPChar:      {tText, "character"},
	oidVarchar:     {tText, "character varying"},
	oidDate:        {tDate, "date"},
	oidTimestamp:   {tTimestamp, "timestamp without time zone"},
	oidTimestamptz: {tTimestamptz, "timestamp with time zone"},
	oidNumeric:     {tNumeric, "numeric"},
	oidUUID:        {tUUID, "uuid"},
}

// kindOf is the frame kind a PostgreSQL type is read as.
func (t pgType) kind() frame.Kind {
	switch t {
	case tInt2, tInt4, tInt8:
		return frame.Int
	case tFloat4, tFloat8, tNumeric:
		return frame.Float
	case tBool:
		return frame.Bool
	}
	return frame.String
}

// fixedLen is the byte length of a binary value of type t, or -1 when it
// varies.
func (t pgType) fixedLen() int {
	switch t {
	case tBool:
		return 1
	case tInt2:
		return 2
	case tInt4, tFloat4, tDate:
		return 4
	case tInt8, tFloat8, tTimestamp, tTimestamptz:
		return 8
	case tUUID:
		return 16
	}
	return -1
}

// Column describes one column of a source: its name, the frame kind it is
// read as and the PostgreSQL type it has. In JSON (the manifest) it is
// {"name": …, "kind": "int", "type": "integer"}.
type Column struct {
	Name string     `json:"name"`
	Kind frame.Kind `json:"-"`
	// Type is the PostgreSQL type name as format_type prints it for the
	// built-in types ("integer", "numeric", "timestamp with time zone"), the
	// type's name for others ("jsonb", "mood").
	Type string `json:"type"`
	// Supported is false for a type segment cannot read (reading the column
	// fails naming it); Kind is then String.
	Supported bool `json:"-"`

	oid uint32
	t   pgType
}

// MarshalJSON writes the column with its kind by name.
func (c Column) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Name string `json:"name"`
		Kind string `json:"kind"`
		Type string `json:"type"`
	}{c.Name, c.Kind.String(), c.Type})
}

// unsupportedAdvice is the end of the error for a column of an unsupported
// type.
const unsupportedAdvice = "segment reads smallint, integer, bigint, real, double precision, numeric, boolean, text, varchar, char, name, uuid, enum, date, timestamp and timestamptz; cast the column in a query (e.g. SELECT \"col\"::text …) or leave it out of the columns used"
