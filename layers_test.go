package segment_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// module is the module path of go.mod.
const module = "github.com/churnlab/segment"

// imports maps each package folder (relative to the module root, "/"
// separated) to the module packages its files import, split into the
// imports of non-test files and those of _test.go files.
type pkgImports struct {
	code, test map[string]bool
}

func readImports(t *testing.T) map[string]*pkgImports {
	t.Helper()
	out := map[string]*pkgImports{}
	fset := token.NewFileSet()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.ToSlash(filepath.Dir(path))
		p := out[dir]
		if p == nil {
			p = &pkgImports{code: map[string]bool{}, test: map[string]bool{}}
			out[dir] = p
		}
		set := p.code
		if strings.HasSuffix(path, "_test.go") {
			set = p.test
		}
		for _, imp := range f.Imports {
			ip, _ := strconv.Unquote(imp.Path.Value)
			if rel, ok := strings.CutPrefix(ip, module+"/"); ok {
				set[rel] = true
			} else if ip == module {
				set["."] = true // the Go library, the module's root package
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// under reports whether package path p is dir or inside it.
func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// isStage reports whether p is a stage package: stages/<type>, not the
// registry (stages) and not stages/internal/....
func isStage(p string) bool {
	rest, ok := strings.CutPrefix(p, "stages/")
	return ok && !strings.Contains(rest, "/") && rest != "internal"
}

// isSource reports whether p is a source package: sources/<format>, not
// the registry (sources) and not sources/internal/....
func isSource(p string) bool {
	rest, ok := strings.CutPrefix(p, "sources/")
	return ok && !strings.Contains(rest, "/") && rest != "internal"
}

// TestLayers enforces the layering of README's Layout section:
//
//   - a package under internal/ imports neither pipeline nor stages (not even
//     in its tests);
//   - pipeline imports no stage and not the stage registry;
//   - a stage imports pipeline, internal/... and stages/internal/..., never
//     another stage or the registry;
//   - stages/internal/... imports no stage (stagetest, the end-to-end test
//     helper, may use the registry) and stagetest is imported by tests only;
//   - pipeline knows no input format: it does not import internal/csvio,
//     internal/parquetio or internal/pgio (the sources do);
//   - a source (sources/<format>) imports pipeline, internal/... and
//     sources/internal/..., never another source or a stage; a stage
//     never imports a source (it reads through pipeline.Env.Input);
//   - the Go library (the module's root package) is for programs: the
//     segment command (its exit codes come from segment.ExitCode) and
//     programs outside the module; no other package imports it.
func TestLayers(t *testing.T) {
	pkgs := readImports(t)
	if len(pkgs) < 20 || pkgs["pipeline"] == nil || pkgs["stages/cluster"] == nil || pkgs["sources/csv"] == nil {
		t.Fatalf("found only %d packages; is the test run from the module root?", len(pkgs))
	}
	dirs := slices.Sorted(maps.Keys(pkgs))
	for _, dir := range dirs {
		p := pkgs[dir]
		check := func(imp string, test bool) {
			kind := "imports"
			if test {
				kind = "imports in a test"
			}
			bad := func(why string) { t.Errorf("%s %s %s: %s", dir, kind, imp, why) }
			switch {
			case under(dir, "internal"):
				if under(imp, "pipeline") || under(imp, "stages") {
					bad("packages under internal/ are building blocks and never import pipeline or stages")
				}
			case under(dir, "pipeline"):
				if !test && (under(imp, "stages") || under(imp, "sources")) {
					bad("pipeline imports no stage and no source; stages/stages.go and sources/sources.go list them")
				}
				if !test && (imp == "internal/csvio" || imp == "internal/parquetio" || imp == "internal/pgio") {
					bad("pipeline knows no input format; the sources under sources/ read them")
				}
			case isSource(dir):
				if !test && (under(imp, "stages") || imp == "sources" || isSource(imp) && imp != dir) {
					bad("a source imports only pipeline, internal/... and sources/internal/..., never another source or a stage")
				}
			case under(dir, "sources/internal"):
				if !test && (under(imp, "stages") || isSource(imp) || imp == "sources") {
					bad("sources/internal/... is shared by sources and imports none of them")
				}
			case isStage(dir):
				if !test && (imp == "stages" || isStage(imp) && imp != dir) {
					bad("a stage imports only pipeline, internal/... and stages/internal/..., never another stage")
				}
				if !test && under(imp, "sources") {
					bad("a stage reads its input through pipeline (Env.Input), never from a source package")
				}
			case under(dir, "stages/internal"):
				if !test && isStage(imp) || !test && imp == "stages" && dir != "stages/internal/stagetest" {
					bad("stages/internal/... is shared by stages and imports none of them")
				}
			}
			if imp == "." && dir != "." && dir != "cmd/segment" {
				bad("the Go library (the module's root package) is for programs: the segment command and programs outside the module; no package inside imports it")
			}
			if !test && imp == "stages/internal/stagetest" {
				bad("stagetest is a test helper; import it from _test.go files only")
			}
		}
		for _, imp := range sortedSet(p.code) {
			check(imp, false)
		}
		for _, imp := range sortedSet(p.test) {
			check(imp, true)
		}
	}
}

func sortedSet(m map[string]bool) []string { return slices.Sorted(maps.Keys(m)) }
