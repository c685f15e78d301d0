package metrics

import (
	"math"
	"testing"
)

func TestIndicesHand(t *testing.T) {
	const tol = 1e-15
	// Clusters {0, 1} and {4, 6} on a line. Overall mean 2.75, centroids 0.5
	// and 5: B = 2·2.25² + 2·2.25² = 20.25, W = 0.25+0.25+1+1 = 2.5, so
	// CH = 20.25·(4−2) / (2.5·(2−1)) = 16.2. Mean distances to the
	// centroids are 0.5 and 1, the centroids are 4.5 apart, so
	// DB = (0.5+1)/4.5 = 1/3.
	X := []float64{0, 1, 4, 6}
	labels := []int32{0, 0, 1, 1}
	if got := CalinskiHarabasz(X, 4, 1, labels, 2); !near(got, 16.2, tol) {
		t.Errorf("CalinskiHarabasz = %v, want 16.2", got)
	}
	if got := DaviesBouldin(X, 4, 1, labels, 2); !near(got, 1.0/3, tol) {
		t.Errorf("DaviesBouldin = %v, want 1/3", got)
	}
	// An unused label (k = 5, label 2 empty) changes nothing.
	labels5 := []int32{0, 0, 3, 3}
	if got := CalinskiHarabasz(X, 4, 1, labels5, 5); !near(got, 16.2, tol) {
		t.Errorf("CalinskiHarabasz with empty clusters = %v, want 16.2", got)
	}
	if got := DaviesBouldin(X, 4, 1, labels5, 5); !near(got, 1.0/3, tol) {
		t.Errorf("DaviesBouldin with empty clusters = %v, want 1/3", got)
	}
}

func TestIndicesDegenerate(t *testing.T) {
	// Every cluster is a single repeated point: W = 0, so sklearn's CH is 1
	// and DB is 0 (all intra-cluster distances are 0).
	X := []float64{1, 1, 1, 5, 5, 5}
	labels := []int32{0, 0, 0, 1, 1, 1}
	if got := CalinskiHarabasz(X, 6, 1, labels, 2); got != 1 {
		t.Errorf("CalinskiHarabasz = %v, want 1", got)
	}
	if got := DaviesBouldin(X, 6, 1, labels, 2); got != 0 {
		t.Errorf("DaviesBouldin = %v, want 0", got)
	}
	// Coincident centroids: DB is 0 as in sklearn (all centroid distances 0).
	X = []float64{0, 2, 1, 1}
	labels = []int32{0, 0, 1, 1}
	if got := DaviesBouldin(X, 4, 1, labels, 2); got != 0 {
		t.Errorf("DaviesBouldin with equal centroids = %v, want 0", got)
	}
	// Three clusters, two with the same centroid: that pair is skipped.
	// Centroids 1, 1, 10; spreads 1, 0, 0.5. Cluster 0: max over cluster 2
	// (1+0.5)/9; cluster 1: (0+0.5)/9; cluster 2: max((0.5+1)/9, 0.5/9).
	X = []float64{0, 2, 1, 9.5, 10.5}
	labels = []int32{0, 0, 1, 2, 2}
	want := (1.5/9 + 0.5/9 + 1.5/9) / 3
	if got := DaviesBouldin(X, 5, 1, labels, 3); !near(got, want, 1e-15) {
		t.Errorf("DaviesBouldin = %v, want %v", got, want)
	}
	if got := CalinskiHarabasz(X, 5, 1, labels, 3); math.IsNaN(got) || got <= 0 {
		t.Errorf("CalinskiHarabasz = %v", got)
	}
}
