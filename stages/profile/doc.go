// Package profile is the profile stage: it describes each segment the
// cluster stage found, in the analyst's units, words a description of it,
// checks the configured hypotheses and draws the segment figures.
//
// Statistics. For every clustering feature (original units, before
// scaling) and every `extra` numeric column, per segment and over the
// whole table: count, mean, median, std (ddof 1, as pandas), min, max and
// the quartiles, missing values skipped; and the segment's z-score
// (segment mean − overall mean) / overall std, NaN when the overall std
// is 0. Categorical columns get the share of each level per segment
// (levels by overall count, the rarest pooled as "(other)" beyond
// max_levels, missing values as "(missing)"); the outcome gets its rate
// per segment over the rows where the column has a value.
//
// Names. A segment is called by its name when one is pinned, else by a
// suggested one (suggest_names, names.go: its two most distinctive features
// in the description's words, "New, low-value", unique in the run, marked
// as suggested; carried to the next night for a kept segment), else
// "Segment <ID>". Names pinned here (`names:` keyed by segment ID) override
// the ones the cluster stage carries; the others are kept.
//
// Descriptions. The distinctive features of a segment are the profiled
// columns with the largest |z| (ties in column order), at most
// `describe.top` of them and only those with |z| ≥ `describe.min_z`. The
// sentence lists them with their z-scores and ends with a phrase chosen by
// fixed rules (see phrase): no distinctive feature gives "close to the
// overall average"; a feature with configured words contributes its high
// or low adjective ("long-standing, high-value customers"); the others are
// named as "with above-average A and B, below-average C". Nothing else
// enters the wording, so the same profile always reads the same.
//
// Hypotheses. Each is a correlation (Pearson by default) of x and y over
// the rows where both are present, with n; it is supported when r has the
// expected sign and |r| ≥ min_r (default 0.3). Per segment the stage
// reports the means of x and y over the same kind of rows and their
// within-segment correlation (so a reader can spot a relation that holds
// across segments but not within them).
//
// Figures (PNG and/or SVG, plotkit's theme, the segment numbered n always
// in plotkit.SegmentColor(n−1), whatever its size rank): segment sizes (bars with counts and shares),
// the segment × feature z-score heatmap, the configured scatter plots
// (original or scaled units, centroids as black ✕), the first two
// principal components of the scaled features (gonum's stat.PC, signs as
// scikit-learn's PCA, explained variance in the axis labels) and box
// plots of every profiled column by segment (quartiles, median, mean,
// Tukey whiskers; all rows). Point plots with more rows than max_points
// draw a sample stratified by segment (largest remainders, at least one
// row per segment, rows chosen by a partial Fisher–Yates shuffle seeded by
// the stage seed) and say so under the title.
package profile
