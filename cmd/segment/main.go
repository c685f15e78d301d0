// Command segment runs a customer-segmentation analysis — ingest, clean,
// EDA, k-means, profiles, report — from one YAML file.
//
//	segment run -c configs/churn.yaml
//	segment validate -c configs/churn.yaml
//	segment stages
//	segment predict -m runs/latest/model.json -i new.csv -o scored.csv
//	segment synth churn --rows 7043 --seed 1 -o data/churn_sample.csv
//	segment version
//
// Exit codes: 0 success, 1 data or run error (a missing input file too),
// 2 usage or config error, 3 drift threshold crossed (run published),
// 4 another run holds the lock, 5 run published but latest not moved,
// 130 interrupted; a crash (out of memory) ends with SIGABRT (134).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	crashOnFatal()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop() // a second Ctrl-C kills the process at once
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
