package profile_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/churnlab/segment/internal/result"
	"github.com/churnlab/segment/pipeline"
	"github.com/churnlab/segment/stages/internal/stagetest"
)

// TestSuggestedNamesFollowIDs: with the cluster stage's previous:, a
// segment kept from the previous run keeps the name suggested for it there
// (here last night's profile.json is edited to hold another suggestion for
// segment 2, as if its description had read differently then), and stays
// marked as suggested.
func TestSuggestedNamesFollowIDs(t *testing.T) {
	src := strings.Replace(fmt.Sprintf(churnConfig, ""), "      k: 4\n", "      k: 4\n      previous: latest\n", 1)
	out := t.TempDir()
	night := func() *pipeline.RunResult {
		cfg, err := stagetest.Load(t, stagetest.WriteConfig(t, src, sample(t)))
		if err != nil {
			t.Fatal(err)
		}
		res, err := pipeline.Run(context.Background(), cfg, pipeline.RunOptions{OutDir: out})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := night()
	path := filepath.Join(first.Dir, "profile.json")
	var p map[string]any
	readJSON(t, path, &p)
	for _, sg := range p["segments"].([]any) {
		m := sg.(map[string]any)
		if m["id"] == 2.0 {
			if m["name_source"] != "suggested" {
				t.Fatalf("segment 2 of the first night: %v", m)
			}
			m["name"] = "Night-one name"
		}
	}
	b, _ := json.Marshal(p)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	second := night()
	var got *result.SegmentProfile
	for i, sp := range second.State.Profile.Segments {
		if sp.ID == 2 {
			got = &second.State.Profile.Segments[i]
		}
	}
	if second.State.Drift == nil || got == nil || got.Label != "Night-one name" || got.NameSource != "suggested" ||
		!strings.HasPrefix(got.Description, "Night-one name (segment 2, ") {
		t.Errorf("segment 2 on the second night: %+v", got)
	}
}
