package kmeans

import (
	"context"
	"sync"
)

// runPool is the one worker pool of this package (Fit, Scan and FitMuesli):
// it runs jobs 0..jobs-1 on min(workers, jobs) goroutines, handing out
// indices in increasing order. Each goroutine g first calls start(g) to build
// its private state (reusable buffers), then do(ctx, state, job) for every
// job it takes. The first error cancels the context handed to the remaining
// jobs and is returned (a job failing because of that cancellation does not
// hide the first error); otherwise runPool returns the parent's ctx.Err().
//
// Which goroutine runs which job depends on timing, so do must make its
// result depend only on the job index; callers combine results by index.
func runPool[S any](ctx context.Context, jobs, workers int, start func(g int) S, do func(ctx context.Context, s S, job int) error) error {
	if jobs <= 0 {
		return ctx.Err()
	}
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	next := make(chan int)
	g := min(max(workers, 1), jobs)
	for gi := 0; gi < g; gi++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := start(gi)
			for j := range next {
				if err := do(ctx, s, j); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					cancel()
				}
			}
		}()
	}
feed:
	for j := 0; j < jobs; j++ {
		select {
		case next <- j:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := parent.Err(); err != nil {
		return err
	}
	return firstErr
}

// splitWorkers divides W goroutines between jobs running concurrently
// (outer) and the chunk loops inside each job (inner): outer = min(W, jobs),
// inner = max(1, W/outer).
func splitWorkers(W, jobs int) (outer, inner int) {
	outer = max(1, min(W, jobs))
	return outer, max(1, W/outer)
}
