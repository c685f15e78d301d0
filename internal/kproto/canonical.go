package kproto

import (
	"cmp"
	"slices"
)

// Canonicalize renumbers r's clusters into a canonical order — total
// weight descending (row count without weights), then the numeric
// centroid lexicographically, then the modes — so that output does not
// depend on which restart or prototype index found a cluster. It rewrites
// Labels, Centroids, Modes, Sizes and Weights in place and returns perm,
// perm[old] = new. (A row exactly equidistant from two prototypes keeps
// its label; Predict with the renumbered model would give it the lower
// new index. Such exact ties need duplicated prototype distances.)
func Canonicalize(r *Result) []int {
	k, p, q := r.K, r.P, r.Q
	order := make([]int, k)
	for j := range order {
		order[j] = j
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := cmp.Compare(r.Weights[b], r.Weights[a]); c != 0 {
			return c
		}
		if c := slices.Compare(r.Centroids[a*p:a*p+p], r.Centroids[b*p:b*p+p]); c != 0 {
			return c
		}
		return slices.Compare(r.Modes[a*q:a*q+q], r.Modes[b*q:b*q+q])
	})
	perm := make([]int, k)
	cent := make([]float64, len(r.Centroids))
	modes := make([]int32, len(r.Modes))
	sizes := make([]int, k)
	weights := make([]float64, k)
	for nw, old := range order {
		perm[old] = nw
		copy(cent[nw*p:nw*p+p], r.Centroids[old*p:old*p+p])
		copy(modes[nw*q:nw*q+q], r.Modes[old*q:old*q+q])
		sizes[nw], weights[nw] = r.Sizes[old], r.Weights[old]
	}
	for i, l := range r.Labels {
		r.Labels[i] = int32(perm[l])
	}
	r.Centroids, r.Modes, r.Sizes, r.Weights = cent, modes, sizes, weights
	return perm
}
