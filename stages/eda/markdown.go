package eda

import (
	"net/url"
	"strings"
)

// mdEscaper escapes Markdown's inline syntax and HTML, as the report's
// report.md does: text from the data or the config (column names, values,
// titles) never becomes a heading, a link, an image, a table cell break or
// a tag in insights.md. Line breaks become spaces, so a name cannot start a
// line of its own.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `&lt;`, `>`, `&gt;`, `&`, `&amp;`, `#`, `\#`, `|`, `\|`, `~`, `\~`,
	"\r\n", " ", "\n", " ", "\r", " ",
)

// mdText escapes text for a Markdown paragraph, list item or table cell.
func mdText(s string) string { return mdEscaper.Replace(s) }

// mdLink escapes a relative file name for a Markdown link target.
func mdLink(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

// mdCode shows s as inline code, with a fence longer than any run of
// backticks inside it.
func mdCode(s string) string {
	s = strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + s + fence
}
