// Package stages lists every stage type segment knows. Adding a stage is
// one folder under stages/ and one line here; contract_test.go then checks
// the new stage against the contract every stage keeps (README's Layout).
// The registry carries the input sources of sources/sources.go too, so
// that everything loading a config with it reads every input format.
package stages

import (
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources"
	"github.com/churnlab/segment/stages/clean"
	"github.com/churnlab/segment/stages/cluster"
	"github.com/churnlab/segment/stages/eda"
	"github.com/churnlab/segment/stages/export"
	"github.com/churnlab/segment/stages/ingest"
	"github.com/churnlab/segment/stages/profile"
	"github.com/churnlab/segment/stages/report"
)

// Registry returns the registry of all stage types, in pipeline order,
// with every input source (sources.Registry).
func Registry() *pipeline.Registry {
	return pipeline.NewRegistry(
		ingest.Factory(),
		clean.Factory(),
		eda.Factory(),
		cluster.Factory(),
		profile.Factory(),
		export.Factory(),
		report.Factory(),
	).WithSources(sources.Registry())
}
