// Package report is the report stage: it writes the run up as one
// self-contained report.html and as report.md.
//
// The stage reads the State (input, table, EDA, clusters, profile, drift,
// artifacts and warnings) and the effective config, builds a View of
// display-ready strings (build and the build* functions in view.go) in the
// order `sections:` gives — the segments at a glance first (name, size,
// share, outcome rate, plain words, no z-scores), then profiles,
// hypotheses and drift, then the appendix (k selection, data quality, EDA,
// run summary, reproduce) — and renders it with html/template (templates/report.html.tmpl, drift.html.tmpl
// and style.css.tmpl, embedded) and text/template with Markdown escaping
// (templates/report.md.tmpl, drift.md.tmpl). A section appears only when
// its data exists.
//
// HTML: CSS inline, figures inline as data: URIs (PNG preferred, SVG when
// it is the only format), no JavaScript and no external reference, a
// Content-Security-Policy that forbids loading anything else, and print
// rules for A4. Every string from data or config is escaped by
// html/template; the only values marked safe are the data: URIs and the
// "#rrggbb" segment colours this package builds, both checked by pattern
// before rendering.
//
// Markdown: the same content, images as links relative to the run folder,
// text escaped so that data never becomes markup (HTML as entities,
// Markdown punctuation with backslashes).
//
// The report is written before manifest.json (the runner writes it after
// all stages), so the reproducibility footer takes the run id from the
// stage's environment (Env.RunID), and the hashes, seed, overrides and version
// from the effective config, the input and the build; the rerun command is
// "segment run -c <config> [--set key=value]...".
//
// Drift is a hook: see drift.go.
package report
