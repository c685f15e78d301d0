package confyaml

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
)

// Limits on a config file, checked before the YAML parser sees it: the
// parser's time and memory grow much faster than the text with nesting (a
// 100 KB file of "[" took 50 s and 20 GB), and no real config comes near
// them. A --set value is held to MaxDepth too.
const (
	// MaxConfigBytes is the largest config file read (1 MiB; the shipped
	// configs are about 3 KB).
	MaxConfigBytes = 1 << 20
	// MaxDepth is the deepest nesting of mappings and lists, block or flow
	// (the deepest key of the shipped configs is at depth 7).
	MaxDepth = 64
	// MaxAliases is how many times the aliases (*name) of a config may be
	// followed while decoding it: enough for any sharing of anchors a
	// person writes, and no "billion laughs" expansion.
	MaxAliases = 10000
)

// CheckLimits returns a located error when src is larger than
// MaxConfigBytes or nests deeper than MaxDepth, nil otherwise. The nesting
// is measured by a quick scan of the text (indentation, "- " and "? "
// indicators, "[" and "{" that open a flow collection), without parsing.
func CheckLimits(file string, src []byte) *ConfigError {
	if len(src) > MaxConfigBytes {
		return &ConfigError{Pos: file, Msg: fmt.Sprintf("the config is %d bytes; segment reads configs of at most %d bytes (%d MiB)", len(src), MaxConfigBytes, MaxConfigBytes>>20)}
	}
	if line, col, depth := nestingDepth(src, MaxDepth); depth > MaxDepth {
		return &ConfigError{Pos: fmt.Sprintf("%s:%d:%d", file, line, col), Msg: fmt.Sprintf("the config nests lists and mappings more than %d levels deep", MaxDepth)}
	}
	return nil
}

var blockScalarEnd = regexp.MustCompile(`(^|[\s:-])[|>][-+0-9]*\s*$`)

// nestingDepth scans YAML text and returns where the nesting first goes
// beyond limit (1-based line and column) and the depth there, or the
// deepest nesting seen when it never does. Block nesting counts the
// distinct indentations open and the "- " / "? " indicators starting a
// line; flow nesting counts "[" and "{" that start a node (after
// indentation, ':', ',', '-', '?', '[' or '{'), outside quotes and comments.
// Block scalars (| and >) are skipped. It errs on the side of counting.
func nestingDepth(src []byte, limit int) (line, col, depth int) {
	var (
		indents       []int
		flow, deepest int
		quote         byte // ' or " while inside a quoted scalar
		scalarIndent  = -1 // inside a block scalar: the indentation of its parent line
		lineNo        int
	)
	for len(src) > 0 {
		lineNo++
		end := bytes.IndexByte(src, '\n')
		var text string
		if end < 0 {
			text, src = string(src), nil
		} else {
			text, src = string(src[:end]), src[end+1:]
		}
		text = strings.TrimSuffix(text, "\r")
		indent := len(text) - len(strings.TrimLeft(text, " "))
		body := text[indent:]
		if scalarIndent >= 0 {
			if strings.TrimSpace(body) == "" || indent > scalarIndent {
				continue
			}
			scalarIndent = -1
		}
		i, block := indent, 0
		if quote == 0 && flow == 0 {
			if strings.TrimSpace(body) == "" || strings.HasPrefix(body, "#") {
				continue
			}
			for len(indents) > 0 && indents[len(indents)-1] >= indent {
				indents = indents[:len(indents)-1]
			}
			indents = append(indents, indent)
			block = len(indents)
			// "- - - x": each indicator opens one more level.
			for i < len(text) && (text[i] == '-' || text[i] == '?') && (i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\t') {
				block++
				i++
				for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
					i++
				}
			}
			if block > limit {
				return lineNo, i + 1, block
			}
		}
		plain := false // inside a plain (unquoted) scalar
		for ; i < len(text); i++ {
			c := text[i]
			switch {
			case quote != 0:
				switch {
				case c == '\\' && quote == '"':
					i++
				case c == '\'' && quote == '\'' && i+1 < len(text) && text[i+1] == '\'':
					i++ // '' inside single quotes
				case c == quote:
					quote = 0
				}
				continue
			case c == '#' && (i == 0 || text[i-1] == ' ' || text[i-1] == '\t'):
				i = len(text) // a comment
				continue
			case plain:
				// A plain scalar ends at ": " or, in a flow collection, at
				// ",", "]" and "}".
				switch {
				case c == ':' && (i+1 == len(text) || strings.IndexByte(" \t,[]{}", text[i+1]) >= 0):
					plain = false
				case flow > 0 && c == ',':
					plain = false
				case flow > 0 && (c == ']' || c == '}'):
					plain = false
					flow--
				}
				continue
			}
			switch c {
			case ' ', '\t', ',', ':':
			case '"', '\'':
				quote = c
			case '[', '{':
				flow++
				if block+flow > limit {
					return lineNo, i + 1, block + flow
				}
			case ']', '}':
				if flow > 0 {
					flow--
				}
			case '&', '!', '*':
				// An anchor, a tag or an alias: a name, then the node.
				for i+1 < len(text) && strings.IndexByte(" \t,[]{}", text[i+1]) < 0 {
					i++
				}
			case '-', '?':
				if i+1 < len(text) && text[i+1] != ' ' && text[i+1] != '\t' {
					plain = true // "-3", "-x"
				}
			default:
				plain = true
			}
		}
		deepest = max(deepest, block+flow)
		if quote == 0 && flow == 0 && blockScalarEnd.MatchString(stripComment(text)) {
			scalarIndent = indent
		}
	}
	return 0, 0, deepest
}

// stripComment drops a trailing " # comment" (a rough cut: only used to see
// whether a line ends with a block scalar indicator).
func stripComment(s string) string {
	if i := strings.Index(s, " #"); i >= 0 {
		return s[:i]
	}
	return s
}
