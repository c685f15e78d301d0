// Package plotkit holds the project's plotting theme, exact-size PNG/SVG
// output and the annotated correlation heatmap, built on gonum.org/v1/plot.
//
// Theme: Liberation Sans (gonum/plot ships the Liberation fonts; its own
// default is Liberation Serif, so every style here sets the sans variant
// explicitly), text #262626 on white, font sizes chosen for a 512 px wide
// figure, and a colour-blind-friendly categorical palette (Okabe–Ito
// followed by Tableau 10 extras) for segments, see SegmentColor.
//
// Sizes: gonum/plot measures in points. Figures are sized in pixels and
// rendered at 96 dpi, so w px = w·0.75 pt; a 512×512 px PNG is a 384×384 pt
// canvas. Save writes PNG (vgimg) or SVG (vgsvg) by file extension, and the
// same input always gives the same bytes.
//
// Heatmap: BuildHeatmap turns a HeatmapSpec into a Heatmap value that holds
// everything the figure shows (cell values, fill colours, annotation texts
// and their colours, masked flags, axis labels and the colour-bar ticks), so
// tests can check the data; Heatmap.Draw renders it and Heatmap.Save writes
// it. The diverging palettes are fixed to −1…+1 and white at 0.
//
// Heatmap conventions (seaborn-like, with choices for board decks):
//   - palette "blue-white-red" (default): ColorBrewer RdBu stops with the
//     centre made pure white, +1 #053061 dark blue, −1 #67001f dark red;
//     "red-white-blue" reverses it; or any list of ≥ 2 hex stops.
//   - annotation text: #262626 when the cell's relative luminance (seaborn's
//     formula) exceeds 0.408, else white.
//   - annotations use a Python format (".2f" default, ".2g", "+.1%", …);
//     a value that rounds to zero is shown without its minus sign; NaN
//     cells are light grey with "n/a".
//   - labels longer than 22 characters (≤ 8 rows) or 16 (more rows) end in
//     "…", on both axes; colliding short forms are numbered "…#1", "…#2";
//     Heatmap.FullLabels maps every shown label to its full name.
//   - x labels are horizontal when they fit under their cell, else rotated
//     45°; font sizes shrink (labels to 6 pt, annotations to 5 pt) until
//     labels do not overlap and annotations fit their cells; cells are
//     square; a colour bar with ticks −1, −0.5, 0, 0.5, 1 sits on the right
//     and the title on top.
//
// Errors name the figure or the value they are about ("heatmap label \"Age\"
// appears twice", "unknown palette \"rainbow\" ..."), without the package's
// name: a caller adds where the value came from (a config key, a plot's
// file), and a config check can show a message as it is.
package plotkit
