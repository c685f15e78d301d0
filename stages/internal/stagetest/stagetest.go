// Package stagetest holds what the stage packages' end-to-end tests share:
// writing a config, loading it with every stage type, running it into a
// temporary output folder, and finding the shipped and shared data. It is
// imported by _test files only.
package stagetest

import (
	"context"
	"image"
	_ "image/png" // PNGSize decodes PNG headers
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages"
)

// root is the repository root (this file is stages/internal/stagetest/stagetest.go).
func root(t testing.TB) string {
	t.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("stagetest: cannot locate the repository")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "..")
}

// Sample is the absolute path of the shipped churn sample
// (data/churn_sample.csv: Maven schema, 7,043 rows).
func Sample(t testing.TB) string {
	t.Helper()
	return filepath.Join(root(t), "data", "churn_sample.csv")
}

// Dataset is the absolute path of a public dataset in ../shared/datasets
// beside the repository; the test is skipped when it is absent.
func Dataset(t testing.TB, name string) string {
	t.Helper()
	p := filepath.Join(root(t), "..", "shared", "datasets", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("dataset %s not available (the shared datasets sit beside the repository): %v", name, err)
	}
	return p
}

// WriteConfig writes src as config.yaml in a new temporary folder, with
// {{input}} replaced by input, and returns its path.
func WriteConfig(t testing.TB, src, input string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(strings.ReplaceAll(src, "{{input}}", input)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// Load loads a config file with every stage type and the --set overrides
// sets, and checks its columns against the input, as `segment validate`.
func Load(t testing.TB, path string, sets ...string) (*pipeline.Config, error) {
	t.Helper()
	var ovs []confyaml.Override
	for _, s := range sets {
		o, err := confyaml.ParseOverride(s)
		if err != nil {
			t.Fatal(err)
		}
		ovs = append(ovs, o)
	}
	cfg, err := pipeline.Load(path, stages.Registry(), pipeline.LoadOptions{Overrides: ovs})
	if err != nil {
		return nil, err
	}
	return cfg, pipeline.CheckColumns(cfg)
}

// Run loads a config file and runs it into a temporary output folder,
// failing the test on any error.
func Run(t testing.TB, path string, sets ...string) *pipeline.RunResult {
	t.Helper()
	cfg, err := Load(t, path, sets...)
	if err != nil {
		t.Fatal(err)
	}
	res, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{OutDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// PNGSize decodes a PNG file's header and returns its size in pixels.
func PNGSize(t testing.TB, path string) (w, h int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, format, err := image.DecodeConfig(f)
	if err != nil || format != "png" {
		t.Fatalf("%s: not a PNG (%v, format %q)", path, err, format)
	}
	return cfg.Width, cfg.Height
}
