package parquetio

import (
	"fmt"
	"strings"

	"github.com/parquet-go/parquet-go/deprecated"
	"github.com/parquet-go/parquet-go/format"

	"github.com/churnlab/segment/internal/frame"
)

// Field describes one column of a dataset as Schema reports it, before any row
// is read.
type Field struct {
	Name string
	// Kind is the frame kind the column is read as. It is meaningless when
	// Unsupported is set.
	Kind frame.Kind
	// Type is the Parquet type for messages: the physical type followed by
	// the logical or converted annotation, e.g. "INT64", "BYTE_ARRAY STRING",
	// "INT32 DATE", "INT64 TIMESTAMP(isAdjustedToUTC=true,unit=MICROS)",
	// "FIXED_LEN_BYTE_ARRAY(16) DECIMAL(38,2)", "group LIST". A partition
	// column has "partition key".
	Type string
	// Nullable reports whether the column may hold nulls (OPTIONAL in any of
	// the files, or a partition key with a missing value).
	Nullable bool
	// Partition reports a column taken from Hive-style key=value directory
	// names rather than from the files.
	Partition bool
	// Unsupported says why the column cannot be read ("" when it can).
	// Reading it is an error; leaving it out of the requested columns is not.
	Unsupported string
}

// conv is how the values of one Parquet leaf column become frame values.
type conv uint8

const (
	cBool      conv = iota // BOOLEAN → Bool
	cInt32                 // INT32, INT(8|16|32, signed) → Int
	cUint32                // INT32 with INT(8|16|32, unsigned) → Int
	cInt64                 // INT64, INT(64, signed) → Int
	cUint64                // INT64 with INT(64, unsigned) → Int (error above MaxInt64)
	cFloat32               // FLOAT → Float, through its shortest decimal form
	cDouble                // DOUBLE → Float
	cDecimal               // DECIMAL on INT32, INT64, BYTE_ARRAY or FIXED_LEN_BYTE_ARRAY → Float
	cString                // BYTE_ARRAY with STRING, ENUM or JSON → String
	cDate                  // INT32 DATE → String "YYYY-MM-DD"
	cTimestamp             // INT64 TIMESTAMP → String ISO 8601
	cInt96                 // INT96 (legacy timestamps) → String ISO 8601
	cTime                  // TIME on INT32 or INT64 → String "HH:MM:SS[.fff]"
	cNull                  // NULL / UNKNOWN logical type → Float, every row missing
)

// column is a top-level column of one file: what Schema reports plus what the
// decoder needs.
type column struct {
	Field
	leaf     int         // index of the leaf column in the file (-1 for groups)
	phys     format.Type // physical type of the leaf
	conv     conv
	optional bool  // the leaf is OPTIONAL (definition level 1)
	scale    int32 // decimal scale
	unit     int64 // nanoseconds per unit for TIMESTAMP and TIME
	utc      bool  // TIMESTAMP/TIME isAdjustedToUTC
}

// typeKey is what must agree between the files of a directory.
func (c *column) typeKey() string { return c.Type }

var convertedNames = map[deprecated.ConvertedType]string{
	deprecated.UTF8: "UTF8", deprecated.Map: "MAP", deprecated.MapKeyValue: "MAP_KEY_VALUE",
	deprecated.List: "LIST", deprecated.Enum: "ENUM", deprecated.Decimal: "DECIMAL",
	deprecated.Date: "DATE", deprecated.TimeMillis: "TIME_MILLIS", deprecated.TimeMicros: "TIME_MICROS",
	deprecated.TimestampMillis: "TIMESTAMP_MILLIS", deprecated.TimestampMicros: "TIMESTAMP_MICROS",
	deprecated.Uint8: "UINT_8", deprecated.Uint16: "UINT_16", deprecated.Uint32: "UINT_32",
	deprecated.Uint64: "UINT_64", deprecated.Int8: "INT_8", deprecated.Int16: "INT_16",
	deprecated.Int32: "INT_32", deprecated.Int64: "INT_64", deprecated.Json: "JSON",
	deprecated.Bson: "BSON", deprecated.Interval: "INTERVAL",
}

func convertedName(ct deprecated.ConvertedType) string {
	if s, ok := convertedNames[ct]; ok {
		return s
	}
	return fmt.Sprintf("ConvertedType(%d)", int32(ct))
}

// describe renders the Parquet type of a schema element for messages.
func describe(el *format.SchemaElement, group bool) string {
	var b strings.Builder
	if el.RepetitionType.Valid && el.RepetitionType.V == format.Repeated {
		b.WriteString("repeated ")
	}
	if group {
		b.WriteString("group")
	} else {
		b.WriteString(el.Type.V.String())
		if el.Type.V == format.FixedLenByteArray && el.TypeLength.Valid {
			fmt.Fprintf(&b, "(%d)", el.TypeLength.V)
		}
	}
	switch {
	case el.LogicalType.Value != nil:
		b.WriteByte(' ')
		b.WriteString(el.LogicalType.Value.String())
	case el.ConvertedType.Valid:
		b.WriteByte(' ')
		b.WriteString(convertedName(el.ConvertedType.V))
		if el.ConvertedType.V == deprecated.Decimal {
			fmt.Fprintf(&b, "(%d,%d)", el.Precision.V, el.Scale.V)
		}
	case group:
		b.WriteString(" (struct)")
	}
	return b.String()
}

// mapLeaf decides how a top-level leaf is read. It fills c.Kind, c.conv and
// the parameters, or sets c.Unsupported.
func mapLeaf(c *column, el *format.SchemaElement) {
	c.phys = el.Type.V
	c.optional = el.RepetitionType.Valid && el.RepetitionType.V == format.Optional
	c.Nullable = c.optional
	if el.RepetitionType.Valid && el.RepetitionType.V == format.Repeated {
		c.Unsupported = "repeated values (a list) are not supported"
		return
	}
	lt := el.LogicalType.Value
	ct, hasCT := el.ConvertedType.V, el.ConvertedType.Valid
	set := func(k frame.Kind, cv conv) { c.Kind, c.conv = k, cv }
	unsupported := func(why string) { c.Unsupported = why }
	if _, ok := lt.(*format.NullType); ok {
		set(frame.Float, cNull)
		return
	}
	decimal := func() bool {
		if d, ok := lt.(*format.DecimalType); ok {
			c.scale = d.Scale
			set(frame.Float, cDecimal)
			return true
		}
		if lt == nil && hasCT && ct == deprecated.Decimal {
			c.scale = el.Scale.V
			set(frame.Float, cDecimal)
			return true
		}
		return false
	}
	switch el.Type.V {
	case format.Boolean:
		if lt != nil {
			unsupported("BOOLEAN with a logical type is not supported")
			return
		}
		set(frame.Bool, cBool)
	case format.Int32, format.Int64:
		wide := el.Type.V == format.Int64
		if decimal() {
			return
		}
		switch t := lt.(type) {
		case nil:
		case *format.IntType:
			switch {
			case t.IsSigned && wide:
				set(frame.Int, cInt64)
			case t.IsSigned:
				set(frame.Int, cInt32)
			case wide:
				set(frame.Int, cUint64)
			default:
				set(frame.Int, cUint32)
			}
			return
		case *format.DateType:
			if wide {
				unsupported("DATE must be stored as INT32")
				return
			}
			set(frame.String, cDate)
			return
		case *format.TimestampType:
			if !wide {
				unsupported("TIMESTAMP must be stored as INT64")
				return
			}
			c.unit, c.utc = unitNanos(&t.Unit), t.IsAdjustedToUTC
			if c.unit == 0 {
				unsupported("TIMESTAMP with an unknown unit")
				return
			}
			set(frame.String, cTimestamp)
			return
		case *format.TimeType:
			c.unit, c.utc = unitNanos(&t.Unit), t.IsAdjustedToUTC
			if c.unit == 0 || (c.unit == 1e6) == wide {
				unsupported("this annotation is not supported")
				return
			}
			set(frame.String, cTime)
			return
		default:
			unsupported("this annotation is not supported")
			return
		}
		if !hasCT {
			if wide {
				set(frame.Int, cInt64)
			} else {
				set(frame.Int, cInt32)
			}
			return
		}
		switch ct {
		case deprecated.Int8, deprecated.Int16, deprecated.Int32:
			set(frame.Int, cInt32)
		case deprecated.Int64:
			set(frame.Int, cInt64)
		case deprecated.Uint8, deprecated.Uint16, deprecated.Uint32:
			set(frame.Int, cUint32)
		case deprecated.Uint64:
			set(frame.Int, cUint64)
		case deprecated.Date:
			set(frame.String, cDate)
		case deprecated.TimestampMillis:
			c.unit, c.utc = 1e6, true
			set(frame.String, cTimestamp)
		case deprecated.TimestampMicros:
			c.unit, c.utc = 1e3, true
			set(frame.String, cTimestamp)
		case deprecated.TimeMillis:
			c.unit, c.utc = 1e6, true
			set(frame.String, cTime)
		case deprecated.TimeMicros:
			c.unit, c.utc = 1e3, true
			set(frame.String, cTime)
		default:
			unsupported("this annotation is not supported")
			return
		}
		// A converted type must sit on the physical type it is defined for.
		switch c.conv {
		case cInt32, cUint32, cDate:
			if wide {
				c.Unsupported = "this annotation is not supported on this physical type"
			}
		case cInt64, cUint64, cTimestamp:
			if !wide {
				c.Unsupported = "this annotation is not supported on this physical type"
			}
		case cTime:
			if wide != (c.unit == 1e3) {
				c.Unsupported = "this annotation is not supported on this physical type"
			}
		}
	case format.Int96:
		if lt != nil || hasCT {
			unsupported("this annotation is not supported")
			return
		}
		set(frame.String, cInt96)
	case format.Float, format.Double:
		if lt != nil || hasCT {
			unsupported("this annotation is not supported")
			return
		}
		if el.Type.V == format.Float {
			set(frame.Float, cFloat32)
		} else {
			set(frame.Float, cDouble)
		}
	case format.ByteArray:
		if decimal() {
			return
		}
		switch lt.(type) {
		case *format.StringType, *format.EnumType, *format.JsonType:
			set(frame.String, cString)
			return
		case nil:
			if hasCT && (ct == deprecated.UTF8 || ct == deprecated.Enum || ct == deprecated.Json) {
				set(frame.String, cString)
				return
			}
			if !hasCT {
				unsupported("BYTE_ARRAY without a STRING annotation is binary data, not text")
				return
			}
		}
		unsupported("this annotation is not supported")
	case format.FixedLenByteArray:
		if decimal() {
			if !el.TypeLength.Valid || el.TypeLength.V <= 0 {
				c.Unsupported = "FIXED_LEN_BYTE_ARRAY DECIMAL without a length"
			}
			return
		}
		unsupported("only DECIMAL values are supported in FIXED_LEN_BYTE_ARRAY")
	default:
		unsupported(fmt.Sprintf("physical type %s is not supported", el.Type.V))
	}
}

func unitNanos(u *format.TimeUnit) int64 {
	switch u.Value.(type) {
	case *format.MilliSeconds:
		return 1e6
	case *format.MicroSeconds:
		return 1e3
	case *format.NanoSeconds:
		return 1
	}
	return 0
}

// fileSchema is the flattened view of a file's schema: its top-level columns
// and the number of leaf columns.
type fileSchema struct {
	cols   []*column
	leaves int
}

// parseSchema walks the depth-first list of schema elements. Every top-level
// element becomes a column; groups (lists, maps, structs) are unsupported
// columns that still occupy their leaves.
func parseSchema(els []format.SchemaElement) (*fileSchema, error) {
	if len(els) == 0 {
		return nil, fmt.Errorf("the schema is empty")
	}
	root := els[0]
	n := int(root.NumChildren.V)
	if n < 0 || n > len(els) {
		return nil, fmt.Errorf("the schema root claims %d columns", n)
	}
	fs := &fileSchema{}
	pos := 1
	seen := make(map[string]bool, n)
	for range n {
		if pos >= len(els) {
			return nil, fmt.Errorf("the schema ends early")
		}
		el := &els[pos]
		if seen[el.Name] {
			return nil, fmt.Errorf("column name %q appears twice", el.Name)
		}
		seen[el.Name] = true
		c := &column{Field: Field{Name: el.Name}, leaf: fs.leaves}
		if el.NumChildren.Valid && el.NumChildren.V > 0 || !el.Type.Valid {
			c.Type = describe(el, true)
			c.leaf = -1
			c.Nullable = true
			c.Unsupported = "nested columns (lists, maps, structs) are not supported"
			end, leaves, err := skipGroup(els, pos)
			if err != nil {
				return nil, err
			}
			pos, fs.leaves = end, fs.leaves+leaves
		} else {
			c.Type = describe(el, false)
			mapLeaf(c, el)
			pos++
			fs.leaves++
		}
		if c.Name == "" {
			return nil, fmt.Errorf("column %d has an empty name", len(fs.cols)+1)
		}
		fs.cols = append(fs.cols, c)
	}
	if pos != len(els) {
		return nil, fmt.Errorf("the schema has %d elements after its last column", len(els)-pos)
	}
	return fs, nil
}

// skipGroup returns the position after the group at pos and its leaf count.
func skipGroup(els []format.SchemaElement, pos int) (end, leaves int, err error) {
	todo := 1 // elements still to visit
	for todo > 0 {
		if pos >= len(els) {
			return 0, 0, fmt.Errorf("the schema ends inside group %q", els[pos-1].Name)
		}
		el := &els[pos]
		todo--
		if el.NumChildren.Valid && el.NumChildren.V > 0 {
			if int(el.NumChildren.V) > len(els) {
				return 0, 0, fmt.Errorf("group %q claims %d children", el.Name, el.NumChildren.V)
			}
			todo += int(el.NumChildren.V)
		} else if el.Type.Valid {
			leaves++
		}
		pos++
	}
	return pos, leaves, nil
}
