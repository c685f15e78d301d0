package stats

import "math/bits"

// npSmallQuicksort is numpy's SMALL_QUICKSORT threshold.
const npSmallQuicksort = 15

// npArgQuicksort sorts the index slice tosort (initially a permutation of
// v's indices) by v, reproducing numpy 1.24's aquicksort_ for int64
// (numpy/core/src/npysort/quicksort.cpp): an introsort with median-of-three
// partitioning, insertion sort for partitions of at most 16 elements and a
// heapsort fallback after 2·floor(log2 n) levels. Reproducing the exact
// sequence of swaps matters because the sort is not stable and pandas'
// choice among tied counts depends on it.
func npArgQuicksort(v []int64, tosort []int) {
	num := len(tosort)
	if num < 2 {
		return
	}
	type span struct{ l, r, depth int }
	var stack []span
	pl, pr := 0, num-1
	cdepth := (bits.Len(uint(num)) - 1) * 2 // npy_get_msb(num) * 2
	less := func(a, b int64) bool { return a < b }
	for {
		if cdepth < 0 {
			npArgHeapsort(v, tosort[pl:pr+1])
		} else {
			for pr-pl > npSmallQuicksort {
				pm := pl + (pr-pl)>>1
				if less(v[tosort[pm]], v[tosort[pl]]) {
					tosort[pm], tosort[pl] = tosort[pl], tosort[pm]
				}
				if less(v[tosort[pr]], v[tosort[pm]]) {
					tosort[pr], tosort[pm] = tosort[pm], tosort[pr]
				}
				if less(v[tosort[pm]], v[tosort[pl]]) {
					tosort[pm], tosort[pl] = tosort[pl], tosort[pm]
				}
				vp := v[tosort[pm]]
				pi, pj := pl, pr-1
				tosort[pm], tosort[pj] = tosort[pj], tosort[pm]
				for {
					pi++
					for less(v[tosort[pi]], vp) {
						pi++
					}
					pj--
					for less(vp, v[tosort[pj]]) {
						pj--
					}
					if pi >= pj {
						break
					}
					tosort[pi], tosort[pj] = tosort[pj], tosort[pi]
				}
				pk := pr - 1
				tosort[pi], tosort[pk] = tosort[pk], tosort[pi]
				// Push the larger partition on the stack.
				cdepth--
				if pi-pl < pr-pi {
					stack = append(stack, span{pi + 1, pr, cdepth})
					pr = pi - 1
				} else {
					stack = append(stack, span{pl, pi - 1, cdepth})
					pl = pi + 1
				}
			}
			// Insertion sort.
			for pi := pl + 1; pi <= pr; pi++ {
				vi := tosort[pi]
				vp := v[vi]
				pj, pk := pi, pi-1
				for pj > pl && less(vp, v[tosort[pk]]) {
					tosort[pj] = tosort[pk]
					pj--
					pk--
				}
				tosort[pj] = vi
			}
		}
		if len(stack) == 0 {
			return
		}
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		pl, pr, cdepth = top.l, top.r, top.depth
	}
}

// npArgHeapsort reproduces numpy's aheapsort_ on the index slice a.
func npArgHeapsort(v []int64, tosort []int) {
	n := len(tosort)
	at := func(i int) *int { return &tosort[i-1] } // 1-based heap indexing
	for l := n >> 1; l > 0; l-- {
		tmp := *at(l)
		i, j := l, l<<1
		for j <= n {
			if j < n && v[*at(j)] < v[*at(j + 1)] {
				j++
			}
			if v[tmp] < v[*at(j)] {
				*at(i) = *at(j)
				i = j
				j += j
			} else {
				break
			}
		}
		*at(i) = tmp
	}
	for n > 1 {
		tmp := *at(n)
		*at(n) = *at(1)
		n--
		i, j := 1, 2
		for j <= n {
			if j < n && v[*at(j)] < v[*at(j + 1)] {
				j++
			}
			if v[tmp] < v[*at(j)] {
				*at(i) = *at(j)
				i = j
				j += j
			} else {
				break
			}
		}
		*at(i) = tmp
	}
}
