package result

import (
	"fmt"
	"math"
)

// SegmentLabels are the segments' names in index order as the outputs for
// people write them: the profile's labels when prof profiles these
// segments (a profile's names may rename them), else SegmentLabel's.
func (c *Clusters) SegmentLabels(prof *Profile) []string {
	out := make([]string, c.K)
	for s := range out {
		out[s] = c.SegmentLabel(s)
		if prof != nil && len(prof.Segments) == c.K && prof.Segments[s].Label != "" {
			out[s] = prof.Segments[s].Label
		}
	}
	return out
}

// Distances is each row's Euclidean distance to its segment's centroid in
// the scaled space the model works in, summed in feature order without a
// fused multiply-add: the distance `segment predict` reports for the same
// customer (internal/model's Assign sums it the same way).
func (c *Clusters) Distances() ([]float64, error) {
	d := len(c.Features)
	n := len(c.Labels)
	if len(c.Scaled) != n*d {
		return nil, fmt.Errorf("the cluster stage left %d scaled values for %d rows × %d features", len(c.Scaled), n, d)
	}
	dist := make([]float64, n)
	for i, l := range c.Labels {
		if int(l) < 0 || int(l) >= len(c.CentersScaled) || len(c.CentersScaled[l]) != d {
			return nil, fmt.Errorf("row %d: segment index %d has no centroid of %d features", i+1, l, d)
		}
		ctr, z := c.CentersScaled[l], c.Scaled[i*d:i*d+d]
		var ss float64
		for t, v := range z {
			e := v - ctr[t]
			ss += float64(e * e)
		}
		dist[i] = math.Sqrt(ss)
	}
	return dist, nil
}
