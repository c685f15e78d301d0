package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/confyaml"
	"github.com/churnlab/segment/stages"
)

// TestStagesListsEveryKey: `segment stages` shows every stage type with its
// needs, provides and every key of its config (those the decoder accepts).
func TestStagesListsEveryKey(t *testing.T) {
	code, out, stderr := cli(t, "stages")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	blocks := map[string][]string{}
	var cur string
	for _, line := range strings.Split(out, "\n") {
		switch {
		case line != "" && !strings.HasPrefix(line, " "):
			cur = line
		case strings.HasPrefix(line, "    ") && cur != "":
			blocks[cur] = append(blocks[cur], strings.Fields(line)[0])
		case strings.HasPrefix(line, "  provides: ") || strings.HasPrefix(line, "  needs: "):
			blocks[cur+" "+strings.Fields(line)[0]] = strings.Split(strings.SplitN(line, ": ", 2)[1], ", ")
		}
	}
	reg := stages.Registry()
	for _, typ := range reg.Types() {
		f, _ := reg.Lookup(typ)
		if want := confyaml.KnownKeys(f.NewConfig()); !slices.Equal(blocks[typ], want) {
			t.Errorf("%s: `segment stages` lists the keys %v, want %v", typ, blocks[typ], want)
		}
		for _, slot := range f.Provides {
			if !slices.Contains(blocks[typ+" provides:"], string(slot)) {
				t.Errorf("%s: `segment stages` does not list that it provides %s", typ, slot)
			}
		}
		for _, slot := range f.Needs {
			if !slices.Contains(blocks[typ+" needs:"], string(slot)) {
				t.Errorf("%s: `segment stages` does not list that it needs %s", typ, slot)
			}
		}
	}
}
