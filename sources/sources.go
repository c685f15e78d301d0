// Package sources lists every input source segment knows: the formats
// `input.format` chooses between. Adding a format is one folder under
// sources/ (a config.go with documented fields, defaults in NewConfig,
// Validate; the source; a Factory) and one line here;
// contract_test.go then checks it (keys documented in docs/config.md and
// listed by `segment sources`, defaults valid, no clash with the shared
// input keys).
//
// A source imports only pipeline and internal/... (and
// sources/internal/...), never another source or a stage.
package sources

import (
	"github.com/churnlab/segment/internal/csvio"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/sources/csv"
	"github.com/churnlab/segment/sources/parquet"
	"github.com/churnlab/segment/sources/postgres"
)

// Registry returns the registry of all sources, in detection order (ties
// go to the first), with the CSV writer that output.keep_tables uses.
func Registry() *pipeline.SourceRegistry { return RegistryWith() }

// RegistryWith is Registry with more sources after the listed ones: the Go
// library (package github.com/churnlab/segment) adds the gota source, which
// reads a DataFrame it holds and so cannot be listed here.
func RegistryWith(extra ...pipeline.SourceFactory) *pipeline.SourceRegistry {
	return pipeline.NewSourceRegistry(append([]pipeline.SourceFactory{
		csv.Factory(),
		parquet.Factory(),
		postgres.Factory(),
	}, extra...)...).WithTableWriter(".csv", csvio.WriteCSV)
}
