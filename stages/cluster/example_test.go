package cluster_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages"
)

// A job that reads a small table and splits its customers into two
// segments by spend and visits (standardised), then prints assignments.csv.
func Example() {
	dir, err := os.MkdirTemp("", "cluster-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	data := "id,spend,visits\nA,10,1\nB,12,2\nC,95,9\nD,11,1\nE,90,10\n"
	config := `version: 1
name: example
input: {path: customers.csv, id: id}
stages:
  - type: ingest
  - type: cluster
    config:
      features: [spend, visits]
      k: 2
      names: {2: Frequent big spenders}
`
	os.WriteFile(filepath.Join(dir, "customers.csv"), []byte(data), 0o644)
	os.WriteFile(filepath.Join(dir, "job.yaml"), []byte(config), 0o644)

	cfg, err := pipeline.Load(filepath.Join(dir, "job.yaml"), stages.Registry(), pipeline.LoadOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{OutDir: filepath.Join(dir, "runs")})
	if err != nil {
		fmt.Println(err)
		return
	}
	c := res.State.Clusters
	for s := range c.K {
		fmt.Printf("%s: %d customers, mean spend %.1f\n", c.SegmentLabel(s), c.Sizes[s], c.CentersOriginal[s][0])
	}
	b, _ := os.ReadFile(filepath.Join(res.Dir, "assignments.csv"))
	fmt.Print(string(b))
	// Output:
	// Segment 1: 3 customers, mean spend 11.0
	// Frequent big spenders: 2 customers, mean spend 92.5
	// id,segment
	// A,1
	// B,1
	// C,2
	// D,1
	// E,2
}
