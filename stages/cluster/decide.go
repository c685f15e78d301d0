package cluster

import (
	"math"
	"strconv"
)

// decimals returns the number of decimals (2 to 6) at which every value
// in vs reads differently from ref unless it equals it: a distance of
// 1.0017 against a threshold of 1 prints as 1.002 and 1.000, not as 1 and
// 1, so the reader sees which side of the threshold it fell on.
func decimals(ref float64, vs ...float64) int { return decimalsFrom(2, ref, vs...) }

// decimalsFrom is decimals starting from dec decimals.
func decimalsFrom(dec int, ref float64, vs ...float64) int {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) || math.IsNaN(ref) || v == ref {
			continue
		}
		for dec < 6 && strconv.FormatFloat(v, 'f', dec, 64) == strconv.FormatFloat(ref, 'f', dec, 64) {
			dec++
		}
	}
	return dec
}

// against formats v and its threshold ref with the same decimals, at
// least minDec and enough to tell them apart ("0.7996", "0.8000").
func against(v, ref float64, minDec int) (string, string) {
	dec := decimalsFrom(minDec, ref, v)
	return strconv.FormatFloat(v, 'f', dec, 64), strconv.FormatFloat(ref, 'f', dec, 64)
}
