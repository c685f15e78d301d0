package kmeans

import "sort"

// Canonicalize renumbers the clusters of r in place into a deterministic
// order: by size descending, ties by centre in lexicographic order
// (coordinate by coordinate, ascending), remaining ties by old index. It
// rewrites Centers, Labels and Sizes only; memberships and Inertia are
// unchanged. It returns perm with perm[old] = new.
func Canonicalize(r *Result) []int {
	k, d := r.K, r.D
	order := make([]int, k) // order[new] = old
	for j := range order {
		order[j] = j
	}
	sort.SliceStable(order, func(a, b int) bool {
		ia, ib := order[a], order[b]
		if r.Sizes[ia] != r.Sizes[ib] {
			return r.Sizes[ia] > r.Sizes[ib]
		}
		ca, cb := r.Centers[ia*d:ia*d+d], r.Centers[ib*d:ib*d+d]
		for t := range ca {
			if ca[t] != cb[t] {
				return ca[t] < cb[t]
			}
		}
		return ia < ib
	})
	perm := make([]int, k)
	for nw, old := range order {
		perm[old] = nw
	}
	centers := make([]float64, k*d)
	sizes := make([]int, k)
	for nw, old := range order {
		copy(centers[nw*d:nw*d+d], r.Centers[old*d:old*d+d])
		sizes[nw] = r.Sizes[old]
	}
	copy(r.Centers, centers)
	copy(r.Sizes, sizes)
	for i, l := range r.Labels {
		r.Labels[i] = int32(perm[l])
	}
	return perm
}
