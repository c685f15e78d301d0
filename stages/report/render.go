package report

import (
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io"
	"net/url"
	"regexp"
	"strings"
	texttemplate "text/template"
)

//go:embed templates/*.tmpl
var templateFS embed.FS

var dataURI = regexp.MustCompile(`^data:image/(png|svg\+xml);base64,[A-Za-z0-9+/]*={0,2}$`)
var hexColor = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)

// htmlTemplates is parsed once; every string from data or config is
// escaped by html/template.
var htmlTemplates = htmltemplate.Must(htmltemplate.New("report").Funcs(htmltemplate.FuncMap{
	// src marks a data: URI this package built as safe for src=.
	"src": func(s string) htmltemplate.URL {
		if !dataURI.MatchString(s) {
			return htmltemplate.URL("about:invalid")
		}
		return htmltemplate.URL(s)
	},
	"capitalize": capitalize,
	// css marks a "#rrggbb" colour as safe CSS.
	"css": func(s string) htmltemplate.CSS {
		if !hexColor.MatchString(s) {
			return htmltemplate.CSS("transparent")
		}
		return htmltemplate.CSS(s)
	},
}).ParseFS(templateFS, "templates/report.html.tmpl", "templates/drift.html.tmpl", "templates/style.css.tmpl"))

var mdTemplates = texttemplate.Must(texttemplate.New("report").Funcs(texttemplate.FuncMap{
	"capitalize": capitalize,
	"md":         mdText,
	"cell":       mdCell,
	"code":       mdCode,
	"link":       mdLink,
	"fence":      mdFence,
}).ParseFS(templateFS, "templates/report.md.tmpl", "templates/drift.md.tmpl"))

// RenderHTML writes the self-contained HTML report.
func RenderHTML(w io.Writer, v *View) error {
	return htmlTemplates.ExecuteTemplate(w, "report", v)
}

// RenderMarkdown writes the Markdown report (images as relative links).
func RenderMarkdown(w io.Writer, v *View) error {
	var b strings.Builder
	if err := mdTemplates.ExecuteTemplate(&b, "report", v); err != nil {
		return err
	}
	_, err := io.WriteString(w, tidyMarkdown(b.String()))
	return err
}

// tidyMarkdown collapses runs of blank lines and ends the text with one
// newline.
func tidyMarkdown(s string) string {
	lines := strings.Split(s, "\n")
	out := make([]string, 0, len(lines))
	blank := true
	for _, l := range lines {
		l = strings.TrimRight(l, " ")
		if l == "" {
			if blank {
				continue
			}
			blank = true
		} else {
			blank = false
		}
		out = append(out, l)
	}
	return strings.TrimRight(strings.Join(out, "\n"), "\n") + "\n"
}

// mdEscaper escapes Markdown's inline syntax and HTML: text from data or
// config never becomes markup or a tag.
var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", `*`, `\*`, `_`, `\_`, `[`, `\[`, `]`, `\]`,
	`<`, `&lt;`, `>`, `&gt;`, `&`, `&amp;`, `#`, `\#`, `|`, `\|`, `~`, `\~`,
	"\r\n", " ", "\n", " ", "\r", " ",
)

// mdText escapes text for a Markdown paragraph or list item.
func mdText(s string) string { return mdEscaper.Replace(s) }

// mdCell escapes text for a Markdown table cell.
func mdCell(s string) string { return mdEscaper.Replace(s) }

// mdCode shows s as inline code, with a fence longer than any run of
// backticks inside it; "|" is escaped for tables.
func mdCode(s string) string {
	s = strings.NewReplacer("\n", " ", "\r", " ", "|", `\|`).Replace(s)
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fence + " " + s + " " + fence
}

// mdFence shows s as a code block.
func mdFence(s string) string {
	fence := "```"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	return fmt.Sprintf("%s\n%s\n%s", fence, s, fence)
}

// mdLink escapes a relative path for a Markdown link target.
func mdLink(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}
