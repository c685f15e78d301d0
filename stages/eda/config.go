package eda

import (
	"fmt"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/internal/plotkit"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages/internal/plotcfg"
)

// Config is the eda stage's config block. Every key is optional.
type Config struct {
	// Columns to correlate, in this order. Default: every numeric (int,
	// float, bool as 0/1) column except the id column, in table order.
	Columns []string `yaml:"columns" json:"columns,omitempty"`
	// Method of correlation: "pearson" or "spearman". Default "pearson".
	Method string `yaml:"method" json:"method"`

	// Formats of the heatmap: png and/or svg. Default [png].
	Formats plotcfg.Formats `yaml:"formats" json:"formats"`
	// Size of the heatmap in pixels, [width, height], or one number for a
	// square. Default [512, 512].
	Size plotcfg.Size `yaml:"size" json:"size"`
	// Palette of the heatmap: "blue-white-red" (+1 dark blue, −1 dark red),
	// "red-white-blue", or a list of hex colour stops from −1 to +1.
	// Default "blue-white-red".
	Palette plotcfg.Palette `yaml:"palette" json:"palette"`
	// Fmt is the Python-style format of the cell annotations, e.g. ".2f"
	// or ".2g". Default ".2f".
	Fmt string `yaml:"fmt" json:"fmt"`
	// Title of the heatmap. Default "Pearson correlation" (or "Spearman
	// correlation").
	Title string `yaml:"title" json:"title,omitempty"`
	// MaxLabelChars: heatmap labels longer than this many characters are
	// shortened with "…" (the full names go to insights.md). 0 means
	// automatic: 22 for up to 8 columns, 16 for more. Default 0.
	MaxLabelChars int `yaml:"max_label_chars" json:"max_label_chars"`
	// Mask hides a triangle of the heatmap: "none", "upper" or "lower".
	// Default "none".
	Mask string `yaml:"mask" json:"mask"`

	// Thresholds name the strength of a correlation by |r|.
	Thresholds Thresholds `yaml:"thresholds" json:"thresholds"`
	// MaxInsights is the number of pair insights listed: the pairs with
	// the largest |r| at or above thresholds.weak, plus always the
	// strongest positive and the strongest negative pair. Default 8.
	MaxInsights int `yaml:"max_insights" json:"max_insights"`
	// Several is how many other columns a column must be negatively
	// correlated with (r ≤ −thresholds.weak) to get an insight of its own;
	// 0 turns these insights off. Default 3.
	Several int `yaml:"several" json:"several"`
	// Alerts set the data-quality alert thresholds.
	Alerts AlertThresholds `yaml:"alerts" json:"alerts"`
	// MaxColumns caps the columns the heatmap, the insights, the alerts on
	// pairs and eda.json's matrix cover: with more columns to correlate
	// they use the first MaxColumns (with a warning), while correlation.csv
	// and correlation_n.csv still hold every column. Drawing time and
	// output grow with the square of the columns. Default 100.
	MaxColumns int `yaml:"max_columns" json:"max_columns"`
}

var (
	_ pipeline.Validator     = (*Config)(nil)
	_ pipeline.ColumnChecker = (*Config)(nil)
)

// Thresholds are the |r| limits of the strength words; strong > moderate >
// weak > 0. Below weak a correlation is "very weak".
type Thresholds struct {
	// Strong: |r| at or above it is "strong". Default 0.6.
	Strong float64 `yaml:"strong" json:"strong"`
	// Moderate: |r| at or above it is "moderate". Default 0.4.
	Moderate float64 `yaml:"moderate" json:"moderate"`
	// Weak: |r| at or above it is "weak"; pair insights start here.
	// Default 0.2.
	Weak float64 `yaml:"weak" json:"weak"`
}

// AlertThresholds are the data-quality alert thresholds.
type AlertThresholds struct {
	// MissingShare: a column missing in at least this share of rows gets
	// an alert. Default 0.2.
	MissingShare float64 `yaml:"missing_share" json:"missing_share"`
	// NearDuplicate: a pair with |r| at or above it is flagged as
	// near-duplicate columns. Default 0.9.
	NearDuplicate float64 `yaml:"near_duplicate" json:"near_duplicate"`
	// HighCardinality flags string columns (not the id) with mostly
	// distinct values.
	HighCardinality Cardinality `yaml:"high_cardinality" json:"high_cardinality"`
}

// Cardinality is the high-cardinality rule: more than Share of the
// non-missing values distinct and more than MinDistinct distinct values.
type Cardinality struct {
	// Share of distinct values among the non-missing ones. Default 0.5.
	Share float64 `yaml:"share" json:"share"`
	// MinDistinct: only columns with more distinct values are flagged.
	// Default 50.
	MinDistinct int `yaml:"min_distinct" json:"min_distinct"`
}

// Defaults.
const (
	DefaultMethod      = "pearson"
	DefaultMaxInsights = 8
	DefaultSeveral     = 3
	DefaultMaxColumns  = 100
)

// NewConfig returns the defaults.
func NewConfig() any {
	return &Config{
		Method:      DefaultMethod,
		Formats:     plotcfg.PNG(),
		Size:        plotcfg.Size{W: plotkit.DefaultHeatmapPx, H: plotkit.DefaultHeatmapPx},
		Palette:     plotcfg.DefaultPalette(),
		Fmt:         plotkit.DefaultHeatmapFormat,
		Mask:        plotkit.MaskNone,
		Thresholds:  Thresholds{Strong: 0.6, Moderate: 0.4, Weak: 0.2},
		MaxInsights: DefaultMaxInsights,
		Several:     DefaultSeveral,
		MaxColumns:  DefaultMaxColumns,
		Alerts: AlertThresholds{
			MissingShare:    0.2,
			NearDuplicate:   0.9,
			HighCardinality: Cardinality{Share: 0.5, MinDistinct: 50},
		},
	}
}

// Size limits in pixels.
const (
	MinSizePx = 128
	MaxSizePx = 8192
)

// Validate implements pipeline.Validator.
func (c *Config) Validate() error {
	var fe confyaml.FieldErrors
	seen := map[string]bool{}
	for i, col := range c.Columns {
		if seen[col] {
			fe.Add(fmt.Sprintf("columns[%d]", i), "column %q is listed twice", col)
		}
		seen[col] = true
	}
	if c.Columns != nil && len(c.Columns) < 2 {
		fe.Add("columns", "list at least 2 columns to correlate (or leave columns out for every numeric column)")
	}
	if c.Method != "pearson" && c.Method != "spearman" {
		fe.Add("method", "must be \"pearson\" or \"spearman\", not %q", c.Method)
	}
	c.Formats.Check(&fe, "formats")
	c.Size.Check(&fe, "size", MinSizePx, MaxSizePx)
	c.Palette.Check(&fe, "palette")
	if _, err := plotkit.FormatValue(c.Fmt, 0.5); err != nil {
		fe.Add("fmt", "%v", err)
	}
	if c.MaxLabelChars != 0 && (c.MaxLabelChars < 6 || c.MaxLabelChars > 100) {
		fe.Add("max_label_chars", "must be 0 (automatic) or 6…100, got %d", c.MaxLabelChars)
	}
	switch c.Mask {
	case plotkit.MaskNone, plotkit.MaskUpper, plotkit.MaskLower:
	default:
		fe.Add("mask", "must be none, upper or lower, not %q", c.Mask)
	}
	t := c.Thresholds
	switch {
	case !(t.Weak > 0):
		fe.Add("thresholds.weak", "must be above 0, got %g", t.Weak)
	case !(t.Moderate > t.Weak):
		fe.Add("thresholds.moderate", "must be above weak (%g), got %g", t.Weak, t.Moderate)
	case !(t.Strong > t.Moderate):
		fe.Add("thresholds.strong", "must be above moderate (%g), got %g", t.Moderate, t.Strong)
	case !(t.Strong <= 1):
		fe.Add("thresholds.strong", "must be at most 1, got %g", t.Strong)
	}
	if c.MaxInsights < 2 {
		fe.Add("max_insights", "must be at least 2 (the strongest positive and negative pairs), got %d", c.MaxInsights)
	}
	if c.Several != 0 && c.Several < 2 {
		fe.Add("several", "must be 0 (off) or at least 2, got %d", c.Several)
	}
	if c.MaxColumns < 2 {
		fe.Add("max_columns", "must be at least 2, got %d", c.MaxColumns)
	}
	share := func(key string, v float64) {
		if !(v > 0 && v <= 1) {
			fe.Add(key, "a share is above 0 and at most 1, got %g", v)
		}
	}
	share("alerts.missing_share", c.Alerts.MissingShare)
	share("alerts.near_duplicate", c.Alerts.NearDuplicate)
	share("alerts.high_cardinality.share", c.Alerts.HighCardinality.Share)
	if c.Alerts.HighCardinality.MinDistinct < 0 {
		fe.Add("alerts.high_cardinality.min_distinct", "must not be negative, got %d", c.Alerts.HighCardinality.MinDistinct)
	}
	return fe.Err()
}

// CheckColumns implements pipeline.ColumnChecker: every listed column must
// exist at this point of the pipeline and must not be the id column (under
// its current name, after earlier renames).
func (c *Config) CheckColumns(s *pipeline.Schema) {
	id := s.ID()
	for i, col := range c.Columns {
		key := fmt.Sprintf("columns[%d]", i)
		if s.Require(key, col) && col == id && col != "" {
			s.Errorf(key, "%q is the id column (input.id); it is kept out of statistics", col)
		}
	}
}

// title returns the heatmap title: Title or the method's default.
func (c *Config) title() string {
	if c.Title != "" {
		return c.Title
	}
	if c.Method == "spearman" {
		return "Spearman correlation"
	}
	return "Pearson correlation"
}
