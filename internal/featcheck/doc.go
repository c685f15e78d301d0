// Package featcheck warns about clustering features that would quietly
// decide the segments: one-hot (0/1) columns that hold most of the
// distance, and near-duplicate columns that count the same thing twice.
//
// Dominant dummies. k-means splits along the directions with the most
// variance after scaling. A categorical column turned into g one-hot
// columns counts g times in a standardised feature set (each dummy has
// variance 1), and a 0/1 column has variance p(1−p) ≤ 0.25 under min-max
// scaling, more than most continuous features: the segments then follow
// the contract types instead of behaviour. The 0/1 features of the scaled
// matrix are grouped by the name before their last "_" (onehot's
// `<column>_<level>`); when together they hold at least DummyShare of the
// total variance (default 0.4) and more than their fair share — one
// feature's worth per group, G/(G + numeric features) — the check suggests
// a weight w for every dummy that brings them down to that fair share:
// w² = fair·V_numeric / ((1 − fair)·V_dummies), rounded to two decimals.
//
// Near-duplicates. Two features whose Pearson correlation has |r| ≥
// NearDuplicate (default 0.95) are the same information twice (Total
// Charges and Total Revenue, r = 0.97 in the churn table); keep one.
//
// Check is deterministic (sums in row order) and costs O(n·d²).
package featcheck
